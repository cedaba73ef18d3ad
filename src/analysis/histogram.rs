//! A streaming histogram: medians and rank counts without keeping every value.

use std::borrow::Cow;

use super::MEDIAN_BINS;

/// A histogram of latencies over [0, top], for medians without keeping the values. It
/// keeps its first values as they are, and bins them only when the bins would take less
/// memory: the answers are the same either way, but a summary of many trials with few
/// subjects each stays small.
#[derive(Debug, Clone)]
pub(super) struct Histogram {
    top: f64,
    bins: usize,
    /// Empty until `pending` would outgrow it.
    counts: Vec<u32>,
    pending: Vec<f64>,
    min: f64,
    max: f64,
}

impl Histogram {
    pub(super) fn new(top: f64) -> Self {
        Self::with_bins(top, MEDIAN_BINS)
    }

    pub(super) fn with_bins(top: f64, bins: usize) -> Self {
        Histogram {
            top,
            bins: bins.max(1),
            counts: Vec::new(),
            pending: Vec::new(),
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    pub(super) fn push(&mut self, x: f64) {
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        // A u32 count is half an f64: bin once the values would take more room.
        if self.counts.is_empty() && self.pending.len() < self.bins / 2 {
            self.pending.push(x);
            return;
        }
        if self.counts.is_empty() {
            self.counts = vec![0; self.bins];
            for v in std::mem::take(&mut self.pending) {
                self.count(v);
            }
        }
        self.count(x);
    }

    fn count(&mut self, x: f64) {
        let bin = self.bin(x);
        self.counts[bin] += 1;
    }

    /// The bin of `x` (values outside [0, top] go to the end bins).
    fn bin(&self, x: f64) -> usize {
        // Truncation is the floor of a number not below zero (and needs no libm call).
        let bin = ((x / self.top) * self.bins as f64).max(0.0) as usize;
        bin.min(self.bins - 1)
    }

    /// The counts per bin, binning the values still kept as they are.
    pub(super) fn counts(&self) -> Cow<'_, [u32]> {
        if !self.counts.is_empty() {
            return Cow::Borrowed(&self.counts);
        }
        let mut counts = vec![0; self.bins];
        for &v in &self.pending {
            counts[self.bin(v)] += 1;
        }
        Cow::Owned(counts)
    }

    /// The median, interpolated within its bin and kept within the observed range.
    pub(super) fn median(&self) -> f64 {
        let counts = self.counts();
        let n: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        if n == 0 {
            return f64::NAN;
        }
        if self.min == self.max {
            return self.min;
        }
        // Only values that are not numbers were pushed: there is no median.
        if self.min > self.max {
            return f64::NAN;
        }
        let half = n as f64 / 2.0;
        let width = self.top / counts.len() as f64;
        let mut below = 0.0;
        for (i, &c) in counts.iter().enumerate() {
            let c = f64::from(c);
            if below + c >= half && c > 0.0 {
                let x = (i as f64 + (half - below) / c) * width;
                return x.clamp(self.min, self.max);
            }
            below += c;
        }
        self.max
    }
}
