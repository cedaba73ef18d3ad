//! `ArbitrationMind`: Bayesian arbitration between a Pavlovian and an instrumental
//! predictor, weighted by how controllable the world seems (Dorfman & Gershman 2019,
//! Nat Commun 10:5826; after Huys & Dayan 2009).
//!
//! Each stimulus (here: each context) has a Pavlovian predictor, the state value V, and
//! an instrumental one, the action values Q(act) and Q(pass). Each is the mean of a
//! Beta distribution over the chance of the outcome, kept as a prior mean and a
//! pseudo-count: after n observations with k outcomes it is (p·m + k)/(p + n). One
//! log-odds L, shared by every stimulus, says how much better the Pavlovian predictor
//! has predicted outcomes so far; after each choice with outcome r ∈ {0, 1}, and before
//! the values learn from it,
//!
//! `L += ln P_V(r) − ln P_Q(a)(r)`, with `P_X(1) = X` and `P_X(0) = 1 − X`.
//!
//! The weight of the Pavlovian predictor is w = σ(L), and the chance of acting is
//!
//! `P(act) = σ(β·[(1 − w)·(Q(act) − Q(pass)) + w·π])`,
//!
//! where π is the Pavlovian response: approach, π = V, for a task with a reward to win
//! (their Go/NoGo form), and withdrawal, π = V − 1 (the expected continuation of the
//! aversive stimulus), under an aversive stimulus. When outcomes do not depend on
//! acting, V predicts as well as Q with more data, L grows and w rises: the Pavlovian
//! default takes over (passivity under aversive demand, indiscriminate Go to rewards).
//!
//! **Mapping onto escape windows.** Their trial is one cue, one Go/NoGo choice and one
//! outcome. Here an episode is cut into windows of `window_s` from its onset; each
//! window is one trial: the subject acted if it made any attempt in the window, and
//! r = 1 if the outcome (relief, or a task's success) came in it. Attempts are a
//! Poisson process whose rate makes the chance of at least one attempt in a window
//! equal P(act). A Go/NoGo trial is an episode of one window whose outcome comes at
//! the window's end (`space` contingency); an escape trial is an episode of many
//! windows that ends at the first rewarded one. Values belong to a stimulus: the
//! episode's cue in its context (the bundled `go-nogo` protocol's three cues), or the
//! context itself; L is shared by every stimulus, as in their model.

use super::params::theory_params;
use super::window::WindowClock;
use super::{Demand, Episode, Mind, Outcome, Session, State, Variable};
use crate::error::Error;
use crate::math::{exp, ln};

theory_params! {
    /// Every constant of [`ArbitrationMind`]. Defaults are those of Dorfman &
    /// Gershman's simulations (their public code's single-stimulus demonstration:
    /// β = 5, uniform Beta(1, 1) priors, w starting at ½).
    ArbitrationParams {
    /// Length of one choice (a Go/NoGo trial), s: the detector window of the other
    /// theories, so all three cut time alike.
    window_s: 1.0, [0.01, 60.0];
    /// Inverse temperature β of the choice: 5 in their simulations.
    beta: 5.0, [0.0, 100.0];
    /// Prior mean of the Pavlovian value V: ½, undecided.
    prior_mean_v: 0.5, [0.001, 0.999];
    /// Pseudo-count of V's prior: 2, with the mean of ½ a uniform Beta(1, 1).
    prior_count_v: 2.0, [0.01, 1e4];
    /// Prior mean of each action value Q: ½.
    prior_mean_q: 0.5, [0.001, 0.999];
    /// Pseudo-count of each Q's prior: 2 (uniform).
    prior_count_q: 2.0, [0.01, 1e4];
    /// Pavlovian weight w before any outcome: ½, no preference (L = 0).
    initial_w: 0.5, [0.001, 0.999];
    }
}

impl ArbitrationParams {
    /// Checks every value.
    pub fn validate(&self) -> Result<(), Error> {
        self.check_each()
    }
}

/// A Beta mean kept as its value and pseudo-count.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Mean {
    value: f64,
    count: f64,
}

impl Mean {
    fn learn(&mut self, r: f64) {
        self.count += 1.0;
        self.value += (r - self.value) / self.count;
    }

    /// Predictive probability of `r`.
    fn predicts(&self, r: bool) -> f64 {
        if r { self.value } else { 1.0 - self.value }
    }
}

/// The values of one stimulus.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Values {
    v: Mean,
    /// [pass, act]
    q: [Mean; 2],
}

/// The Bayesian arbitration theory: see the [module docs](self).
///
/// ```
/// use helplessness::{Apparatus, Mind, Session};
/// use helplessness::mind::{ArbitrationMind, ArbitrationParams, Episode, Outcome};
/// let mut mind = ArbitrationMind::new(ArbitrationParams::default()).unwrap();
/// mind.begin_session(&Session::new(0, Apparatus::WheelTurn));
/// for _ in 0..30 {
///     mind.onset(&Episode::aversive(1.0));
///     mind.advance(1.0); // a window without an attempt: no relief
///     mind.advance(0.5);
///     mind.respond();
///     mind.outcome(Outcome::Earned); // an attempt ends the stimulus
///     mind.offset();
/// }
/// let s = mind.state();
/// assert!(s.get("w").unwrap() < 0.5); // control: the instrumental predictor wins
/// assert!(s.get("Q_act").unwrap() > s.get("Q_pass").unwrap());
/// ```
#[derive(Debug, Clone)]
pub struct ArbitrationMind {
    p: ArbitrationParams,
    /// Log-odds that the Pavlovian predictor is the better one, shared by all stimuli.
    l: f64,
    /// The values of the current stimulus, (context, cue).
    values: Values,
    stimulus: (usize, usize),
    context: usize,
    /// The values of the other stimuli met.
    stimuli: Vec<((usize, usize), Values)>,
    demand: Demand,
    on: bool,
    window: WindowClock,
    acted: bool,
    ending: Outcome,
}

impl ArbitrationMind {
    /// The variables it reports, in column order.
    pub const VARIABLES: &'static [Variable] = &[
        Variable::new(
            "V",
            "1",
            "Pavlovian value (chance of the outcome in this stimulus)",
        )
        .within(0.0, 1.0),
        Variable::new("Q_act", "1", "instrumental value of acting (an attempt)").within(0.0, 1.0),
        Variable::new("Q_pass", "1", "instrumental value of not acting").within(0.0, 1.0),
        Variable::new("w", "1", "Pavlovian weight (σ(L))").within(0.0, 1.0),
        Variable::new("p_act", "1", "chance of acting (in one window)").within(0.0, 1.0),
    ];

    /// A naive subject with parameters `p`.
    pub fn new(p: ArbitrationParams) -> Result<Self, Error> {
        p.validate()?;
        let w0 = p.initial_w;
        Ok(ArbitrationMind {
            l: ln(w0 / (1.0 - w0)),
            values: Self::fresh(&p),
            stimulus: (usize::MAX, 0),
            context: usize::MAX,
            stimuli: Vec::new(),
            demand: Demand::Aversive,
            on: false,
            window: WindowClock::default(),
            acted: false,
            ending: Outcome::Unearned,
            p,
        })
    }

    /// The parameters of this subject.
    pub fn params(&self) -> &ArbitrationParams {
        &self.p
    }

    fn fresh(p: &ArbitrationParams) -> Values {
        let q = Mean {
            value: p.prior_mean_q,
            count: p.prior_count_q,
        };
        Values {
            v: Mean {
                value: p.prior_mean_v,
                count: p.prior_count_v,
            },
            q: [q, q],
        }
    }

    /// The Pavlovian weight w = σ(L).
    pub fn weight(&self) -> f64 {
        1.0 / (1.0 + exp(-self.l))
    }

    /// Chance of acting in one window of the current stimulus.
    pub fn p_act(&self) -> f64 {
        let w = self.weight();
        let Values { v, q } = self.values;
        let pavlovian = match self.demand {
            Demand::Task => v.value,
            Demand::Aversive => v.value - 1.0,
        };
        let d = (1.0 - w) * (q[1].value - q[0].value) + w * pavlovian;
        1.0 / (1.0 + exp(-self.p.beta * d))
    }

    /// One choice and its outcome: L learns first, from the predictions made before
    /// the outcome, then the values.
    pub fn learn(&mut self, acted: bool, reward: bool) {
        let a = usize::from(acted);
        let (pv, pq) = (
            self.values.v.predicts(reward),
            self.values.q[a].predicts(reward),
        );
        self.l += ln(pv) - ln(pq);
        let r = f64::from(u8::from(reward));
        self.values.v.learn(r);
        self.values.q[a].learn(r);
    }

    /// Makes `stimulus` (context, cue) the current one, keeping the values of the one
    /// left; a stimulus met for the first time starts from the priors.
    fn switch(&mut self, stimulus: (usize, usize)) {
        if stimulus == self.stimulus {
            return;
        }
        let values = match self.stimuli.iter().position(|(s, _)| *s == stimulus) {
            Some(i) => self.stimuli.swap_remove(i).1,
            None => Self::fresh(&self.p),
        };
        let left = std::mem::replace(&mut self.values, values);
        if self.stimulus.0 != usize::MAX {
            self.stimuli.push((self.stimulus, left));
        }
        self.stimulus = stimulus;
    }

    fn close_window(&mut self, reward: bool) {
        let acted = self.acted;
        self.learn(acted, reward);
        self.acted = false;
    }
}

impl Mind for ArbitrationMind {
    fn begin_session(&mut self, session: &Session) {
        self.context = session.context;
        self.switch((session.context, 0));
    }

    fn end_session(&mut self) {}

    /// Beta means do not decay: the model has no forgetting.
    fn relax(&mut self, _seconds: f64) {}

    fn onset(&mut self, episode: &Episode) {
        self.switch((self.context, episode.cue));
        self.demand = episode.demand;
        self.on = true;
        self.window.restart();
        self.acted = false;
        self.ending = Outcome::Unearned;
    }

    fn advance(&mut self, dt: f64) {
        if !self.on {
            return;
        }
        for _ in 0..self.window.advance(dt, self.p.window_s) {
            self.close_window(false);
        }
    }

    /// The Poisson rate at which at least one attempt in a window has chance P(act).
    fn response_rate(&self) -> f64 {
        if !self.on {
            return 0.0;
        }
        let p = self.p_act().min(1.0 - 1e-9);
        -ln(1.0 - p) / self.p.window_s
    }

    /// P(act) of the Go/NoGo policy.
    fn attempt_probability(&self) -> f64 {
        if self.on { self.p_act() } else { 0.0 }
    }

    fn respond(&mut self) {
        self.acted = true;
    }

    fn outcome(&mut self, outcome: Outcome) {
        self.ending = outcome;
    }

    fn offset(&mut self) {
        if !self.on {
            return;
        }
        self.close_window(self.ending.is_good());
        self.window.restart();
        self.on = false;
    }

    fn state(&self) -> State {
        let Values { v, q } = self.values;
        State::new(
            Self::VARIABLES,
            &[v.value, q[1].value, q[0].value, self.weight(), self.p_act()],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Dorfman & Gershman's single stimulus: 100 Go/NoGo trials, P(reward | pass) and
    /// P(reward | act) as given; the mean w over `runs` simulated subjects at the end.
    fn mean_final_w(p_pass: f64, p_act: f64, runs: u64) -> f64 {
        let mut total = 0.0;
        for seed in 0..runs {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut mind = ArbitrationMind::new(ArbitrationParams::default()).unwrap();
            mind.demand = Demand::Task;
            for _ in 0..100 {
                let act = rng.random_bool(mind.p_act());
                let reward = rng.random_bool(if act { p_act } else { p_pass });
                mind.learn(act, reward);
            }
            total += mind.weight();
        }
        total / runs as f64
    }

    #[test]
    fn low_control_leaves_the_pavlovian_weight_higher_than_high_control() {
        // Their demonstration: R = [0.5, 0.5] (uncontrollable) against [0.9, 0.1]
        // (controllable, NoGo rewarded). 2000 subjects each; their code gives mean w
        // of about 0.66 and 0.001 after 100 trials.
        let low = mean_final_w(0.5, 0.5, 2000);
        let high = mean_final_w(0.9, 0.1, 2000);
        assert!(low > 0.55 && low < 0.75, "low control: w = {low}");
        assert!(high < 0.05, "high control: w = {high}");
    }

    #[test]
    fn l_is_the_log_bayes_factor_of_the_two_predictors() {
        // After acting twice, rewarded once: V and Q(act) saw the same data, so L = 0.
        let mut mind = ArbitrationMind::new(ArbitrationParams::default()).unwrap();
        mind.learn(true, true);
        mind.learn(true, false);
        assert!(mind.l.abs() < 1e-12);
        // Passing once, unrewarded, then acting, rewarded: V predicted the reward with
        // 1/3, Q(act) with 1/2: L = ln(1/3) − ln(1/2) (the first trial is equal).
        let mut mind = ArbitrationMind::new(ArbitrationParams::default()).unwrap();
        mind.learn(false, false);
        mind.learn(true, true);
        assert!((mind.l - ((1.0f64 / 3.0).ln() - 0.5f64.ln())).abs() < 1e-12);
    }
}
