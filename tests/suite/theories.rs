//! Theories behind one trait: every bundled protocol under each theory (or a clean
//! refusal), records and summaries that carry the running theory's own variables, a
//! user's own theory with two variables, and the contingencies of episodes and
//! outcomes (insoluble, done for you, the contingency space).

use helplessness::analysis::Summary;
use helplessness::mind::{
    Demand, Detector, Episode, Outcome, Species, State, Theory, Variable, factory_fn,
};
use helplessness::{
    Apparatus, Block, Contingency, CsvSink, Error, Experiment, Group, Iti, Mind, Phase, Schedule,
    Session, Sink, SubjectId, SubjectRng, VecSink, protocol,
};

fn theory(name: &str, species: Species) -> Theory {
    Theory::named(name, species).unwrap()
}

#[test]
fn every_bundled_protocol_runs_under_each_theory_or_is_refused_by_name() {
    for b in protocol::BUNDLED {
        let loaded = protocol::bundled(b.name).unwrap();
        let drugs = loaded.experiment.phases.iter().any(|p| {
            p.interventions
                .iter()
                .chain(
                    loaded
                        .experiment
                        .groups
                        .iter()
                        .flat_map(|g| g.interventions_in(&p.name)),
                )
                .any(|i| i.forced_exposure().is_none())
        });
        for name in Theory::NAMES {
            let (exp, _) = loaded
                .experiment
                .clone()
                .with_subjects(2)
                .with_theory(theory(name, loaded.file.species));
            match exp.run(1) {
                Ok(records) => {
                    assert!(
                        name == "circuit" || !drugs,
                        "{name} ran {} with drugs",
                        b.name
                    );
                    assert!(!records.is_empty());
                    for r in &records {
                        assert_eq!(r.state.variables(), exp.theory.variables());
                        assert!(r.state.values().iter().all(|v| v.is_finite()));
                    }
                }
                Err(e) => {
                    let e = e.to_string();
                    assert!(drugs && name != "circuit", "{name} on {}: {e}", b.name);
                    assert!(
                        e.contains(&format!("the {name} theory cannot represent")),
                        "{e}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_refusal_names_the_theory_the_intervention_the_group_and_the_phase() {
    let loaded = protocol::bundled("mpfc-inactivation-rat").unwrap();
    let (exp, _) = loaded
        .experiment
        .with_theory(theory("expectancy", Species::Rat));
    let e = exp.validate().unwrap_err().to_string();
    let group = exp
        .groups
        .iter()
        .find(|g| g.interventions.values().flatten().count() > 0)
        .unwrap();
    let phase = group.interventions.keys().next().unwrap();
    for needle in [
        "expectancy theory",
        "muscimol",
        &format!("group `{}`", group.name),
        &format!("phase `{phase}`"),
    ] {
        assert!(e.contains(needle), "`{e}` lacks `{needle}`");
    }
}

#[test]
fn records_carry_the_running_theory_s_variables_and_no_others() {
    for name in Theory::NAMES {
        let (exp, _) = protocol::triadic_dog(1).with_theory(theory(name, Species::Dog));
        let mut sink = CsvSink::new(Vec::new()).unwrap();
        exp.runner(1).into_sink(&mut sink).unwrap();
        let bytes = sink.into_inner().unwrap();
        let header = String::from_utf8_lossy(&bytes)
            .lines()
            .next()
            .unwrap()
            .to_string();
        let variables: Vec<&str> = exp.theory.variables().iter().map(|v| v.name).collect();
        let expected = helplessness::TrialRecord::columns(exp.theory.variables()).join(",");
        assert_eq!(header, expected, "{name}");
        assert!(header.ends_with(&variables.join(",")));
        // Read back with the same declaration, the records are the run's.
        let mut back = Vec::new();
        helplessness::record::read_records(
            &bytes[..],
            helplessness::record::Format::Csv,
            exp.theory.variables(),
            |r| {
                back.push(r);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(back, exp.run(1).unwrap(), "{name}");
    }
    // The circuit's records have a DRN; the other theories' do not.
    let columns = |name| helplessness::TrialRecord::columns(theory(name, Species::Rat).variables());
    assert!(columns("circuit").contains(&"d"));
    assert!(!columns("expectancy").contains(&"d") && !columns("arbitration").contains(&"d"));
    assert!(columns("arbitration").contains(&"w") && columns("expectancy").contains(&"G"));
}

/// A user's own theory: attempts at a fixed rate, and counts its tries and how its
/// episodes ended.
struct Counter {
    on: bool,
    rate: f64,
    tries: f64,
    earned: f64,
    unearned: f64,
    failed: f64,
}

const COUNTER: &[Variable] = &[
    Variable::new("tries", "1", "attempts so far"),
    Variable::new("earned", "1", "episodes ended by an attempt"),
];

/// The [`Counter`] with every count in its state, for the contingency tests.
const COUNTS: &[Variable] = &[
    Variable::new("tries", "1", "attempts so far"),
    Variable::new("earned", "1", "episodes ended by an attempt"),
    Variable::new("unearned", "1", "episodes ended whatever the subject did"),
    Variable::new("failed", "1", "tasks ended unsolved"),
];

impl Counter {
    fn new(rate: f64) -> Self {
        Counter {
            on: false,
            rate,
            tries: 0.0,
            earned: 0.0,
            unearned: 0.0,
            failed: 0.0,
        }
    }
}

impl Mind for Counter {
    fn begin_session(&mut self, _: &Session) {}
    fn end_session(&mut self) {}
    fn relax(&mut self, _: f64) {}
    fn onset(&mut self, _: &Episode) {
        self.on = true;
    }
    fn advance(&mut self, _: f64) {}
    fn response_rate(&self) -> f64 {
        if self.on { self.rate } else { 0.0 }
    }
    fn respond(&mut self) {
        self.tries += 1.0;
    }
    fn outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Earned => self.earned += 1.0,
            Outcome::Unearned => self.unearned += 1.0,
            Outcome::Failed => self.failed += 1.0,
        }
    }
    fn offset(&mut self) {
        self.on = false;
    }
    fn state(&self) -> State {
        State::new(
            COUNTS,
            &[self.tries, self.earned, self.unearned, self.failed],
        )
    }
}

/// The same mind declaring only its first two variables.
struct TwoVariables(Counter);

impl Mind for TwoVariables {
    fn begin_session(&mut self, s: &Session) {
        self.0.begin_session(s)
    }
    fn end_session(&mut self) {}
    fn relax(&mut self, _: f64) {}
    fn onset(&mut self, e: &Episode) {
        self.0.onset(e)
    }
    fn advance(&mut self, _: f64) {}
    fn response_rate(&self) -> f64 {
        self.0.response_rate()
    }
    fn respond(&mut self) {
        self.0.respond()
    }
    fn outcome(&mut self, o: Outcome) {
        self.0.outcome(o)
    }
    fn offset(&mut self) {
        self.0.offset()
    }
    fn state(&self) -> State {
        State::new(COUNTER, &[self.0.tries, self.0.earned])
    }
}

#[test]
fn a_user_theory_with_two_variables_gets_exactly_those_columns_summaries_and_traces() {
    let exp = protocol::triadic_rat(4);
    let factory = factory_fn(COUNTER, |_: &SubjectId, _: &mut SubjectRng| {
        Ok::<_, Error>(TwoVariables(Counter::new(0.5)))
    });
    // Records: the shared columns, then `tries` and `earned`.
    let mut csv = CsvSink::new(Vec::new()).unwrap();
    exp.runner(1).minds(&factory).into_sink(&mut csv).unwrap();
    let bytes = csv.into_inner().unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.ends_with(",responses,tries,earned"), "{header}");
    assert_eq!(header.split(',').count(), 12);
    // Summaries: traces of the two variables, none of the circuit's.
    let mut summary = Summary::new(&exp);
    exp.runner(1)
        .minds(&factory)
        .into_sink(&mut summary)
        .unwrap();
    let names: Vec<&str> = summary.variables().iter().map(|v| v.name).collect();
    assert_eq!(names, ["tries", "earned"]);
    let tries = summary.trace("escapable", "pretreatment", "tries");
    assert_eq!(tries.len(), 80);
    assert!(tries[79].0 > tries[0].0, "attempts accumulate");
    assert!(summary.trace("escapable", "pretreatment", "d").is_empty());
    let row = summary.trial_rows().into_iter().next().unwrap();
    assert_eq!(row.freezing, None);
    assert_eq!(
        row.variables.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        ["tries", "earned"]
    );
    // The traces figure draws one panel per declared variable.
    let dir = tempfile::tempdir().unwrap();
    helplessness::plot::write_figures(dir.path(), &exp, &summary, "test").unwrap();
    let svg = std::fs::read_to_string(dir.path().join("traces.svg")).unwrap();
    assert!(
        svg.contains("attempts so far tries"),
        "traces.svg lacks the variable"
    );
    assert!(!svg.contains("DRN"));
}

/// One group meeting `contingency` in `apparatus`: `trials` episodes, 20 s cut-off.
fn one_phase(apparatus: Apparatus, contingency: Contingency, trials: u32) -> Experiment {
    Experiment::new("episodes", helplessness::CircuitParams::human())
        .group(Group::new("only", 1))
        .phase(Phase::new(
            "session",
            apparatus,
            Schedule::new(vec![Block::new(trials, 1.0)], Iti::Fixed { s: 5.0 }, 20.0),
            contingency,
        ))
}

fn counted(exp: &Experiment, rate: f64) -> Vec<helplessness::TrialRecord> {
    let factory = factory_fn(COUNTS, move |_: &SubjectId, _: &mut SubjectRng| {
        Ok::<_, Error>(Counter::new(rate))
    });
    let mut sink = VecSink::default();
    exp.runner(7).minds(&factory).into_sink(&mut sink).unwrap();
    sink.records
}

#[test]
fn an_insoluble_task_ends_at_its_cutoff_as_a_failure_and_a_stimulus_as_relief() {
    assert_eq!(Apparatus::Problems.demand(), Demand::Task);
    let task = counted(
        &one_phase(Apparatus::Problems, Contingency::Insoluble, 10),
        2.0,
    );
    assert!(task.iter().all(|r| r.shock_s == 20.0 && !r.escaped));
    let last = task.last().unwrap().state;
    assert_eq!(last.get("failed"), Some(10.0));
    assert_eq!(last.get("earned"), Some(0.0));
    assert!(
        last.get("tries").unwrap() > 100.0,
        "attempts were made, in vain"
    );
    // The same contingency on an aversive stimulus: it ends, which is relief.
    let noise = counted(
        &one_phase(Apparatus::Button, Contingency::Insoluble, 10),
        2.0,
    );
    assert_eq!(noise.last().unwrap().state.get("unearned"), Some(10.0));
    assert_eq!(noise.last().unwrap().state.get("failed"), Some(0.0));
}

#[test]
fn done_for_you_brings_the_outcome_on_time_whatever_the_subject_does() {
    for rate in [0.0, 5.0] {
        let exp = one_phase(
            Apparatus::Problems,
            Contingency::DoneForYou { after_s: 3.0 },
            10,
        );
        let records = counted(&exp, rate);
        assert!(records.iter().all(|r| r.shock_s == 3.0 && !r.escaped));
        let last = records.last().unwrap().state;
        assert_eq!(last.get("unearned"), Some(10.0));
        assert_eq!(last.get("earned"), Some(0.0));
    }
}

/// A mind with the detector of every bundled theory: windows of 1 s from onset, each
/// closed by its end (no outcome) or by the outcome.
struct Windows {
    rate: f64,
    on: bool,
    elapsed: f64,
    attempted: bool,
    detector: Detector,
}

const DELTA_P: &[Variable] = &[
    Variable::new("dp", "1", "ΔP of the detector"),
    Variable::new("p1", "1", "P(outcome | attempt)"),
    Variable::new("p0", "1", "P(outcome | no attempt)"),
];

impl Mind for Windows {
    fn begin_session(&mut self, _: &Session) {}
    fn end_session(&mut self) {}
    fn relax(&mut self, _: f64) {}
    fn onset(&mut self, _: &Episode) {
        self.on = true;
        self.elapsed = 0.0;
        self.attempted = false;
    }
    fn advance(&mut self, dt: f64) {
        self.elapsed += dt;
        if self.elapsed >= 1.0 - 1e-9 {
            self.detector.observe(self.attempted, false);
            self.elapsed -= 1.0;
            self.attempted = false;
        }
    }
    fn response_rate(&self) -> f64 {
        if self.on { self.rate } else { 0.0 }
    }
    fn respond(&mut self) {
        self.attempted = true;
    }
    fn outcome(&mut self, outcome: Outcome) {
        self.detector.observe(self.attempted, outcome.is_good());
    }
    fn offset(&mut self) {
        self.on = false;
    }
    fn state(&self) -> State {
        let d = &self.detector;
        State::new(DELTA_P, &[d.delta_p(), d.p_response(), d.p_no_response()])
    }
}

#[test]
fn the_contingency_space_sets_the_delta_p_the_detector_finds() {
    // 3,000 episodes of at most 20 windows; about 2 windows each at these
    // probabilities, so each conditional probability rests on thousands of windows
    // (standard error about 0.01): ΔP within 0.04 of the set value is a 4-SE claim.
    for (p_attempt, p_no_attempt) in [(0.8, 0.3), (0.75, 0.75), (0.2, 0.6)] {
        let exp = one_phase(
            Apparatus::Button,
            Contingency::Space {
                p_attempt,
                p_no_attempt,
                window_s: 1.0,
            },
            3000,
        );
        let factory = factory_fn(DELTA_P, |_: &SubjectId, _: &mut SubjectRng| {
            Ok::<_, Error>(Windows {
                rate: 0.5,
                on: false,
                elapsed: 0.0,
                attempted: false,
                detector: Detector::new(0.5, 0.5, 2.0),
            })
        });
        let mut sink = VecSink::default();
        exp.runner(3).minds(&factory).into_sink(&mut sink).unwrap();
        let found = sink.records.last().unwrap().state.get("dp").unwrap();
        let set = p_attempt - p_no_attempt;
        assert!(
            (found - set).abs() < 0.04,
            "space {p_attempt}/{p_no_attempt}: ΔP {found} vs {set}"
        );
        // Attempts earn, the rest come unbidden.
        assert!(sink.records.iter().all(|r| r.shock_s <= 20.0));
    }
}

#[test]
fn a_sink_hears_the_theory_s_variables_before_any_record() {
    struct Heard(Vec<&'static str>, usize);
    impl Sink for Heard {
        fn start(&mut self, variables: &'static [Variable]) -> Result<(), Error> {
            assert_eq!(self.1, 0, "start comes before the records");
            self.0 = variables.iter().map(|v| v.name).collect();
            Ok(())
        }
        fn write(&mut self, _: &helplessness::TrialRecord) -> Result<(), Error> {
            self.1 += 1;
            Ok(())
        }
    }
    let (exp, _) = protocol::triadic_dog(1).with_theory(theory("arbitration", Species::Dog));
    let mut heard = Heard(Vec::new(), 0);
    exp.runner(1).into_sink(&mut heard).unwrap();
    assert_eq!(heard.0, ["V", "Q_act", "Q_pass", "w", "p_act"]);
    assert!(heard.1 > 0);
}
