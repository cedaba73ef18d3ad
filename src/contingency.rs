//! Contingencies: what, if anything, a subject's attempts do to the outcome of an
//! episode (the end of a shock, the solution of a task).
//!
//! Controllability is the whole story of learned helplessness, so it lives in one place.
//! Escapable and yoked subjects receive identical shocks; only the contingency between
//! responding and shock offset differs (Seligman & Maier 1967).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Must};

/// The escape requirement of an escapable shock.
///
/// ```
/// use helplessness::Requirement;
/// let fr2 = Requirement::FixedRatio { ratio: 2 };
/// assert!(fr2.validate("r").is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Requirement {
    /// `ratio` responses end the shock (FR-1: one response).
    FixedRatio {
        /// Responses needed.
        ratio: u32,
    },
    /// The Maier-laboratory wheel-turn titration (e.g. Amat et al. 2005, Nat Neurosci
    /// 8:365; Baratta et al. 2009): a response is a quarter turn; see [`Titration`].
    Titration(TitrationRule),
}

impl Requirement {
    /// Checks the requirement; `field` names it in error messages.
    pub fn validate(&self, field: &str) -> Result<(), Error> {
        match self {
            Requirement::FixedRatio { ratio } if *ratio == 0 => Err(Error::invalid(
                format!("{field}.ratio"),
                ratio,
                "a fixed ratio needs at least one response",
            )),
            Requirement::FixedRatio { .. } => Ok(()),
            Requirement::Titration(rule) => rule.validate(field),
        }
    }
}

/// Parameters of the wheel-turn titration. Defaults follow the Maier laboratory: start at
/// one response (a quarter turn); after `streak` consecutive trials faster than `fast_s`
/// add one response; from then on each fast trial raises the requirement by `raise`
/// (x1.5) up to `max_ratio` (4 full turns = 16 quarter turns), each slower escape lowers
/// it by the same factor, and a trial that reaches the cut-off resets it to one response.
///
/// The source says only that a slow trial "lowers" the requirement; dividing by the same
/// factor it was raised by is this crate's reading.
///
/// ```
/// use helplessness::{Titration, TitrationRule};
/// let mut t = Titration::new(TitrationRule::default());
/// for _ in 0..3 { t.update(Some(2.0)); }  // three fast escapes
/// assert_eq!(t.ratio(), 2);               // + a quarter turn
/// t.update(Some(2.0));
/// assert_eq!(t.ratio(), 3);               // x1.5, rounded up
/// t.update(None);                          // cut off
/// assert_eq!(t.ratio(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TitrationRule {
    /// An escape faster than this counts as fast, s.
    pub fast_s: f64,
    /// Consecutive fast escapes before the requirement first rises.
    pub streak: u32,
    /// Factor by which each later fast escape raises (and each slow one lowers) it.
    pub raise: f64,
    /// Largest requirement, responses (16 quarter turns = 4 full turns).
    pub max_ratio: u32,
}

impl Default for TitrationRule {
    fn default() -> Self {
        TitrationRule {
            fast_s: 5.0,
            streak: 3,
            raise: 1.5,
            max_ratio: 16,
        }
    }
}

impl TitrationRule {
    /// Checks the rule; `field` names it in error messages.
    pub fn validate(&self, field: &str) -> Result<(), Error> {
        Must::Positive.check(|| format!("{field}.fast_s"), self.fast_s)?;
        if !(self.raise.is_finite() && self.raise >= 1.0) {
            return Err(Error::invalid(
                format!("{field}.raise"),
                self.raise,
                "must be a finite factor >= 1",
            ));
        }
        if self.max_ratio == 0 {
            return Err(Error::invalid(
                format!("{field}.max_ratio"),
                0,
                "must be at least 1",
            ));
        }
        Ok(())
    }
}

/// The running state of a [`TitrationRule`] for one subject in one session.
#[derive(Debug, Clone, PartialEq)]
pub struct Titration {
    rule: TitrationRule,
    ratio: u32,
    fast_in_a_row: u32,
    raising: bool,
}

impl Titration {
    /// Starts at one response.
    pub fn new(rule: TitrationRule) -> Self {
        Titration {
            rule,
            ratio: 1,
            fast_in_a_row: 0,
            raising: false,
        }
    }

    /// Responses the next trial requires.
    pub fn ratio(&self) -> u32 {
        self.ratio
    }

    /// Updates after a trial: `Some(latency_s)` when escaped, `None` when cut off.
    pub fn update(&mut self, latency_s: Option<f64>) {
        let max = self.rule.max_ratio.max(1);
        match latency_s {
            None => {
                self.ratio = 1;
                self.fast_in_a_row = 0;
                self.raising = false;
            }
            Some(l) if l < self.rule.fast_s => {
                if self.raising {
                    let raised = (f64::from(self.ratio) * self.rule.raise).ceil() as u32;
                    self.ratio = raised.clamp(self.ratio, max);
                } else {
                    self.fast_in_a_row += 1;
                    if self.fast_in_a_row >= self.rule.streak {
                        self.ratio = (self.ratio + 1).min(max);
                        self.raising = true;
                    }
                }
            }
            Some(_) => {
                self.fast_in_a_row = 0;
                if self.raising {
                    let lowered = (f64::from(self.ratio) / self.rule.raise).floor() as u32;
                    self.ratio = lowered.max(1);
                }
            }
        }
    }
}

/// What a group's responses do to the shock in one phase.
///
/// ```
/// use helplessness::{Contingency, Requirement};
/// let es = Contingency::escapable(Requirement::FixedRatio { ratio: 1 });
/// let is = Contingency::Yoked { to: "escapable".into() };
/// assert!(es.validate("c").is_ok() && is.validate("c").is_ok());
/// assert!(Contingency::Partial { p: 1.5, requirement: Requirement::FixedRatio { ratio: 1 } }
///     .validate("c").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Contingency {
    /// Meeting the requirement ends the shock, `delay_s` later; otherwise it runs to the
    /// schedule's cut-off.
    Escapable {
        /// What ends the shock.
        requirement: Requirement,
        /// Seconds between meeting the requirement and shock offset.
        #[serde(default)]
        delay_s: f64,
        /// Responses count only from this many seconds after shock onset: escape is
        /// available only after a delay.
        #[serde(default)]
        available_after_s: f64,
    },
    /// Each time the requirement is met the shock ends with probability `p`; otherwise
    /// the count restarts. p = 1 is escapable, p = 0 is shock to the cut-off whatever
    /// the subject does.
    Partial {
        /// Probability that meeting the requirement ends the shock.
        p: f64,
        /// What must be met.
        requirement: Requirement,
    },
    /// Each trial is escapable with probability `p`, and then lasts at most as long as
    /// the same trial of subject i of group `to`; otherwise the shock lasts as long as it
    /// takes for this subject's running total of shock to equal its partner's (at most
    /// the cut-off). Totals match after every such trial, while ΔP grows with p: a
    /// contingency space with matched shock.
    EscapableOrYoked {
        /// Probability that a trial is escapable.
        p: f64,
        /// What ends an escapable trial.
        requirement: Requirement,
        /// Name of the group the other trials are yoked to.
        to: String,
    },
    /// Each shock lasts exactly as long as the same trial of subject i of group `to`
    /// (the yoked-inescapable control); responses do nothing.
    Yoked {
        /// Name of the group this one is yoked to.
        to: String,
    },
    /// Each shock lasts `duration_s`; responses do nothing.
    Fixed {
        /// Shock duration, s.
        duration_s: f64,
    },
    /// No attempt ever works: each episode runs to the cut-off. An aversive stimulus
    /// then ends as relief that came without an attempt; a task ends as a failure
    /// (insoluble problems, Hiroto & Seligman 1975).
    Insoluble,
    /// The outcome arrives `after_s` after onset whatever the subject does: a teacher
    /// gives the answer, a carer does the task, the stimulus is ended for the subject.
    DoneForYou {
        /// Time from onset to the outcome, s.
        after_s: f64,
    },
    /// Allan's contingency space (Allan 1980; Maier & Seligman 1976): the experimenter
    /// sets P(outcome | attempt) and P(outcome | no attempt) per window of `window_s`
    /// from onset. The first attempt in a window brings the outcome at once with
    /// probability `p_attempt`; a window without an attempt ends with the outcome with
    /// probability `p_no_attempt` (just before its end). Zero contingency with
    /// frequent outcomes is `p_attempt = p_no_attempt = 0.75`. Nothing by the cut-off:
    /// as [`Contingency::Insoluble`].
    Space {
        /// Probability that a window's first attempt brings the outcome.
        p_attempt: f64,
        /// Probability that a window without an attempt ends with the outcome.
        p_no_attempt: f64,
        /// Window length, s: 1 s, the detector window of every bundled theory.
        #[serde(default = "one_second")]
        window_s: f64,
    },
    /// No shock (home-cage or restrained control): trials are scored, nothing happens.
    NoShock,
}

fn one_second() -> f64 {
    1.0
}

impl Contingency {
    /// Escapable with no delay.
    pub fn escapable(requirement: Requirement) -> Self {
        Contingency::Escapable {
            requirement,
            delay_s: 0.0,
            available_after_s: 0.0,
        }
    }

    /// Checks the values; `field` names this contingency in error messages.
    pub fn validate(&self, field: &str) -> Result<(), Error> {
        match self {
            Contingency::Escapable {
                requirement,
                delay_s,
                available_after_s,
            } => {
                requirement.validate(&format!("{field}.requirement"))?;
                Must::ShockDuration.check(|| format!("{field}.delay_s"), *delay_s)?;
                Must::ShockDuration
                    .check(|| format!("{field}.available_after_s"), *available_after_s)
            }
            Contingency::EscapableOrYoked { p, requirement, to } => {
                Must::Probability.check(|| format!("{field}.p"), *p)?;
                requirement.validate(&format!("{field}.requirement"))?;
                if to.is_empty() {
                    return Err(Error::invalid(
                        format!("{field}.to"),
                        "\"\"",
                        "must name a group",
                    ));
                }
                Ok(())
            }
            Contingency::Partial { p, requirement } => {
                Must::Probability.check(|| format!("{field}.p"), *p)?;
                requirement.validate(&format!("{field}.requirement"))
            }
            Contingency::Yoked { to } if to.is_empty() => Err(Error::invalid(
                format!("{field}.to"),
                "\"\"",
                "must name a group",
            )),
            Contingency::Fixed { duration_s } => {
                Must::ShockDuration.check(|| format!("{field}.duration_s"), *duration_s)
            }
            Contingency::DoneForYou { after_s } => {
                Must::Positive.check(|| format!("{field}.after_s"), *after_s)?;
                Must::ShockDuration.check(|| format!("{field}.after_s"), *after_s)
            }
            Contingency::Space {
                p_attempt,
                p_no_attempt,
                window_s,
            } => {
                Must::Probability.check(|| format!("{field}.p_attempt"), *p_attempt)?;
                Must::Probability.check(|| format!("{field}.p_no_attempt"), *p_no_attempt)?;
                Must::Within(0.01, 3600.0).check(|| format!("{field}.window_s"), *window_s)
            }
            Contingency::Yoked { .. } | Contingency::Insoluble | Contingency::NoShock => Ok(()),
        }
    }

    /// The group this contingency copies its durations from, if any.
    pub fn yoked_to(&self) -> Option<&str> {
        match self {
            Contingency::Yoked { to } | Contingency::EscapableOrYoked { to, .. } => Some(to),
            _ => None,
        }
    }
}
