//! What any theory of the subject must answer, so the runner never cares which one runs.
//!
//! The engine tells a [`Mind`] when a session starts (context, apparatus,
//! interventions), when an episode begins (an aversive stimulus or a task), how much
//! time passes, when the subject attempts, and how the episode ended ([`Outcome`]),
//! apart from the end of the stimulus; it asks for the attempt rate and a snapshot of
//! the variables the theory declares ([`Variable`], [`State`]). Three theories are
//! bundled, chosen by [`Theory`]: the [`CircuitMind`] (Maier & Seligman 2016; the
//! default), the [`ExpectancyMind`] (Seligman & Maier 1967) and the
//! [`ArbitrationMind`] (Dorfman & Gershman 2019). A user's own theory plugs in through
//! the same trait. What a subject carries from episode to episode, context to context
//! and day to day (expectations of control per life domain, attributional style,
//! self-esteem) is [`expectation::Expectations`], shared by the circuit and the
//! expectancy theory.

pub mod arbitration;
pub mod circuit;
pub mod detector;
mod episode;
pub mod expectancy;
pub mod expectation;
pub(crate) mod params;
mod span;
mod state;
mod theory;
pub mod ticks;
pub mod variation;
mod window;

pub use arbitration::{ArbitrationMind, ArbitrationParams};
pub use circuit::{CircuitFactory, CircuitMind, CircuitParams, Species};
pub use detector::Detector;
pub use episode::{Demand, Episode, Outcome};
pub use expectancy::{ExpectancyMind, ExpectancyParams};
pub use expectation::Instruction;
pub use span::{EpisodeClock, MAX_RESPONSE_RATE, Observer, tick_run};
pub use state::{MAX_VARIABLES, State, Variable};
pub use theory::{AnyMind, Theory, TheoryFactory, TheoryInfo};
pub use variation::{Dist, Variation};

use crate::apparatus::Apparatus;
use crate::error::Error;
use crate::intervention::Intervention;
use crate::math::exp;
use crate::subject::{SubjectId, SubjectRng};

/// Where a session happens, and what is done to the subject in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The context (an index into the experiment's contexts): evidence is bound to it.
    pub context: usize,
    /// The life domain the context belongs to (an index into the experiment's
    /// domains; 0, the laboratory, unless a protocol names others).
    pub domain: usize,
    /// What the subject was told about the session's task, if anything.
    pub instruction: Option<Instruction>,
    /// Which clock the session runs on: a laboratory trial of seconds, or a day's
    /// opportunity in a life, which weighs more as evidence.
    pub clock: Clock,
    /// The apparatus, which fixes what an attempt is.
    pub apparatus: Apparatus,
    /// Drugs, infusions and procedures acting throughout the session; each theory
    /// maps them onto what it models (and refuses, at validation, what it cannot).
    pub interventions: Vec<Intervention>,
}

impl Session {
    /// A session in `context` with `apparatus` and no interventions.
    ///
    /// ```
    /// use helplessness::{Apparatus, Session};
    /// let s = Session::new(0, Apparatus::ShuttleBox);
    /// assert!(s.interventions.is_empty());
    /// ```
    pub fn new(context: usize, apparatus: Apparatus) -> Self {
        Session {
            context,
            domain: 0,
            instruction: None,
            clock: Clock::Laboratory,
            apparatus,
            interventions: Vec::new(),
        }
    }
}

/// The two clocks of DESIGN "Time": a laboratory session ticks through seconds of
/// stimulus; a life presents a day's opportunities as single episodes.
///
/// ```
/// use helplessness::{Apparatus, Session, mind::Clock};
/// let mut day = Session::new(0, Apparatus::Problems);
/// assert_eq!(day.clock, Clock::Laboratory); // the default
/// day.clock = Clock::Day; // one opportunity of a life: weighs a day's evidence
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    /// A laboratory session: each episode is a trial of seconds.
    #[default]
    Laboratory,
    /// A life: each episode is one day's opportunity in a domain.
    Day,
}

/// A theory of the subject. Time is in seconds; the RNG stays with the engine, so a mind
/// is deterministic given the calls it receives.
///
/// ```
/// use helplessness::{Apparatus, Mind, Session};
/// use helplessness::mind::{Episode, Outcome, State, Variable};
/// /// Attempts at a constant rate during an episode: no learning at all.
/// struct Constant(f64, bool);
/// const VARS: &[Variable] = &[Variable::new("on", "1", "1 while an episode is on")];
/// impl Mind for Constant {
///     fn begin_session(&mut self, _: &Session) {}
///     fn end_session(&mut self) {}
///     fn relax(&mut self, _: f64) {}
///     fn onset(&mut self, _: &Episode) { self.1 = true; }
///     fn advance(&mut self, _: f64) {}
///     fn response_rate(&self) -> f64 { if self.1 { self.0 } else { 0.0 } }
///     fn respond(&mut self) {}
///     fn outcome(&mut self, _: Outcome) {}
///     fn offset(&mut self) { self.1 = false; }
///     fn state(&self) -> State { State::new(VARS, &[f64::from(u8::from(self.1))]) }
/// }
/// let mut m = Constant(0.5, false);
/// m.onset(&Episode::aversive(1.0));
/// assert_eq!(m.response_rate(), 0.5);
/// assert_eq!(m.state().get("on"), Some(1.0));
/// ```
pub trait Mind: Send {
    /// A session starts in `session`'s context and apparatus.
    fn begin_session(&mut self, session: &Session);
    /// The session ends: a place to consolidate what it taught.
    fn end_session(&mut self);
    /// `seconds` pass with no episode.
    fn relax(&mut self, seconds: f64);
    /// An episode begins: an aversive stimulus or a task, of some intensity.
    fn onset(&mut self, episode: &Episode);
    /// `dt` seconds pass in the current episode.
    fn advance(&mut self, dt: f64);
    /// Current rate of attempts, per second (a Poisson hazard).
    fn response_rate(&self) -> f64;
    /// On the day clock, the probability of attempting the opportunity now on (a
    /// decision, not a hazard over seconds). By default, an attempt within one second
    /// at [`Mind::response_rate`].
    ///
    /// ```
    /// use helplessness::{CircuitMind, CircuitParams, Mind};
    /// let hopeful = CircuitMind::new(CircuitParams { initial_expectation: 0.9, ..CircuitParams::human() }).unwrap();
    /// let hopeless = CircuitMind::new(CircuitParams { initial_expectation: 0.05, ..CircuitParams::human() }).unwrap();
    /// assert!(hopeless.attempt_probability() < hopeful.attempt_probability());
    /// ```
    fn attempt_probability(&self) -> f64 {
        1.0 - exp(-self.response_rate())
    }
    /// Keeps the stimulus on from `clock.t()` until `until` s after onset or until the
    /// subject's next attempt, whichever comes first, and moves `clock` there. The
    /// attempt falls where the integral of [`Mind::response_rate`] over the span
    /// reaches `hazard_left` (an Exp(1) draw, reduced by the hazard of each span that
    /// ends without one). Returns whether the span ended with an attempt; the engine
    /// then calls [`Mind::respond`]. `observe`, when given, hears the state at each
    /// tick of the span and at its end (for traces: it must not change the outcome).
    ///
    /// By default, [`tick_run`] (see its example): the rate held over each tick of
    /// `clock`'s grid, the mind advanced tick by tick. A theory with a closed-form
    /// trajectory may take longer steps.
    fn run(
        &mut self,
        clock: &mut EpisodeClock,
        until: f64,
        hazard_left: &mut f64,
        observe: Option<Observer<'_>>,
    ) -> bool {
        tick_run(self, clock, until, hazard_left, observe)
    }
    /// The subject has just made an attempt.
    fn respond(&mut self);
    /// How the episode ended; heard just before [`Mind::offset`].
    fn outcome(&mut self, outcome: Outcome);
    /// The stimulus or task has just ended.
    fn offset(&mut self);
    /// Snapshot for the records: the values of the variables the theory declares.
    fn state(&self) -> State;
}

/// Makes one mind per subject and declares the variables its minds report. Draws for
/// individual differences come from the subject's own stream, so they do not depend on
/// thread count or run order.
///
/// A closure makes a factory through [`factory_fn`]:
///
/// ```
/// use helplessness::{CircuitMind, CircuitParams, MindFactory, SubjectId, SubjectRng};
/// use helplessness::mind::factory_fn;
/// let factory = factory_fn(CircuitMind::VARIABLES, |_: &SubjectId, _: &mut SubjectRng| {
///     CircuitMind::new(CircuitParams::rat())
/// });
/// assert_eq!(factory.variables()[0].name, "c");
/// ```
pub trait MindFactory: Sync {
    /// The kind of mind made.
    type Mind: Mind;
    /// The variables every mind made reports, in column order.
    fn variables(&self) -> &'static [Variable];
    /// A new mind for `subject`.
    fn create(&self, subject: &SubjectId, rng: &mut SubjectRng) -> Result<Self::Mind, Error>;
}

/// A factory lent out is still a factory, so one can serve many runs.
impl<F: MindFactory> MindFactory for &F {
    type Mind = F::Mind;
    fn variables(&self) -> &'static [Variable] {
        (**self).variables()
    }
    fn create(&self, subject: &SubjectId, rng: &mut SubjectRng) -> Result<Self::Mind, Error> {
        (**self).create(subject, rng)
    }
}

/// A factory from a closure and the variables its minds declare: see [`factory_fn`].
#[derive(Debug, Clone, Copy)]
pub struct FnFactory<F> {
    variables: &'static [Variable],
    make: F,
}

/// A factory that makes minds with `make` and declares `variables`.
pub fn factory_fn<M, F>(variables: &'static [Variable], make: F) -> FnFactory<F>
where
    M: Mind,
    F: Fn(&SubjectId, &mut SubjectRng) -> Result<M, Error> + Sync,
{
    FnFactory { variables, make }
}

impl<M, F> MindFactory for FnFactory<F>
where
    M: Mind,
    F: Fn(&SubjectId, &mut SubjectRng) -> Result<M, Error> + Sync,
{
    type Mind = M;
    fn variables(&self) -> &'static [Variable] {
        self.variables
    }
    fn create(&self, subject: &SubjectId, rng: &mut SubjectRng) -> Result<M, Error> {
        (self.make)(subject, rng)
    }
}
