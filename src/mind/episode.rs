//! Episodes and outcomes: what the subject meets and how each meeting ends.
//!
//! An episode presents a demand: an aversive stimulus to end (shock, loud tone) or a
//! task to solve (a problem, an anagram, a Go/NoGo cue). The contingency decides how it
//! ends, and the mind hears that outcome apart from the end of the stimulus: relief
//! earned by an attempt, an end that came whatever the subject did, or a failure. The
//! end of an aversive stimulus at its cut-off is relief that came without an attempt;
//! the end of a task at its cut-off is a failure.

use serde::{Deserialize, Serialize};

/// What an episode asks of the subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Demand {
    /// An aversive stimulus to end: its end is relief.
    Aversive,
    /// A task to solve: its outcome is success; its end at the cut-off is failure.
    Task,
}

/// One episode's onset: its demand and intensity (mA for shock, dB for noise, a task's
/// difficulty or stake on the protocol's own scale), and the cue it presents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Episode {
    /// Aversive stimulus or task.
    pub demand: Demand,
    /// Intensity in the apparatus's unit.
    pub intensity: f64,
    /// The cue presented, numbered from 1 across the experiment in order of first use;
    /// 0 when the session presents no cues of its own (the context is the stimulus).
    pub cue: usize,
}

impl Episode {
    /// An aversive stimulus of `intensity`, with no cue of its own.
    pub fn aversive(intensity: f64) -> Self {
        Episode {
            demand: Demand::Aversive,
            intensity,
            cue: 0,
        }
    }

    /// A task of `intensity` presenting cue `cue` (0: none).
    pub fn task(intensity: f64, cue: usize) -> Self {
        Episode {
            demand: Demand::Task,
            intensity,
            cue,
        }
    }
}

/// How an episode ended, as the subject experiences it.
///
/// ```
/// use helplessness::mind::{Demand, Outcome};
/// assert!(Outcome::Earned.is_good() && Outcome::Unearned.is_good());
/// assert!(!Outcome::Failed.is_good());
/// assert_eq!(Outcome::at_cutoff(Demand::Aversive), Outcome::Unearned);
/// assert_eq!(Outcome::at_cutoff(Demand::Task), Outcome::Failed);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Relief or success right after an attempt that the contingency rewarded.
    Earned,
    /// Relief or success that came whatever the subject did: a yoked or fixed end, the
    /// answer given by someone else, an aversive stimulus reaching its cut-off.
    Unearned,
    /// A task that ended at its cut-off unsolved: no outcome came.
    Failed,
}

impl Outcome {
    /// Whether the outcome came (relief or success), earned or not.
    pub fn is_good(self) -> bool {
        !matches!(self, Outcome::Failed)
    }

    /// How an episode of `demand` that nothing ended ends at its cut-off.
    pub fn at_cutoff(demand: Demand) -> Self {
        match demand {
            Demand::Aversive => Outcome::Unearned,
            Demand::Task => Outcome::Failed,
        }
    }
}
