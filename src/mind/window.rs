//! Time in an episode cut into windows from its onset, each one observation of whether
//! the subject attempted and whether the outcome came. A window that ends exactly when
//! an outcome comes stays open for it: an outcome at a window's end belongs to that
//! window, so a one-window trial (Go/NoGo) is one observation, not two.

/// How far into the current window an episode is.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct WindowClock {
    elapsed: f64,
}

impl WindowClock {
    /// A new window starts (at an episode's onset, or after its outcome).
    pub(crate) fn restart(&mut self) {
        self.elapsed = 0.0;
    }

    /// `dt` seconds pass; returns how many windows of `window_s` time has run past
    /// (each to be closed without an outcome).
    pub(crate) fn advance(&mut self, dt: f64, window_s: f64) -> u32 {
        self.elapsed += dt;
        let mut ended = 0;
        while self.elapsed > window_s + 1e-9 {
            self.elapsed -= window_s;
            ended += 1;
        }
        ended
    }
}

#[cfg(test)]
mod tests {
    use super::WindowClock;

    #[test]
    fn a_window_ending_now_stays_open_and_one_run_past_closes() {
        let mut clock = WindowClock::default();
        assert_eq!((0..10).map(|_| clock.advance(0.1, 1.0)).sum::<u32>(), 0);
        assert_eq!(clock.advance(0.1, 1.0), 1);
        assert_eq!(clock.advance(2.5, 1.0), 2);
        clock.restart();
        assert_eq!(clock.advance(1.0, 1.0), 0);
    }
}
