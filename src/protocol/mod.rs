//! Bundled protocols: the classic experiments of `targets.md`, built in code.
//!
//! Each function returns a complete, validated [`Experiment`] with `n` subjects per
//! group; change any field before running it.

use crate::apparatus::Apparatus;
use crate::contingency::{Contingency, Requirement, TitrationRule};
use crate::error::Error;
use crate::experiment::{Experiment, Group, Phase};
use crate::mind::{CircuitParams, Dist, Variation};
use crate::stimulus::{Block, Iti, Schedule};

/// Subjects per group when a bundled protocol is run without saying how many.
pub const DEFAULT_SUBJECTS: u32 = 100;

/// Name, one-line description and source of every bundled protocol.
pub const BUNDLED: &[(&str, &str, &str)] = &[
    (
        "triadic-rat",
        "escapable / yoked inescapable / home-cage tailshock, shuttle-box test 24 h later",
        "Maier laboratory, e.g. Amat et al. 2005, Nat Neurosci 8:365",
    ),
    (
        "triadic-dog",
        "escape / yoked / normal harness shock, shuttle-box test 24 h later",
        "Seligman & Maier 1967, J Exp Psychol 74:1-9",
    ),
];

/// The bundled protocol called `name` with `n` subjects per group.
///
/// ```
/// use helplessness::protocol;
/// assert!(protocol::bundled("triadic-dog", 8).is_ok());
/// assert!(protocol::bundled("triadic-cat", 8).unwrap_err().to_string().contains("triadic-rat"));
/// ```
pub fn bundled(name: &str, n: u32) -> Result<Experiment, Error> {
    match name {
        "triadic-rat" => Ok(triadic_rat(n)),
        "triadic-dog" => Ok(triadic_dog(n)),
        _ => {
            let names: Vec<&str> = BUNDLED.iter().map(|b| b.0).collect();
            Err(Error::unknown("bundled protocol", name, &names))
        }
    }
}

/// Individual differences every bundled protocol shares:
/// - `initial_expectation` (G before any experience) ~ Beta(2, 2), mean 0.5: subjects
///   arrive with different histories of control; those who expect little fail even
///   without pretreatment, the small naive minority of target 2 (Seligman & Maier 1967
///   saw about 6 % of naive dogs fail; Hiroto 1974: externals are more helpless);
/// - `response_bias` + Normal(0, 0.6): some subjects are simply more active.
///
/// ```
/// assert_eq!(helplessness::protocol::default_variation().len(), 2);
/// ```
pub fn default_variation() -> Vec<Variation> {
    vec![
        Variation::set("initial_expectation", Dist::Beta { a: 2.0, b: 2.0 }),
        Variation::add("response_bias", Dist::Normal { mean: 0.0, sd: 0.6 }),
    ]
}

/// The Maier-laboratory triadic design (targets.md, "Rat"): groups `escapable` (wheel
/// turn ends the shock, titrated requirement), `inescapable` (yoked to escapable) and
/// `no-shock` (home cage); 80 tailshocks of 1.0, 1.3 and 1.6 mA, VI 60 s (45-90 s), 30 s
/// cut-off; 24 h later a shuttle-box test at 0.6 mA: 2 FR-1 then 25 FR-2 trials, 30 s
/// cut-off. A subject fails the test when 11 or more of its 27 trials reach the cut-off.
///
/// ```
/// let exp = helplessness::protocol::triadic_rat(4);
/// assert_eq!(exp.phases[0].schedule.trials(), 80);
/// assert_eq!(exp.phases[1].schedule.trials(), 27);
/// ```
pub fn triadic_rat(n: u32) -> Experiment {
    let vi60 = Iti::Triangular {
        min_s: 45.0,
        mode_s: 45.0,
        max_s: 90.0,
    };
    let pretreatment = Phase::new(
        "pretreatment",
        Apparatus::WheelTurn,
        Schedule::new(
            vec![
                Block::new(27, 1.0),
                Block::new(27, 1.3),
                Block::new(26, 1.6),
            ],
            vi60.clone(),
            30.0,
        ),
        Contingency::escapable(Requirement::Titration(TitrationRule::default())),
    );
    let test = Phase::new(
        "test",
        Apparatus::ShuttleBox,
        Schedule::new(
            vec![
                Block::new(2, 0.6).with_ratio(1),
                Block::new(25, 0.6).with_ratio(2),
            ],
            vi60,
            30.0,
        ),
        Contingency::escapable(Requirement::FixedRatio { ratio: 1 }),
    )
    .after_hours(24.0);
    triad(
        "triadic-rat",
        CircuitParams::rat(),
        n,
        pretreatment,
        test,
        11,
    )
}

/// Seligman & Maier 1967, Experiment I: groups `escapable` (a head press on a panel ends
/// the shock), `inescapable` (yoked) and `no-shock`; 64 unsignalled 6.0 mA harness
/// shocks, 90 s mean interval (60-120 s), 30 s cut-off; 24 h later 10 shuttle-box trials
/// at 4.5 mA (FR-1), 60 s cut-off. A dog fails when 9 or more of its 10 trials reach the
/// cut-off. The shuttle test's 10 s warning signal (avoidance) is not modelled: a trial
/// is shock from onset.
///
/// ```
/// let exp = helplessness::protocol::triadic_dog(4);
/// assert_eq!(exp.phases[0].schedule.trials(), 64);
/// ```
pub fn triadic_dog(n: u32) -> Experiment {
    let vi90 = Iti::Uniform {
        min_s: 60.0,
        max_s: 120.0,
    };
    let pretreatment = Phase::new(
        "pretreatment",
        Apparatus::Harness,
        Schedule::new(vec![Block::new(64, 6.0)], vi90.clone(), 30.0),
        Contingency::escapable(Requirement::FixedRatio { ratio: 1 }),
    );
    let test = Phase::new(
        "test",
        Apparatus::ShuttleBox,
        Schedule::new(vec![Block::new(10, 4.5)], vi90, 60.0),
        Contingency::escapable(Requirement::FixedRatio { ratio: 1 }),
    )
    .after_hours(24.0);
    triad(
        "triadic-dog",
        CircuitParams::dog(),
        n,
        pretreatment,
        test,
        9,
    )
}

/// The three groups of the triadic design around a pretreatment and a test.
fn triad(
    name: &str,
    params: CircuitParams,
    n: u32,
    pretreatment: Phase,
    test: Phase,
    min_failures: u32,
) -> Experiment {
    let mut exp = Experiment::new(name, params)
        .group(Group::new("escapable", n))
        .group(Group::new("inescapable", n).with(
            "pretreatment",
            Contingency::Yoked {
                to: "escapable".into(),
            },
        ))
        .group(Group::new("no-shock", n).with("pretreatment", Contingency::NoShock))
        .phase(pretreatment)
        .phase(test)
        .criterion("test", min_failures);
    exp.variation = default_variation();
    exp
}
