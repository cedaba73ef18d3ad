//! Shock schedules: how many trials, at what intensity, how far apart, how long at most.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Triangular};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Must};

/// Most trials one session may have: far beyond any protocol, and a guard against a
/// typo that would run for days.
pub const MAX_TRIALS: u32 = 100_000;

/// Distribution of the inter-trial interval: from the end of one trial (or the start of
/// the session) to the onset of the next shock, in seconds.
///
/// ```
/// use helplessness::Iti;
/// use rand::SeedableRng;
/// let iti = Iti::Triangular { min_s: 45.0, mode_s: 45.0, max_s: 90.0 }; // mean 60 s
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
/// let x = iti.sample(&mut rng);
/// assert!((45.0..=90.0).contains(&x));
/// assert_eq!(iti.mean_s(), 60.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Iti {
    /// Always the same interval.
    Fixed {
        /// Interval, s.
        s: f64,
    },
    /// Uniform between `min_s` and `max_s`.
    Uniform {
        /// Shortest interval, s.
        min_s: f64,
        /// Longest interval, s.
        max_s: f64,
    },
    /// Triangular on [`min_s`, `max_s`] peaking at `mode_s`: a variable interval with a
    /// mean of (min + mode + max) / 3 and hard bounds, as laboratory schedules have.
    Triangular {
        /// Shortest interval, s.
        min_s: f64,
        /// Most frequent interval, s.
        mode_s: f64,
        /// Longest interval, s.
        max_s: f64,
    },
    /// `min_s` plus an exponential with mean `mean_s - min_s`, redrawn above `max_s`.
    Exponential {
        /// Shortest interval, s.
        min_s: f64,
        /// Mean interval before truncation, s.
        mean_s: f64,
        /// Longest interval, s.
        max_s: f64,
    },
}

impl Iti {
    /// Checks the bounds; `field` names this ITI in error messages.
    pub fn validate(&self, field: &str) -> Result<(), Error> {
        let f = |name: &str| format!("{field}.{name}");
        match *self {
            Iti::Fixed { s } => Must::NonNegative.check(|| f("s"), s),
            Iti::Uniform { min_s, max_s } => {
                Must::NonNegative.check(|| f("min_s"), min_s)?;
                Must::NonNegative.check(|| f("max_s"), max_s)?;
                if max_s < min_s {
                    return Err(Error::invalid(f("max_s"), max_s, "must be >= min_s"));
                }
                Ok(())
            }
            Iti::Triangular {
                min_s,
                mode_s,
                max_s,
            } => {
                Must::NonNegative.check(|| f("min_s"), min_s)?;
                Must::NonNegative.check(|| f("mode_s"), mode_s)?;
                Must::NonNegative.check(|| f("max_s"), max_s)?;
                if !(min_s <= mode_s && mode_s <= max_s) {
                    return Err(Error::invalid(
                        f("mode_s"),
                        mode_s,
                        "must lie within [min_s, max_s]",
                    ));
                }
                Ok(())
            }
            Iti::Exponential {
                min_s,
                mean_s,
                max_s,
            } => {
                Must::NonNegative.check(|| f("min_s"), min_s)?;
                Must::Positive.check(|| f("mean_s"), mean_s)?;
                if mean_s <= min_s {
                    return Err(Error::invalid(f("mean_s"), mean_s, "must be > min_s"));
                }
                if !(max_s.is_finite() && max_s > min_s) {
                    return Err(Error::invalid(f("max_s"), max_s, "must be > min_s"));
                }
                Ok(())
            }
        }
    }

    /// Draws one interval, s. The ITI must have passed [`Iti::validate`].
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Iti::Fixed { s } => s,
            Iti::Uniform { min_s, max_s } => min_s + (max_s - min_s) * rng.random::<f64>(),
            Iti::Triangular {
                min_s,
                mode_s,
                max_s,
            } => {
                if max_s == min_s {
                    min_s
                } else {
                    Triangular::new(min_s, max_s, mode_s)
                        .map(|t| t.sample(rng))
                        .unwrap_or(mode_s)
                }
            }
            Iti::Exponential {
                min_s,
                mean_s,
                max_s,
            } => {
                let scale = mean_s - min_s;
                if !(scale > 0.0 && scale.is_finite()) {
                    return min_s;
                }
                // Rejection keeps the exact truncated shape; the acceptance rate is at
                // least 1 - exp(-(max-min)/(mean-min)), so the loop ends quickly.
                for _ in 0..1000 {
                    let x = min_s + scale * crate::draw::exp1(rng);
                    if x <= max_s {
                        return x;
                    }
                }
                max_s
            }
        }
    }

    /// Mean interval, s (before truncation for [`Iti::Exponential`]).
    pub fn mean_s(&self) -> f64 {
        match *self {
            Iti::Fixed { s } => s,
            Iti::Uniform { min_s, max_s } => 0.5 * (min_s + max_s),
            Iti::Triangular {
                min_s,
                mode_s,
                max_s,
            } => (min_s + mode_s + max_s) / 3.0,
            Iti::Exponential { mean_s, .. } => mean_s,
        }
    }
}

/// A run of consecutive trials that share an intensity (and, optionally, an escape ratio).
///
/// ```
/// use helplessness::Block;
/// let b = Block::new(25, 0.6).with_ratio(2); // 25 FR-2 trials at 0.6 mA
/// assert_eq!(b.ratio, Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// Number of trials.
    pub trials: u32,
    /// Intensity of the aversive stimulus in the protocol's unit: mA for shock, dB SPL
    /// for noise (the subject divides it by its `reference_intensity`).
    pub intensity: f64,
    /// Fixed-ratio escape requirement for these trials; replaces the contingency's
    /// own requirement when set (for example 2 FR-1 trials, then 25 FR-2 trials).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<u32>,
    /// The stimulus (cue) these trials present, where a session presents several
    /// (a Go/NoGo task's cues): theories that learn per stimulus bind what they learn
    /// to it within the context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
    /// The contingency of these trials for every group, in place of the phase's and
    /// the groups' own (a cue's reward schedule). Not yoked: a block has no partner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contingency: Option<crate::contingency::Contingency>,
}

impl Block {
    /// `trials` trials at `intensity`.
    pub fn new(trials: u32, intensity: f64) -> Self {
        Block {
            trials,
            intensity,
            ratio: None,
            cue: None,
            contingency: None,
        }
    }

    /// Presents cue `cue` on these trials, with `contingency` for every group.
    ///
    /// ```
    /// use helplessness::{Block, Contingency};
    /// let go = Block::new(40, 1.0).cued("go-to-win", Contingency::Space {
    ///     p_attempt: 0.75, p_no_attempt: 0.25, window_s: 1.0,
    /// });
    /// assert_eq!(go.cue.as_deref(), Some("go-to-win"));
    /// ```
    pub fn cued(mut self, cue: &str, contingency: crate::contingency::Contingency) -> Self {
        self.cue = Some(cue.into());
        self.contingency = Some(contingency);
        self
    }

    /// Sets the fixed-ratio requirement of these trials.
    pub fn with_ratio(mut self, ratio: u32) -> Self {
        self.ratio = Some(ratio);
        self
    }
}

/// The trials of one session.
///
/// ```
/// use helplessness::{Block, Iti, Schedule};
/// let s = Schedule::new(vec![Block::new(10, 4.5)], Iti::Fixed { s: 90.0 }, 60.0);
/// assert_eq!(s.trials(), 10);
/// assert!(s.validate("test").is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Blocks of trials, run in order.
    pub blocks: Vec<Block>,
    /// Interval before each trial.
    pub iti: Iti,
    /// Longest a shock lasts when nothing ends it, s.
    pub cutoff_s: f64,
    /// Present the trials of all blocks in one shuffled order, drawn from this seed
    /// (the same order for every subject and run, like a printed trial sheet: each
    /// trial of the phase is then the same cue for everyone); in block order when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shuffle: Option<u64>,
}

impl Schedule {
    /// A schedule of `blocks` separated by `iti`, each shock lasting at most `cutoff_s`.
    pub fn new(blocks: Vec<Block>, iti: Iti, cutoff_s: f64) -> Self {
        Schedule {
            blocks,
            iti,
            cutoff_s,
            shuffle: None,
        }
    }

    /// The index of the block of each trial, in presentation order: blocks in turn, or
    /// shuffled by [`Schedule::shuffle`] (a Fisher-Yates shuffle on a ChaCha8 stream).
    ///
    /// ```
    /// use helplessness::{Block, Iti, Schedule};
    /// let mut s = Schedule::new(vec![Block::new(2, 1.0), Block::new(3, 1.0)], Iti::Fixed { s: 1.0 }, 1.0);
    /// assert_eq!(s.order(), [0, 0, 1, 1, 1]);
    /// s.shuffle = Some(7);
    /// let order = s.order();
    /// assert_eq!(order.iter().filter(|&&b| b == 1).count(), 3);
    /// assert_eq!(order, s.order()); // the same every time
    /// ```
    pub fn order(&self) -> Vec<usize> {
        use rand::SeedableRng;
        let mut order: Vec<usize> = self
            .blocks
            .iter()
            .enumerate()
            .flat_map(|(i, b)| std::iter::repeat_n(i, b.trials as usize))
            .collect();
        if let Some(seed) = self.shuffle {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            for i in (1..order.len()).rev() {
                let j = rng.random_range(0..=i);
                order.swap(i, j);
            }
        }
        order
    }

    /// Total number of trials.
    pub fn trials(&self) -> u32 {
        self.blocks
            .iter()
            .fold(0u32, |n, b| n.saturating_add(b.trials))
    }

    /// The block that trial `index` (0-based) belongs to.
    pub fn block_of(&self, index: u32) -> Option<&Block> {
        let mut start = 0;
        for b in &self.blocks {
            if index < start + b.trials {
                return Some(b);
            }
            start += b.trials;
        }
        None
    }

    /// Checks every field; `field` names this schedule in error messages.
    pub fn validate(&self, field: &str) -> Result<(), Error> {
        if self.trials() == 0 {
            return Err(Error::invalid(
                format!("{field}.blocks"),
                self.trials(),
                "a session needs at least one trial",
            ));
        }
        if self.trials() > MAX_TRIALS {
            return Err(Error::invalid(
                format!("{field}.blocks"),
                self.trials(),
                format!("a session has at most {MAX_TRIALS} trials"),
            ));
        }
        for (i, b) in self.blocks.iter().enumerate() {
            Must::NonNegative.check(|| format!("{field}.blocks[{i}].intensity"), b.intensity)?;
            if b.ratio == Some(0) {
                return Err(Error::invalid(
                    format!("{field}.blocks[{i}].ratio"),
                    0,
                    "a fixed ratio needs at least one response",
                ));
            }
            if let Some(c) = &b.contingency {
                let at = format!("{field}.blocks[{i}].contingency");
                c.validate(&at)?;
                if c.yoked_to().is_some() {
                    return Err(Error::invalid(
                        at,
                        "yoked",
                        "a block's contingency holds for every group, so it has no partner",
                    ));
                }
            }
            if b.cue.as_deref() == Some("") {
                return Err(Error::invalid(
                    format!("{field}.blocks[{i}].cue"),
                    "\"\"",
                    "a cue needs a name",
                ));
            }
        }
        self.iti.validate(&format!("{field}.iti"))?;
        Must::Positive.check(|| format!("{field}.cutoff_s"), self.cutoff_s)?;
        Must::ShockDuration.check(|| format!("{field}.cutoff_s"), self.cutoff_s)
    }
}
