//! What any theory of the subject must answer, so the runner never cares which one runs.
//!
//! The engine tells a [`Mind`] when a session starts, when a shock comes on and goes off,
//! when the subject responds, and how much time passes; it asks for the current rate of
//! escape responses and a snapshot of internal state for the records. [`CircuitMind`]
//! is the default theory (Maier & Seligman 2016); a learned-expectancy or Bayesian
//! arbitration account plugs in through the same trait.

pub mod circuit;
pub mod detector;
pub mod variation;

pub use circuit::{CircuitFactory, CircuitMind, CircuitParams, Species};
pub use detector::Detector;
pub use variation::{Dist, Variation};

use serde::{Deserialize, Serialize};

use crate::apparatus::Apparatus;
use crate::error::Error;
use crate::intervention::Condition;
use crate::subject::{SubjectId, SubjectRng};

/// Where a session happens, and under what drugs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Session {
    /// The context (an index into the experiment's contexts): evidence is bound to it.
    pub context: usize,
    /// The apparatus, which fixes what an escape response is.
    pub apparatus: Apparatus,
    /// Drugs and infusions acting throughout the session.
    pub condition: Condition,
}

impl Session {
    /// A drug-free session in `context` with `apparatus`.
    ///
    /// ```
    /// use helplessness::{Apparatus, Session};
    /// let s = Session::new(0, Apparatus::ShuttleBox);
    /// assert_eq!(s.condition.drn_inhibition, 0.0);
    /// ```
    pub fn new(context: usize, apparatus: Apparatus) -> Self {
        Session {
            context,
            apparatus,
            condition: Condition::default(),
        }
    }
}

/// A snapshot of a mind's internal state, as written to the records. A theory that has
/// no such quantity reports `NaN`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct MindState {
    /// Controllability estimate ΔP of the mPFC detector, in [-1, 1].
    pub c: f64,
    /// mPFC output, in [0, 1].
    pub m: f64,
    /// DRN 5-HT firing (fast), relative units.
    pub d: f64,
    /// 5-HT in projection regions (slow), relative units.
    pub h: f64,
    /// DRN sensitization, from 1 (none) to its maximum.
    pub s: f64,
    /// Learned stress-evoked mPFC drive (immunization).
    pub w: f64,
    /// Global expectation of control, in [0, 1].
    #[serde(rename = "G")]
    pub g: f64,
    /// Strength of the current apparatus's escape response.
    pub q: f64,
    /// Conditioned fear expressed in the current context (freezing), in [0, 1].
    pub fear: f64,
}

impl MindState {
    /// Names and values of the variables, in the records' column order.
    ///
    /// ```
    /// let state = helplessness::MindState { d: 2.5, ..Default::default() };
    /// assert_eq!(state.variables()[2], ("d", 2.5));
    /// assert_eq!(state.variables()[6].0, "G");
    /// ```
    pub fn variables(&self) -> [(&'static str, f64); 9] {
        [
            ("c", self.c),
            ("m", self.m),
            ("d", self.d),
            ("h", self.h),
            ("s", self.s),
            ("w", self.w),
            ("G", self.g),
            ("q", self.q),
            ("fear", self.fear),
        ]
    }
}

/// A theory of the subject. Time is in seconds; the RNG stays with the engine, so a mind
/// is deterministic given the calls it receives.
///
/// ```
/// use helplessness::{Apparatus, Mind, MindState, Session};
/// /// Responds at a constant rate while shocked: no learning at all.
/// struct Constant(f64, bool);
/// impl Mind for Constant {
///     fn begin_session(&mut self, _: &Session) {}
///     fn end_session(&mut self) {}
///     fn relax(&mut self, _: f64) {}
///     fn onset(&mut self, _intensity: f64) { self.1 = true; }
///     fn advance(&mut self, _: f64) {}
///     fn response_rate(&self) -> f64 { if self.1 { self.0 } else { 0.0 } }
///     fn respond(&mut self) {}
///     fn offset(&mut self) { self.1 = false; }
///     fn state(&self) -> MindState { MindState::default() }
/// }
/// let mut m = Constant(0.5, false);
/// m.onset(1.0);
/// assert_eq!(m.response_rate(), 0.5);
/// ```
pub trait Mind: Send {
    /// A session starts in `session`'s context and apparatus.
    fn begin_session(&mut self, session: &Session);
    /// The session ends: a place to consolidate what it taught.
    fn end_session(&mut self);
    /// `seconds` pass with no aversive stimulus.
    fn relax(&mut self, seconds: f64);
    /// An aversive stimulus of `intensity` (mA for shock, dB for noise) comes on.
    fn onset(&mut self, intensity: f64);
    /// `dt` seconds pass under the current stimulus.
    fn advance(&mut self, dt: f64);
    /// Current rate of escape responses, per second (a Poisson hazard).
    fn response_rate(&self) -> f64;
    /// The subject has just made an escape response.
    fn respond(&mut self);
    /// The stimulus has just ended (relief), whatever ended it.
    fn offset(&mut self);
    /// Snapshot for the records.
    fn state(&self) -> MindState;
}

/// Makes one mind per subject. Draws for individual differences come from the
/// subject's own stream, so they do not depend on thread count or run order.
///
/// Any `Fn(&SubjectId, &mut SubjectRng) -> Result<M, Error>` is a factory:
///
/// ```
/// use helplessness::{CircuitMind, CircuitParams, MindFactory, SubjectId, SubjectRng};
/// let factory = |_: &SubjectId, _: &mut SubjectRng| CircuitMind::new(CircuitParams::rat());
/// fn takes<F: MindFactory>(_: &F) {}
/// takes(&factory);
/// ```
pub trait MindFactory: Sync {
    /// The kind of mind made.
    type Mind: Mind;
    /// A new mind for `subject`.
    fn create(&self, subject: &SubjectId, rng: &mut SubjectRng) -> Result<Self::Mind, Error>;
}

impl<M, F> MindFactory for F
where
    M: Mind,
    F: Fn(&SubjectId, &mut SubjectRng) -> Result<M, Error> + Sync,
{
    type Mind = M;
    fn create(&self, subject: &SubjectId, rng: &mut SubjectRng) -> Result<M, Error> {
        self(subject, rng)
    }
}
