//! Property test: any protocol that `check` accepts runs without panicking, and any
//! protocol it rejects is rejected with an error, never a panic.

use std::collections::BTreeMap;

use helplessness::intervention::{Intervention, Site};
use helplessness::protocol::{self, GroupSpec, PhaseSpec, ProtocolFile};
use helplessness::record::{RecordCheck, read_records};
use helplessness::{
    Apparatus, Block, CircuitParams, Contingency, Criterion, CsvSink, Dist, Iti, Requirement, Sink,
    TitrationRule, Variation, mind::Species,
};
use proptest::prelude::*;

/// Mostly one of `good`, sometimes one of `bad`: most generated protocols are valid,
/// and each kind of mistake still turns up.
fn mostly<T: Clone + std::fmt::Debug + 'static>(
    good: Vec<T>,
    bad: Vec<T>,
) -> impl Strategy<Value = T> {
    prop_oneof![19 => prop::sample::select(good), 1 => prop::sample::select(bad)]
}

/// Numbers a protocol author might write, good and bad.
fn number() -> impl Strategy<Value = f64> {
    mostly(
        vec![0.0, 0.05, 0.3, 0.5, 1.0, 2.0, 5.0],
        vec![-1.0, 4000.0, f64::NAN],
    )
}

/// Durations small enough that a valid protocol runs in milliseconds.
fn seconds() -> impl Strategy<Value = f64> {
    mostly(vec![0.0, 0.3, 1.0, 5.0, 20.0], vec![-2.0, 4000.0, f64::NAN])
}

/// `prefix0`..`prefix{n-1}`, and rarely one that does not exist.
fn name(prefix: &'static str, n: usize) -> impl Strategy<Value = String> {
    mostly((0..n).collect(), vec![9]).prop_map(move |i| format!("{prefix}{i}"))
}

fn requirement() -> impl Strategy<Value = Requirement> {
    prop_oneof![
        mostly(vec![1u32, 2, 3], vec![0]).prop_map(|ratio| Requirement::FixedRatio { ratio }),
        (
            mostly(vec![1.0, 5.0], vec![0.0, f64::NAN]),
            0u32..4,
            mostly(vec![1.0, 1.5, 2.0], vec![0.5, f64::NAN]),
            mostly(vec![1u32, 4, 16], vec![0]),
        )
            .prop_map(|(fast_s, streak, raise, max_ratio)| {
                Requirement::Titration(TitrationRule {
                    fast_s,
                    streak,
                    raise,
                    max_ratio,
                })
            }),
    ]
}

fn contingency() -> impl Strategy<Value = Contingency> {
    prop_oneof![
        (requirement(), seconds(), seconds()).prop_map(
            |(requirement, delay_s, available_after_s)| {
                Contingency::Escapable {
                    requirement,
                    delay_s,
                    available_after_s,
                }
            }
        ),
        (probability(), requirement())
            .prop_map(|(p, requirement)| Contingency::Partial { p, requirement }),
        (probability(), requirement(), name("g", 3))
            .prop_map(|(p, requirement, to)| Contingency::EscapableOrYoked { p, requirement, to }),
        name("g", 3).prop_map(|to| Contingency::Yoked { to }),
        seconds().prop_map(|duration_s| Contingency::Fixed { duration_s }),
        Just(Contingency::NoShock),
        Just(Contingency::Insoluble),
        seconds().prop_map(|after_s| Contingency::DoneForYou { after_s }),
        (
            probability(),
            probability(),
            mostly(vec![1.0, 0.5], vec![0.0, -1.0])
        )
            .prop_map(|(p_attempt, p_no_attempt, window_s)| Contingency::Space {
                p_attempt,
                p_no_attempt,
                window_s,
            }),
    ]
}

fn probability() -> impl Strategy<Value = f64> {
    mostly(vec![0.0, 0.25, 0.5, 1.0], vec![-0.5, 1.5, f64::NAN])
}

fn intervention() -> impl Strategy<Value = Intervention> {
    let strength = || mostly(vec![0.0, 0.5, 0.8, 1.0], vec![-0.5, 1.5, f64::NAN]);
    prop_oneof![
        strength().prop_map(|strength| Intervention::Muscimol { strength }),
        strength().prop_map(|strength| Intervention::Picrotoxin { strength }),
        strength().prop_map(|strength| Intervention::Anisomycin { strength }),
        (
            strength(),
            prop::sample::select(vec![Site::Systemic, Site::Drn])
        )
            .prop_map(|(strength, site)| Intervention::Benzodiazepine {
                site,
                strength,
                drn: None,
                fear: None
            }),
        strength().prop_map(|strength| Intervention::Agonist5ht1a { strength }),
        (0u32..8).prop_map(|days| Intervention::Antidepressant { days }),
        ((0u32..8), strength())
            .prop_map(|(days, strength)| Intervention::Anxiolytic { days, strength }),
        ((0u32..8), strength())
            .prop_map(|(days, strength)| Intervention::Stimulant { days, strength }),
        ((0u32..4), seconds())
            .prop_map(|(trials, latency_s)| Intervention::ForcedExposure { trials, latency_s }),
    ]
}

fn iti() -> impl Strategy<Value = Iti> {
    let gap = || mostly(vec![0.0, 1.0, 10.0, 60.0], vec![-5.0, f64::NAN]);
    prop_oneof![
        gap().prop_map(|s| Iti::Fixed { s }),
        (gap(), gap()).prop_map(|(min_s, d)| Iti::Uniform {
            min_s,
            max_s: min_s + d
        }),
        (gap(), gap(), gap()).prop_map(|(min_s, a, b)| Iti::Triangular {
            min_s,
            mode_s: min_s + a,
            max_s: min_s + a + b,
        }),
        (gap(), gap(), gap()).prop_map(|(min_s, a, b)| Iti::Exponential {
            min_s,
            mean_s: min_s + a + 0.5,
            max_s: min_s + a + b + 1.0,
        }),
    ]
}

/// A phase's own contingency: anything but yoking, which needs a partner group.
fn phase_contingency() -> impl Strategy<Value = Contingency> {
    prop_oneof![
        9 => contingency().prop_filter("phases are not yoked", |c| c.yoked_to().is_none()),
        1 => contingency(),
    ]
}

fn phase(i: usize) -> impl Strategy<Value = PhaseSpec> {
    (
        mostly(vec![0.0, 1.0, 24.0, 72.0], vec![-1.0, f64::NAN]),
        prop::sample::select(Apparatus::ALL.to_vec()),
        prop::option::of(prop::sample::select(vec!["a".to_string(), "b".to_string()])),
        prop::collection::vec(
            (
                mostly(vec![1u32, 2, 4], vec![0]),
                number(),
                prop::option::of(mostly(vec![1u32, 2], vec![0])),
                prop::option::of(name("cue", 2)),
                prop::option::of(phase_contingency()),
            )
                .prop_map(|(trials, intensity, ratio, cue, contingency)| Block {
                    trials,
                    intensity,
                    ratio,
                    cue,
                    contingency,
                }),
            1..3,
        ),
        iti(),
        mostly(vec![1.0, 5.0, 20.0], vec![0.0, -1.0, 4000.0]),
        phase_contingency(),
        prop::option::of(0u64..3),
    )
        .prop_map(
            move |(
                after_hours,
                apparatus,
                context,
                blocks,
                iti,
                cutoff_s,
                contingency,
                shuffle,
            )| {
                PhaseSpec {
                    shuffle,
                    name: format!("p{i}"),
                    after_hours,
                    after_days: 0.0,
                    apparatus,
                    context,
                    domain: None,
                    instructions: None,
                    blocks,
                    iti,
                    cutoff_s,
                    contingency,
                    interventions: Vec::new(),
                }
            },
        )
}

fn group(i: usize, phases: usize) -> impl Strategy<Value = GroupSpec> {
    (
        prop::option::of(mostly(vec![1u32, 2, 3], vec![0])),
        prop::collection::btree_map(name("p", phases), contingency(), 0..2),
        prop::collection::btree_map(
            name("p", phases),
            prop::collection::vec(intervention(), 1..3),
            0..2,
        ),
        prop::collection::btree_map(name("p", phases), name("ctx", 2), 0..2),
        prop::collection::vec(name("p", phases), 0..2),
    )
        .prop_map(
            move |(subjects, contingency, interventions, context, home_cage)| GroupSpec {
                name: format!("g{i}"),
                subjects,
                contingency,
                interventions,
                context,
                home_cage,
                instructions: Default::default(),
                params: Default::default(),
                variation: Vec::new(),
            },
        )
}

fn protocol_file() -> impl Strategy<Value = ProtocolFile> {
    (
        (1usize..4, 1usize..3).prop_flat_map(|(groups, phases)| {
            (
                (0..groups).map(|i| group(i, phases)).collect::<Vec<_>>(),
                (0..phases).map(phase).collect::<Vec<_>>(),
            )
        }),
        prop::collection::btree_map(
            prop::sample::select(CircuitParams::NAMES.to_vec()).prop_map(String::from),
            mostly(vec![0.9, 1.0, 1.1], vec![-1.0, 0.0, 2.0, f64::NAN]),
            0..3,
        ),
        prop::option::of((
            mostly(
                vec!["response_bias", "drn_gain", "initial_expectation"],
                CircuitParams::NAMES.to_vec(),
            ),
            mostly(vec![0.0, 0.1, 0.5], vec![-1.0, f64::NAN]),
            mostly(vec![0.0, 0.05, 0.2], vec![-1.0, f64::NAN]),
        )),
        prop::option::of((name("p", 1), 0u32..5)),
        mostly(vec![0.05, 0.1, 0.2], vec![0.0, 2.0]),
        prop::sample::select(vec![Species::Rat, Species::Dog, Species::Human]),
        any::<u64>(),
    )
        .prop_map(
            |((groups, phases), params, vary, criterion, dt_s, species, seed)| {
                ProtocolFile {
                    name: "prop".into(),
                    description: String::new(),
                    source: String::new(),
                    species,
                    mind: Default::default(),
                    seed: seed >> 1,
                    subjects: 2,
                    dt_s,
                    // Overrides scale the preset value (good) or replace it (bad values).
                    params: params
                        .into_iter()
                        .map(|(k, f)| {
                            let preset = CircuitParams::for_species(species).get(&k).unwrap_or(1.0);
                            let v = if [0.9, 1.0, 1.1].contains(&f) {
                                preset * f
                            } else {
                                f
                            };
                            (k, v)
                        })
                        .collect::<BTreeMap<_, _>>(),
                    variation: vary
                        .map(|(p, mean, sd)| vec![Variation::add(p, Dist::Normal { mean, sd })])
                        .unwrap_or_default(),
                    criterion: criterion.map(|(phase, min_failures)| Criterion {
                        also: Vec::new(),
                        phase,
                        min_failures,
                    }),
                    groups,
                    phases,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn accepted_protocols_run_without_panic(file in protocol_file()) {
        let text = toml::to_string(&file).expect("protocol files serialize");
        match protocol::load(&text, "prop.toml") {
            Ok(loaded) => {
                // Runs may still fail (a drawn parameter out of range), but cleanly.
                let exp = &loaded.experiment;
                match exp.run(loaded.file.seed) {
                    Err(e) => prop_assert!(!e.to_string().is_empty()),
                    Ok(records) => {
                        // Every accepted protocol runs to finite state...
                        for r in &records {
                            prop_assert!(r.state.values().iter().all(|v| v.is_finite()));
                            prop_assert!(r.onset_s.is_finite() && r.shock_s.is_finite());
                        }
                        // ...and its records read back unchanged and pass the check
                        // that `analyze` makes.
                        let mut sink = CsvSink::new(Vec::new()).unwrap();
                        sink.start(exp.theory.variables()).unwrap();
                        for r in &records {
                            sink.write(r).unwrap();
                        }
                        let bytes = sink.into_inner().unwrap();
                        let mut check = RecordCheck::new(exp, None);
                        let mut back = Vec::new();
                        read_records(&bytes[..], helplessness::record::Format::Csv, exp.theory.variables(), |r| {
                            check.check(&r)?;
                            back.push(r);
                            Ok(())
                        })
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                        check.finish().map_err(|e| TestCaseError::fail(e.to_string()))?;
                        prop_assert_eq!(back, records);
                    }
                }
            }
            Err(e) => prop_assert!(e.to_string().starts_with("prop.toml")),
        }
    }
}
