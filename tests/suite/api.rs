//! The library as another crate uses it: build an experiment in code, plug in a
//! different mind, and get clear errors (never a panic) for bad input.

use helplessness::{
    Apparatus, Block, Contingency, Error, Experiment, Group, Iti, Mind, Phase, Requirement,
    Schedule, Session, SubjectId, SubjectRng, VecSink, protocol,
};

use helplessness::mind::{Episode, Outcome, State, Variable, factory_fn};

fn shuttle_test(trials: u32) -> Phase {
    Phase::new(
        "test",
        Apparatus::ShuttleBox,
        Schedule::new(vec![Block::new(trials, 1.0)], Iti::Fixed { s: 30.0 }, 20.0),
        Contingency::escapable(Requirement::FixedRatio { ratio: 1 }),
    )
}

fn small_experiment() -> Experiment {
    let pre = Phase::new(
        "pretreatment",
        Apparatus::WheelTurn,
        Schedule::new(vec![Block::new(10, 1.0)], Iti::Fixed { s: 60.0 }, 30.0),
        Contingency::Fixed { duration_s: 5.0 },
    );
    Experiment::new("mine", helplessness::CircuitParams::rat())
        .group(Group::new("fixed", 5))
        .group(Group::new("none", 5).with("pretreatment", Contingency::NoShock))
        .phase(pre)
        .phase(shuttle_test(5).after_hours(24.0))
}

#[test]
fn an_experiment_built_in_code_runs_without_files() {
    let exp = small_experiment();
    let records = exp.run(3).unwrap();
    assert_eq!(records.len(), 2 * 5 * (10 + 5));
    let fixed: Vec<_> = records
        .iter()
        .filter(|r| &*r.group == "fixed" && &*r.phase == "pretreatment")
        .collect();
    assert!(fixed.iter().all(|r| r.shock_s == 5.0 && !r.escaped));
    let none: Vec<_> = records
        .iter()
        .filter(|r| &*r.group == "none" && &*r.phase == "pretreatment")
        .collect();
    assert!(
        none.iter()
            .all(|r| r.shock_s == 0.0 && r.latency_s.is_none())
    );
    // The test starts 24 h after the end of the pretreatment, with its own clock.
    let first_test = records.iter().find(|r| &*r.phase == "test").unwrap();
    assert_eq!(first_test.onset_s, 30.0);
}

/// A mind with no theory at all: responds at a fixed rate while shocked.
struct Restless {
    on: bool,
    responses: u32,
}

impl Mind for Restless {
    fn begin_session(&mut self, _: &Session) {}
    fn end_session(&mut self) {}
    fn relax(&mut self, _: f64) {}
    fn onset(&mut self, _: &Episode) {
        self.on = true;
    }
    fn outcome(&mut self, _: Outcome) {}
    fn advance(&mut self, _: f64) {}
    fn response_rate(&self) -> f64 {
        if self.on { 2.0 } else { 0.0 }
    }
    fn respond(&mut self) {
        self.responses += 1;
    }
    fn offset(&mut self) {
        self.on = false;
    }
    fn state(&self) -> State {
        State::new(RESTLESS, &[f64::from(self.responses)])
    }
}

/// What a [`Restless`] mind reports.
const RESTLESS: &[Variable] = &[Variable::new("responses", "1", "attempts so far")];

#[test]
fn another_mind_plugs_into_the_same_runner() {
    let exp = protocol::triadic_dog(6);
    let factory = factory_fn(RESTLESS, |_: &SubjectId, _: &mut SubjectRng| {
        Ok::<_, Error>(Restless {
            on: false,
            responses: 0,
        })
    });
    let mut sink = VecSink::default();
    exp.runner(1).minds(&factory).into_sink(&mut sink).unwrap();
    // A mind that never learns helplessness: every test trial of every group escaped.
    let test: Vec<_> = sink
        .records
        .iter()
        .filter(|r| &*r.phase == "test")
        .collect();
    assert_eq!(test.len(), 3 * 6 * 10);
    assert!(
        test.iter()
            .all(|r| r.escaped && r.latency_s.unwrap() < 60.0)
    );
    // The runner still yokes: inescapable durations copy escapable ones.
    let pre = |g: &str| -> Vec<f64> {
        sink.records
            .iter()
            .filter(|r| &*r.group == g && &*r.phase == "pretreatment")
            .map(|r| r.shock_s)
            .collect()
    };
    assert_eq!(pre("escapable"), pre("inescapable"));
}

/// Asserts that `exp` fails validation (and running) with a message naming `field`
/// and `value`.
fn rejects(exp: &Experiment, field: &str, value: &str) {
    let message = exp.validate().unwrap_err().to_string();
    assert!(
        message.contains(field) && message.contains(value),
        "message `{message}` should name `{field}` and `{value}`"
    );
    assert!(exp.run(1).is_err());
}

#[test]
fn bad_input_is_an_error_naming_field_and_value() {
    let mut e = small_experiment();
    e.phases[0].schedule.cutoff_s = -3.0;
    rejects(&e, "phases[0].schedule.cutoff_s", "-3");

    let mut e = small_experiment();
    e.phases[0].contingency = Contingency::Fixed { duration_s: -1.5 };
    rejects(&e, "contingency.duration_s", "-1.5");

    let mut e = small_experiment();
    e.phases[1].contingency = Contingency::Partial {
        p: 1.5,
        requirement: Requirement::FixedRatio { ratio: 1 },
    };
    rejects(&e, "phases[1].contingency.p", "1.5");

    let mut e = small_experiment();
    e.groups[0].contingencies.insert(
        "test".into(),
        Contingency::Partial {
            p: -0.1,
            requirement: Requirement::FixedRatio { ratio: 1 },
        },
    );
    rejects(&e, "groups[0].contingencies.test.p", "-0.1");

    let e = small_experiment().with_subjects(0);
    rejects(&e, "groups[0].subjects", "0");

    let mut e = small_experiment();
    if let helplessness::Theory::Circuit(p) = &mut e.theory {
        p.drn_gain = f64::NAN;
    }
    rejects(&e, "params.drn_gain", "NaN");

    let mut e = small_experiment();
    e.phases[1].schedule.blocks[0].intensity = f64::NAN;
    rejects(&e, "phases[1].schedule.blocks[0].intensity", "NaN");

    let mut e = small_experiment();
    e.phases[1].after_hours = f64::INFINITY;
    rejects(&e, "phases[1].after_hours", "inf");

    let mut e = small_experiment();
    e.phases[0].schedule.iti = Iti::Uniform {
        min_s: 10.0,
        max_s: 5.0,
    };
    rejects(&e, "phases[0].schedule.iti.max_s", "5");

    let mut e = small_experiment();
    e.phases[0].schedule.blocks[0].trials = 0;
    rejects(&e, "phases[0].schedule.blocks", "0");

    let mut e = small_experiment();
    e.dt_s = 0.0;
    rejects(&e, "dt_s", "0");

    // Absurdly long shocks would run for days: refused.
    let mut e = small_experiment();
    e.phases[1].schedule.cutoff_s = 1e12;
    rejects(&e, "phases[1].schedule.cutoff_s", "1e12");
}

#[test]
fn yoking_errors_name_the_groups() {
    let yoked = |to: &str| Contingency::Yoked { to: to.into() };
    let mut e = small_experiment();
    e.groups[1]
        .contingencies
        .insert("pretreatment".into(), yoked("escapable"));
    rejects(&e, "escapable", "fixed");

    let mut e = small_experiment();
    e.groups[0].subjects = 4;
    e.groups[1]
        .contingencies
        .insert("pretreatment".into(), yoked("fixed"));
    rejects(&e, "groups[1].subjects", "5");

    let mut e = small_experiment();
    e.groups[0]
        .contingencies
        .insert("pretreatment".into(), yoked("none"));
    e.groups[1]
        .contingencies
        .insert("pretreatment".into(), yoked("fixed"));
    rejects(&e, "yoking", "fixed -> none");
}

#[test]
fn a_bad_variation_is_an_error_not_a_panic() {
    let mut e = small_experiment();
    e.variation = vec![helplessness::Variation::set(
        "drn_tau_s",
        helplessness::Dist::Normal { mean: 0.5, sd: 5.0 },
    )];
    assert!(e.validate().is_ok());
    let message = e.run(1).unwrap_err().to_string();
    assert!(message.contains("drn_tau_s"), "{message}");

    e.variation = vec![helplessness::Variation::set(
        "drn_tua_s",
        helplessness::Dist::Normal { mean: 0.5, sd: 0.1 },
    )];
    let message = e.validate().unwrap_err().to_string();
    assert!(
        message.contains("drn_tua_s") && message.contains("drn_tau_s"),
        "{message}"
    );
}

#[test]
fn the_protocol_paragraph_names_drugs_and_units_and_edits_reproduce_nothing() {
    let bz = protocol::bundled("benzodiazepine-rat").unwrap().experiment;
    let text = helplessness::analysis::describe_protocol(&bz);
    assert!(
        text.contains("`IS-BZ-DRN` benzodiazepine into the DRN (strength 0.8)"),
        "{text}"
    );
    assert!(
        text.contains("100 at 1 mA") && !text.contains("intervention(s)"),
        "{text}"
    );
    let human = protocol::bundled("triadic-human").unwrap().experiment;
    assert!(helplessness::analysis::describe_protocol(&human).contains(" dB"));
    // A file that changes a bundled protocol no longer claims the parent's study.
    let edited = protocol::load("extends = \"triadic-rat\"\nsubjects = 4\n", "mine.toml").unwrap();
    assert!(edited.file.source.is_empty());
    let cited = protocol::load(
        "extends = \"triadic-rat\"\nsource = \"my lab, 2026\"\n",
        "mine.toml",
    )
    .unwrap();
    assert_eq!(cited.file.source, "my lab, 2026");
}

#[test]
fn the_shown_file_is_resized_by_its_one_subjects_line() {
    let rat = protocol::bundled("triadic-rat").unwrap();
    let complete = protocol::ProtocolFile::complete(&rat.experiment, rat.file.species, 1);
    let shown = protocol::render(&complete, "# copy\n");
    assert_eq!(shown.matches("subjects = ").count(), 1, "{shown}");
    let edited = shown.replace("subjects = 100", "subjects = 7");
    let loaded = protocol::load(&edited, "copy.toml").unwrap();
    assert!(loaded.experiment.groups.iter().all(|g| g.subjects == 7));
}

#[test]
fn every_shown_file_loads_back_to_the_same_experiment() {
    // Every bundled protocol, and one whose group has two draws of its own, a trait
    // value, instructions and a domain.
    let mut files: Vec<(String, protocol::Loaded)> = protocol::BUNDLED
        .iter()
        .map(|b| (b.name.to_string(), protocol::bundled(b.name).unwrap()))
        .collect();
    let traits = "extends = \"hiroto-1974\"\n[[group]]\nname = \"escapable-skill-internal\"\n\
                  params.globality = 0.8\n\
                  vary = [{ parameter = \"stability\", dist = { uniform = { min = 0.1, max = 0.9 } } },\n\
                  { parameter = \"internality\", dist = { beta = { a = 2.0, b = 2.0 } } }]\n\
                  [[phase]]\nname = \"test\"\ndomain = \"work\"\ninstructions = \"hard-for-everyone\"\n";
    files.push((
        "traits".into(),
        protocol::load(traits, "traits.toml").unwrap(),
    ));
    for (name, loaded) in files {
        let complete = protocol::ProtocolFile::complete(&loaded.experiment, loaded.file.species, 1);
        let shown = protocol::render(&complete, "");
        let back =
            protocol::load(&shown, "shown.toml").unwrap_or_else(|e| panic!("{name}: {e}\n{shown}"));
        // Shown files name every default (contexts, domains), so compare the complete
        // files: showing the reloaded experiment gives the same file again.
        let again = protocol::ProtocolFile::complete(&back.experiment, back.file.species, 1);
        assert_eq!(again, complete, "{name}");
        assert_eq!(back.experiment.groups, loaded.experiment.groups, "{name}");
    }
}
