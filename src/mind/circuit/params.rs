//! The circuit's parameters: one named, documented, range-checked constant each, and the
//! species presets.

use serde::{Deserialize, Serialize};

use crate::apparatus::Apparatus;
use crate::error::Error;
use crate::mind::expectation::Style;
use crate::mind::params::theory_params;

pub(super) const HOUR: f64 = 3600.0;
const DAY: f64 = 24.0 * HOUR;

/// A species preset: presets differ in time constants and apparatus only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Species {
    /// Rats (Maier laboratory): the defaults.
    Rat,
    /// Dogs (Seligman & Maier 1967).
    Dog,
    /// People (Hiroto & Seligman 1975).
    Human,
}

theory_params! {
    /// Every constant of [`CircuitMind`](super::CircuitMind), with units in the names (`_s`: seconds,
    /// `_ma`: milliamperes; rates are per second). Defaults are the rat preset,
    /// calibrated jointly on the published rat protocols (Maier laboratory, e.g.
    /// Amat et al. 2005, Nat Neurosci 8:365) and dog protocol (Seligman & Maier
    /// 1967, J Exp Psychol 74:1-9) and never per experiment; [`CircuitParams::dog`] differs in time constants and
    /// apparatus only.
    CircuitParams {
    /// Stimulus intensity that counts as u = 1, in the protocol's unit: 1 mA for rats,
    /// the middle of the Maier laboratory's tailshock range (1.0-1.6 mA).
    reference_intensity: 1.0, [1e-3, 1e4];
    /// Detector window δ, s: one Bernoulli observation of response and relief. About the
    /// span over which a rat links an action to its consequence.
    window_s: 1.0, [0.01, 60.0];
    /// DRN gain g_d: firing per unit of shock when nothing inhibits the DRN. Sets the
    /// unit of `d` (1 = a naive DRN under a 1 mA shock).
    drn_gain: 1.0, [0.0, 100.0];
    /// DRN firing time constant τ_d, s: DRN units follow shock within a second.
    drn_tau_s: 0.5, [0.01, 3600.0];
    /// Rate k_h at which DRN firing raises 5-HT in projection regions, per s: an
    /// uninhibited DRN under 1 mA reaches the sensitization threshold in about 10 s.
    serotonin_rate: 0.1, [0.0, 100.0];
    /// Clearance time constant τ_h of projection-region 5-HT, s (10 min): 5-HT builds
    /// over a session (Maswood 1998), so passivity appears after a few trials.
    serotonin_tau_s: 600.0, [0.1, 1e7];
    /// Sensitization rate κ_s, per s per unit of 5-HT above threshold: a yoked session of
    /// 80 tailshocks (about 1.5 h) brings the DRN near its maximum sensitization.
    sensitization_rate: 7e-4, [0.0, 1.0];
    /// 5-HT level θ_s above which the DRN sensitizes: only sustained, uncontrolled 5-HT
    /// release sensitizes (Amat 1998).
    sensitization_threshold: 1.0, [0.0, 1e3];
    /// Largest sensitization s_max (1 = none): a sensitized DRN answers a shock about
    /// four times as strongly, as 5-HT release to brief footshock 24 h after
    /// inescapable shock is several-fold exaggerated (Amat 1998).
    sensitization_max: 4.0, [1.0, 100.0];
    /// Decay time constant τ_s of sensitization, s (24 h): present at 24 h, gone by
    /// 72 h (Maier 1990; Amat 1998).
    sensitization_tau_s: 24.0 * HOUR, [1.0, 1e8];
    /// Response windows at which experienced control is half the estimate ΔP: control is
    /// experienced once responding has been tried a few times in the context.
    detection_half_windows: 3.0, [1e-3, 1e4];
    /// Slope k_m of the mPFC response to the controllability estimate: steep, so the
    /// mPFC is near off under yoking (ΔP ≈ 0) and near fully on under escape.
    mpfc_gain: 12.0, [1e-3, 1e3];
    /// Controllability θ_m at which mPFC output is half maximal. Below the 0.25 of the
    /// design prototype: with the titrated wheel-turn requirement an escaping rat's
    /// window-level ΔP is only about 1/latency (≈ 0.2), and 0.25 left some escapable
    /// rats undetected (helpless).
    mpfc_threshold: 0.15, [-1.0, 1.0];
    /// Strength ρ of mPFC inhibition of the DRN: an engaged mPFC silences an
    /// unsensitized DRN almost completely (Amat 2005), less so a sensitized one.
    mpfc_inhibition: 0.95, [0.0, 100.0];
    /// Learning rate η_w of the stress-evoked mPFC drive, per s of engaged mPFC per unit
    /// shock: one escapable session (about 7 min of shock) brings it near its maximum.
    stress_drive_rate: 0.08, [0.0, 100.0];
    /// Decay time constant τ_w of the stress-evoked drive, s (3 weeks): immunization
    /// lasts weeks (Amat 2006; Baratta 2009).
    stress_drive_tau_s: 21.0 * DAY, [1.0, 1e9];
    /// Largest stress-evoked drive w_max: enough to hold the mPFC on under a 1 mA shock
    /// whatever the detector says, even a week later (immunization, Amat 2006).
    stress_drive_max: 10.0, [1e-3, 1e3];
    /// Resting stress-evoked drive w0 of a naive subject: none.
    stress_drive_rest: 0.0, [0.0, 1e3];
    /// Largest escape-response rate r_max, per s: a rat can turn a wheel or cross a
    /// barrier within about a second (dogs: see [`CircuitParams::dog`]).
    escape_rate_max: 1.0, [1e-3, 100.0];
    /// Slope β of the response-rate sigmoid (its drives are in logit units).
    escape_rate_slope: 1.0, [1e-3, 100.0];
    /// Drive a_u of the shock itself on responding (per unit u): shock elicits
    /// activity, so a naive subject's first escape comes within seconds.
    shock_drive: 2.0, [-100.0, 100.0];
    /// Drive a_c of expected control on responding: trying follows the expectation
    /// that trying works.
    control_drive: 3.0, [-100.0, 100.0];
    /// Suppression a_5 of responding by projection-region 5-HT: the default passive
    /// response; a few units of 5-HT silence a subject.
    serotonin_suppression: 1.5, [0.0, 100.0];
    /// Pseudo-observations in the detector's prior in a first context, and in each
    /// expectation's prior (pseudo-episodes): a naive subject's expectation gives way
    /// after a few trials of evidence.
    prior_count: 4.0, [1e-3, 1e4];
    /// Growth of the prior's pseudo-count per window of evidence in past contexts: a
    /// long history is a firm belief, slow to revise (the 1967 learned expectancy).
    prior_count_growth: 0.3, [0.0, 100.0];
    /// Largest prior pseudo-count: even a long history can be revised.
    prior_count_max: 40.0, [1e-3, 1e6];
    /// Base relief probability b0 per window without a response: the prior belief that
    /// a stressor ends on its own within a second.
    base_relief: 0.05, [0.0, 1.0];
    /// Expectation of control a naive subject brings to every domain (its baseline, to
    /// which beliefs relax): undecided. The bundled protocols draw it per subject.
    initial_expectation: 0.5, [0.0, 1.0];
    /// Globality γ of the attributional style: how far evidence that attempts do not
    /// matter in one life domain spreads to the others and to the global expectation
    /// (0 specific, 1 global; Abramson, Seligman & Teasdale 1978). Undecided by default.
    globality: 0.5, [0.0, 1.0];
    /// Stability of the attributional style: how slowly beliefs and self-esteem relax
    /// toward baseline, τ = 1 day·3650^stability (0: a day; 0.5: two months; 1: ten
    /// years). 0.25 (τ ≈ 8 days) by default, calibrated with the other defaults on the
    /// rat time course: the deficit is large at 24 h and mostly gone at 72 h (Maier
    /// 1990). People's protocols draw their own.
    stability: 0.25, [0.0, 1.0];
    /// Internality of the attributional style: how much a failed attempt lowers
    /// self-esteem (0 blames circumstances, 1 oneself).
    internality: 0.5, [0.0, 1.0];
    /// Weight of an earned outcome as evidence of control (0: "it was luck").
    success_credit: 1.0, [0.0, 1.0];
    /// Locus of control (Rotter): how far below its domain's expectation a new
    /// context's prior starts (0 internal, 1 external).
    external_locus: 0.0, [0.0, 1.0];
    /// Weight of an untried, unsolved task as evidence that inaction fails: people
    /// weigh the no-action/no-outcome cell least (Wasserman et al. 1990), here half.
    /// It informs only P(outcome | no attempt), so avoidance leaves the belief that
    /// trying works untested.
    inaction_evidence: 0.5, [0.0, 1.0];
    /// Weight of one laboratory trial in the expectations, in episodes of a life's day
    /// clock: a trial lasts seconds, a day's opportunity in a domain is worth 1. At 0.02
    /// a session of 80 inescapable shocks halves a rat's expectation, as a few bad days
    /// would a person's.
    trial_evidence: 0.02, [0.0, 1.0];
    /// Base rate of trying on the day clock (logit units): a person who expects
    /// nothing of a domain still tries at about one opportunity in five (σ(−1.5)),
    /// one who expects full control at four in five.
    trying_base: -1.5, [-100.0, 100.0];
    /// Baseline self-esteem, 0..1, to which it relaxes.
    self_esteem: 0.5, [0.0, 1.0];
    /// Share of the way toward 0 or 1 one failed or earned attempt moves self-esteem.
    esteem_rate: 0.05, [0.0, 1.0];
    /// How far what a subject is told ("skill", "chance") moves a new context's prior
    /// toward full or no control, and how much "chance" discounts an earned outcome.
    instruction_weight: 0.5, [0.0, 1.0];
    /// Perfectionism: the bar an earned outcome must clear to count as a success. With
    /// outcomes of uniform quality, this share of successes counts as failed attempts
    /// (evidence and self-esteem); 0 counts every success.
    perfectionism: 0.0, [0.0, 1.0];
    /// Episodes of life the person's baseline already reflects. The baseline to which
    /// beliefs relax is the average, over every episode lived, of the expectation where
    /// it happened, so early years weigh most and a long life is hard to move: 0 for a
    /// newborn, 3650 (a decade of daily episodes) by default.
    lived_episodes: 3650.0, [0.0, 1e7];
    /// Rate α_q at which relief after a response strengthens it, gated by m: a subject
    /// that detects control learns the response in a few trials, one that does not
    /// learns slowly (the cognitive deficit).
    strength_learning_rate: 0.15, [0.0, 1.0];
    /// Largest escape-response strength q_max (logit units, like the drives).
    strength_max: 1.0, [-100.0, 100.0];
    /// This subject's bias toward active responding, added to every response strength;
    /// 0 on average, drawn per subject for individual differences.
    response_bias: 0.0, [-100.0, 100.0];
    /// Naive strength of a panel press in a harness. Calibration found no need to make
    /// it harder to come by than the other responses.
    naive_strength_harness: -1.0, [-100.0, 100.0];
    /// Naive strength of a quarter turn of a wheel: with a 1 mA shock a naive rat turns
    /// within about a second.
    naive_strength_wheel: -1.0, [-100.0, 100.0];
    /// Naive strength of a shuttle-box crossing: a naive rat escapes a 0.6 mA FR-2 trial
    /// in about 2 s, a naive dog a 4.5 mA trial in about 10 s.
    naive_strength_shuttle: -1.0, [-100.0, 100.0];
    /// Naive strength of a button press that ends a tone.
    naive_strength_button: -1.0, [-100.0, 100.0];
    /// Naive strength of moving a finger-shuttle knob across.
    naive_strength_hand_shuttle: -1.0, [-100.0, 100.0];
    /// Naive strength of a try at a problem's solution: like the other responses.
    naive_strength_problems: -1.0, [-100.0, 100.0];
    /// Naive strength of a key press to a cue: like the other responses.
    naive_strength_key: -1.0, [-100.0, 100.0];
    /// Rate α_f of contextual fear conditioning, per s per unit shock per unit of
    /// (fear_base + 5-HT): 5-HT potentiates fear learning, so uncontrolled shock
    /// conditions more fear than controlled shock (Maier 1990).
    fear_rate: 0.002, [0.0, 10.0];
    /// Fear learning without 5-HT (in units of h).
    fear_base: 0.1, [0.0, 100.0];
    /// Decay time constant of conditioned fear without extinction, s (30 days): freezing
    /// to the context outlasts the escape deficit (Maier 1990).
    fear_tau_s: 30.0 * DAY, [1.0, 1e9];
    /// Fraction of a context's fear expressed in another context where shock happened.
    fear_generalization: 0.5, [0.0, 1.0];
    /// Time constant of the receptor adaptation that chronic antidepressants produce,
    /// days: their effect needs days of dosing.
    antidepressant_adaptation_days: 3.0, [1e-3, 1e4];
    /// Adaptation (0-1) at which an antidepressant's effect is half maximal.
    antidepressant_threshold: 0.7, [0.0, 1.0];
    /// Steepness of the antidepressant effect in adaptation.
    antidepressant_slope: 40.0, [1e-3, 1e4];
    /// Largest fraction of DRN output an adapted antidepressant removes.
    antidepressant_max: 0.9, [0.0, 1.0];
    }
}

impl CircuitParams {
    /// The rat preset (Maier laboratory; the defaults).
    pub fn rat() -> Self {
        Self::default()
    }

    /// The dog preset (Seligman & Maier 1967): slower responding (shuttle latencies of
    /// 5-10 s, as dogs show) and the 6 mA harness shock as the reference.
    ///
    /// ```
    /// use helplessness::CircuitParams;
    /// let dog = CircuitParams::dog();
    /// assert!(dog.escape_rate_max < CircuitParams::rat().escape_rate_max);
    /// assert!(dog.validate().is_ok());
    /// ```
    pub fn dog() -> Self {
        CircuitParams {
            reference_intensity: 6.0,
            escape_rate_max: 0.1,
            ..Self::default()
        }
    }

    /// The human preset (Hiroto & Seligman 1975): intensities are sound levels, with
    /// a 90 dB tone as the reference; responses as quick as a rat's.
    ///
    /// ```
    /// assert_eq!(helplessness::CircuitParams::human().reference_intensity, 90.0);
    /// ```
    pub fn human() -> Self {
        CircuitParams {
            reference_intensity: 90.0,
            ..Self::default()
        }
    }

    /// The preset of `species`.
    pub fn for_species(species: Species) -> Self {
        match species {
            Species::Rat => Self::rat(),
            Species::Dog => Self::dog(),
            Species::Human => Self::human(),
        }
    }

    /// The attributional style and traits these parameters give.
    pub fn style(&self) -> Style {
        Style {
            globality: self.globality,
            stability: self.stability,
            internality: self.internality,
            success_credit: self.success_credit,
            external_locus: self.external_locus,
            inaction_evidence: self.inaction_evidence,
            esteem_rate: self.esteem_rate,
            instruction_weight: self.instruction_weight,
            perfectionism: self.perfectionism,
            lived_episodes: self.lived_episodes,
        }
    }

    /// Checks every value and the relations between them.
    pub fn validate(&self) -> Result<(), Error> {
        self.check_each()?;
        if self.drn_tau_s >= self.serotonin_tau_s {
            return Err(Error::invalid(
                "params.drn_tau_s",
                self.drn_tau_s,
                format!(
                    "must be shorter than serotonin_tau_s ({})",
                    self.serotonin_tau_s
                ),
            ));
        }
        if self.sensitization_max <= 1.0 {
            return Err(Error::invalid(
                "params.sensitization_max",
                self.sensitization_max,
                "must be > 1 (1 means no sensitization)",
            ));
        }
        if self.stress_drive_rest > self.stress_drive_max {
            return Err(Error::invalid(
                "params.stress_drive_rest",
                self.stress_drive_rest,
                format!("must be <= stress_drive_max ({})", self.stress_drive_max),
            ));
        }
        if self.base_relief >= 1.0 {
            return Err(Error::invalid(
                "params.base_relief",
                self.base_relief,
                "must be < 1",
            ));
        }
        Ok(())
    }

    /// Naive strength of `apparatus`'s escape response.
    pub fn naive_strength(&self, apparatus: Apparatus) -> f64 {
        match apparatus {
            Apparatus::Harness => self.naive_strength_harness,
            Apparatus::WheelTurn => self.naive_strength_wheel,
            Apparatus::ShuttleBox => self.naive_strength_shuttle,
            Apparatus::Button => self.naive_strength_button,
            Apparatus::HandShuttle => self.naive_strength_hand_shuttle,
            Apparatus::Problems => self.naive_strength_problems,
            Apparatus::GoNogo => self.naive_strength_key,
        }
    }
}

impl crate::mind::variation::Drawable for CircuitParams {
    fn value(&self, name: &str) -> Option<f64> {
        self.get(name)
    }
    fn assign(&mut self, name: &str, value: f64) -> Result<(), Error> {
        self.set(name, value)
    }
}
