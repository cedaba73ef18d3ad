//! Online moments: a mean and a variance without keeping the values.

/// Welford's online mean and variance.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Moments {
    pub(super) n: u64,
    pub(super) mean: f64,
    m2: f64,
}

impl Moments {
    pub(super) fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    pub(super) fn sd(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            (self.m2 / (self.n - 1) as f64).sqrt()
        }
    }

    pub(super) fn sem(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            (self.m2 / (self.n - 1) as f64 / self.n as f64).sqrt()
        }
    }
}
