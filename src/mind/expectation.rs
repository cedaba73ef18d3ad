//! Expectations of control: what a subject carries from one episode, context, life
//! domain and day to the next (Maier & Seligman 1976; Abramson, Seligman & Teasdale
//! 1978; Huys & Dayan 2009).
//!
//! **Evidence is counted per episode.** Each episode is one observation in a pair of
//! Beta posteriors, P(outcome | attempt) and P(outcome | no attempt), as the window
//! [`Detector`] keeps within a trial:
//!
//! | episode | cell | weight |
//! |---|---|---|
//! | an attempt earned the outcome | attempt, outcome | success credit |
//! | attempts made, the end came anyway or never | attempt, none | 1 |
//! | no attempt, the end came anyway (relief at the cut-off, a task done for you) | no attempt, outcome | 1 |
//! | no attempt, no outcome (a task left undone) | no attempt, none | inaction evidence |
//!
//! A perfectionist (`perfectionism` p) counts the share p of earned outcomes, those
//! below the bar, as attempts that failed: success credit × (1 − p) as attempt/outcome
//! and p as attempt/none, for self-esteem too.
//!
//! So failure feeds itself: a shock that runs to its cut-off while the subject sits
//! still is relief without an attempt, and a task failed after trying is an attempt
//! without an outcome; both lower ΔP. A task left untried says only that nothing comes
//! without trying, and counts half (people weigh the no-action/no-outcome cell least:
//! Wasserman et al. 1990): it never tests P(outcome | attempt), so avoidance keeps a
//! low belief that trying works. (Not counting it at all would let rare outcomes that
//! came without an attempt drive P(outcome | no attempt) up without limit.)
//!
//! **Hierarchy.** Evidence is bound to the episode's life domain (work, school, the
//! laboratory...). Evidence that attempts do not matter (bad events, whose explanation
//! the attributional style describes) also spreads, with weight *globality* γ, to the
//! global expectation `G`, where a domain met for the first time starts, and, shared
//! among them, to the other domains met so far. An expectation is the domain's ΔP
//! scaled to 0..1, `E = clamp(ΔP/(1 − b0))`, so a belief at `G0` starts at `E = G0`;
//! pseudo-counts grow with every episode, so a long history is a firm belief.
//!
//! **Time.** Between episodes every count relaxes toward the person's baseline belief,
//! `n ← n0 + (n − n0)·e^(−Δ/τ)`, with τ set by *stability*: `τ = 1 day · 3650^stability`
//! (a day for "this time", ten years for "always").
//! The baseline itself is the average, over every episode lived, of the expectation
//! where it happened, begun from `lived_episodes` episodes at the initial expectation:
//! early years weigh most, and a long life is hard to move.
//!
//! **Self-esteem** `S` (0..1), the belief in one's own competence: a failed attempt
//! lowers it by `η·internality·S` (blaming oneself, not circumstances), an earned outcome
//! raises it by `η·credit·(1 − S)`; it relaxes toward its baseline with the same τ.

use crate::math::{exp, powf};
use serde::{Deserialize, Serialize};

use super::{Clock, Detector, Outcome, Session, Variable};

/// What a subject is told about a session's task (Hiroto 1974; Klein, Fencil-Morse &
/// Seligman 1976): it sets the prior of a context met for the first time, or how the
/// session's failures are explained.
///
/// ```
/// use helplessness::mind::Instruction;
/// // In a protocol file: `instructions = "chance"` on a phase, or per group and phase.
/// let told: Instruction = serde_json::from_str("\"hard-for-everyone\"").unwrap();
/// assert_eq!(told, Instruction::HardForEveryone);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Instruction {
    /// "Success depends on your skill": a new context's prior moves toward full control.
    Skill,
    /// "Success is a matter of chance": a new context's prior moves toward none, and an
    /// earned outcome counts less as evidence of control (it was luck).
    Chance,
    /// "The task was hard for everyone": failures are put down to the task, so they
    /// neither lower self-esteem nor spread to other domains.
    HardForEveryone,
}

/// One day, in seconds.
const DAY_S: f64 = 86_400.0;

/// How a subject explains what happens to it (Abramson, Seligman & Teasdale 1978), and
/// the traits that shape its expectations; every value in 0..1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// γ: how far evidence that attempts do not matter in one domain spreads to the
    /// others and to `G` (0 specific, 1 global).
    pub globality: f64,
    /// How slowly beliefs and self-esteem relax toward baseline (0 a day, 1 ten years).
    pub stability: f64,
    /// How much a failed attempt lowers self-esteem (0 circumstances, 1 oneself).
    pub internality: f64,
    /// Weight of an earned outcome as evidence and for self-esteem (0 "luck").
    pub success_credit: f64,
    /// Locus of control (Rotter): how far below the domain's expectation a new
    /// context's prior starts (0 internal, 1 external: nothing expected of trying).
    pub external_locus: f64,
    /// Weight of an untried, unsolved task as evidence that inaction fails.
    pub inaction_evidence: f64,
    /// η, the share of the way toward 0 or 1 one episode moves self-esteem.
    pub esteem_rate: f64,
    /// How far an [`Instruction`] moves a new context's prior (or discounts luck).
    pub instruction_weight: f64,
    /// The bar an earned outcome must clear to count as a success: with outcomes of
    /// uniform quality, the share of them the person counts as failures (0: every
    /// success counts).
    pub perfectionism: f64,
    /// Episodes of life the baseline already reflects (0 for a newborn).
    pub lived_episodes: f64,
}

impl Style {
    /// The relaxation time constant, s: a day at stability 0, ten years at 1.
    pub fn relax_tau_s(&self) -> f64 {
        DAY_S * powf(3650f64, self.stability)
    }
}

/// A subject's expectations of control and self-esteem: see the [module docs](self).
///
/// ```
/// use helplessness::mind::{Outcome, expectation::{Expectations, Style}};
/// let style = Style { globality: 0.0, stability: 0.5, internality: 0.5, success_credit: 1.0,
///     external_locus: 0.0, inaction_evidence: 0.0, esteem_rate: 0.05,
///     instruction_weight: 0.5, perfectionism: 0.0, lived_episodes: 100.0 };
/// let mut e = Expectations::new(0.05, 0.5, 4.0, 0.5, style);
/// e.enter(1, None); // work
/// for _ in 0..20 { // tries hard, fails every time
///     e.begin_episode();
///     e.attempt();
///     e.end_episode(Outcome::Failed);
/// }
/// assert!(e.domain(1) < 0.1 && e.esteem() < 0.4);
/// assert!((e.domain(0) - 0.5).abs() < 1e-12); // a specific style: the rest of life is untouched
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Expectations {
    base: f64,
    style: Style,
    tau_s: f64,
    baseline: Detector,
    /// The baseline expectation: the average, over every episode lived, of the
    /// expectation where it happened.
    lived_mean: f64,
    /// Episodes lived (by weight), counting those before the simulation.
    lived: f64,
    /// Pseudo-count of the baseline belief.
    count: f64,
    global: Detector,
    domains: Vec<Detector>,
    esteem: f64,
    esteem_baseline: f64,
    domain: usize,
    attempted: bool,
    instruction: Option<Instruction>,
    /// Weight of one laboratory trial as evidence, in days' opportunities.
    trial_evidence: f64,
    /// Weight of an episode of the current session: a day's (1) or a trial's.
    weight: f64,
    /// The share of the way self-esteem moves in one episode of this weight.
    esteem_step: f64,
}

impl Expectations {
    /// `G`, as the theories that keep expectations declare it for their records.
    pub const G: Variable = Variable::new(
        "G",
        "1",
        "global expectation of control (where a new domain starts), 0..1",
    )
    .within(0.0, 1.0);
    /// `E`, the expectation in the session's domain, as declared for records.
    pub const E: Variable = Variable::new(
        "E",
        "1",
        "expectation of control in the session's life domain, 0..1",
    )
    .within(0.0, 1.0);
    /// Self-esteem, as declared for records.
    pub const ESTEEM: Variable = Variable::new("esteem", "1", "self-esteem, 0..1").within(0.0, 1.0);

    /// A subject whose baseline expectation `g0` is worth `count` pseudo-episodes, with
    /// base outcome rate `base` (b0) without an attempt, self-esteem `esteem` and `style`.
    pub fn new(base: f64, g0: f64, count: f64, esteem: f64, style: Style) -> Self {
        let baseline = Detector::new(base + g0 * (1.0 - base), base, count);
        Expectations {
            base,
            tau_s: style.relax_tau_s(),
            style,
            baseline,
            lived_mean: g0,
            lived: style.lived_episodes,
            count,
            global: baseline,
            domains: vec![baseline],
            esteem,
            esteem_baseline: esteem,
            domain: 0,
            attempted: false,
            instruction: None,
            trial_evidence: 1.0,
            weight: 1.0,
            esteem_step: 1.0 - powf(1.0 - style.esteem_rate, 1.0),
        }
    }

    /// A laboratory trial weighs `weight` of a day's opportunity as evidence (until a
    /// session says which clock it runs on, episodes weigh that too).
    pub fn with_trial_evidence(mut self, weight: f64) -> Self {
        self.trial_evidence = weight;
        self.set_weight(weight);
        self
    }

    /// No relaxation at all: beliefs last until evidence changes them.
    pub fn without_time_course(mut self) -> Self {
        self.tau_s = f64::INFINITY;
        self
    }

    fn scaled(&self, d: &Detector) -> f64 {
        (d.delta_p() / (1.0 - self.base)).clamp(0.0, 1.0)
    }

    /// The global expectation `G`: what a domain met for the first time starts from.
    pub fn global(&self) -> f64 {
        self.scaled(&self.global)
    }

    /// The expectation of control in `domain` (`G` if not met yet).
    pub fn domain(&self, domain: usize) -> f64 {
        self.domains
            .get(domain)
            .map_or_else(|| self.global(), |d| self.scaled(d))
    }

    /// The expectation in the domain of the current episode.
    pub fn current(&self) -> f64 {
        self.domain(self.domain)
    }

    /// Self-esteem, 0..1.
    pub fn esteem(&self) -> f64 {
        self.esteem
    }

    /// The current expectation as the ΔP it stands for, `E·(1 − b0)`: what trying
    /// on the day clock follows.
    pub fn expected_control(&self) -> f64 {
        self.current() * (1.0 - self.base)
    }

    /// The prior expectation of a context met for the first time in the current
    /// domain: the domain's, lowered by an external locus of control, then moved by
    /// what the subject was told.
    pub fn new_context(&self) -> f64 {
        let e = (1.0 - self.style.external_locus) * self.current();
        let k = self.style.instruction_weight;
        match self.instruction {
            Some(Instruction::Skill) => e + (1.0 - e) * k,
            Some(Instruction::Chance) => e * (1.0 - k),
            _ => e,
        }
    }

    /// Episodes now happen in `domain`, with `instruction` (if any) given for them; a
    /// domain met for the first time starts from `G`.
    pub fn enter(&mut self, domain: usize, instruction: Option<Instruction>) {
        while self.domains.len() <= domain {
            self.domains.push(self.global);
        }
        self.domain = domain;
        self.instruction = instruction;
    }

    /// A session begins: its domain, what the subject was told, and its clock, which
    /// sets how much each of its episodes weighs.
    pub fn enter_session(&mut self, session: &Session) {
        self.enter(session.domain, session.instruction);
        self.set_weight(match session.clock {
            Clock::Laboratory => self.trial_evidence,
            Clock::Day => 1.0,
        });
    }

    /// An episode begins: nothing attempted yet.
    pub fn begin_episode(&mut self) {
        self.attempted = false;
    }

    /// The subject attempted during the current episode.
    pub fn attempt(&mut self) {
        self.attempted = true;
    }

    /// The current episode ended with `outcome`: one observation of whether attempts
    /// matter, worth one episode on the day clock and a laboratory trial's weight in a
    /// laboratory session, spread by globality when it says they do not.
    pub fn end_episode(&mut self, outcome: Outcome) {
        let mut s = self.style;
        match self.instruction {
            Some(Instruction::Chance) => s.success_credit *= 1.0 - s.instruction_weight,
            Some(Instruction::HardForEveryone) => {
                s.internality = 0.0;
                s.globality = 0.0;
            }
            _ => {}
        }
        // One or two observations: a perfectionist counts the share `perfectionism` of
        // earned outcomes (those below the bar) as attempts that failed.
        let p = s.perfectionism;
        let observations = match (self.attempted, outcome) {
            (true, Outcome::Earned) => {
                [(true, true, s.success_credit * (1.0 - p)), (true, false, p)]
            }
            (true, _) => [(true, false, 1.0), (true, false, 0.0)],
            (false, Outcome::Failed) => [(false, false, s.inaction_evidence), (false, false, 0.0)],
            // An end that came without any attempt (an earned end always follows one).
            (false, _) => [(false, true, 1.0), (false, true, 0.0)],
        };
        let earned = self.attempted && outcome == Outcome::Earned;
        self.attempted = false;
        for (attempted, came, credit) in observations {
            self.observe(attempted, came, self.weight * credit, s.globality);
        }
        // The baseline is a life's average: early years weigh most, a long life is
        // hard to move (early neglect leaves a low and firm baseline).
        if self.weight > 0.0 {
            self.lived += self.weight;
            self.lived_mean += (self.current() - self.lived_mean) * self.weight / self.lived;
            self.baseline = Detector::new(
                self.base + self.lived_mean * (1.0 - self.base),
                self.base,
                self.count,
            );
        }
        if observations[0].0 {
            // Self-esteem moves by the episode itself, not by its weight as evidence.
            let rate = self.esteem_step;
            let (good, bad) = if earned { (1.0 - p, p) } else { (0.0, 1.0) };
            self.esteem += rate
                * (good * s.success_credit * (1.0 - self.esteem)
                    - bad * s.internality * self.esteem);
        }
    }

    /// Episodes now weigh `weight` each.
    fn set_weight(&mut self, weight: f64) {
        if weight != self.weight {
            self.esteem_step = 1.0 - powf(1.0 - self.style.esteem_rate, weight);
        }
        self.weight = weight;
    }

    /// One observation of `weight` in the current domain, spread by `globality` when it
    /// says attempts do not matter.
    fn observe(&mut self, attempted: bool, came: bool, weight: f64, globality: f64) {
        if weight <= 0.0 {
            return;
        }
        self.domains[self.domain].add(attempted, came, weight);
        if attempted != came && globality > 0.0 {
            let spread = globality * weight;
            self.global.add(attempted, came, spread);
            // Shared among the other domains, so that how far failure reaches does
            // not grow with how many domains a life has.
            let own = self.domain;
            let share = spread / (self.domains.len() - 1).max(1) as f64;
            for (k, d) in self.domains.iter_mut().enumerate() {
                if k != own {
                    d.add(attempted, came, share);
                }
            }
        }
    }

    /// `seconds` pass: beliefs and self-esteem relax toward baseline.
    pub fn relax(&mut self, seconds: f64) {
        if seconds <= 0.0 || self.tau_s.is_infinite() {
            return;
        }
        let keep = exp(-seconds / self.tau_s);
        self.global.forget_toward(&self.baseline, keep);
        for d in &mut self.domains {
            d.forget_toward(&self.baseline, keep);
        }
        self.esteem = self.esteem_baseline + (self.esteem - self.esteem_baseline) * keep;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(globality: f64, stability: f64) -> Style {
        Style {
            globality,
            stability,
            internality: 0.5,
            success_credit: 1.0,
            external_locus: 0.0,
            inaction_evidence: 0.5,
            esteem_rate: 0.05,
            instruction_weight: 0.5,
            perfectionism: 0.0,
            lived_episodes: 3650.0,
        }
    }

    fn episodes(e: &mut Expectations, n: usize, attempt: bool, outcome: Outcome) {
        for _ in 0..n {
            e.begin_episode();
            if attempt {
                e.attempt();
            }
            e.end_episode(outcome);
        }
    }

    #[test]
    fn failure_lowers_the_expectation_and_avoidance_leaves_it_untested() {
        let fresh = Expectations::new(0.05, 0.5, 4.0, 0.5, style(0.5, 0.5));
        // Shocks that end at their cut-off while the subject sits still.
        let mut sat = fresh.clone();
        episodes(&mut sat, 10, false, Outcome::Unearned);
        assert!(sat.current() < 0.2, "{}", sat.current());
        // Tasks tried and failed.
        let mut tried = fresh.clone();
        episodes(&mut tried, 10, true, Outcome::Failed);
        assert!(tried.current() < 0.3, "{}", tried.current());
        // Tasks never tried leave trying untested: the expectation can rise only as far
        // as P(outcome | no attempt) can fall, b0/(1 − b0), never to full control.
        let mut low = Expectations::new(0.05, 0.1, 4.0, 0.5, style(0.5, 0.5));
        let before = low.current();
        episodes(&mut low, 200, false, Outcome::Failed);
        let rise = low.current() - before;
        assert!(rise > 0.0 && rise <= 0.05 / 0.95 + 1e-12, "{rise}");
        // Earned outcomes raise it.
        let mut earned = fresh.clone();
        episodes(&mut earned, 10, true, Outcome::Earned);
        assert!(earned.current() > 0.8, "{}", earned.current());
    }

    #[test]
    fn globality_spreads_failure_to_other_domains_and_g() {
        let run = |g: f64| {
            let mut e = Expectations::new(0.05, 0.6, 4.0, 0.5, style(g, 0.5));
            e.enter(2, None); // school and work exist
            e.enter(1, None);
            episodes(&mut e, 40, true, Outcome::Failed);
            e
        };
        let (specific, global) = (run(0.0), run(1.0));
        assert!(specific.domain(1) < 0.1 && global.domain(1) < 0.1);
        assert!((specific.domain(2) - 0.6).abs() < 1e-12);
        assert!((specific.global() - 0.6).abs() < 1e-12);
        assert!(global.domain(2) < 0.2 && global.global() < 0.2);
        // A domain met later starts from G.
        assert!(global.domain(5) < 0.2 && (specific.domain(5) - 0.6).abs() < 1e-12);
    }

    #[test]
    fn stability_sets_how_long_a_lowered_expectation_lasts() {
        let after = |stability: f64, days: f64| {
            let mut e = Expectations::new(0.05, 0.6, 4.0, 0.5, style(0.5, stability));
            episodes(&mut e, 40, true, Outcome::Failed);
            e.relax(days * DAY_S);
            e.current()
        };
        assert!(after(0.0, 7.0) > 0.55, "unstable: back within a week");
        assert!(after(1.0, 7.0) < 0.1, "stable: still low a week later");
        // Relaxation composes.
        let mut a = Expectations::new(0.05, 0.6, 4.0, 0.5, style(0.5, 0.3));
        episodes(&mut a, 40, true, Outcome::Failed);
        let mut b = a.clone();
        a.relax(DAY_S);
        a.relax(DAY_S);
        b.relax(2.0 * DAY_S);
        assert!((a.current() - b.current()).abs() < 1e-12);
    }

    #[test]
    fn internality_sets_what_failure_does_to_self_esteem() {
        let esteem = |internality: f64| {
            let s = Style {
                internality,
                ..style(0.5, 0.5)
            };
            let mut e = Expectations::new(0.05, 0.6, 4.0, 0.6, s);
            episodes(&mut e, 20, true, Outcome::Failed);
            e.esteem()
        };
        assert!((esteem(0.0) - 0.6).abs() < 1e-12);
        assert!(esteem(1.0) < 0.3);
    }

    #[test]
    fn credit_and_locus_shape_what_success_and_a_new_context_mean() {
        let mut lucky = Expectations::new(
            0.05,
            0.3,
            4.0,
            0.5,
            Style {
                success_credit: 0.0,
                ..style(0.5, 0.5)
            },
        );
        episodes(&mut lucky, 30, true, Outcome::Earned);
        assert!(
            (lucky.current() - 0.3).abs() < 1e-12,
            "successes put down to luck teach nothing"
        );
        let external = Expectations::new(
            0.05,
            0.6,
            4.0,
            0.5,
            Style {
                external_locus: 0.5,
                ..style(0.5, 0.5)
            },
        );
        assert!((external.new_context() - 0.3).abs() < 1e-12);
    }

    #[test]
    fn instructions_set_a_new_contexts_prior_and_what_failure_means() {
        let mut e = Expectations::new(0.05, 0.6, 4.0, 0.6, style(1.0, 0.5));
        e.enter(0, Some(Instruction::Skill));
        assert!((e.new_context() - 0.8).abs() < 1e-12);
        e.enter(0, Some(Instruction::Chance));
        assert!((e.new_context() - 0.3).abs() < 1e-12);
        // Failure on a task "hard for everyone": no loss of self-esteem, no spread.
        e.enter(2, None);
        e.enter(1, Some(Instruction::HardForEveryone));
        episodes(&mut e, 20, true, Outcome::Failed);
        assert!((e.esteem() - 0.6).abs() < 1e-12);
        assert!((e.domain(2) - 0.6).abs() < 1e-12 && e.domain(1) < 0.2);
    }
}
