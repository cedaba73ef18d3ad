//! Interventions: drugs, site-specific infusions and forced exposure, tied to a phase.
//!
//! A drug acts on the subject through a [`Condition`]: a few channels (mPFC
//! inactivation or activation, blocked plasticity, DRN inhibition, blocked fear, days
//! of chronic antidepressant, extra activity) that hold for the whole session of the
//! phase it is given in (an acute drug is given shortly before and acts throughout; a
//! chronic course is given daily up to and through the session). What each channel does
//! is the mind's business; [`crate::CircuitMind`] documents its own answer.
//!
//! Forced exposure is not a drug: the experimenter drags the subject across the
//! barrier at a set latency on the first trials of a session (Seligman, Maier & Geer
//! 1968), so the engine handles it.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Must};

/// Where a benzodiazepine goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Site {
    /// Injected systemically: acts on the DRN and, as an anxiolytic, on fear.
    #[default]
    Systemic,
    /// Infused into the dorsal raphe nucleus: acts on the DRN only.
    Drn,
}

fn acute() -> f64 {
    0.8
}

fn full() -> f64 {
    1.0
}

fn chronic_fear() -> f64 {
    0.5
}

fn stimulant() -> f64 {
    0.3
}

/// One intervention in a phase.
///
/// Each theory maps interventions onto what it models; the circuit's mapping:
///
/// ```
/// use helplessness::intervention::{Intervention, Site};
/// use helplessness::mind::circuit::condition_of;
/// let bz = Intervention::Benzodiazepine { site: Site::Systemic, strength: 0.8, drn: None, fear: None };
/// let c = condition_of(&[bz]);
/// assert_eq!((c.drn_inhibition, c.fear_block), (0.8, 0.8));
///
/// // The same drug dosed per effect: full anti-fear action, a quarter of the DRN action.
/// let bz = Intervention::Benzodiazepine { site: Site::Systemic, strength: 0.8, drn: Some(0.25), fear: Some(1.0) };
/// let c = condition_of(&[bz]);
/// assert_eq!((c.drn_inhibition, c.fear_block), (0.25, 1.0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Intervention {
    /// Muscimol (GABA-A agonist) in the prelimbic mPFC during the session: the mPFC is
    /// silenced (Amat et al. 2005).
    Muscimol {
        /// Fraction of mPFC output removed.
        #[serde(default = "full")]
        strength: f64,
    },
    /// Picrotoxin (GABA-A antagonist) in the prelimbic mPFC during the session: the mPFC
    /// is driven on whatever the detector says (Amat et al. 2008).
    Picrotoxin {
        /// How far mPFC output is pushed toward its maximum.
        #[serde(default = "full")]
        strength: f64,
    },
    /// Anisomycin (protein-synthesis inhibitor) in the mPFC: the session's mPFC
    /// plasticity is not consolidated (Amat et al. 2006).
    Anisomycin {
        /// Fraction of the stress-evoked drive's learning blocked.
        #[serde(default = "full")]
        strength: f64,
    },
    /// A benzodiazepine before the session (Maier et al. 1994). Systemic, it acts on
    /// the DRN and on fear; `drn` and `fear` dose the two effects apart (a low anxiolytic
    /// dose that spares the DRN, say), each defaulting to `strength`.
    Benzodiazepine {
        /// Systemic or into the DRN.
        #[serde(default)]
        site: Site,
        /// Fraction of DRN activation (and, systemic, of fear learning) removed.
        #[serde(default = "acute")]
        strength: f64,
        /// Fraction of DRN activation removed, where it differs from `strength`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        drn: Option<f64>,
        /// Fraction of fear learning and expression removed (systemic only), where it
        /// differs from `strength`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fear: Option<f64>,
    },
    /// A 5-HT1A agonist (8-OH-DPAT) infused into the DRN before the session: somatodendritic
    /// autoreceptors silence the DRN (Maier et al. 1995).
    #[serde(rename = "5ht1a-agonist")]
    Agonist5ht1a {
        /// Fraction of DRN activation removed.
        #[serde(default = "acute")]
        strength: f64,
    },
    /// A chronic antidepressant course: one dose a day for `days` days up to and through
    /// the session (Petty & Sherman 1979; Sherman et al. 1982).
    Antidepressant {
        /// Days of dosing.
        days: u32,
    },
    /// A chronic anxiolytic course (contrast: does not reverse the deficit).
    Anxiolytic {
        /// Days of dosing.
        days: u32,
        /// Fraction of fear learning and expression removed.
        #[serde(default = "chronic_fear")]
        strength: f64,
    },
    /// A chronic stimulant course (contrast: does not reverse the deficit).
    Stimulant {
        /// Days of dosing.
        days: u32,
        /// Added drive toward activity (logit units).
        #[serde(default = "stimulant")]
        strength: f64,
    },
    /// On the first `trials` trials of the session, a subject that has not escaped by
    /// `latency_s` is moved across the barrier by the experimenter: a response followed
    /// by shock offset (Seligman, Maier & Geer 1968).
    ForcedExposure {
        /// Trials with forced exposure, from the first.
        trials: u32,
        /// Latency at which the subject is moved, s.
        latency_s: f64,
    },
}

impl Intervention {
    /// Its name in protocol files (`muscimol`, `5ht1a-agonist`), as serde writes it.
    ///
    /// ```
    /// use helplessness::intervention::Intervention;
    /// assert_eq!(Intervention::Agonist5ht1a { strength: 1.0 }.name(), "5ht1a-agonist");
    /// let f = Intervention::ForcedExposure { trials: 1, latency_s: 1.0 };
    /// assert_eq!(f.name(), "forced-exposure");
    /// ```
    pub fn name(&self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(s)) => s,
            Ok(serde_json::Value::Object(o)) => o.keys().next().cloned().unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// A short description for reports: the drug, its site or course, and its strength.
    ///
    /// ```
    /// use helplessness::intervention::{Intervention, Site};
    /// let bz = Intervention::Benzodiazepine { site: Site::Drn, strength: 0.8, drn: None, fear: None };
    /// assert_eq!(bz.describe(), "benzodiazepine into the DRN (strength 0.8)");
    /// let bz = Intervention::Benzodiazepine { site: Site::Systemic, strength: 0.8, drn: Some(0.2), fear: None };
    /// assert_eq!(bz.describe(), "benzodiazepine systemic (DRN 0.2, fear 0.8)");
    /// assert_eq!(Intervention::Antidepressant { days: 4 }.describe(), "antidepressant, day 4 of dosing");
    /// ```
    pub fn describe(&self) -> String {
        let strength = |s: &f64| format!(" (strength {s})");
        match self {
            Intervention::Muscimol { strength: s } => format!("mPFC muscimol{}", strength(s)),
            Intervention::Picrotoxin { strength: s } => {
                format!("mPFC picrotoxin{}", strength(s))
            }
            Intervention::Anisomycin { strength: s } => {
                format!("mPFC anisomycin{}", strength(s))
            }
            Intervention::Benzodiazepine {
                site,
                strength: s,
                drn,
                fear,
            } => format!(
                "benzodiazepine {}{}",
                match site {
                    Site::Systemic => "systemic",
                    Site::Drn => "into the DRN",
                },
                match (site, drn, fear) {
                    (Site::Systemic, None, None) | (Site::Drn, None, _) => strength(s),
                    (Site::Drn, Some(d), _) => strength(d),
                    (Site::Systemic, d, f) => {
                        format!(" (DRN {}, fear {})", d.unwrap_or(*s), f.unwrap_or(*s))
                    }
                }
            ),
            Intervention::Agonist5ht1a { strength: s } => {
                format!("8-OH-DPAT into the DRN{}", strength(s))
            }
            Intervention::Antidepressant { days } => {
                format!("antidepressant, day {days} of dosing")
            }
            Intervention::Anxiolytic { days, strength: s } => {
                format!("anxiolytic, day {days} of dosing{}", strength(s))
            }
            Intervention::Stimulant { days, strength: s } => {
                format!("stimulant, day {days} of dosing{}", strength(s))
            }
            Intervention::ForcedExposure { trials, latency_s } => {
                format!("forced exposure on the first {trials} trials at {latency_s} s")
            }
        }
    }

    /// Checks the values; `field` names this intervention in error messages.
    ///
    /// ```
    /// use helplessness::intervention::Intervention;
    /// let e = Intervention::Muscimol { strength: 1.5 }.validate("interventions[0]").unwrap_err();
    /// assert!(e.to_string().contains("interventions[0].strength"));
    /// ```
    pub fn validate(&self, field: &str) -> Result<(), Error> {
        let f = |name: &str| format!("{field}.{name}");
        match self {
            Intervention::Muscimol { strength }
            | Intervention::Picrotoxin { strength }
            | Intervention::Anisomycin { strength }
            | Intervention::Agonist5ht1a { strength }
            | Intervention::Anxiolytic { strength, .. } => {
                Must::Probability.check(|| f("strength"), *strength)
            }
            Intervention::Stimulant { strength, .. } => {
                Must::NonNegative.check(|| f("strength"), *strength)
            }
            Intervention::ForcedExposure { latency_s, .. } => {
                Must::ShockDuration.check(|| f("latency_s"), *latency_s)
            }
            Intervention::Benzodiazepine {
                site,
                strength,
                drn,
                fear,
            } => {
                Must::Probability.check(|| f("strength"), *strength)?;
                if let Some(d) = drn {
                    Must::Probability.check(|| f("drn"), *d)?;
                }
                match (site, fear) {
                    (Site::Drn, Some(v)) => Err(Error::invalid(
                        f("fear"),
                        v,
                        "a benzodiazepine infused into the DRN has no anti-fear effect: \
                         give `fear` only with site = \"systemic\"",
                    )),
                    (_, Some(v)) => Must::Probability.check(|| f("fear"), *v),
                    (_, None) => Ok(()),
                }
            }
            Intervention::Antidepressant { .. } => Ok(()),
        }
    }

    /// The forced-exposure schedule, if this is one: (trials, latency).
    ///
    /// ```
    /// use helplessness::intervention::Intervention;
    /// let f = Intervention::ForcedExposure { trials: 25, latency_s: 10.0 };
    /// assert_eq!(f.forced_exposure(), Some((25, 10.0)));
    /// assert_eq!(Intervention::Antidepressant { days: 4 }.forced_exposure(), None);
    /// ```
    pub fn forced_exposure(&self) -> Option<(u32, f64)> {
        match *self {
            Intervention::ForcedExposure { trials, latency_s } => Some((trials, latency_s)),
            _ => None,
        }
    }
}
