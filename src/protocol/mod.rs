//! Protocols: files that describe experiments, and the classic experiments bundled.
//!
//! A protocol is groups x phases in TOML ([`ProtocolFile`]); [`load`] reads one
//! (optionally `extends = "NAME"` of a bundled one) into a validated
//! [`Experiment`], and [`render`] writes a complete, commented file back. The bundled
//! protocols live in `protocols/*.toml` and are compiled into the crate.

mod file;
mod life;
mod load;
mod open;
mod refusal;
mod render;

pub use file::{GroupSpec, MindSpec, PhaseSpec, ProtocolFile};
pub use life::{LifeFile, LifeGroupSpec, LoadedLife, is_life, load_life};
pub use load::{Loaded, load};
pub(crate) use load::{error_at, explain, find};
pub use open::{Opened, complete, is_life_text, leading_comments, open, show, source};
pub(crate) use refusal::refusal;
pub use render::render;

use crate::contingency::{Contingency, Requirement};
use crate::error::Error;
use crate::experiment::{Experiment, Group};

/// Subjects per group when a protocol does not say.
pub const DEFAULT_SUBJECTS: u32 = 100;

/// Largest protocol or sweep file read, bytes (4 MiB): the bundled protocols are a few
/// kilobytes, and parsing keeps several copies of a file in memory.
pub const MAX_FILE_BYTES: usize = 4 << 20;

/// Refuses text longer than [`MAX_FILE_BYTES`].
pub(crate) fn check_size(text: &str, origin: &str) -> Result<(), Error> {
    if text.len() > MAX_FILE_BYTES {
        return Err(Error::Protocol {
            file: origin.to_string(),
            line: None,
            column: None,
            message: format!(
                "{} bytes; a protocol or sweep file has at most {MAX_FILE_BYTES}",
                text.len()
            ),
        });
    }
    Ok(())
}

/// A protocol compiled into the crate.
#[derive(Debug, Clone, Copy)]
pub struct Bundled {
    /// Name, as given to `helplessness run`.
    pub name: &'static str,
    /// The TOML text, comments included.
    pub text: &'static str,
}

/// Every bundled protocol.
pub const BUNDLED: &[Bundled] = &[
    Bundled {
        name: "triadic-rat",
        text: include_str!("../../protocols/triadic-rat.toml"),
    },
    Bundled {
        name: "triadic-dog",
        text: include_str!("../../protocols/triadic-dog.toml"),
    },
    Bundled {
        name: "triadic-human",
        text: include_str!("../../protocols/triadic-human.toml"),
    },
    Bundled {
        name: "hiroto-seligman-1975",
        text: include_str!("../../protocols/hiroto-seligman-1975.toml"),
    },
    Bundled {
        name: "hiroto-1974",
        text: include_str!("../../protocols/hiroto-1974.toml"),
    },
    Bundled {
        name: "klein-1976",
        text: include_str!("../../protocols/klein-1976.toml"),
    },
    Bundled {
        name: "contingency-space",
        text: include_str!("../../protocols/contingency-space.toml"),
    },
    Bundled {
        name: "immunization-rat",
        text: include_str!("../../protocols/immunization-rat.toml"),
    },
    Bundled {
        name: "time-course-rat",
        text: include_str!("../../protocols/time-course-rat.toml"),
    },
    Bundled {
        name: "mpfc-inactivation-rat",
        text: include_str!("../../protocols/mpfc-inactivation-rat.toml"),
    },
    Bundled {
        name: "mpfc-activation-rat",
        text: include_str!("../../protocols/mpfc-activation-rat.toml"),
    },
    Bundled {
        name: "plasticity-block-rat",
        text: include_str!("../../protocols/plasticity-block-rat.toml"),
    },
    Bundled {
        name: "benzodiazepine-rat",
        text: include_str!("../../protocols/benzodiazepine-rat.toml"),
    },
    Bundled {
        name: "antidepressant-rat",
        text: include_str!("../../protocols/antidepressant-rat.toml"),
    },
    Bundled {
        name: "forced-exposure-dog",
        text: include_str!("../../protocols/forced-exposure-dog.toml"),
    },
    Bundled {
        name: "go-nogo",
        text: include_str!("../../protocols/go-nogo.toml"),
    },
];

/// Every bundled life study (day-clock protocols: `helplessness run NAME` as well).
pub const BUNDLED_LIVES: &[Bundled] = &[
    Bundled {
        name: "life-generalized",
        text: include_str!("../../protocols/life-generalized.toml"),
    },
    Bundled {
        name: "life-situational",
        text: include_str!("../../protocols/life-situational.toml"),
    },
    Bundled {
        name: "life-interpersonal",
        text: include_str!("../../protocols/life-interpersonal.toml"),
    },
    Bundled {
        name: "life-early-neglect",
        text: include_str!("../../protocols/life-early-neglect.toml"),
    },
    Bundled {
        name: "life-causes",
        text: include_str!("../../protocols/life-causes.toml"),
    },
    Bundled {
        name: "life-prevention",
        text: include_str!("../../protocols/life-prevention.toml"),
    },
    Bundled {
        name: "attribution-dimensions",
        text: include_str!("../../protocols/attribution-dimensions.toml"),
    },
];

/// The text of the bundled (laboratory) protocol called `name`.
pub fn bundled_text(name: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|b| b.name == name).map(|b| b.text)
}

/// The bundled life study called `name`, parsed and validated.
///
/// ```
/// let toxic = helplessness::protocol::bundled_life("life-situational").unwrap();
/// assert!(toxic.study.domains().contains(&"work".to_string()));
/// ```
pub fn bundled_life(name: &str) -> Result<LoadedLife, Error> {
    match BUNDLED_LIVES.iter().find(|b| b.name == name) {
        Some(b) => load_life(b.text, name),
        None => {
            let names: Vec<&str> = BUNDLED_LIVES.iter().map(|b| b.name).collect();
            Err(Error::unknown("bundled life study", name, &names))
        }
    }
}

/// The bundled protocol called `name`, parsed and validated.
///
/// ```
/// use helplessness::protocol;
/// let dog = protocol::bundled("triadic-dog").unwrap();
/// assert_eq!(dog.file.source, "Seligman & Maier 1967, J Exp Psychol 74:1-9");
/// let e = protocol::bundled("triadic-cat").unwrap_err().to_string();
/// assert!(e.contains("did you mean `triadic-rat`"), "{e}");
/// ```
pub fn bundled(name: &str) -> Result<Loaded, Error> {
    match bundled_text(name) {
        Some(text) => load(text, name),
        None => {
            let names: Vec<&str> = BUNDLED.iter().map(|b| b.name).collect();
            Err(Error::unknown("bundled protocol", name, &names))
        }
    }
}

/// A bundled experiment with `n` subjects in every group.
fn bundled_with(name: &str, n: u32) -> Experiment {
    bundled(name)
        .expect("bundled protocols are valid (tested)")
        .experiment
        .with_subjects(n)
}

/// The Maier-laboratory triadic design (`protocols/triadic-rat.toml`) with `n` rats per
/// group: `escapable` (wheel turn, titrated requirement), `inescapable` (yoked) and
/// `no-shock`; 80 tailshocks, then a shuttle-box test 24 h later (2 FR-1 + 25 FR-2).
///
/// ```
/// let exp = helplessness::protocol::triadic_rat(4);
/// assert_eq!(exp.phases[0].schedule.trials(), 80);
/// assert_eq!(exp.phases[1].schedule.trials(), 27);
/// ```
pub fn triadic_rat(n: u32) -> Experiment {
    bundled_with("triadic-rat", n)
}

/// Seligman & Maier 1967 (`protocols/triadic-dog.toml`) with `n` dogs per group:
/// 64 harness shocks, then 10 shuttle-box trials 24 h later with a 60 s cut-off.
///
/// ```
/// let exp = helplessness::protocol::triadic_dog(4);
/// assert_eq!(exp.phases[0].schedule.trials(), 64);
/// ```
pub fn triadic_dog(n: u32) -> Experiment {
    bundled_with("triadic-dog", n)
}

/// `base` with its groups replaced by one group per partial contingency `p` in `phase`
/// (named `p=0.5` and so on, each as large as `base`'s first group): meeting the
/// phase's escape requirement ends the shock with probability p. Shock amounts differ
/// between groups; the bundled `contingency-space` protocol matches them.
///
/// ```
/// use helplessness::protocol::{partial_groups, triadic_rat};
/// let exp = partial_groups(&triadic_rat(10), "pretreatment", &[0.0, 0.5, 1.0]);
/// assert_eq!(exp.groups.len(), 3);
/// assert_eq!(exp.groups[1].name, "p=0.5");
/// assert!(exp.validate().is_ok());
/// ```
pub fn partial_groups(base: &Experiment, phase: &str, ps: &[f64]) -> Experiment {
    let mut exp = base.clone();
    let requirement = match exp
        .phases
        .iter()
        .find(|p| p.name == phase)
        .map(|p| &p.contingency)
    {
        Some(
            Contingency::Escapable { requirement, .. } | Contingency::Partial { requirement, .. },
        ) => requirement.clone(),
        _ => Requirement::FixedRatio { ratio: 1 },
    };
    let n = exp.groups.first().map_or(DEFAULT_SUBJECTS, |g| g.subjects);
    exp.groups = ps
        .iter()
        .map(|&p| {
            Group::new(&format!("p={p}"), n).with(
                phase,
                Contingency::Partial {
                    p,
                    requirement: requirement.clone(),
                },
            )
        })
        .collect();
    exp
}
