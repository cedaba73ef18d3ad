//! The circuit's channels: what each drug and infusion does to the mPFC, the DRN, fear
//! and activity. Interventions are the protocol's; this mapping is the circuit's own.

use serde::{Deserialize, Serialize};

use crate::intervention::{Intervention, Site};

/// The pharmacological state of a subject during a session. Channels are fractions in
/// [0, 1] except `antidepressant_days` and `activity`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Condition {
    /// mPFC output removed (muscimol).
    pub mpfc_inactivation: f64,
    /// mPFC output pushed toward maximum (picrotoxin).
    pub mpfc_activation: f64,
    /// Learning of the stress-evoked mPFC drive blocked (anisomycin).
    pub plasticity_block: f64,
    /// DRN activation removed (benzodiazepine, 5-HT1A agonist).
    pub drn_inhibition: f64,
    /// Fear learning and expression removed (systemic anxiolytics).
    pub fear_block: f64,
    /// Days of chronic antidepressant so far.
    pub antidepressant_days: f64,
    /// Added drive toward activity (stimulants), logit units.
    pub activity: f64,
}

/// Combines two fractional effects acting independently: 1 − (1 − a)(1 − b).
fn both(a: f64, b: f64) -> f64 {
    1.0 - (1.0 - a) * (1.0 - b)
}

/// Adds `intervention`'s effect on the circuit's channels to `c`.
fn apply(intervention: &Intervention, c: &mut Condition) {
    match *intervention {
        Intervention::Muscimol { strength } => {
            c.mpfc_inactivation = both(c.mpfc_inactivation, strength)
        }
        Intervention::Picrotoxin { strength } => {
            c.mpfc_activation = both(c.mpfc_activation, strength)
        }
        Intervention::Anisomycin { strength } => {
            c.plasticity_block = both(c.plasticity_block, strength)
        }
        Intervention::Benzodiazepine {
            site,
            strength,
            drn,
            fear,
        } => {
            c.drn_inhibition = both(c.drn_inhibition, drn.unwrap_or(strength));
            if site == Site::Systemic {
                c.fear_block = both(c.fear_block, fear.unwrap_or(strength));
            }
        }
        Intervention::Agonist5ht1a { strength } => {
            c.drn_inhibition = both(c.drn_inhibition, strength)
        }
        Intervention::Antidepressant { days } => c.antidepressant_days += f64::from(days),
        Intervention::Anxiolytic { strength, .. } => c.fear_block = both(c.fear_block, strength),
        Intervention::Stimulant { strength, .. } => c.activity += strength,
        Intervention::ForcedExposure { .. } => {}
    }
}

/// The condition a list of interventions produces.
///
/// ```
/// use helplessness::{intervention::Intervention, mind::circuit::condition_of};
/// let c = condition_of(&[Intervention::Muscimol { strength: 1.0 }]);
/// assert_eq!(c.mpfc_inactivation, 1.0);
/// ```
pub fn condition_of(interventions: &[Intervention]) -> Condition {
    let mut c = Condition::default();
    for i in interventions {
        apply(i, &mut c);
    }
    c
}
