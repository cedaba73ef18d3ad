//! `CircuitMind`: DRN default passivity and an mPFC controllability detector
//! (Maier & Seligman 2016, "Learned helplessness at fifty").
//!
//! State and equations (u = intensity / `reference_intensity` while a shock is on, else 0):
//!
//! | symbol | meaning | dynamics |
//! |---|---|---|
//! | `c` | controllability estimate | ΔP of the [`Detector`], priors set by `G` |
//! | `m` | mPFC output | `m = σ(k_m·(c − θ_m) + w·u)` |
//! | `d` | DRN 5-HT firing (fast) | `τ_d·ḋ = g_d·s·u·max(0, 1 − ρ·m/s) − d` |
//! | `h` | 5-HT in projection regions | `ḣ = k_h·d − h/τ_h` |
//! | `s` | DRN sensitization (1..s_max) | `ṡ = κ_s·max(0, h − θ_s)·(s_max − s)/(s_max − 1) − (s − 1)/τ_s` |
//! | `w` | stress-evoked mPFC drive | `ẇ = η_w·max(0, m* − ½)·u·(1 − w/w_max) − (w − w0)/τ_w`, with m* the output for experienced control c·n/(n + n½) (n response windows); what a session adds acts at once and is kept at its end only without a protein-synthesis block |
//! | `f` | conditioned fear of each context | `ḟ = α_f·u·(b_f + h)·(1 − fear block)·(1 − f) − f/τ_f`; freezing = max(own, γ·other contexts') |
//! | `E`, `G` | expectation of control in the session's domain, and global | per episode, see [`Expectations`]; a new context's detector prior is `E` |
//! | `esteem` | self-esteem | per attempt, see [`Expectations`] |
//! | `q` | escape-response strength | after a response followed by relief: `q += α_q·m·(q_max − q)` |
//! | `r` | escape-response rate | `r = r_max·σ(β·(q + bias + a_u·u + a_c·c − a_5·h))` |
//!
//! Between shocks the state relaxes in closed form: `d`, `h` and `w` exactly, `s`
//! exactly up to one smooth, nearly constant integral taken by Simpson's rule (agrees
//! with fine-step integration to 1e-9; see the tests).
//!
//! During a shock the circuit steps a detector window at a time (windows longer than
//! a second in equal parts of at most a second), cut short only by the subject's
//! attempts and the stimulus's end. The mPFC output and the drive's learning rate are
//! held over the whole window at their values at its start (the estimate they answer
//! moves only when a window closes), s over each step at its start: then `d` relaxes
//! exponentially toward its target and `h` follows in closed form, exactly. The attempt
//! rate depends on the step only through `h`, so its integral over the step (the
//! integrated hazard that places attempts) is taken by two-point Gauss-Legendre
//! quadrature on the exact `h`, and an attempt falls where the integral of the rate's
//! parabola through the step's start and the two nodes reaches the engine's Exp(1)
//! draw; `s`, `w` and fear grow with the step's mean 5-HT. Ten ticks of 0.1 s cost one
//! step.
//!
//! Drugs act through the session's [`Condition`]: `m` is scaled by (1 − inactivation)
//! and pushed toward 1 by activation, the DRN's drive is scaled by (1 − DRN
//! inhibition) and by (1 − the adapted antidepressant effect), fear by (1 − fear
//! block), and stimulants add to the response drive. An antidepressant course of n days
//! adapts receptors as a = 1 − e^(−n/τ_ad); its effect is `max·σ(slope·(a − θ))`.
//!
//! `w_max` bounds the learned drive; `q` replaces the prototype's constant response
//! bias `a0`.

use super::detector::Detector;
use super::expectation::Expectations;
use super::variation::Variation;
use super::{Episode, Mind, MindFactory, Outcome, Session, State, Variable};
use crate::apparatus::Apparatus;
use crate::error::Error;
use crate::math::{exp, ln};
use crate::mind::{EpisodeClock, Observer, tick_run};
use crate::subject::{SubjectId, SubjectRng};

mod condition;
mod params;
mod relax;

pub use condition::{Condition, condition_of};
pub use params::{CircuitParams, Species};
use relax::{Decay, NODES, Rates, exp_neg};

/// Longest step the circuit takes under a stimulus, s.
const MAX_STEP_S: f64 = 1.0;

/// The default theory of the subject: see the [module docs](self).
///
/// ```
/// use helplessness::{Apparatus, CircuitMind, CircuitParams, Mind, Session};
/// use helplessness::mind::{Episode, Outcome};
/// let mut mind = CircuitMind::new(CircuitParams::rat()).unwrap();
/// mind.begin_session(&Session::new(0, Apparatus::WheelTurn));
/// mind.onset(&Episode::aversive(1.0));
/// for _ in 0..300 { mind.advance(0.1); } // 30 s of inescapable shock
/// mind.outcome(Outcome::Unearned);
/// mind.offset();
/// assert!(mind.state().get("h").unwrap() > 0.0); // 5-HT has built up
/// ```
#[derive(Debug, Clone)]
pub struct CircuitMind {
    p: CircuitParams,
    /// Current aversive input u (0 when off).
    u: f64,
    c: f64,
    m: f64,
    d: f64,
    h: f64,
    s: f64,
    w: f64,
    /// Stress-evoked drive learned this session, not yet consolidated: it acts at once,
    /// and joins `w` at the session's end unless protein synthesis is blocked.
    w_new: f64,
    /// Expectations of control across episodes, domains and days, and self-esteem.
    expect: Expectations,
    /// Response strength per apparatus; NaN until first used.
    q: [f64; Apparatus::COUNT],
    apparatus: Apparatus,
    detector: Detector,
    context: usize,
    /// Detectors and fear of contexts left, by context index.
    contexts: Vec<(usize, Detector, f64)>,
    /// Conditioned fear of the current context.
    fear: f64,
    /// Drugs acting in the current session.
    condition: Condition,
    /// How the current episode ended, once heard.
    ending: Outcome,
    /// DRN drive kept by the current condition (1 = drug-free).
    drn_kept: f64,
    /// Windows of evidence gathered in past contexts.
    experience: f64,
    /// Windows observed in the current session.
    session_windows: f64,
    window_elapsed: f64,
    window_responded: bool,
    /// 1/τ_d − 1/τ_h, used by the exact h update.
    rate_gap: f64,
    /// κ_s/(s_max − 1): sensitization growth per unit of 5-HT above threshold.
    sensitization_scale: f64,
    /// Decay factors of a full step (a window, or an equal part of one no longer than
    /// [`MAX_STEP_S`]); steps cut short compute their own from `rates`.
    step: Decay,
    rates: Rates,
    /// mPFC output and the drive's learning rate held over the current window (the
    /// estimate moves only when a window closes; a drive being learned moves the output
    /// too little within one to matter). None until the window's first step, or set at
    /// an episode's onset for its first window.
    held: Option<(f64, f64)>,
}

impl CircuitMind {
    /// The variables a circuit reports on every record, in column order.
    pub const VARIABLES: &'static [Variable] = &[
        Variable::new(
            "c",
            "1",
            "controllability estimate (ΔP of the mPFC detector), -1..1",
        )
        .within(-1.0, 1.0),
        Variable::new("m", "1", "mPFC output, 0..1").within(0.0, 1.0),
        Variable::new("d", "rel.", "DRN 5-HT firing (fast)"),
        Variable::new("h", "rel.", "projection-region 5-HT (slow; DRN targets)"),
        Variable::new("s", "1", "DRN sensitization, 1 (none) to its maximum"),
        Variable::new("w", "1", "stress-evoked mPFC drive (learned; immunization)"),
        Expectations::G,
        Variable::new(
            "q",
            "1",
            "escape-response strength (of the apparatus's response)",
        ),
        Variable::new(
            "fear",
            "1",
            "freezing (conditioned fear expressed in the context), 0..1",
        )
        .within(0.0, 1.0),
        Expectations::E,
        Expectations::ESTEEM,
    ];

    /// A naive subject with parameters `p`.
    pub fn new(p: CircuitParams) -> Result<Self, Error> {
        p.validate()?;
        let expect = Expectations::new(
            p.base_relief,
            p.initial_expectation,
            p.prior_count,
            p.self_esteem,
            p.style(),
        )
        .with_trial_evidence(p.trial_evidence);
        let detector = Self::prior(&p, expect.new_context(), p.prior_count);
        let rates = Rates::new(&p);
        Ok(CircuitMind {
            rate_gap: 1.0 / p.drn_tau_s - 1.0 / p.serotonin_tau_s,
            sensitization_scale: p.sensitization_rate / (p.sensitization_max - 1.0),
            c: detector.delta_p(),
            m: 0.0,
            d: 0.0,
            h: 0.0,
            s: 1.0,
            w: p.stress_drive_rest,
            w_new: 0.0,
            expect,
            q: [f64::NAN; Apparatus::COUNT],
            apparatus: Apparatus::ShuttleBox,
            detector,
            context: usize::MAX,
            contexts: Vec::new(),
            fear: 0.0,
            condition: Condition::default(),
            ending: Outcome::Unearned,
            drn_kept: 1.0,
            experience: 0.0,
            session_windows: 0.0,
            window_elapsed: 0.0,
            window_responded: false,
            step: Decay::new(&rates, p.window_s / (p.window_s / MAX_STEP_S).ceil()),
            rates,
            held: None,
            u: 0.0,
            p,
        })
    }

    /// The parameters of this subject.
    pub fn params(&self) -> &CircuitParams {
        &self.p
    }

    /// The detector's prior given an expectation of control `g`: relief follows a
    /// response with probability b0 + G·(1 − b0), and comes without one at b0.
    fn prior(p: &CircuitParams, g: f64, count: f64) -> Detector {
        let b0 = p.base_relief;
        Detector::new(b0 + g * (1.0 - b0), b0, count)
    }

    fn sigmoid(x: f64) -> f64 {
        1.0 / (1.0 + exp(-x))
    }

    /// mPFC output under input `u`, after any inactivation or activation.
    fn mpfc(&self, u: f64) -> f64 {
        self.mpfc_given(self.c, u)
    }

    /// mPFC output for a controllability estimate `c` under input `u`.
    fn mpfc_given(&self, estimate: f64, u: f64) -> f64 {
        let drive = self.w + self.w_new;
        let own = Self::sigmoid(self.p.mpfc_gain * (estimate - self.p.mpfc_threshold) + drive * u);
        let c = &self.condition;
        let m = (1.0 - c.mpfc_inactivation) * own;
        m + c.mpfc_activation * (1.0 - m)
    }

    /// Growth rate of the stress-evoked drive under input `u`: proportional to how far
    /// experienced control carries the mPFC past half output. Unmodulated, the mPFC is
    /// at or below half exactly when its input is not positive, so no sigmoid is needed
    /// then.
    fn learning_rate(&self, u: f64) -> f64 {
        let p = &self.p;
        let detected = self.detected();
        let unmodulated =
            self.condition.mpfc_inactivation == 0.0 && self.condition.mpfc_activation == 0.0;
        if unmodulated
            && p.mpfc_gain * (detected - p.mpfc_threshold) + (self.w + self.w_new) * u <= 0.0
        {
            return 0.0;
        }
        let m_learn = self.mpfc_given(detected, u);
        p.stress_drive_rate / p.stress_drive_max * (m_learn - 0.5).max(0.0) * u
    }

    /// The detector of a context met for the first time: the prior set by G, as firm as
    /// past experience makes it.
    fn fresh_prior(&self) -> Detector {
        let count = (self.p.prior_count + self.p.prior_count_growth * self.experience)
            .min(self.p.prior_count_max.max(self.p.prior_count));
        Self::prior(&self.p, self.expect.new_context(), count)
    }

    /// Control the subject has experienced: the estimate ΔP weighted by how much
    /// responding has been tried in this context, n/(n + n½). The mPFC acts on the full
    /// estimate, prior included, but its lasting drive `w` is learned only from
    /// experienced control (or forced activation): a subject that stops responding under
    /// yoked shock does not learn immunity from an untested prior.
    fn detected(&self) -> f64 {
        let n = self.detector.responded();
        self.c * n / (n + self.p.detection_half_windows)
    }

    /// Fraction of DRN drive an antidepressant course of `days` leaves.
    fn antidepressant_kept(&self, days: f64) -> f64 {
        if days <= 0.0 {
            return 1.0;
        }
        let p = &self.p;
        let adapted = 1.0 - exp(-days / p.antidepressant_adaptation_days);
        let effect = Self::sigmoid(p.antidepressant_slope * (adapted - p.antidepressant_threshold));
        1.0 - p.antidepressant_max * effect
    }

    /// Freezing in the current context: its own fear, or a generalized share of the
    /// strongest fear of another context, whichever is larger, less any fear block.
    fn freezing(&self) -> f64 {
        let other = self.contexts.iter().map(|(_, _, f)| *f).fold(0.0, f64::max);
        let expressed = self.fear.max(self.p.fear_generalization * other);
        (1.0 - self.condition.fear_block) * expressed
    }

    fn strength(&self) -> f64 {
        let q = self.q[self.apparatus.index()];
        if q.is_nan() {
            self.p.naive_strength(self.apparatus)
        } else {
            q
        }
    }

    fn close_window(&mut self, outcome: bool) {
        self.detector.observe(self.window_responded, outcome);
        self.c = self.detector.delta_p();
        self.session_windows += 1.0;
        self.window_elapsed = 0.0;
        self.window_responded = false;
        self.held = None;
    }

    /// The start of a step of `len` s under the current input: the inputs held over it
    /// and 5-HT at its quadrature nodes.
    fn plan(&mut self, len: f64) -> Step {
        let u = self.u;
        let (m, learn) = match self.held {
            Some(held) => held,
            None => {
                let held = (self.mpfc(u), self.learning_rate(u));
                self.held = Some(held);
                held
            }
        };
        let p = &self.p;
        // s·(1 − ρ·m/s), the sensitized DRN less mPFC inhibition, without the division.
        let d_target = self.drn_kept * p.drn_gain * u * (self.s - p.mpfc_inhibition * m).max(0.0);
        self.replan(len, Held { m, learn, d_target })
    }

    /// A step of `len` s from the current state with inputs `held`.
    fn replan(&self, len: f64, held: Held) -> Step {
        let decay = if len == self.step.len {
            self.step
        } else {
            Decay::new(&self.rates, len)
        };
        let (h0, gap) = (self.h, self.d - held.d_target);
        let h_at =
            |n: &relax::Serotonin| h0 * n.keep + n.from_target * held.d_target + n.from_gap * gap;
        Step {
            decay,
            held,
            h_nodes: [h_at(&decay.nodes[0]), h_at(&decay.nodes[1])],
        }
    }

    /// Takes a planned step: d and h exactly, s, the drive and fear with the step's
    /// mean 5-HT.
    fn apply(&mut self, step: &Step) {
        let Step {
            decay,
            held: Held { m, learn, d_target },
            h_nodes,
        } = *step;
        let dt = decay.len;
        let p = &self.p;
        self.m = m;
        let (d0, h0) = (self.d, self.h);
        let h1 =
            h0 * decay.h.keep + decay.h.from_target * d_target + decay.h.from_gap * (d0 - d_target);
        let d1 = d_target + (d0 - d_target) * decay.d;
        let h_mean = 0.5 * (h_nodes[0] + h_nodes[1]);
        let growth = self.sensitization_scale * (h_mean - p.sensitization_threshold).max(0.0);
        let mut s1 = self.s;
        if growth > 0.0 {
            s1 = p.sensitization_max - (p.sensitization_max - s1) * exp_neg(growth * dt);
        }
        s1 = 1.0 + (s1 - 1.0) * decay.s;
        if learn > 0.0 {
            let total = self.w + self.w_new;
            let grown = p.stress_drive_max - (p.stress_drive_max - total) * exp_neg(learn * dt);
            self.w_new += grown - total;
        }
        let w1 = p.stress_drive_rest + (self.w - p.stress_drive_rest) * decay.w;
        let conditioning =
            p.fear_rate * self.u * (p.fear_base + h_mean) * (1.0 - self.condition.fear_block);
        self.fear = 1.0 - (1.0 - self.fear) * exp_neg(conditioning * dt);
        self.d = d1;
        self.h = h1;
        self.s = s1;
        self.w = w1;
    }

    /// Integrates `len` s under the current input, inputs held over the step.
    fn integrate(&mut self, len: f64) {
        let step = self.plan(len);
        self.apply(&step);
    }

    /// The next step with `left` s of the span to go: to the end of the current step of
    /// the window, or `None` when the rest of the span is shorter (or as long).
    fn step_short_of(&self, left: f64) -> Option<f64> {
        let room = (self.p.window_s - self.window_elapsed).min(self.step.len);
        (room < left - 1e-9).then_some(room)
    }

    /// `len` s pass in the current window; closes it at its end.
    fn pass(&mut self, len: f64) {
        self.window_elapsed += len;
        if self.window_elapsed >= self.p.window_s - 1e-9 {
            self.close_window(false);
        }
    }

    /// Drive of the attempt rate but for 5-HT's suppression, in logit units.
    fn rate_drive(&self) -> f64 {
        let p = &self.p;
        self.strength()
            + p.response_bias
            + self.condition.activity
            + p.shock_drive * self.u
            + p.control_drive * self.c
    }

    /// The attempt rate with drive `drive` (see [`Self::rate_drive`]) at 5-HT `h`.
    fn rate_at(&self, drive: f64, h: f64) -> f64 {
        let p = &self.p;
        p.escape_rate_max
            * Self::sigmoid(p.escape_rate_slope * (drive - p.serotonin_suppression * h))
    }

    /// Tells `observe` the state at each tick of `clock`'s grid strictly inside a step
    /// of `len` s from now, integrating copies of the mind.
    fn observe_ticks(&self, clock: &EpisodeClock, len: f64, observe: &mut dyn FnMut(f64, State)) {
        let (t0, dt) = (clock.t(), clock.dt());
        // The first grid point past t0 (one a rounding below t0 counts as t0).
        let mut k = ((t0 + 1e-9) / dt).floor() + 1.0;
        while k * dt < t0 + len - 1e-9 {
            let mut probe = self.clone();
            probe.integrate(k * dt - t0);
            observe(k * dt, probe.state());
            k += 1.0;
        }
    }
    /// Serotonin in projection regions `t` s into a stimulus-free interval that began
    /// with `h0`, `d0`: h(t) = (h0 + K)·e^(−t/τ_h) − K·e^(−t/τ_d).
    fn h_free(&self, h0: f64, d0: f64, t: f64) -> f64 {
        let k = self.p.serotonin_rate * d0 / self.rate_gap;
        (h0 + k) * exp(-t / self.p.serotonin_tau_s) - k * exp(-t / self.p.drn_tau_s)
    }

    /// ∫ₐᵇ (h(t) − θ_s) dt over a stimulus-free interval, given the decay factors
    /// (e^(−a/τ_h), e^(−b/τ_h)) and (e^(−a/τ_d), e^(−b/τ_d)), which a caller stepping
    /// b along a grid carries from point to point.
    fn h_excess_integral(
        &self,
        (h0, d0): (f64, f64),
        (a, b): (f64, f64),
        (a_h, b_h): (f64, f64),
        (a_d, b_d): (f64, f64),
    ) -> f64 {
        let p = &self.p;
        let k = p.serotonin_rate * d0 / self.rate_gap;
        let (th, td) = (p.serotonin_tau_s, p.drn_tau_s);
        (h0 + k) * th * (a_h - b_h) - k * td * (a_d - b_d) - p.sensitization_threshold * (b - a)
    }

    /// The interval within [0, T] where h(t) > θ_s in a stimulus-free interval. h rises
    /// briefly while d decays, then falls, so the set is one interval.
    fn excess_interval(&self, h0: f64, d0: f64, total: f64) -> Option<(f64, f64)> {
        let p = &self.p;
        let theta = p.sensitization_threshold;
        let k = p.serotonin_rate * d0 / self.rate_gap;
        // h − θ_s and its slope, for Newton's method kept inside a shrinking bracket.
        let (th, td) = (p.serotonin_tau_s, p.drn_tau_s);
        let with_slope = |t: f64| {
            let (eh, ed) = ((h0 + k) * exp(-t / th), k * exp(-t / td));
            (eh - ed - theta, ed / td - eh / th)
        };
        let h = |t: f64| with_slope(t).0;
        // Peak time: derivative zero.
        let ratio = k * p.serotonin_tau_s / (p.drn_tau_s * (h0 + k));
        let t_peak = if k > 0.0 && ratio > 1.0 {
            (ln(ratio) / self.rate_gap).min(total)
        } else {
            0.0
        };
        if h(t_peak) <= 0.0 {
            return None;
        }
        let bisect = |mut lo: f64, mut hi: f64, rising: bool| {
            let mut t = 0.5 * (lo + hi);
            for _ in 0..200 {
                let (v, slope) = with_slope(t);
                if (v > 0.0) == rising {
                    hi = t;
                } else {
                    lo = t;
                }
                let newton = t - v / slope;
                let next = if newton > lo && newton < hi {
                    newton
                } else {
                    0.5 * (lo + hi)
                };
                let done = (next - t).abs() <= 1e-12 * t.max(1.0);
                t = next;
                if done || hi - lo <= 1e-12 * hi.max(1.0) {
                    break;
                }
            }
            t
        };
        let start = if h(0.0) > 0.0 {
            0.0
        } else {
            bisect(0.0, t_peak, true)
        };
        let end = if h(total) > 0.0 {
            total
        } else {
            bisect(t_peak, total, false)
        };
        Some((start, end))
    }

    /// Relaxes s over [a, b] while h is above threshold. With y = s − 1, Y = s_max − 1
    /// and I(t) = ∫ₐᵗ A, A = κ_s·(h − θ_s)/(s_max − 1), the linear equation
    /// ẏ = A(t)·(Y − y) − y/τ_s integrates by parts to
    /// y(b) = Y + (y(a) − Y)·e^(−I(b) − T/τ_s) − (Y/τ_s)·∫ₐᵇ e^(I(t) − I(b) + (t − b)/τ_s) dt,
    /// whose remaining integrand is smooth and nearly constant (composite Simpson).
    fn sensitize(&mut self, h0: f64, d0: f64, a: f64, b: f64) {
        let p = &self.p;
        let scale = p.sensitization_rate / (p.sensitization_max - 1.0);
        let tau = p.sensitization_tau_s;
        let big_y = p.sensitization_max - 1.0;
        let span = b - a;
        let (th, td) = (p.serotonin_tau_s, p.drn_tau_s);
        let (at_h, at_d) = (exp(-a / th), exp(-a / td));
        let i_b = scale
            * self.h_excess_integral((h0, d0), (a, b), (at_h, exp(-b / th)), (at_d, exp(-b / td)));
        let pieces = 2 * ((span / 40.0).ceil() as usize).clamp(1, 256);
        let step = span / pieces as f64;
        // I(t) at the nodes a + k·step, its exponentials carried from node to node.
        let (by_h, by_d) = (exp(-step / th), exp(-step / td));
        let (mut eh, mut ed) = (at_h, at_d);
        let mut simpson = 0.0;
        for k in 0..=pieces {
            let t = a + step * k as f64;
            let integral = scale * self.h_excess_integral((h0, d0), (a, t), (at_h, eh), (at_d, ed));
            let weight = match k {
                0 => 1.0,
                k if k == pieces => 1.0,
                k if k % 2 == 1 => 4.0,
                _ => 2.0,
            };
            simpson += weight * exp(integral - i_b + (t - b) / tau);
            eh *= by_h;
            ed *= by_d;
        }
        let j = simpson * step / 3.0;
        let y0 = self.s - 1.0;
        let y = big_y + (y0 - big_y) * exp(-i_b - span / tau) - big_y / tau * j;
        self.s = 1.0 + y;
    }
}

/// Where in a step of `len` s the integral of the attempt rate reaches `draw`, the rate
/// taken as the parabola through its values at the start and at the two quadrature
/// nodes: the root in [0, len] of r₀·x + a·x²/2 + b·x³/3 = draw, by Newton's method
/// inside a bracket.
fn attempt_time(rates: [f64; 3], len: f64, draw: f64) -> f64 {
    let [r0, r1, r2] = rates;
    let (x1, x2) = (NODES[0] * len, NODES[1] * len);
    // r(x) = r0 + a·x + b·x² through (x1, r1) and (x2, r2).
    let (g1, g2) = ((r1 - r0) / x1, (r2 - r0) / x2);
    let b = (g2 - g1) / (x2 - x1);
    let a = g1 - b * x1;
    let integral = |x: f64| x * (r0 + x * (a / 2.0 + x * b / 3.0));
    let (mut lo, mut hi) = (0.0, len);
    let mut x = (draw / (0.5 * (r1 + r2))).clamp(0.0, len);
    for _ in 0..50 {
        let excess = integral(x) - draw;
        if excess > 0.0 {
            hi = x;
        } else {
            lo = x;
        }
        let rate = r0 + x * (a + x * b);
        let newton = x - excess / rate;
        let converging = rate > 0.0 && newton > lo && newton < hi;
        let next = if converging { newton } else { 0.5 * (lo + hi) };
        // A Newton step squares the error (times the rate's relative slope, which is
        // of order 1/len): one of 1e-7·len leaves next within about 1e-13·len.
        let done = if converging { 1e-7 } else { 1e-13 };
        if (next - x).abs() <= done * len {
            return next;
        }
        x = next;
    }
    x
}

/// The inputs held over a step: the mPFC output, the drive's learning rate and the
/// DRN's target.
#[derive(Debug, Clone, Copy)]
struct Held {
    m: f64,
    learn: f64,
    d_target: f64,
}

/// One step under a stimulus as planned at its start: its decay factors, the inputs
/// held over it and 5-HT at its quadrature nodes.
#[derive(Debug, Clone, Copy)]
struct Step {
    decay: Decay,
    held: Held,
    h_nodes: [f64; 2],
}

impl Mind for CircuitMind {
    fn begin_session(&mut self, session: &Session) {
        self.held = None;
        self.expect.enter_session(session);
        self.apparatus = session.apparatus;
        self.condition = condition_of(&session.interventions);
        self.drn_kept = (1.0 - self.condition.drn_inhibition)
            * self.antidepressant_kept(self.condition.antidepressant_days);
        if self.q[session.apparatus.index()].is_nan() {
            self.q[session.apparatus.index()] = self.p.naive_strength(session.apparatus);
        }
        if session.context != self.context {
            if let Some(i) = self
                .contexts
                .iter()
                .position(|(c, _, _)| *c == session.context)
            {
                let (_, detector, fear) = self.contexts.swap_remove(i);
                // A context left without any evidence keeps no belief of its own.
                self.detector = if detector.windows() > 0.0 {
                    detector
                } else {
                    self.fresh_prior()
                };
                self.fear = fear;
            } else {
                self.fear = 0.0;
                self.detector = self.fresh_prior();
            }
            self.context = session.context;
        }
        self.c = self.detector.delta_p();
        self.session_windows = 0.0;
    }

    fn end_session(&mut self) {
        self.held = None;
        self.w += (1.0 - self.condition.plasticity_block) * self.w_new;
        self.w_new = 0.0;
        self.experience += self.session_windows;
        self.contexts.push((self.context, self.detector, self.fear));
        self.fear = 0.0;
        self.context = usize::MAX;
        self.session_windows = 0.0;
        self.condition = Condition::default();
        self.drn_kept = 1.0;
    }

    fn relax(&mut self, seconds: f64) {
        self.held = None;
        if seconds <= 0.0 {
            return;
        }
        self.expect.relax(seconds);
        let p = &self.p;
        let (h0, d0) = (self.h, self.d);
        let t = seconds;
        // s first: its growth depends on the h trajectory from (h0, d0).
        match self.excess_interval(h0, d0, t) {
            Some((a, b)) => {
                self.s = 1.0 + (self.s - 1.0) * exp(-a / p.sensitization_tau_s);
                self.sensitize(h0, d0, a, b);
                self.s = 1.0 + (self.s - 1.0) * exp(-(t - b) / self.p.sensitization_tau_s);
            }
            None => self.s = 1.0 + (self.s - 1.0) * exp(-t / p.sensitization_tau_s),
        }
        let p = &self.p;
        self.h = self.h_free(h0, d0, t);
        self.d = d0 * exp(-t / p.drn_tau_s);
        self.w =
            p.stress_drive_rest + (self.w - p.stress_drive_rest) * exp(-t / p.stress_drive_tau_s);
        let fade = exp(-t / p.fear_tau_s);
        self.fear *= fade;
        for (_, _, f) in &mut self.contexts {
            *f *= fade;
        }
        self.m = self.mpfc(0.0);
    }

    fn onset(&mut self, episode: &Episode) {
        self.held = None;
        // A task's demand drives the circuit as an aversive stimulus of the same
        // intensity does: what differs is how it ends.
        self.u = match episode.demand {
            super::Demand::Aversive => episode.intensity / self.p.reference_intensity,
            super::Demand::Task => episode.intensity,
        };
        self.ending = Outcome::Unearned;
        self.expect.begin_episode();
        self.window_elapsed = 0.0;
        self.window_responded = false;
        // The first window's held inputs, its mPFC output the state's.
        let held = (self.mpfc(self.u), self.learning_rate(self.u));
        self.held = Some(held);
        self.m = held.0;
    }

    fn advance(&mut self, dt: f64) {
        if self.u <= 0.0 {
            self.relax(dt);
            return;
        }
        let mut left = dt;
        while left > 0.0 {
            let step = self.step_short_of(left).unwrap_or(left);
            self.integrate(step);
            left -= step;
            self.pass(step);
            if left < 1e-12 {
                break;
            }
        }
    }

    fn run(
        &mut self,
        clock: &mut EpisodeClock,
        until: f64,
        hazard_left: &mut f64,
        mut observe: Option<Observer<'_>>,
    ) -> bool {
        if self.u <= 0.0 {
            return tick_run(self, clock, until, hazard_left, observe);
        }
        loop {
            let t = clock.t();
            if t >= until {
                return false;
            }
            let (len, end) = match self.step_short_of(until - t) {
                Some(room) => (room, t + room),
                None => (until - t, until),
            };
            let step = self.plan(len);
            let drive = self.rate_drive();
            let r = step.h_nodes.map(|h| self.rate_at(drive, h));
            // No rate (zero, or NaN from a state gone bad) is no attempt, as in ticks.
            let hazard = match len * 0.5 * (r[0] + r[1]) {
                h if h > 0.0 => h,
                _ => 0.0,
            };
            if hazard == 0.0 || hazard < *hazard_left {
                *hazard_left -= hazard;
                if let Some(observe) = observe.as_mut() {
                    self.observe_ticks(clock, len, *observe);
                }
                self.apply(&step);
                self.pass(len);
                clock.set(end);
                if let Some(observe) = observe.as_mut() {
                    observe(end, self.state());
                }
                continue;
            }
            // The attempt: where the integral of the rate's parabola through its values
            // at the start and the two nodes reaches the draw (Newton's method from the
            // parabola's mean rate, kept within the step).
            let r_start = self.rate_at(drive, self.h);
            let x = attempt_time([r_start, r[0], r[1]], len, *hazard_left);
            let at = self.replan(x, step.held);
            if let Some(observe) = observe.as_mut() {
                self.observe_ticks(clock, x, *observe);
            }
            self.apply(&at);
            self.pass(x);
            let end = if x == len { end } else { t + x };
            clock.set(end);
            if let Some(observe) = observe.as_mut() {
                observe(end, self.state());
            }
            return true;
        }
    }

    fn response_rate(&self) -> f64 {
        self.rate_at(self.rate_drive(), self.h)
    }

    /// Trying follows the domain's expectation, 5-HT and a base rate:
    /// `σ(β·(base + bias + activity + a_c·E·(1 − b0) − a_5·h))`.
    fn attempt_probability(&self) -> f64 {
        let p = &self.p;
        let expected = self.expect.expected_control();
        let drive =
            p.trying_base + p.response_bias + self.condition.activity + p.control_drive * expected
                - p.serotonin_suppression * self.h;
        Self::sigmoid(p.escape_rate_slope * drive)
    }

    fn respond(&mut self) {
        self.window_responded = true;
        self.expect.attempt();
    }

    fn outcome(&mut self, outcome: Outcome) {
        self.ending = outcome;
    }

    fn offset(&mut self) {
        if self.u <= 0.0 {
            return;
        }
        self.expect.end_episode(self.ending);
        if self.ending == Outcome::Failed {
            // No relief and no success: the window ends without the outcome, and
            // nothing reinforces the response.
            self.close_window(false);
            self.u = 0.0;
            return;
        }
        let reinforced = self.window_responded;
        self.close_window(true);
        if reinforced {
            let p = &self.p;
            let i = self.apparatus.index();
            let q = self.strength();
            self.q[i] = q + p.strength_learning_rate * self.m * (p.strength_max - q);
        }
        self.u = 0.0;
    }

    fn state(&self) -> State {
        State::new(
            Self::VARIABLES,
            &[
                self.c,
                self.m,
                self.d,
                self.h,
                self.s,
                self.w + self.w_new,
                self.expect.global(),
                self.strength(),
                self.freezing(),
                self.expect.current(),
                self.expect.esteem(),
            ],
        )
    }
}

/// Makes [`CircuitMind`]s from a preset plus per-subject [`Variation`]s.
///
/// ```
/// use helplessness::{CircuitFactory, CircuitParams, Dist, MindFactory, SubjectId, Variation};
/// let f = CircuitFactory::new(
///     CircuitParams::rat(),
///     vec![Variation::add("response_bias", Dist::Normal { mean: 0.0, sd: 0.5 })],
/// ).unwrap();
/// let id = SubjectId::new("escapable", 0);
/// let mut rng = id.rng(7);
/// let mind = f.create(&id, &mut rng).unwrap();
/// assert_ne!(mind.params().response_bias, 0.0);
/// ```
#[derive(Debug, Clone)]
pub struct CircuitFactory {
    params: CircuitParams,
    variation: Vec<Variation>,
}

impl CircuitFactory {
    /// Checks the preset and that every varied parameter exists.
    pub fn new(params: CircuitParams, variation: Vec<Variation>) -> Result<Self, Error> {
        params.validate()?;
        for (i, v) in variation.iter().enumerate() {
            if params.get(&v.parameter).is_none() {
                return Err(Error::unknown(
                    "parameter",
                    &v.parameter,
                    CircuitParams::NAMES,
                ));
            }
            v.dist.validate(&format!("variation[{i}].dist"))?;
        }
        Ok(CircuitFactory { params, variation })
    }
}

impl MindFactory for CircuitFactory {
    type Mind = CircuitMind;

    fn variables(&self) -> &'static [Variable] {
        CircuitMind::VARIABLES
    }

    fn create(&self, subject: &SubjectId, rng: &mut SubjectRng) -> Result<CircuitMind, Error> {
        let mut p = self.params.clone();
        super::variation::apply_draws(&mut p, &self.variation, subject, rng)?;
        CircuitMind::new(p)
    }
}

#[cfg(test)]
mod tests {
    use super::params::HOUR;
    use super::*;

    fn shocked_mind(seconds: f64) -> CircuitMind {
        let mut mind = CircuitMind::new(CircuitParams::rat()).unwrap();
        mind.begin_session(&Session::new(0, Apparatus::WheelTurn));
        mind.onset(&Episode::aversive(1.6));
        let n = (seconds / 0.1).round() as usize;
        for _ in 0..n {
            mind.advance(0.1);
        }
        mind.outcome(Outcome::Unearned);
        mind.offset();
        mind
    }

    /// Integrates the stimulus-free equations with classic RK4 at a fine step.
    fn fine_relax(mind: &CircuitMind, seconds: f64, dt: f64) -> (f64, f64, f64, f64) {
        let p = &mind.p;
        let f = |y: [f64; 4]| {
            let [d, h, s, w] = y;
            [
                -d / p.drn_tau_s,
                p.serotonin_rate * d - h / p.serotonin_tau_s,
                p.sensitization_rate
                    * (h - p.sensitization_threshold).max(0.0)
                    * (p.sensitization_max - s)
                    / (p.sensitization_max - 1.0)
                    - (s - 1.0) / p.sensitization_tau_s,
                -(w - p.stress_drive_rest) / p.stress_drive_tau_s,
            ]
        };
        let mut y = [mind.d, mind.h, mind.s, mind.w];
        let n = (seconds / dt).round() as usize;
        let add = |a: [f64; 4], b: [f64; 4], k: f64| {
            [
                a[0] + k * b[0],
                a[1] + k * b[1],
                a[2] + k * b[2],
                a[3] + k * b[3],
            ]
        };
        for _ in 0..n {
            let k1 = f(y);
            let k2 = f(add(y, k1, dt / 2.0));
            let k3 = f(add(y, k2, dt / 2.0));
            let k4 = f(add(y, k3, dt));
            for i in 0..4 {
                y[i] += dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
            }
        }
        (y[0], y[1], y[2], y[3])
    }

    #[test]
    fn closed_form_relaxation_equals_fine_step_integration() {
        // After 30 s of 1.6 mA inescapable shock h is above threshold, so the interval
        // covers the rise of h from d, its crossing of θ_s and pure decay afterwards.
        let mut mind = shocked_mind(30.0);
        mind.h = 3.0; // as after a session of shocks
        mind.s = 2.0;
        mind.w = 1.5;
        for &t in &[0.7, 10.0, 60.0, 900.0, 3600.0] {
            let (d, h, s, w) = fine_relax(&mind, t, if t < 100.0 { 1e-4 } else { 1e-3 });
            let mut closed = mind.clone();
            closed.relax(t);
            assert!((closed.d - d).abs() < 1e-9, "d at {t}: {} vs {d}", closed.d);
            assert!((closed.h - h).abs() < 1e-9, "h at {t}: {} vs {h}", closed.h);
            assert!((closed.s - s).abs() < 1e-9, "s at {t}: {} vs {s}", closed.s);
            assert!(
                (closed.w - w).abs() < 1e-12,
                "w at {t}: {} vs {w}",
                closed.w
            );
        }
    }

    /// A window step's result against fine RK4 integration of the same window: the
    /// mPFC output, the drive's learning rate and the DRN's target held from the
    /// window's start (as the model says), everything else continuous. Returns the
    /// windowed mind, the reference, the hazard the steps without an attempt consumed,
    /// the hazard the reference integrated to the same time, and whether an attempt
    /// ended the run.
    fn window_against_fine(
        seconds: f64,
        h0: f64,
        s0: f64,
        hazard_draw: f64,
    ) -> (CircuitMind, CircuitMind, f64, f64, bool) {
        let mut mind = CircuitMind::new(CircuitParams::rat()).unwrap();
        mind.begin_session(&Session::new(0, Apparatus::WheelTurn));
        mind.h = h0;
        mind.s = s0;
        mind.onset(&Episode::aversive(1.6));
        let mut fine = mind.clone();
        let mut clock = EpisodeClock::new(0.1);
        let mut left = hazard_draw;
        let attempted = mind.run(&mut clock, seconds, &mut left, None);
        let t_end = clock.t();
        let mut hazard_fine = 0.0;
        let dt = 1e-4;
        let mut t = 0.0;
        while t < t_end - 1e-12 {
            let len = (1.0f64).min(t_end - t);
            let (m, learn) = (fine.mpfc(fine.u), fine.learning_rate(fine.u));
            let p = fine.p.clone();
            let target = p.drn_gain * fine.u * (fine.s - p.mpfc_inhibition * m).max(0.0);
            let drive = fine.rate_drive();
            let f = |y: [f64; 5]| {
                let [d, h, s, w_total, fear] = y;
                [
                    (target - d) / p.drn_tau_s,
                    p.serotonin_rate * d - h / p.serotonin_tau_s,
                    fine.sensitization_scale
                        * (h - p.sensitization_threshold).max(0.0)
                        * (p.sensitization_max - s)
                        - (s - 1.0) / p.sensitization_tau_s,
                    learn * (p.stress_drive_max - w_total),
                    p.fear_rate * fine.u * (p.fear_base + h) * (1.0 - fear),
                ]
            };
            let mut y = [fine.d, fine.h, fine.s, fine.w + fine.w_new, fine.fear];
            let n = (len / dt).round() as usize;
            let step = len / n as f64;
            let add = |a: [f64; 5], b: [f64; 5], k: f64| std::array::from_fn(|i| a[i] + k * b[i]);
            for _ in 0..n {
                let r0 = fine.rate_at(drive, y[1]);
                let k1 = f(y);
                let k2 = f(add(y, k1, step / 2.0));
                let r1 = fine.rate_at(drive, y[1] + step / 2.0 * k2[1]);
                let k3 = f(add(y, k2, step / 2.0));
                let k4 = f(add(y, k3, step));
                for i in 0..5 {
                    y[i] += step / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
                }
                let r2 = fine.rate_at(drive, y[1]);
                hazard_fine += step / 6.0 * (r0 + 4.0 * r1 + r2);
            }
            fine.d = y[0];
            fine.h = y[1];
            fine.s = y[2];
            fine.w_new = y[3] - fine.w;
            fine.fear = y[4];
            t += len;
            if len == 1.0 {
                fine.close_window(false);
            }
        }
        (mind, fine, hazard_draw - left, hazard_fine, attempted)
    }

    #[test]
    fn window_steps_agree_with_fine_integration_under_shock() {
        // 30 s of 1.6 mA shock with no attempt, from rest and from a 5-HT level that
        // crosses the sensitization threshold during the shock.
        for (h0, s0) in [(0.0, 1.0), (0.8, 1.5), (3.0, 3.0)] {
            let (mind, fine, hazard, hazard_fine, attempted) =
                window_against_fine(30.0, h0, s0, 1e9);
            assert!(!attempted);
            let close = |a: f64, b: f64, tol: f64| (a - b).abs() <= tol * b.abs().max(1.0);
            // d and h are exact for the held inputs; s grows with the step's mean 5-HT
            // (not its excess over threshold moment by moment), which moves d and h
            // through the DRN's target by parts per million when h crosses θ_s.
            assert!(close(mind.d, fine.d, 1e-5), "d {} vs {}", mind.d, fine.d);
            assert!(close(mind.h, fine.h, 1e-5), "h {} vs {}", mind.h, fine.h);
            assert!(close(mind.s, fine.s, 1e-5), "s {} vs {}", mind.s, fine.s);
            assert!(
                close(mind.fear, fine.fear, 1e-6),
                "fear {} vs {}",
                mind.fear,
                fine.fear
            );
            // Two-point quadrature on the exact h: 2e-8 of the hazard from rest, 1e-4
            // where 5-HT climbs steeply through the sigmoid's tail (h0 = 3, s = 3).
            assert!(
                (hazard - hazard_fine).abs() <= 2e-4 * hazard_fine,
                "hazard {hazard} vs {hazard_fine}"
            );
        }
    }

    #[test]
    fn an_attempt_falls_where_the_integrated_hazard_reaches_the_draw() {
        // The window step places the attempt where its hazard reaches the draw; the
        // fine integration to that time must have accumulated the same hazard.
        for draw in [0.05, 0.7, 1.0, 2.3, 4.0] {
            let (_, _, _, hazard_fine, attempted) = window_against_fine(30.0, 2.0, 2.0, draw);
            assert!(attempted, "draw {draw}");
            // The parabola through the start and the nodes: 2e-4 of the draw at worst
            // (an attempt early in the first window, where d rises fastest).
            assert!(
                (hazard_fine - draw).abs() <= 3e-4 * draw,
                "{hazard_fine} vs {draw}"
            );
        }
    }

    #[test]
    fn a_state_gone_bad_makes_no_attempts_and_ends_on_time() {
        // NaN 5-HT makes the rate NaN: no attempt is invented, the stimulus runs to its
        // end and the engine's finiteness check reports the state.
        let mut mind = CircuitMind::new(CircuitParams::rat()).unwrap();
        mind.begin_session(&Session::new(0, Apparatus::WheelTurn));
        mind.onset(&Episode::aversive(1.0));
        mind.h = f64::NAN;
        let mut clock = EpisodeClock::new(0.1);
        let mut left = 0.0;
        assert!(!mind.run(&mut clock, 5.0, &mut left, None));
        assert_eq!(clock.t(), 5.0);
        assert!(mind.state().get("h").unwrap().is_nan());
    }

    #[test]
    fn relaxation_composes() {
        // Relaxing 60 s then 60 s equals relaxing 120 s (the closed form is a flow).
        let mut a = shocked_mind(30.0);
        a.h = 2.5;
        let mut b = a.clone();
        a.relax(60.0);
        a.relax(60.0);
        b.relax(120.0);
        assert!((a.s - b.s).abs() < 1e-9 && (a.h - b.h).abs() < 1e-12);
    }

    #[test]
    fn sensitization_is_present_at_24_h_and_mostly_gone_at_72_h() {
        let mut mind = shocked_mind(5.0);
        mind.s = 3.0;
        mind.h = 0.0;
        let mut m24 = mind.clone();
        m24.relax(24.0 * HOUR);
        let mut m72 = mind.clone();
        m72.relax(72.0 * HOUR);
        assert!(m24.s - 1.0 > 0.3 * 2.0, "s at 24 h = {}", m24.s);
        assert!(m72.s - 1.0 < 0.1 * 2.0, "s at 72 h = {}", m72.s);
    }

    #[test]
    fn mpfc_output_inhibits_the_drn() {
        // Same 60 s shock; one subject expects control (G = 1), the other none (G = 0).
        let run = |g: f64| {
            let mut p = CircuitParams::rat();
            p.initial_expectation = g;
            let mut mind = CircuitMind::new(p).unwrap();
            mind.begin_session(&Session::new(0, Apparatus::WheelTurn));
            mind.onset(&Episode::aversive(1.0));
            for _ in 0..600 {
                mind.advance(0.1);
            }
            mind.clone()
        };
        let (hopeful, hopeless) = (run(1.0), run(0.0));
        assert!(
            hopeful.m > 0.9 && hopeless.m < 0.3,
            "{hopeful:?} {hopeless:?}"
        );
        assert!(hopeless.d > 5.0 * hopeful.d, "{hopeful:?} {hopeless:?}");
        assert!(hopeless.h > 5.0 * hopeful.h, "{hopeful:?} {hopeless:?}");
        assert!(hopeless.h > 1.0);
    }

    #[test]
    fn bad_parameters_are_rejected_with_their_name() {
        let mut p = CircuitParams::rat();
        p.drn_tau_s = f64::NAN;
        let e = CircuitMind::new(p).unwrap_err().to_string();
        assert!(e.contains("drn_tau_s") && e.contains("NaN"), "{e}");
        let mut p = CircuitParams::rat();
        p.drn_tau_s = 1e4;
        assert!(CircuitMind::new(p).is_err());
        let mut p = CircuitParams::rat();
        p.base_relief = 1.5;
        let e = p.validate().unwrap_err().to_string();
        assert!(e.contains("base_relief") && e.contains("1.5"), "{e}");
    }
}
