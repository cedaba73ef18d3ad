//! Closed-form numerics: the exact decay factors of one step, and a short series for
//! e^(−x) at the tiny arguments of a tick.

use super::CircuitParams;
use crate::math::exp;

/// Exponential decay factors for one step length, and the step's coefficients of the
/// exact h update: everything in a tick that depends only on the parameters and dt.
#[derive(Debug, Clone, Copy)]
pub(super) struct Decay {
    pub(super) dt: f64,
    pub(super) d: f64,
    pub(super) h: f64,
    pub(super) s: f64,
    pub(super) w: f64,
    /// h gained over the step per unit of the DRN's target d∞: k_h·τ_h·(1 − e^(−dt/τ_h)).
    pub(super) h_from_target: f64,
    /// h gained per unit of the DRN's initial distance from its target, d0 − d∞.
    pub(super) h_from_gap: f64,
}

impl Decay {
    #[inline]
    pub(super) fn new(p: &CircuitParams, dt: f64) -> Self {
        let d = exp(-dt / p.drn_tau_s);
        let h = exp(-dt / p.serotonin_tau_s);
        let rate_gap = 1.0 / p.drn_tau_s - 1.0 / p.serotonin_tau_s;
        Decay {
            dt,
            d,
            h,
            s: exp(-dt / p.sensitization_tau_s),
            w: exp(-dt / p.stress_drive_tau_s),
            h_from_target: p.serotonin_rate * p.serotonin_tau_s * (1.0 - h),
            h_from_gap: p.serotonin_rate * (h - d) / rate_gap,
        }
    }
}

/// e^(−x) for x ≥ 0. Within a tick the rates of sensitization, drive learning and fear
/// conditioning times dt are far below 10⁻³, where five terms of the series are exact
/// to the last bit or one off; larger arguments use the library exponential.
#[inline]
pub(super) fn exp_neg(x: f64) -> f64 {
    if x < 1e-3 {
        1.0 - x * (1.0 - x * (0.5 - x * (1.0 / 6.0 - x * (1.0 / 24.0))))
    } else {
        exp(-x)
    }
}
