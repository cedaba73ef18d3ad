//! The event-driven engine: one subject through one session.
//!
//! Between shocks nothing happens but relaxation, which the mind does in closed form, so
//! an inter-trial interval costs one call. While a shock is on, the engine draws escape
//! responses by the integrated-hazard method: it draws E ~ Exp(1) and the mind runs
//! until ∫ r dt reaches E ([`Mind::run`]: by default tick by tick of `dt`, the rate held
//! over each tick; the circuit a detector window at a time), one draw per response.

use std::sync::Arc;

use rand::RngExt;

use super::runner::StopSignal;
use super::{Experiment, Phase};
use crate::contingency::{Contingency, Requirement, Titration};
use crate::error::Error;
use crate::mind::{Episode, EpisodeClock, Mind, Outcome, Session};
use crate::record::TrialRecord;
use crate::subject::SubjectRng;

/// What a session's schedule was, for the groups yoked to it: intervals and shock
/// durations, trial by trial.
#[derive(Debug, Clone, Default)]
pub(crate) struct SessionTrace {
    pub itis: Vec<f64>,
    pub durations: Vec<f64>,
}

/// How one episode ends.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ending {
    /// After `ratio` attempts made from `available_after_s` on (each completion ends
    /// it with probability `p`), `delay_s` later; at `cutoff_s` if not escaped.
    Escape {
        ratio: u32,
        p: f64,
        delay_s: f64,
        available_after_s: f64,
        cutoff_s: f64,
    },
    /// At this time whatever the subject does, as `outcome`.
    Fixed { at_s: f64, outcome: Outcome },
    /// Allan's contingency space: in each window of `window_s` from onset, the first
    /// attempt brings the outcome with probability `p_attempt`; a window without an
    /// attempt ends with it with probability `p_no_attempt`. At `cutoff_s` if nothing
    /// came.
    Space {
        p_attempt: f64,
        p_no_attempt: f64,
        window_s: f64,
        cutoff_s: f64,
    },
}

impl Ending {
    /// The end of a stimulus that lasts `at_s` whatever the subject does.
    fn unearned(at_s: f64) -> Self {
        Ending::Fixed {
            at_s,
            outcome: Outcome::Unearned,
        }
    }
}

/// The result of one episode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EpisodeResult {
    pub shock_s: f64,
    pub latency_s: f64,
    /// The subject's attempt brought the outcome.
    pub escaped: bool,
    /// The experimenter moved the subject across (forced exposure).
    pub forced: bool,
    pub responses: u32,
}

/// Part of a contingency-space window left after its decision: a window's outcome
/// without an attempt comes this fraction of the window before its end, so a mind
/// that closes windows on the clock hears it within the window it answers for.
const SPACE_DECISION_LEAD: f64 = 1e-6;

/// Runs one episode until it ends as `ending` says. With `forced_at`, an escapable
/// stimulus not escaped by then ends with the experimenter moving the subject across:
/// a crossing the subject experiences, followed by offset.
pub(crate) fn episode<M: Mind>(
    mind: &mut M,
    rng: &mut SubjectRng,
    onset: Episode,
    ending: Ending,
    forced_at: Option<f64>,
    dt: f64,
) -> EpisodeResult {
    mind.onset(&onset);
    let at_cutoff = Outcome::at_cutoff(onset.demand);
    let (mut offset_at, ratio, p, delay, available) = match ending {
        Ending::Escape {
            ratio,
            p,
            delay_s,
            available_after_s,
            cutoff_s,
        } => (cutoff_s, ratio, p, delay_s, available_after_s),
        Ending::Fixed { at_s, .. } => (at_s, u32::MAX, 0.0, 0.0, 0.0),
        Ending::Space { cutoff_s, .. } => (cutoff_s, u32::MAX, 0.0, 0.0, 0.0),
    };
    let mut ends_as = match ending {
        Ending::Fixed { outcome, .. } => outcome,
        _ => at_cutoff,
    };
    let forced_at = forced_at.filter(|&f| ratio != u32::MAX && f < offset_at);
    if let Some(f) = forced_at {
        offset_at = f;
    }
    // Contingency space: the next decision time and whether this window's first
    // attempt has been answered.
    let space = match ending {
        Ending::Space {
            p_attempt,
            p_no_attempt,
            window_s,
            ..
        } => Some((p_attempt, p_no_attempt, window_s)),
        _ => None,
    };
    let lead = space.map_or(0.0, |(_, _, w)| w * SPACE_DECISION_LEAD);
    let mut decide_at = space.map_or(f64::INFINITY, |(_, _, w)| w - lead);
    let mut answered = false;
    let mut clock = EpisodeClock::new(dt);
    let mut responses = 0u32;
    let mut count = 0u32;
    let mut latency = None;
    let mut hazard_left: f64 = crate::draw::exp1(rng);
    while clock.t() < offset_at {
        let attempted = mind.run(&mut clock, offset_at.min(decide_at), &mut hazard_left, None);
        let t = clock.t();
        if attempted {
            mind.respond();
            responses = responses.saturating_add(1);
            hazard_left = crate::draw::exp1(rng);
            if latency.is_none() && ratio != u32::MAX && t >= available {
                count += 1;
                if count >= ratio {
                    if p >= 1.0 || rng.random_bool(p) {
                        latency = Some(t);
                        offset_at = t + delay;
                        ends_as = Outcome::Earned;
                    } else {
                        count = 0;
                    }
                }
            }
            if let Some((p_attempt, _, _)) = space
                && !answered
            {
                answered = true;
                if rng.random_bool(p_attempt) {
                    latency = Some(t);
                    offset_at = t;
                    ends_as = Outcome::Earned;
                }
            }
        }
        if let Some((_, p_no_attempt, window_s)) = space
            && t >= decide_at
            && t < offset_at
        {
            if !answered && rng.random_bool(p_no_attempt) {
                offset_at = t;
                ends_as = Outcome::Unearned;
            }
            answered = false;
            decide_at += window_s;
        }
    }
    let forced = latency.is_none() && forced_at.is_some();
    if forced {
        mind.respond();
        ends_as = Outcome::Earned;
    }
    mind.outcome(ends_as);
    mind.offset();
    EpisodeResult {
        shock_s: offset_at,
        latency_s: latency.unwrap_or(offset_at),
        escaped: latency.is_some(),
        forced,
        responses,
    }
}

/// Everything one session run needs besides the mind and its stream.
pub(crate) struct SessionSpec<'a> {
    pub experiment: &'a Experiment,
    pub phase: &'a Phase,
    pub contingency: &'a Contingency,
    pub session: Session,
    /// The partner's trace when yoked.
    pub partner: Option<&'a SessionTrace>,
    /// Forced exposure: (first trials, latency).
    pub forced: Option<(u32, f64)>,
    pub group: &'a Arc<str>,
    pub phase_name: &'a Arc<str>,
    pub subject: u32,
    /// Raised to stop the run.
    pub stop: &'a StopSignal,
    /// The cue each block of the schedule presents (0: none).
    pub cues: &'a [usize],
    /// The block of each trial, in presentation order ([`crate::Schedule::order`]).
    pub order: &'a [usize],
}

/// Runs one subject through one session, appending a record per trial to `out`. Stops
/// early, between trials, once `stop` is raised; fails when the mind's state stops being
/// finite.
pub(crate) fn session<'a, M: Mind>(
    mind: &mut M,
    rng: &mut SubjectRng,
    spec: &SessionSpec<'a>,
    out: &mut Vec<TrialRecord>,
) -> Result<SessionTrace, Error> {
    let schedule = &spec.phase.schedule;
    let n = schedule.trials() as usize;
    let mut trace = SessionTrace {
        itis: Vec::with_capacity(n),
        durations: Vec::with_capacity(n),
    };
    let requirement_of = |c: &'a Contingency| match c {
        Contingency::Escapable { requirement, .. }
        | Contingency::Partial { requirement, .. }
        | Contingency::EscapableOrYoked { requirement, .. } => Some(requirement),
        _ => None,
    };
    let mut titration = match requirement_of(spec.contingency) {
        Some(Requirement::Titration(rule)) => Some(Titration::new(rule.clone())),
        _ => None,
    };
    mind.begin_session(&spec.session);
    let demand = spec.session.apparatus.demand();
    let mut clock = 0.0;
    // Running totals of shock, for escapable-or-yoked trials that match the partner's.
    let (mut own_total, mut partner_total) = (0.0, 0.0);
    for (trial, &b) in spec.order.iter().enumerate() {
        let block = &schedule.blocks[b];
        // A block's own contingency (a cue's schedule) holds for every group.
        let contingency = block.contingency.as_ref().unwrap_or(spec.contingency);
        let requirement = requirement_of(contingency);
        if spec.stop.is_raised() {
            return Ok(trace);
        }
        let iti = match spec.partner {
            Some(p) => p.itis[trial],
            None => schedule.iti.sample(rng),
        };
        mind.relax(iti);
        clock += iti;
        let ratio = block.ratio.unwrap_or(match (requirement, &titration) {
            (_, Some(t)) => t.ratio(),
            (Some(Requirement::FixedRatio { ratio }), _) => *ratio,
            _ => 1,
        });
        let escape = |p: f64, delay_s: f64, available_after_s: f64| Ending::Escape {
            ratio,
            p,
            delay_s,
            available_after_s,
            cutoff_s: schedule.cutoff_s,
        };
        let partner_s = spec.partner.map_or(0.0, |p| p.durations[trial]);
        partner_total += partner_s;
        let yoked = Ending::unearned(partner_s);
        let ending = match contingency {
            Contingency::Escapable {
                delay_s,
                available_after_s,
                ..
            } => Some(escape(1.0, *delay_s, *available_after_s)),
            Contingency::Partial { p, .. } => Some(escape(*p, 0.0, 0.0)),
            // A non-escapable trial makes up the difference in running totals, so
            // the subject's shock matches its partner's whatever its own escapes.
            Contingency::EscapableOrYoked { p, .. } => Some(if rng.random_bool(*p) {
                // Escapable, but never longer than the partner's shock.
                Ending::Escape {
                    ratio,
                    p: 1.0,
                    delay_s: 0.0,
                    available_after_s: 0.0,
                    cutoff_s: partner_s,
                }
            } else {
                let owed = partner_total - own_total;
                Ending::unearned(owed.clamp(0.0, schedule.cutoff_s.max(partner_s)))
            }),
            Contingency::Yoked { .. } => Some(yoked),
            Contingency::Fixed { duration_s } => Some(Ending::unearned(*duration_s)),
            Contingency::Insoluble => Some(Ending::Fixed {
                at_s: schedule.cutoff_s,
                outcome: Outcome::at_cutoff(demand),
            }),
            Contingency::DoneForYou { after_s } => Some(Ending::unearned(*after_s)),
            Contingency::Space {
                p_attempt,
                p_no_attempt,
                window_s,
            } => Some(Ending::Space {
                p_attempt: *p_attempt,
                p_no_attempt: *p_no_attempt,
                window_s: *window_s,
                cutoff_s: schedule.cutoff_s,
            }),
            Contingency::NoShock => None,
        };
        // A stimulus of no duration is no stimulus.
        let ending = ending.filter(|e| !matches!(e, Ending::Fixed { at_s, .. } if *at_s <= 0.0));
        let forced_at = spec
            .forced
            .filter(|&(trials, _)| (trial as u64) < u64::from(trials))
            .map(|(_, latency)| latency);
        let onset = Episode {
            demand,
            intensity: block.intensity,
            cue: spec.cues.get(b).copied().unwrap_or(0),
        };
        let outcome = ending.map(|e| episode(mind, rng, onset, e, forced_at, spec.experiment.dt_s));
        let shock_s = outcome.map_or(0.0, |o| o.shock_s);
        own_total += shock_s;
        if let (Some(t), Some(o), Some(Ending::Escape { .. })) =
            (titration.as_mut(), outcome, ending)
        {
            t.update(o.escaped.then_some(o.latency_s));
        }
        let state = mind.state();
        if let Some((variable, value)) = state.iter().find(|(_, v)| !v.is_finite()) {
            return Err(Error::NonFinite {
                subject: format!("{}[{}]", spec.group, spec.subject),
                phase: spec.phase_name.to_string(),
                trial: trial as u32 + 1,
                variable,
                value,
            });
        }
        out.push(TrialRecord {
            group: spec.group.clone(),
            subject: spec.subject,
            phase: spec.phase_name.clone(),
            trial: trial as u32 + 1,
            onset_s: clock,
            shock_s,
            latency_s: outcome.map(|o| o.latency_s),
            escaped: outcome.is_some_and(|o| o.escaped),
            forced: outcome.is_some_and(|o| o.forced),
            responses: outcome.map_or(0, |o| o.responses),
            state,
        });
        clock += shock_s;
        trace.itis.push(iti);
        trace.durations.push(shock_s);
    }
    mind.end_session();
    Ok(trace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mind::{State, Variable};
    use rand::SeedableRng;
    use statrs::distribution::Exp;
    use statrs::stats_tests::NaNPolicy;
    use statrs::stats_tests::ks_test::{KSOneSampleAlternativeMethod, ks_onesample};

    /// Responds at a constant rate while shocked.
    struct ConstantRate {
        rate: f64,
        on: bool,
    }

    impl Mind for ConstantRate {
        fn begin_session(&mut self, _: &Session) {}
        fn end_session(&mut self) {}
        fn relax(&mut self, _: f64) {}
        fn onset(&mut self, _: &Episode) {
            self.on = true;
        }
        fn outcome(&mut self, _: Outcome) {}
        fn advance(&mut self, _: f64) {}
        fn response_rate(&self) -> f64 {
            if self.on { self.rate } else { 0.0 }
        }
        fn respond(&mut self) {}
        fn offset(&mut self) {
            self.on = false;
        }
        fn state(&self) -> State {
            const NONE: &[Variable] = &[];
            State::new(NONE, &[])
        }
    }

    /// An escapable ending: FR-`ratio`, response-to-offset delay, availability delay.
    fn escape(ratio: u32, delay_s: f64, available_after_s: f64, cutoff_s: f64) -> Ending {
        Ending::Escape {
            ratio,
            p: 1.0,
            delay_s,
            available_after_s,
            cutoff_s,
        }
    }

    fn fr1(cutoff_s: f64) -> Ending {
        escape(1, 0.0, 0.0, cutoff_s)
    }

    #[test]
    fn constant_rate_latencies_are_exponential() {
        // FR-1 escape latency at a constant hazard r is Exp(r); the cut-off is far away.
        // One-sample Kolmogorov-Smirnov test, n = 4000, two-sided.
        let rate = 0.8;
        let mut rng = SubjectRng::seed_from_u64(11);
        let mut mind = ConstantRate { rate, on: false };
        let latencies: Vec<f64> = (0..4000)
            .map(|_| {
                episode(
                    &mut mind,
                    &mut rng,
                    Episode::aversive(1.0),
                    fr1(1e6),
                    None,
                    0.1,
                )
                .latency_s
            })
            .collect();
        let (d, p) = ks_onesample(
            latencies.clone(),
            &Exp::new(rate).unwrap(),
            KSOneSampleAlternativeMethod::TwoSidedAsymptotic,
            NaNPolicy::Error,
        )
        .unwrap();
        assert!(p > 0.01, "KS D = {d}, p = {p}");
        // And the test has power: the same sample is far from Exp(1.2 r).
        let (_, p_wrong) = ks_onesample(
            latencies,
            &Exp::new(1.2 * rate).unwrap(),
            KSOneSampleAlternativeMethod::TwoSidedAsymptotic,
            NaNPolicy::Error,
        )
        .unwrap();
        assert!(p_wrong < 1e-6, "p = {p_wrong}");
    }

    #[test]
    fn fixed_ratio_needs_that_many_responses_and_fixed_ignores_them() {
        let mut rng = SubjectRng::seed_from_u64(3);
        let mut mind = ConstantRate {
            rate: 2.0,
            on: false,
        };
        for _ in 0..200 {
            let o = episode(
                &mut mind,
                &mut rng,
                Episode::aversive(1.0),
                escape(3, 0.0, 0.0, 1e6),
                None,
                0.1,
            );
            assert!(o.escaped && o.responses == 3);
            assert_eq!(o.shock_s, o.latency_s);
            let f = episode(
                &mut mind,
                &mut rng,
                Episode::aversive(1.0),
                Ending::unearned(5.0),
                None,
                0.1,
            );
            assert!(!f.escaped && f.shock_s == 5.0);
        }
    }

    #[test]
    fn escape_delay_extends_the_shock_past_the_response() {
        let mut rng = SubjectRng::seed_from_u64(5);
        let mut mind = ConstantRate {
            rate: 1.0,
            on: false,
        };
        let o = episode(
            &mut mind,
            &mut rng,
            Episode::aversive(1.0),
            escape(1, 2.0, 0.0, 1e6),
            None,
            0.1,
        );
        assert!((o.shock_s - o.latency_s - 2.0).abs() < 1e-12);
    }

    #[test]
    fn responses_before_escape_is_available_do_not_count() {
        let mut rng = SubjectRng::seed_from_u64(9);
        let mut mind = ConstantRate {
            rate: 3.0,
            on: false,
        };
        for _ in 0..100 {
            let o = episode(
                &mut mind,
                &mut rng,
                Episode::aversive(1.0),
                escape(1, 0.0, 4.0, 1e6),
                None,
                0.1,
            );
            assert!(o.escaped && o.latency_s >= 4.0);
        }
    }

    #[test]
    fn unescaped_shock_ends_at_the_cutoff() {
        let mut rng = SubjectRng::seed_from_u64(5);
        let mut mind = ConstantRate {
            rate: 0.0,
            on: false,
        };
        let o = episode(
            &mut mind,
            &mut rng,
            Episode::aversive(1.0),
            fr1(30.0),
            None,
            0.1,
        );
        assert!(!o.escaped && o.shock_s == 30.0 && o.latency_s == 30.0 && o.responses == 0);
    }
}
