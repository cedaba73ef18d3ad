//! `ExpectancyMind`: learned helplessness as a learned expectation that outcomes do not
//! depend on responding (Seligman & Maier 1967, J Exp Psychol 74:1-9; Maier &
//! Seligman 1976, J Exp Psychol Gen 105:3-46).
//!
//! The original theory, without the neuroscience: a detector per context estimates
//! ΔP = P(outcome | attempt) − P(outcome | no attempt); the estimate lowers the
//! incentive to respond (the motivational deficit) and gates how fast a rewarded
//! attempt is learned (the cognitive deficit); every episode is evidence for the
//! expectations of control ([`Expectations`], shared with the circuit: domains,
//! globality, self-esteem), which set the prior of every new context (transfer).
//! There is no DRN, no sensitization and no stress-evoked drive, and expectations do
//! not relax with time: the theory predicts no time course, no drug effects and no
//! immunization beyond what expectations carry.
//!
//! | symbol | meaning | dynamics |
//! |---|---|---|
//! | `c` | controllability estimate | ΔP of the [`Detector`], prior set by `G` as in the circuit |
//! | `E`, `G` | expectation of control in the domain, and global | per episode, see [`Expectations`] |
//! | `q` | attempt strength | after an earned outcome: `q += α_q·max(0, c)·(q_max − q)` |
//! | `r` | attempt rate | `r = r_max·σ(β·(q + bias + a_u·u + a_c·c))` |
//!
//! Parameters it shares with the circuit keep the circuit's names and defaults, so a
//! comparison of the two changes the theory and nothing else.

use super::detector::Detector;
use super::expectation::{Expectations, Style};
use super::params::theory_params;
use super::window::WindowClock;
use super::{Episode, Mind, Outcome, Session, State, Variable};
use crate::error::Error;
use crate::math::exp;

theory_params! {
    /// Every constant of [`ExpectancyMind`]. Shared constants keep the circuit's names
    /// and rat defaults ([`crate::CircuitParams`]); the reasons for each are the
    /// circuit's.
    ExpectancyParams {
    /// Stimulus intensity that counts as u = 1, in the protocol's unit (1 mA for rats).
    reference_intensity: 1.0, [1e-3, 1e4];
    /// Detector window δ, s: one Bernoulli observation of attempt and outcome.
    window_s: 1.0, [0.01, 60.0];
    /// Largest attempt rate r_max, per s.
    escape_rate_max: 1.0, [1e-3, 100.0];
    /// Slope β of the attempt-rate sigmoid (drives are in logit units).
    escape_rate_slope: 1.0, [1e-3, 100.0];
    /// Drive a_u of the stimulus itself on attempting (per unit u).
    shock_drive: 2.0, [-100.0, 100.0];
    /// Drive a_c of expected control on attempting: the incentive to respond.
    control_drive: 3.0, [-100.0, 100.0];
    /// Pseudo-observations in the detector's prior in a first context.
    prior_count: 4.0, [1e-3, 1e4];
    /// Growth of the prior's pseudo-count per window of evidence in past contexts.
    prior_count_growth: 0.3, [0.0, 100.0];
    /// Largest prior pseudo-count.
    prior_count_max: 40.0, [1e-3, 1e6];
    /// Base outcome probability b0 per window without an attempt.
    base_relief: 0.05, [0.0, 0.999];
    /// Expectation of control a naive subject brings to every domain.
    initial_expectation: 0.5, [0.0, 1.0];
    /// Globality of the attributional style (see the circuit's parameter).
    globality: 0.5, [0.0, 1.0];
    /// Internality of the attributional style (see the circuit's parameter).
    internality: 0.5, [0.0, 1.0];
    /// Weight of an earned outcome as evidence of control (0: "it was luck").
    success_credit: 1.0, [0.0, 1.0];
    /// Locus of control: how far below its domain's expectation a new context starts.
    external_locus: 0.0, [0.0, 1.0];
    /// Weight of an untried, unsolved task as evidence that inaction fails.
    inaction_evidence: 0.5, [0.0, 1.0];
    /// Weight of one laboratory trial in the expectations, in life episodes.
    trial_evidence: 0.02, [0.0, 1.0];
    /// Base rate of trying on the day clock (logit units): a person who expects
    /// nothing of a domain still tries at about one opportunity in five (σ(−1.5)),
    /// one who expects full control at four in five.
    trying_base: -1.5, [-100.0, 100.0];
    /// Baseline self-esteem, 0..1.
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
    /// Rate α_q at which an earned outcome strengthens the attempt, gated by the
    /// estimate: a subject that expects no control learns slowly.
    strength_learning_rate: 0.15, [0.0, 1.0];
    /// Largest attempt strength q_max (logit units).
    strength_max: 1.0, [-100.0, 100.0];
    /// Naive strength of an attempt, in any apparatus.
    naive_strength: -1.0, [-100.0, 100.0];
    /// This subject's bias toward attempting; drawn per subject for individual
    /// differences.
    response_bias: 0.0, [-100.0, 100.0];
    }
}

impl ExpectancyParams {
    /// The preset of `species`: the circuit's differences (reference intensity, dogs'
    /// slower responding) and nothing else.
    pub fn for_species(species: super::Species) -> Self {
        let c = crate::CircuitParams::for_species(species);
        ExpectancyParams {
            reference_intensity: c.reference_intensity,
            escape_rate_max: c.escape_rate_max,
            ..Self::default()
        }
    }

    /// Checks every value.
    pub fn validate(&self) -> Result<(), Error> {
        self.check_each()
    }

    /// The attributional style and traits these parameters give (no stability: the
    /// theory has no time course).
    pub fn style(&self) -> Style {
        Style {
            globality: self.globality,
            stability: 1.0,
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
}

/// The learned-expectancy theory: see the [module docs](self).
///
/// ```
/// use helplessness::{Apparatus, Mind, Session};
/// use helplessness::mind::{Episode, ExpectancyMind, ExpectancyParams, Outcome};
/// let mut mind = ExpectancyMind::new(ExpectancyParams::default()).unwrap();
/// mind.begin_session(&Session::new(0, Apparatus::WheelTurn));
/// for _ in 0..20 {
///     mind.onset(&Episode::aversive(1.0));
///     for _ in 0..4 {
///         mind.advance(0.5);
///         mind.respond(); // an attempt in every window...
///         mind.advance(0.5);
///     }
///     mind.advance(0.3);
///     mind.outcome(Outcome::Unearned); // ...and the end comes whatever it does
///     mind.offset();
/// }
/// assert!(mind.state().get("c").unwrap() < 0.0); // attempts seem not to work
/// ```
#[derive(Debug, Clone)]
pub struct ExpectancyMind {
    p: ExpectancyParams,
    u: f64,
    c: f64,
    expect: Expectations,
    q: f64,
    detector: Detector,
    context: usize,
    contexts: Vec<(usize, Detector)>,
    experience: f64,
    session_windows: f64,
    window: WindowClock,
    window_responded: bool,
    ending: Outcome,
}

impl ExpectancyMind {
    /// The variables it reports, in column order.
    pub const VARIABLES: &'static [Variable] = &[
        Variable::new(
            "c",
            "1",
            "controllability estimate (ΔP of the detector), -1..1",
        )
        .within(-1.0, 1.0),
        Expectations::G,
        Variable::new("q", "1", "attempt strength (logit units)"),
        Variable::new("r", "1/s", "attempt rate under a stimulus of intensity 1"),
        Expectations::E,
        Expectations::ESTEEM,
    ];

    /// A naive subject with parameters `p`.
    pub fn new(p: ExpectancyParams) -> Result<Self, Error> {
        p.validate()?;
        let expect = Expectations::new(
            p.base_relief,
            p.initial_expectation,
            p.prior_count,
            p.self_esteem,
            p.style(),
        )
        .without_time_course()
        .with_trial_evidence(p.trial_evidence);
        let detector = Self::prior(&p, expect.new_context(), p.prior_count);
        Ok(ExpectancyMind {
            u: 0.0,
            c: detector.delta_p(),
            expect,
            q: p.naive_strength,
            detector,
            context: usize::MAX,
            contexts: Vec::new(),
            experience: 0.0,
            session_windows: 0.0,
            window: WindowClock::default(),
            window_responded: false,
            ending: Outcome::Unearned,
            p,
        })
    }

    /// The parameters of this subject.
    pub fn params(&self) -> &ExpectancyParams {
        &self.p
    }

    fn prior(p: &ExpectancyParams, g: f64, count: f64) -> Detector {
        let b0 = p.base_relief;
        Detector::new(b0 + g * (1.0 - b0), b0, count)
    }

    fn rate_under(&self, u: f64) -> f64 {
        let p = &self.p;
        let drive = self.q + p.response_bias + p.shock_drive * u + p.control_drive * self.c;
        p.escape_rate_max / (1.0 + exp(-p.escape_rate_slope * drive))
    }

    fn close_window(&mut self, outcome: bool) {
        self.detector.observe(self.window_responded, outcome);
        self.c = self.detector.delta_p();
        self.session_windows += 1.0;
        self.window_responded = false;
    }
}

impl Mind for ExpectancyMind {
    fn begin_session(&mut self, session: &Session) {
        self.expect.enter_session(session);
        if session.context != self.context {
            self.detector = match self
                .contexts
                .iter()
                .position(|(c, _)| *c == session.context)
            {
                Some(i) => self.contexts.swap_remove(i).1,
                None => {
                    let p = &self.p;
                    let count = (p.prior_count + p.prior_count_growth * self.experience)
                        .min(p.prior_count_max.max(p.prior_count));
                    Self::prior(p, self.expect.new_context(), count)
                }
            };
            self.context = session.context;
        }
        self.c = self.detector.delta_p();
        self.session_windows = 0.0;
    }

    fn end_session(&mut self) {
        self.experience += self.session_windows;
        self.contexts.push((self.context, self.detector));
        self.context = usize::MAX;
        self.session_windows = 0.0;
    }

    /// Expectations do not decay: the theory has no time course.
    fn relax(&mut self, _seconds: f64) {}

    fn onset(&mut self, episode: &Episode) {
        self.u = match episode.demand {
            super::Demand::Aversive => episode.intensity / self.p.reference_intensity,
            super::Demand::Task => episode.intensity,
        };
        self.window.restart();
        self.window_responded = false;
        self.ending = Outcome::Unearned;
        self.expect.begin_episode();
    }

    fn advance(&mut self, dt: f64) {
        if self.u <= 0.0 {
            return;
        }
        for _ in 0..self.window.advance(dt, self.p.window_s) {
            self.close_window(false);
        }
    }

    fn response_rate(&self) -> f64 {
        self.rate_under(self.u)
    }

    /// Trying follows the domain's expectation and a base rate:
    /// `σ(β·(base + bias + a_c·E·(1 − b0)))`.
    fn attempt_probability(&self) -> f64 {
        let p = &self.p;
        let expected = self.expect.expected_control();
        let drive = p.trying_base + p.response_bias + p.control_drive * expected;
        1.0 / (1.0 + exp(-p.escape_rate_slope * drive))
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
        let good = self.ending.is_good();
        let reinforced = good && self.window_responded;
        self.close_window(good);
        self.window.restart();
        if reinforced {
            let p = &self.p;
            self.q += p.strength_learning_rate * self.c.max(0.0) * (p.strength_max - self.q);
        }
        self.u = 0.0;
    }

    fn state(&self) -> State {
        State::new(
            Self::VARIABLES,
            &[
                self.c,
                self.expect.global(),
                self.q,
                self.rate_under(1.0),
                self.expect.current(),
                self.expect.esteem(),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apparatus::Apparatus;

    /// `episodes` 5-s episodes with attempts every second; each ends as `ending`
    /// says (attempt-earned or not).
    fn history(mind: &mut ExpectancyMind, episodes: usize, earned: bool) {
        mind.begin_session(&Session::new(0, Apparatus::WheelTurn));
        for _ in 0..episodes {
            mind.onset(&Episode::aversive(1.0));
            for _ in 0..4 {
                mind.advance(0.5);
                mind.respond();
                mind.advance(0.5);
            }
            // The end comes inside the fifth window, after an attempt only when earned.
            mind.advance(0.3);
            if earned {
                mind.respond();
            }
            mind.outcome(if earned {
                Outcome::Earned
            } else {
                Outcome::Unearned
            });
            mind.offset();
        }
        mind.end_session();
    }

    #[test]
    fn a_yoked_history_lowers_responding_and_time_does_not_restore_it() {
        let naive = ExpectancyMind::new(ExpectancyParams::default()).unwrap();
        let mut yoked = naive.clone();
        history(&mut yoked, 80, false);
        let mut escaped = naive.clone();
        history(&mut escaped, 80, true);
        let rate_in = |m: &ExpectancyMind, context: usize| {
            let mut m = m.clone();
            m.begin_session(&Session::new(context, Apparatus::ShuttleBox));
            m.onset(&Episode::aversive(1.0));
            m.response_rate()
        };
        // Where the evidence was gathered, attempts are expected not to work.
        assert!(rate_in(&yoked, 0) < 0.5 * rate_in(&naive, 0), "{yoked:?}");
        // In a new context the prior follows G, lowered by the yoked history and
        // raised by the escapable one.
        let test = |m: &ExpectancyMind| rate_in(m, 1);
        assert!(test(&yoked) < test(&naive) - 0.03, "{yoked:?}");
        assert!(test(&escaped) > test(&naive));
        // No time course: 24 h and 7 days later the deficit is exactly the same.
        let mut day = yoked.clone();
        day.relax(24.0 * 3600.0);
        let mut week = yoked.clone();
        week.relax(7.0 * 24.0 * 3600.0);
        assert_eq!(test(&day), test(&week));
        assert_eq!(test(&day), test(&yoked));
    }

    #[test]
    fn a_failed_task_is_evidence_that_attempts_do_not_work() {
        let mut mind = ExpectancyMind::new(ExpectancyParams::default()).unwrap();
        mind.begin_session(&Session::new(0, Apparatus::Button));
        let c0 = mind.state().get("c").unwrap();
        for _ in 0..20 {
            mind.onset(&Episode::task(1.0, 0));
            mind.advance(0.5);
            mind.respond();
            mind.advance(0.4);
            mind.outcome(Outcome::Failed);
            mind.offset();
        }
        assert!(mind.state().get("c").unwrap() < c0 - 0.2);
    }
}
