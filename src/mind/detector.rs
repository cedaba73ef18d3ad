//! The mPFC controllability detector: is relief more likely after a response than without?
//!
//! Time under a stressor is cut into short windows (δ ≈ 1 s). Each window is one
//! Bernoulli observation: did the subject respond in it, and did the stressor end in it
//! (the outcome: relief here, success in other tasks)? Two Beta posteriors estimate
//! P(outcome | response) and P(outcome | no response); their difference of means is ΔP,
//! the controllability estimate `c` (Allan 1980; Maier & Seligman 1976).
//!
//! Under yoking offsets come regardless of responding, so both probabilities match and
//! ΔP ≈ 0. Under escape only windows with a response end the shock, so ΔP > 0.
//!
//! Within a trial this is the mPFC's fast estimate. It is not the belief a subject
//! carries across sessions: a trial that runs to its cut-off without a response is
//! mostly windows with neither response nor relief, which lower P(outcome | no
//! response) and so *raise* ΔP. What the subject learns across sessions, where failure
//! feeds itself, is kept at the level of episodes by
//! [`Expectations`](super::expectation::Expectations), with the same Beta pairs.

use serde::{Deserialize, Serialize};

/// Beta-Bernoulli evidence about the response -> outcome contingency in one context.
///
/// ```
/// use helplessness::Detector;
/// // Prior: P(relief | response) 0.5, P(relief | none) 0.05, 4 pseudo-observations each.
/// let mut d = Detector::new(0.5, 0.05, 4.0);
/// assert!((d.delta_p() - 0.45).abs() < 1e-12);
/// for _ in 0..200 {
///     d.observe(true, true); // every response is followed by relief
///     d.observe(false, false); // no relief without one
/// }
/// assert!(d.delta_p() > 0.95);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Detector {
    /// Beta(α, β) pseudo-counts for P(outcome | response).
    resp: [f64; 2],
    /// Beta(α, β) pseudo-counts for P(outcome | no response).
    none: [f64; 2],
    /// Windows observed so far (evidence, not prior).
    windows: f64,
    /// Windows with a response observed so far.
    responded: f64,
}

impl Detector {
    /// A detector whose priors have means `p_resp` and `p_none`, each worth `count`
    /// pseudo-observations. Means are clamped to (0, 1) and the count to > 0.
    pub fn new(p_resp: f64, p_none: f64, count: f64) -> Self {
        let n = count.max(1e-9);
        let clamp = |p: f64| p.clamp(1e-9, 1.0 - 1e-9);
        let (a, b) = (clamp(p_resp), clamp(p_none));
        Detector {
            resp: [n * a, n * (1.0 - a)],
            none: [n * b, n * (1.0 - b)],
            windows: 0.0,
            responded: 0.0,
        }
    }

    /// Adds one window: whether the subject responded and whether the outcome occurred.
    pub fn observe(&mut self, responded: bool, outcome: bool) {
        let beta = if responded {
            &mut self.resp
        } else {
            &mut self.none
        };
        beta[usize::from(!outcome)] += 1.0;
        self.windows += 1.0;
        self.responded += f64::from(u8::from(responded));
    }

    /// Adds one observation worth `weight` windows (or episodes): evidence a subject
    /// discounts counts for less than one.
    pub fn add(&mut self, responded: bool, outcome: bool, weight: f64) {
        let beta = if responded {
            &mut self.resp
        } else {
            &mut self.none
        };
        beta[usize::from(!outcome)] += weight;
        self.windows += weight;
        self.responded += if responded { weight } else { 0.0 };
    }

    /// Forgets evidence: every count moves toward `prior`'s, keeping the fraction `keep`
    /// of the difference (exponential forgetting, so it composes over time).
    pub fn forget_toward(&mut self, prior: &Detector, keep: f64) {
        for (x, x0) in self.resp.iter_mut().zip(prior.resp) {
            *x = x0 + (*x - x0) * keep;
        }
        for (x, x0) in self.none.iter_mut().zip(prior.none) {
            *x = x0 + (*x - x0) * keep;
        }
        self.windows *= keep;
        self.responded *= keep;
    }

    /// Posterior mean of P(outcome | response).
    pub fn p_response(&self) -> f64 {
        self.resp[0] / (self.resp[0] + self.resp[1])
    }

    /// Posterior mean of P(outcome | no response).
    pub fn p_no_response(&self) -> f64 {
        self.none[0] / (self.none[0] + self.none[1])
    }

    /// ΔP = P(outcome | response) − P(outcome | no response): the controllability estimate.
    pub fn delta_p(&self) -> f64 {
        self.p_response() - self.p_no_response()
    }

    /// Number of windows observed (not counting the prior).
    pub fn windows(&self) -> f64 {
        self.windows
    }

    /// Number of windows with a response observed: how much responding has been tested.
    pub fn responded(&self) -> f64 {
        self.responded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Simulates windows where responses occur with probability `p_r` and relief occurs
    /// with probability `p_if_resp` after a response, `p_if_none` without.
    fn simulate(p_r: f64, p_if_resp: f64, p_if_none: f64, n: usize, seed: u64) -> Detector {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut d = Detector::new(0.5, 0.05, 4.0);
        for _ in 0..n {
            let r = rng.random_bool(p_r);
            let o = rng.random_bool(if r { p_if_resp } else { p_if_none });
            d.observe(r, o);
        }
        d
    }

    #[test]
    fn yoked_evidence_gives_delta_p_near_zero() {
        // Relief independent of responding (yoking): 5000 windows, P(relief) = 0.2.
        for seed in 0..5 {
            let d = simulate(0.6, 0.2, 0.2, 5000, seed);
            assert!(d.delta_p().abs() < 0.04, "ΔP = {}", d.delta_p());
        }
    }

    #[test]
    fn escape_evidence_gives_delta_p_near_one() {
        // Every response ends the stressor, nothing else does.
        for seed in 0..5 {
            let d = simulate(0.5, 1.0, 0.0, 5000, seed);
            assert!(d.delta_p() > 0.99, "ΔP = {}", d.delta_p());
        }
    }

    #[test]
    fn prior_sets_the_starting_estimate() {
        let d = Detector::new(0.8, 0.1, 10.0);
        assert!((d.delta_p() - 0.7).abs() < 1e-12);
        assert_eq!(d.windows(), 0.0);
    }
}
