//! Closed-form numerics: the exact decay factors of one step under a stimulus, and a
//! short series for e^(−x) at the tiny arguments of slow time constants.

use super::CircuitParams;
use crate::math::exp;

/// Where the two Gauss-Legendre nodes of a step lie, as fractions of its length:
/// ½ ∓ 1/(2√3). The rule integrates cubics exactly with two evaluations.
pub(super) const NODES: [f64; 2] = [0.5 - 0.288_675_134_594_812_9, 0.5 + 0.288_675_134_594_812_9];

/// How h moves over a span of x s with the DRN relaxing from d0 toward d∞:
/// h(x) = h0·`keep` + d∞·`from_target` + (d0 − d∞)·`from_gap`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Serotonin {
    /// e^(−x/τ_h).
    pub(super) keep: f64,
    /// k_h·τ_h·(1 − e^(−x/τ_h)).
    pub(super) from_target: f64,
    /// k_h·(e^(−x/τ_h) − e^(−x/τ_d))/(1/τ_d − 1/τ_h).
    pub(super) from_gap: f64,
}

impl Serotonin {
    fn new(r: &Rates, keep_h: f64, keep_d: f64) -> Self {
        Serotonin {
            keep: keep_h,
            from_target: r.serotonin_gain * (1.0 - keep_h),
            from_gap: r.serotonin_rate * (keep_h - keep_d) * r.per_gap,
        }
    }
}

/// The time constants a step's decay factors need, as rates (their reciprocals), so
/// that a step cut short by an attempt multiplies where it would divide.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rates {
    drn: f64,
    serotonin: f64,
    sensitization: f64,
    stress_drive: f64,
    serotonin_rate: f64,
    /// k_h·τ_h.
    serotonin_gain: f64,
    /// 1/(1/τ_d − 1/τ_h).
    per_gap: f64,
}

impl Rates {
    pub(super) fn new(p: &CircuitParams) -> Self {
        Rates {
            drn: 1.0 / p.drn_tau_s,
            serotonin: 1.0 / p.serotonin_tau_s,
            sensitization: 1.0 / p.sensitization_tau_s,
            stress_drive: 1.0 / p.stress_drive_tau_s,
            serotonin_rate: p.serotonin_rate,
            serotonin_gain: p.serotonin_rate * p.serotonin_tau_s,
            per_gap: 1.0 / (1.0 / p.drn_tau_s - 1.0 / p.serotonin_tau_s),
        }
    }
}

/// Everything in a step of `len` s under a stimulus that depends only on the
/// parameters and its length: decay factors at its end, and h's coefficients at its
/// end and at its two quadrature nodes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Decay {
    pub(super) len: f64,
    pub(super) d: f64,
    pub(super) s: f64,
    pub(super) w: f64,
    pub(super) h: Serotonin,
    pub(super) nodes: [Serotonin; 2],
}

impl Decay {
    pub(super) fn new(r: &Rates, len: f64) -> Self {
        let x1 = len * NODES[0];
        let d = exp(-len * r.drn);
        let d1 = exp(-x1 * r.drn);
        // The second node is as far from the end as the first from the start.
        let d2 = if d1 > 0.0 { d / d1 } else { 0.0 };
        let h = exp_neg(len * r.serotonin);
        let h1 = exp_neg(x1 * r.serotonin);
        let h2 = h / h1;
        Decay {
            len,
            d,
            s: exp_neg(len * r.sensitization),
            w: exp_neg(len * r.stress_drive),
            h: Serotonin::new(r, h, d),
            nodes: [Serotonin::new(r, h1, d1), Serotonin::new(r, h2, d2)],
        }
    }
}

/// e^(−x) for x ≥ 0. Below 4·10⁻³ (a second against time constants of minutes to
/// weeks, or a step's sensitization, drive learning and fear conditioning) six terms
/// of the series are exact to the last bit or one off; larger arguments use the
/// library exponential.
#[inline]
pub(super) fn exp_neg(x: f64) -> f64 {
    if x < 4e-3 {
        1.0 - x * (1.0 - x * (0.5 - x * (1.0 / 6.0 - x * (1.0 / 24.0 - x * (1.0 / 120.0)))))
    } else {
        exp(-x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_series_agrees_with_the_exponential() {
        for i in 0..=400 {
            let x = 4e-3 * f64::from(i) / 400.0;
            let (a, b) = (exp_neg(x), exp(-x));
            assert!((a - b).abs() <= 2.0 * f64::EPSILON * b, "{x}: {a} vs {b}");
        }
    }

    #[test]
    fn node_coefficients_are_those_of_their_own_span() {
        let r = Rates::new(&CircuitParams::rat());
        let step = Decay::new(&r, 0.8);
        for (node, x) in step.nodes.iter().zip(NODES) {
            let own = Decay::new(&r, 0.8 * x).h;
            assert!((node.keep - own.keep).abs() < 1e-15);
            assert!((node.from_target - own.from_target).abs() < 1e-13);
            assert!((node.from_gap - own.from_gap).abs() < 1e-13);
        }
    }
}
