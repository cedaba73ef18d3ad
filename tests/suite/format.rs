//! The protocol format: home cage, a group's own context, editing a parent protocol's
//! lists, drugs dosed per effect, defaults, and sweeps over group sizes.

use crate::common::{ok, read, run_in};
use helplessness::{TrialRecord, protocol};

/// A two-phase protocol: pretreatment of inescapable shock in `tube`, then a test.
fn two_phases(groups: &str) -> String {
    format!(
        "name = \"two\"\nsubjects = 12\n{groups}\n\
         [[phase]]\nname = \"pretreatment\"\napparatus = \"wheel-turn\"\ncontext = \"tube\"\n\
         blocks = [{{ trials = 60, intensity = 1.0 }}]\ncontingency = {{ fixed = {{ duration_s = 5.0 }} }}\n\
         [[phase]]\nname = \"test\"\nafter_hours = 24\n\
         blocks = [{{ trials = 2, intensity = 0.6, ratio = 1 }}, {{ trials = 25, intensity = 0.6, ratio = 2 }}]\n"
    )
}

fn records(text: &str, seed: u64) -> Vec<TrialRecord> {
    protocol::load(text, "p.toml")
        .unwrap()
        .experiment
        .run(seed)
        .unwrap()
}

/// Records of `group` in `phase`, with the fields a run could change.
fn of(records: &[TrialRecord], group: &str, phase: &str) -> Vec<String> {
    records
        .iter()
        .filter(|r| &*r.group == group && &*r.phase == phase)
        .map(|r| {
            format!(
                "{} {} {} {:?} {:?} {} {:?}",
                r.subject, r.trial, r.onset_s, r.latency_s, r.shock_s, r.responses, r.state
            )
        })
        .collect()
}

#[test]
fn a_home_cage_group_keeps_nothing_from_the_phase_it_sits_out() {
    // Home cage during pretreatment, and the same rats in a protocol without that
    // phase at all: the test records are identical, bit for bit (nothing of the
    // pretreatment context, evidence, fear or random stream reaches them).
    let with = records(
        &two_phases("[[group]]\nname = \"HC\"\nhome_cage = [\"pretreatment\"]\n"),
        5,
    );
    assert!(of(&with, "HC", "pretreatment").is_empty());
    let without_text = "name = \"two\"\nsubjects = 12\n[[group]]\nname = \"HC\"\n\
         [[phase]]\nname = \"test\"\nafter_hours = 24\n\
         blocks = [{ trials = 2, intensity = 0.6, ratio = 1 }, { trials = 25, intensity = 0.6, ratio = 2 }]\n";
    let without = records(without_text, 5);
    let test = of(&with, "HC", "test");
    assert_eq!(test.len(), 12 * 27);
    assert_eq!(test, of(&without, "HC", "test"));

    // "no-shock" instead places the rats in the tube for 60 trials: their test differs.
    let restrained = records(
        &two_phases("[[group]]\nname = \"RC\"\ncontingency.pretreatment = \"no-shock\"\n"),
        5,
    );
    assert_eq!(of(&restrained, "RC", "pretreatment").len(), 12 * 60);
    assert_ne!(of(&restrained, "RC", "test"), test);
}

#[test]
fn a_home_cage_group_cannot_be_yoked_to_or_treated_in_that_phase() {
    let yoked = two_phases(
        "[[group]]\nname = \"HC\"\nhome_cage = [\"pretreatment\"]\n\
         [[group]]\nname = \"Y\"\ncontingency.pretreatment = { yoked = { to = \"HC\" } }\n",
    );
    let e = protocol::load(&yoked, "p.toml").unwrap_err().to_string();
    assert!(e.contains("`HC` sits out `pretreatment`"), "{e}");
    let treated = two_phases(
        "[[group]]\nname = \"HC\"\nhome_cage = [\"pretreatment\"]\n\
         interventions.pretreatment = [{ muscimol = {} }]\n",
    );
    let e = protocol::load(&treated, "p.toml").unwrap_err().to_string();
    assert!(
        e.contains("p.toml:") && e.contains("group[0].home_cage[0]") && e.contains("interventions"),
        "{e}"
    );
    let unknown = two_phases("[[group]]\nname = \"HC\"\nhome_cage = [\"pretreatmnet\"]\n");
    let e = protocol::load(&unknown, "p.toml").unwrap_err().to_string();
    assert!(e.contains("did you mean `pretreatment`"), "{e}");
}

#[test]
fn a_group_takes_a_phase_in_its_own_context() {
    // One group tested in a novel box, beside one tested where it was shocked: its
    // records equal those of a protocol whose test phase is itself in the novel box.
    let own = records(
        &two_phases(
            "[[group]]\nname = \"same\"\n[[group]]\nname = \"novel\"\ncontext.pretreatment = \"tube-2\"\n",
        ),
        3,
    );
    let moved = two_phases("[[group]]\nname = \"novel\"\n")
        .replace("context = \"tube\"", "context = \"tube-2\"");
    let moved = records(&moved, 3);
    assert_eq!(of(&own, "novel", "test"), of(&moved, "novel", "test"));
    assert_eq!(
        of(&own, "novel", "pretreatment"),
        of(&moved, "novel", "pretreatment")
    );
    // Evidence and fear are bound to the context: the same shocks in the test's
    // context leave a different test.
    let bound = records(
        &two_phases("[[group]]\nname = \"novel\"\ncontext.pretreatment = \"shuttle-box\"\n"),
        3,
    );
    assert_ne!(of(&bound, "novel", "test"), of(&moved, "novel", "test"));
}

/// The groups and phases of a protocol that extends `forced-exposure-dog`.
fn edited(child: &str) -> (Vec<String>, Vec<String>, helplessness::Experiment) {
    let text = format!("extends = \"forced-exposure-dog\"\nname = \"edited\"\n{child}");
    let exp = protocol::load(&text, "child.toml").unwrap().experiment;
    (
        exp.groups.iter().map(|g| g.name.clone()).collect(),
        exp.phases.iter().map(|p| p.name.clone()).collect(),
        exp,
    )
}

#[test]
fn extends_inserts_replaces_renames_and_drops_phases_and_groups() {
    // Parent: groups forced-0, forced-1, forced-25; phases pretreatment, test-1,
    // therapy, test-2 (criterion on test-2, also test-1).
    let (groups, phases, exp) = edited(
        "[[group]]\nname = \"forced-1\"\ndrop = true\n\
         [[group]]\nname = \"forced-25\"\nrename = \"forced-many\"\n\
         [[group]]\nname = \"untreated\"\nbefore = \"forced-0\"\nhome_cage = [\"pretreatment\"]\n\
         [[phase]]\nname = \"therapy\"\nrename = \"drag\"\n\
         [[phase]]\nname = \"rest\"\nafter = \"test-1\"\nafter_days = 2\nblocks = [{ trials = 5, intensity = 4.5 }]\n\
         [[phase]]\nname = \"test-1\"\ndrop = true\n",
    );
    assert_eq!(groups, ["untreated", "forced-0", "forced-many"]);
    assert_eq!(phases, ["pretreatment", "rest", "drag", "test-2"]);
    // References follow a rename and leave with a drop.
    let many = &exp.groups[2];
    assert_eq!(many.interventions_in("drag").len(), 1);
    let criterion = exp.criterion.as_ref().unwrap();
    assert_eq!(
        (criterion.phase.as_str(), criterion.also.len()),
        ("test-2", 0)
    );
    // The inserted phase has the defaults of a phase: 30 s cut-off, FR-1 escape.
    assert_eq!(exp.phases[1].schedule.cutoff_s, 30.0);
    assert_eq!(exp.phases[1].after_hours, 48.0);

    // `replace` starts the entry over instead of merging into it: the parent's
    // harness, 64 trials and fixed 10 s shocks are gone.
    let (_, _, exp) = edited(
        "[[phase]]\nname = \"pretreatment\"\nreplace = true\nblocks = [{ trials = 3, intensity = 1.0 }]\n",
    );
    let p = &exp.phases[0];
    assert_eq!(
        (p.apparatus.name(), p.schedule.trials()),
        ("shuttle-box", 3)
    );
    let (_, _, merged) =
        edited("[[phase]]\nname = \"pretreatment\"\nblocks = [{ trials = 3, intensity = 1.0 }]\n");
    assert_eq!(merged.phases[0].apparatus.name(), "harness");

    // A renamed group's yoked partners follow it.
    let text = "extends = \"triadic-rat\"\n[[group]]\nname = \"escapable\"\nrename = \"ES\"\n";
    let exp = protocol::load(text, "child.toml").unwrap().experiment;
    let yoked = exp.groups[1].contingency_in("pretreatment").unwrap();
    assert_eq!(yoked.yoked_to(), Some("ES"));
}

#[test]
fn list_edits_name_what_is_wrong_and_where() {
    let e = |child: &str| {
        protocol::load(
            &format!("extends = \"forced-exposure-dog\"\n{child}"),
            "child.toml",
        )
        .unwrap_err()
        .to_string()
    };
    let msg = e("[[phase]]\nname = \"therapi\"\ndrop = true\n");
    assert!(
        msg.starts_with("child.toml:4:1:")
            && msg.contains("no phase `therapi`")
            && msg.contains("therapy"),
        "{msg}"
    );
    let msg = e("[[group]]\nname = \"x\"\nafter = \"nobody\"\n");
    assert!(msg.contains("no group `nobody`"), "{msg}");
    let msg = e("[[group]]\nname = \"forced-0\"\ndrop = \"yes\"\n");
    assert!(msg.contains("must be true or false"), "{msg}");
    let msg = e("[[phase]]\nname = \"test-2\"\ndrop = true\ncutoff_s = 3\n");
    assert!(msg.contains("takes only its `name`"), "{msg}");
    // Without a parent there is no list to edit.
    let msg = protocol::load(
        "name = \"x\"\n[[group]]\nname = \"a\"\ndrop = true\n[[phase]]\nname = \"p\"\nblocks = []\n",
        "own.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(
        msg.starts_with("own.toml:4:1:") && msg.contains("needs `extends"),
        "{msg}"
    );
}

#[test]
fn every_missing_field_is_named_at_once() {
    let text = "name = \"mini\"\n[[group]]\n[[phase]]\nafter_hours = 1\n[[phase]]\nname = \"b\"\n";
    let msg = protocol::load(text, "mini.toml").unwrap_err().to_string();
    assert_eq!(
        msg,
        "mini.toml:2:1: missing fields: `group[0].name`, `phase[0].name`, `phase[0].blocks`, \
         `phase[1].blocks`"
    );
    // Names and blocks are all a phase needs.
    let text = "name = \"mini\"\n[[group]]\nname = \"g\"\n[[phase]]\nname = \"a\"\n\
                blocks = [{ trials = 4, intensity = 0.6 }]\n";
    let exp = protocol::load(text, "mini.toml").unwrap().experiment;
    assert_eq!(exp.run(1).unwrap().len(), 100 * 4);
}

#[test]
fn a_benzodiazepine_is_dosed_per_effect() {
    // Only the anti-fear effect (no DRN action) is, for the mind, the anxiolytic of
    // the same strength: the records are identical. With its DRN action they differ.
    let with = |drug: &str| {
        records(
            &two_phases(&format!(
                "[[group]]\nname = \"IS\"\ninterventions.pretreatment = [{drug}]\n"
            )),
            9,
        )
    };
    let fear_only = with("{ benzodiazepine = { drn = 0.0, fear = 0.7 } }");
    let anxiolytic = with("{ anxiolytic = { days = 1, strength = 0.7 } }");
    let both = with("{ benzodiazepine = { strength = 0.7 } }");
    assert_eq!(of(&fear_only, "IS", "test"), of(&anxiolytic, "IS", "test"));
    assert_ne!(of(&fear_only, "IS", "test"), of(&both, "IS", "test"));
    let e = protocol::load(
        &two_phases(
            "[[group]]\nname = \"IS\"\ninterventions.pretreatment = [{ benzodiazepine = { site = \"drn\", fear = 0.5 } }]\n",
        ),
        "p.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("fear") && e.contains("systemic"), "{e}");
}

#[test]
fn a_sweep_varies_one_group_size_and_sweeps_are_shown_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("size.toml"),
        "# Home-cage group size.\nname = \"size\"\nprotocol = \"triadic-rat\"\nreplicates = 1\nsubjects = 3\n\
         [[axis]]\npath = \"group[no-shock].subjects\"\nvalues = [2, 5]\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["check", "size.toml"]);
    ok(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("2 combinations x 1 replicates = 2 points")
            && out.contains("group[no-shock].subjects: 2, 5")
            && out.contains("home cage: no-shock"),
        "{out}"
    );
    let o = run_in(dir.path(), &["show", "size.toml"]);
    ok(&o);
    let shown = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(shown.starts_with("# Home-cage group size.\n"), "{shown}");
    std::fs::write(dir.path().join("shown.toml"), &shown).unwrap();
    ok(&run_in(
        dir.path(),
        &["sweep", "shown.toml", "--out", "s", "--quiet"],
    ));
    let csv = String::from_utf8(read(&dir.path().join("s/sweep.csv"))).unwrap();
    let sizes: Vec<(&str, &str)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[4], f[6])
        })
        .collect();
    assert_eq!(
        sizes,
        [
            ("escapable", "3"),
            ("inescapable", "3"),
            ("no-shock", "2"),
            ("escapable", "3"),
            ("inescapable", "3"),
            ("no-shock", "5")
        ]
    );
    // A bundled sweep shows and checks by name.
    ok(&run_in(dir.path(), &["check", "sweep-contingency"]));
    let o = run_in(dir.path(), &["show", "sweep-contingency"]);
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stdout).contains("[[axis]]"));
}
