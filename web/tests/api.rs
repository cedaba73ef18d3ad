//! The page's entry point, natively: every scenario runs, a step is subject 0 of the
//! full run, knobs change what they say, and an export loaded as the command line
//! loads it gives the exported records again.

use helplessness::life::{WeeksCsv, run as live};
use helplessness::protocol::{load, load_life};
use helplessness::{CsvSink, RunOptions};
use helplessness_web::handle;
use serde_json::{Value, json};

fn answer(request: &Value) -> Value {
    serde_json::from_str(&handle(&request.to_string())).unwrap()
}

fn call(request: Value) -> Value {
    let answer = answer(&request);
    if let Some(e) = answer.get("error") {
        panic!("{request}: {e}");
    }
    answer["ok"].clone()
}

fn error(request: Value) -> String {
    answer(&request)["error"]
        .as_str()
        .unwrap_or_else(|| panic!("{request} should fail"))
        .to_string()
}

fn scenarios() -> Vec<Value> {
    call(json!({"op": "scenarios"}))["scenarios"]
        .as_array()
        .unwrap()
        .clone()
}

fn test_row<'a>(run: &'a Value, group: &str) -> &'a Value {
    run["test"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group"] == group)
        .unwrap()
}

#[test]
fn every_scenario_runs_with_its_defaults_and_explains_itself() {
    for s in scenarios() {
        let id = s["id"].as_str().unwrap();
        assert!(s["explanation"].as_str().unwrap().len() > 200, "{id}");
        assert!(!s["paper"].as_str().unwrap().is_empty(), "{id}");
        let run = call(json!({"op": "run", "scenario": id, "seed": 1, "subjects": 8}));
        assert_eq!(run["kind"], s["kind"], "{id}");
        let groups = run["groups"].as_array().unwrap();
        for g in s["step_groups"].as_array().unwrap() {
            assert!(groups.contains(g), "{id}: step group {g} is not run");
        }
    }
}

#[test]
fn a_step_is_subject_0_of_the_full_run_with_its_trace() {
    let settings = json!({"scenario": "rat-triad", "seed": 3, "subjects": 5});
    let mut export = settings.clone();
    export["op"] = json!("export");
    let records = call(export)["records"].as_str().unwrap().to_string();
    for (phase, trial) in [("pretreatment", 1), ("pretreatment", 40), ("test", 20)] {
        let mut step = settings.clone();
        step["op"] = json!("step");
        step["phase"] = json!(phase);
        step["trial"] = json!(trial);
        let step = call(step);
        for s in step["subjects"].as_array().unwrap() {
            let group = s["group"].as_str().unwrap();
            if !s["takes_part"].as_bool().unwrap() {
                assert_eq!((group, phase), ("no-shock", "pretreatment"));
                assert!(s["trace"].is_null());
                continue;
            }
            // The full run's row of subject 0 in this trial.
            let prefix = format!("{group},0,{phase},{trial},");
            let row = records.lines().find(|l| l.starts_with(&prefix)).unwrap();
            let shock_s: f64 = row.split(',').nth(5).unwrap().parse().unwrap();
            let responses: u64 = row.split(',').nth(9).unwrap().parse().unwrap();
            assert_eq!(s["record"]["shock_s"].as_f64(), Some(shock_s), "{prefix}");
            let trace = &s["trace"];
            let t = trace["t"].as_array().unwrap();
            assert_eq!(t[0].as_f64(), Some(0.0));
            assert!((t.last().unwrap().as_f64().unwrap() - shock_s).abs() < 1e-9);
            assert_eq!(
                trace["attempts"].as_array().unwrap().len() as u64,
                responses
            );
            for name in step["shown"].as_array().unwrap() {
                let values = trace["values"][name.as_str().unwrap()].as_array().unwrap();
                assert_eq!(values.len(), t.len(), "{name}");
            }
        }
    }
}

#[test]
fn exports_run_by_the_command_lines_loader_give_the_same_records() {
    for (id, knobs) in [
        (
            "rat-triad",
            json!({"p": 0.5, "shocks": 40, "mpfc": true, "drug": "5ht1a-agonist"}),
        ),
        (
            "dog-triad",
            json!({"theory": "expectancy", "intensity": 1.2}),
        ),
        (
            "noise-anagrams",
            json!({"globality": 0.9, "stability": 0.2}),
        ),
        ("partial-contingency", json!({"theory": "arbitration"})),
    ] {
        let export =
            call(json!({"op": "export", "scenario": id, "seed": 9, "subjects": 4, "knobs": knobs}));
        let loaded = load(export["toml"].as_str().unwrap(), "export.toml").unwrap();
        assert_eq!(loaded.file.seed, 9);
        let mut sink = CsvSink::new(Vec::new()).unwrap();
        loaded.experiment.runner(9).into_sink(&mut sink).unwrap();
        let csv = String::from_utf8(sink.into_inner().unwrap()).unwrap();
        assert_eq!(csv, export["records"].as_str().unwrap(), "{id}");
    }
    let export = call(
        json!({"op": "export", "scenario": "life-situational", "seed": 2, "subjects": 3, "knobs": {"globality": 0.1}}),
    );
    let loaded = load_life(export["toml"].as_str().unwrap(), "export.toml").unwrap();
    let mut csv = WeeksCsv::new(Vec::new(), &loaded.study).unwrap();
    live(
        &loaded.study,
        loaded.file.seed,
        &RunOptions::default(),
        &mut (),
        Some(&mut |w| csv.write(w)),
    )
    .unwrap();
    let csv = String::from_utf8(csv.into_inner().unwrap()).unwrap();
    assert_eq!(csv, export["records"].as_str().unwrap());
    assert_eq!(export["records_name"], "weeks.csv");
}

/// The knobs move results the way the literature says, at 60 subjects a group
/// (differences of several SEM).
#[test]
fn knobs_do_what_they_say() {
    let run = |knobs: Value| {
        call(
            json!({"op": "run", "scenario": "rat-triad", "seed": 5, "subjects": 60, "knobs": knobs}),
        )
    };
    let base = run(json!({}));
    let yoked = test_row(&base, "inescapable")["mean_latency_s"]
        .as_f64()
        .unwrap();
    let escapable = test_row(&base, "escapable")["mean_latency_s"]
        .as_f64()
        .unwrap();
    assert!(yoked > 2.0 * escapable, "{yoked} vs {escapable}");
    // Silencing the mPFC during escapable shock makes escapable rats fail like yoked ones.
    let silenced = run(json!({"mpfc": true}));
    let es = test_row(&silenced, "escapable")["mean_latency_s"]
        .as_f64()
        .unwrap();
    assert!(es > 2.0 * escapable, "{es} vs {escapable}");
    // With p = 0 the escapable group's responses never work: it fails like the yoked.
    let none = run(json!({"p": 0.0}));
    let es = test_row(&none, "escapable")["mean_latency_s"]
        .as_f64()
        .unwrap();
    assert!(es > 2.0 * escapable, "{es} vs {escapable}");
    // A 5-HT1A agonist in the DRN before inescapable shock prevents the deficit.
    let protected = run(json!({"drug": "5ht1a-agonist"}));
    let is = test_row(&protected, "inescapable")["mean_latency_s"]
        .as_f64()
        .unwrap();
    assert!(is < 0.5 * yoked, "{is} vs {yoked}");
    // Fewer shocks, less shock: the phase has the trials asked for.
    let few = run(json!({"shocks": 10}));
    assert_eq!(few["phases"][0]["trials"], 10);
}

#[test]
fn bad_requests_are_refused_with_the_field_and_value() {
    let e = error(json!({"op": "run", "scenario": "rat-triad", "knobs": {"p": 1.5}}));
    assert!(e.contains("knobs.p") && e.contains("1.5"), "{e}");
    let e = error(json!({"op": "run", "scenario": "rat-triad", "knobs": {"globality": 0.5}}));
    assert!(e.contains("offers the knobs"), "{e}");
    let e = error(json!({"op": "run", "scenario": "rat-triadd"}));
    assert!(e.contains("rat-triad,"), "{e}");
    let e = error(json!({"op": "step", "scenario": "rat-triad", "phase": "test", "trial": 28}));
    assert!(e.contains("1 to 27"), "{e}");
    let e =
        error(json!({"op": "step", "scenario": "life-generalized", "phase": "before", "trial": 1}));
    assert!(e.contains("week by week"), "{e}");
    let e = error(json!({"op": "fly"}));
    assert!(e.contains("scenarios, run, step, export"), "{e}");
    assert!(handle("not json").contains("error"));
    let e = error(json!({"op": "run", "scenario": "rat-triad", "subjects": 501}));
    assert!(e.contains("501"), "{e}");
}

#[test]
fn the_page_uses_the_figures_palette() {
    let page = include_str!("../page/page.js");
    let listing = call(json!({"op": "scenarios"}));
    // The page takes its colours from the listing, which are the figures' own.
    assert_eq!(
        listing["palette"].as_array().unwrap().len(),
        helplessness::plot::PALETTE_HEX.len()
    );
    for (a, b) in listing["palette"]
        .as_array()
        .unwrap()
        .iter()
        .zip(helplessness::plot::PALETTE_HEX)
    {
        assert_eq!(a.as_str().unwrap(), b);
    }
    assert!(page.contains("palette"));
}
