//! A mind's variables tick by tick through chosen episodes: what happens inside a
//! trial (the controllability estimate rising, the mPFC answering, the DRN quieting),
//! which records, one row a trial, do not keep.
//!
//! [`Ticking`] wraps any [`MindFactory`]; its minds behave exactly as the wrapped
//! ones (the same calls, the same draws, the wrapped mind's own steps through
//! [`Mind::run`]), so a traced run gives the same records as an untraced one, and note,
//! for the episodes asked for, the theory's declared variables at every tick of the
//! engine's grid and at the end of every step, and the times of the subject's attempts.

use std::sync::{Arc, Mutex, PoisonError};

use super::{
    Episode, EpisodeClock, Mind, MindFactory, Observer, Outcome, Session, State, Variable,
};
use crate::error::Error;
use crate::subject::{SubjectId, SubjectRng};

/// One episode of one subject, step by step.
#[derive(Debug, Clone, PartialEq)]
pub struct TickTrace {
    /// The subject's group.
    pub group: String,
    /// The subject, from 0 in its group.
    pub subject: u32,
    /// The episode, from 0 over everything the subject met, in order.
    pub episode: u64,
    /// Time since onset, s, of each point: 0 first, the offset last.
    pub t: Vec<f64>,
    /// The theory's variables at each point: `values[v][i]` is variable `v` (in the
    /// order the theory declares them) at `t[i]`.
    pub values: Vec<Vec<f64>>,
    /// Times of the subject's attempts, s since onset.
    pub attempts: Vec<f64>,
}

/// One subject's episode to trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// The group's name.
    pub group: String,
    /// The subject, from 0 in its group.
    pub subject: u32,
    /// The episode, from 0 over everything the subject meets, in order.
    pub episode: u64,
}

type Shared = Arc<Mutex<Vec<TickTrace>>>;

/// Minds of `F` that trace the episodes asked for.
///
/// ```
/// use helplessness::mind::ticks::{Ticking, Wanted};
/// use helplessness::protocol;
/// let exp = protocol::triadic_rat(1);
/// let first = Wanted { group: "escapable".into(), subject: 0, episode: 0 };
/// let ticking = Ticking::new(exp.factory()?, vec![first]);
/// let records = exp.runner(1).minds(&ticking).records()?;
/// let trace = &ticking.traces()[0];
/// // The trace ends when the record says the shock ended.
/// assert!((trace.t.last().unwrap() - records[0].shock_s).abs() < 1e-9);
/// assert_eq!(trace.attempts.len() as u32, records[0].responses);
/// # Ok::<(), helplessness::Error>(())
/// ```
#[derive(Debug)]
pub struct Ticking<F> {
    inner: F,
    wanted: Arc<[Wanted]>,
    traces: Shared,
}

impl<F: MindFactory> Ticking<F> {
    /// Wraps `inner`, tracing each episode in `wanted`.
    pub fn new(inner: F, wanted: Vec<Wanted>) -> Self {
        Ticking {
            inner,
            wanted: wanted.into(),
            traces: Arc::default(),
        }
    }

    /// The traces of the episodes run so far, in the order `wanted` lists them.
    pub fn traces(&self) -> Vec<TickTrace> {
        let mut traces = self
            .traces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        traces.sort_by_key(|t| {
            self.wanted.iter().position(|w| {
                w.group == t.group && w.subject == t.subject && w.episode == t.episode
            })
        });
        traces
    }
}

impl<F: MindFactory> MindFactory for Ticking<F> {
    type Mind = TickingMind<F::Mind>;

    fn variables(&self) -> &'static [Variable] {
        self.inner.variables()
    }

    fn create(&self, subject: &SubjectId, rng: &mut SubjectRng) -> Result<Self::Mind, Error> {
        let episodes = self
            .wanted
            .iter()
            .filter(|w| *w.group == *subject.group && w.subject == subject.index)
            .map(|w| w.episode)
            .collect();
        Ok(TickingMind {
            inner: self.inner.create(subject, rng)?,
            group: subject.group.to_string(),
            subject: subject.index,
            episodes,
            next: 0,
            current: None,
            traces: self.traces.clone(),
        })
    }
}

/// A mind that notes its variables through chosen episodes: made by [`Ticking`].
#[derive(Debug)]
pub struct TickingMind<M> {
    inner: M,
    group: String,
    subject: u32,
    episodes: Vec<u64>,
    /// Index of the next episode to begin.
    next: u64,
    current: Option<TickTrace>,
    traces: Shared,
}

impl<M: Mind> TickingMind<M> {
    fn note(trace: &mut TickTrace, t: f64, state: State) {
        trace.t.push(t);
        for (column, value) in trace.values.iter_mut().zip(state.values()) {
            column.push(*value);
        }
    }
}

impl<M: Mind> Mind for TickingMind<M> {
    fn begin_session(&mut self, session: &Session) {
        self.inner.begin_session(session);
    }
    fn end_session(&mut self) {
        self.inner.end_session();
    }
    fn relax(&mut self, seconds: f64) {
        self.inner.relax(seconds);
    }
    fn onset(&mut self, episode: &Episode) {
        self.inner.onset(episode);
        if self.episodes.contains(&self.next) {
            self.current = Some(TickTrace {
                group: self.group.clone(),
                subject: self.subject,
                episode: self.next,
                t: Vec::new(),
                values: vec![Vec::new(); self.inner.state().values().len()],
                attempts: Vec::new(),
            });
            if let Some(trace) = &mut self.current {
                Self::note(trace, 0.0, self.inner.state());
            }
        }
        self.next += 1;
    }
    fn advance(&mut self, dt: f64) {
        self.inner.advance(dt);
        if let Some(trace) = &mut self.current {
            let t = trace.t.last().map_or(0.0, |last| last + dt);
            Self::note(trace, t, self.inner.state());
        }
    }
    fn run(
        &mut self,
        clock: &mut EpisodeClock,
        until: f64,
        hazard_left: &mut f64,
        observe: Option<Observer<'_>>,
    ) -> bool {
        // The wrapped mind takes its own steps, so the traced run is the untraced one.
        match (&mut self.current, observe) {
            (Some(trace), None) => {
                let mut note = |t: f64, state: State| Self::note(trace, t, state);
                self.inner.run(clock, until, hazard_left, Some(&mut note))
            }
            (_, observe) => self.inner.run(clock, until, hazard_left, observe),
        }
    }
    fn response_rate(&self) -> f64 {
        self.inner.response_rate()
    }
    fn attempt_probability(&self) -> f64 {
        self.inner.attempt_probability()
    }
    fn respond(&mut self) {
        self.inner.respond();
        if let Some(trace) = &mut self.current {
            trace.attempts.push(trace.t.last().copied().unwrap_or(0.0));
        }
    }
    fn outcome(&mut self, outcome: Outcome) {
        self.inner.outcome(outcome);
    }
    fn offset(&mut self) {
        self.inner.offset();
        if let Some(trace) = self.current.take() {
            self.traces
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(trace);
        }
    }
    fn state(&self) -> State {
        self.inner.state()
    }
}
