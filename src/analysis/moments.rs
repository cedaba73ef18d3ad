//! Online moments: a mean and a variance without keeping the values.

/// Welford's online mean and variance.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Moments {
    pub(crate) n: u64,
    pub(crate) mean: f64,
    m2: f64,
}

impl Moments {
    pub(crate) fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Joins the moments of another sample (Chan et al.): the same result for the
    /// same samples joined in the same order, whatever the threads.
    pub(crate) fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let n = self.n + other.n;
        let d = other.mean - self.mean;
        let (a, b) = (self.n as f64, other.n as f64);
        self.mean += d * b / n as f64;
        self.m2 += other.m2 + d * d * a * b / n as f64;
        self.n = n;
    }

    /// Size, mean and standard deviation, for the tests of described samples.
    pub(crate) fn described(&self) -> super::Described {
        super::Described {
            n: self.n as usize,
            mean: self.mean,
            sd: self.sd(),
        }
    }

    pub(crate) fn sd(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            (self.m2 / (self.n - 1) as f64).sqrt()
        }
    }

    pub(crate) fn sem(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            (self.m2 / (self.n - 1) as f64 / self.n as f64).sqrt()
        }
    }
}
