//! Time under a stimulus, from one of the subject's attempts to the next.
//!
//! The engine asks a mind to keep the stimulus on until some time after onset (its
//! end, or a contingency's next decision) or until the subject's next attempt. The
//! attempt comes by the integrated-hazard method: the engine draws E ~ Exp(1), the mind
//! accumulates ∫ r dt of its own attempt rate r, and the attempt falls where the
//! integral reaches E. How the integral is taken is the theory's: by default
//! ([`tick_run`]) the rate is held constant over each tick of the engine's grid,
//! which is exact for a rate that changes only at ticks; a theory with a closed-form
//! trajectory can take a detector window at a time (the circuit does).

use super::{Mind, State};

/// Seconds since the onset of the current episode, on the engine's tick grid.
///
/// ```
/// use helplessness::mind::EpisodeClock;
/// let clock = EpisodeClock::new(0.1);
/// assert_eq!((clock.t(), clock.dt()), (0.0, 0.1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpisodeClock {
    t: f64,
    dt: f64,
    /// Ticks completed (signed: converting it to and from a double is then one
    /// instruction on x86-64, where an unsigned conversion takes several).
    tick: i64,
    /// Whether `t` sits on the grid: a full tick from there is exactly `dt` long, so a
    /// mind reuses one tick's decay factors instead of rounding-different ones.
    on_grid: bool,
}

impl EpisodeClock {
    /// An episode's onset, with ticks of `dt` s.
    pub fn new(dt: f64) -> Self {
        EpisodeClock {
            t: 0.0,
            dt,
            tick: 0,
            on_grid: true,
        }
    }

    /// Seconds since onset.
    pub fn t(&self) -> f64 {
        self.t
    }

    /// The engine's tick, s.
    pub fn dt(&self) -> f64 {
        self.dt
    }

    /// Moves the clock on to `t`, keeping count of the grid (a theory that takes its
    /// own steps calls this).
    ///
    /// ```
    /// use helplessness::mind::EpisodeClock;
    /// let mut clock = EpisodeClock::new(0.1);
    /// clock.set(0.35); // a step of the theory's own, off the grid
    /// clock.set(1.0);
    /// assert_eq!(clock.t(), 1.0);
    /// ```
    pub fn set(&mut self, t: f64) {
        if t == self.t {
            return;
        }
        self.t = t;
        if !t.is_finite() {
            // A clock gone bad stops its episode (the engine's loop ends on it); its
            // grid is of no further use.
            return;
        }
        // Truncation is the floor of a number not below zero (and needs no libm call).
        let mut tick = (t / self.dt).max(0.0) as i64;
        tick = tick.max(self.tick);
        while tick < i64::MAX && (tick + 1) as f64 * self.dt <= t {
            tick += 1;
        }
        self.tick = tick;
        self.on_grid = t == tick as f64 * self.dt;
    }
}

/// Called with the time since onset and the mind's state at each tick of a span, and at
/// its end: how an episode is traced ([`super::ticks`]).
pub type Observer<'a> = &'a mut dyn FnMut(f64, State);

/// What [`Mind::run`] does unless a theory says otherwise: ticks of the engine's grid
/// (cut short at `until` and at the attempt), the rate held over each tick, so an
/// attempt in a tick falls at t + E/r.
///
/// Returns whether the span ended with an attempt (at `clock.t()`).
///
/// ```
/// use helplessness::{Apparatus, CircuitMind, CircuitParams, Mind, Session};
/// use helplessness::mind::{Episode, EpisodeClock, tick_run};
/// let mut rat = CircuitMind::new(CircuitParams::rat()).unwrap();
/// rat.begin_session(&Session::new(0, Apparatus::ShuttleBox));
/// rat.onset(&Episode::aversive(0.6));
/// let mut ticked = rat.clone();
/// // The same draw of 0.5, by ticks and by the circuit's window steps: both place the
/// // attempt where the integrated rate reaches it.
/// let (mut by_ticks, mut by_windows) = (EpisodeClock::new(0.1), EpisodeClock::new(0.1));
/// assert!(tick_run(&mut ticked, &mut by_ticks, 30.0, &mut 0.5, None));
/// assert!(rat.run(&mut by_windows, 30.0, &mut 0.5, None));
/// assert!((by_ticks.t() - by_windows.t()).abs() < 0.05);
/// ```
pub fn tick_run<M: Mind + ?Sized>(
    mind: &mut M,
    clock: &mut EpisodeClock,
    until: f64,
    hazard_left: &mut f64,
    mut observe: Option<Observer<'_>>,
) -> bool {
    loop {
        let t = clock.t;
        if t >= until {
            return false;
        }
        let grid = (clock.tick + 1) as f64 * clock.dt;
        let next = grid.min(until);
        let step = if clock.on_grid && next == grid {
            clock.dt
        } else {
            next - t
        };
        // A theory's rate is held to [0, MAX_RESPONSE_RATE]: NaN counts as no
        // responding, and no rate can split a stimulus into endless vanishing steps.
        let rate = match mind.response_rate() {
            r if r > 0.0 => r.min(MAX_RESPONSE_RATE),
            _ => 0.0,
        };
        let hazard = rate * step;
        let attempted = rate > 0.0 && hazard >= *hazard_left;
        if attempted {
            let at = (t + *hazard_left / rate).min(next);
            mind.advance(at - t);
            clock.t = at;
            clock.on_grid = false;
        } else {
            *hazard_left -= hazard;
            mind.advance(step);
            clock.t = next;
            // A step cut short of the grid (by `until`) leaves it.
            clock.on_grid = clock.on_grid && next == grid;
        }
        if clock.t >= grid {
            clock.tick += 1;
            clock.on_grid = true;
        }
        if let Some(observe) = observe.as_mut() {
            observe(clock.t, mind.state());
        }
        if attempted {
            return true;
        }
    }
}

/// Highest attempt rate the engine takes from a mind, per s: far above any animal's
/// or person's (CircuitParams bounds `escape_rate_max` at 100 per s).
pub const MAX_RESPONSE_RATE: f64 = 1000.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_keeps_its_grid() {
        let mut clock = EpisodeClock::new(0.1);
        clock.set(0.05);
        assert!(!clock.on_grid && clock.tick == 0);
        clock.set(0.1);
        assert!(clock.on_grid && clock.tick == 1);
        clock.set(0.35);
        assert!(!clock.on_grid && clock.tick == 3 && clock.t == 0.35);
        clock.set(3.0 * 0.1 + 0.1);
        assert!(clock.on_grid && clock.tick == 4);
        clock.set(f64::INFINITY);
        assert!(clock.t().is_infinite() && clock.tick == 4);
    }
}
