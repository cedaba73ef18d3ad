//! The runner: yoke sets, seeding and parallel execution with a fixed output order.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::engine::{self, SessionSpec, SessionTrace};
use super::{Experiment, HOUR, Sink};
use crate::error::Error;
use crate::mind::{MAX_VARIABLES, Mind, MindFactory, Session};
use crate::record::TrialRecord;
use crate::subject::SubjectId;

/// A flag that stops a run within a trial of being raised, from any thread (a Ctrl-C or
/// SIGTERM handler, a watchdog). Clones share the flag.
///
/// ```
/// use helplessness::{RunOptions, StopSignal, VecSink, protocol};
/// let stop = StopSignal::default();
/// stop.raise();
/// let options = RunOptions { stop: stop.clone(), ..RunOptions::default() };
/// let exp = protocol::triadic_dog(10);
/// let mut sink = VecSink::default();
/// let e = exp.runner(1).options(&options).into_sink(&mut sink).unwrap_err();
/// assert!(matches!(e, helplessness::Error::Interrupted { done: 0, .. }));
/// assert!(sink.records.is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct StopSignal(Arc<AtomicBool>);

impl StopSignal {
    /// Asks the run to stop.
    pub fn raise(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether a stop was asked for.
    pub fn is_raised(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Signals are equal when they share one flag.
impl PartialEq for StopSignal {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for StopSignal {}

/// How to run: threads and batching. Neither changes a single output byte.
///
/// ```
/// use helplessness::RunOptions;
/// let one_thread = RunOptions { threads: Some(1), ..RunOptions::default() };
/// assert_eq!(one_thread.threads, Some(1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Worker threads; `None` uses every core (or 1 without the `parallel` feature).
    pub threads: Option<usize>,
    /// Yoke sets simulated between two hand-overs to the sink; bounds memory.
    pub batch: usize,
    /// Raised to stop the run within a trial: it then ends with
    /// [`Error::Interrupted`], the sink holding only whole batches.
    pub stop: StopSignal,
}

impl RunOptions {
    /// A pool of `threads` workers, or `None` to use the global pool (every core).
    #[cfg(feature = "parallel")]
    pub(crate) fn pool(&self) -> Result<Option<rayon::ThreadPool>, Error> {
        self.threads
            .map(|threads| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads.max(1))
                    .build()
                    .map_err(|e| Error::invalid("threads", threads, e.to_string()))
            })
            .transpose()
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            threads: None,
            batch: 96,
            stop: StopSignal::default(),
        }
    }
}

/// Fixed facts of a run shared by every yoke set.
struct Plan<'a> {
    experiment: &'a Experiment,
    stop: &'a StopSignal,
    seed: u64,
    group_names: Vec<Arc<str>>,
    phase_names: Vec<Arc<str>>,
    /// Per phase and group, the index of the context the session runs in.
    contexts: Vec<Vec<usize>>,
    /// Life domain of each phase, as an index into [`Experiment::domains`].
    domains: Vec<usize>,
    /// Per phase, group indices with partners before the groups yoked to them.
    orders: Vec<Vec<usize>>,
    /// Per phase and group, the partner group's index.
    partners: Vec<Vec<Option<usize>>>,
    /// Per phase, the cue of each block (numbered from 1 across the experiment; 0:
    /// none).
    cues: Vec<Vec<usize>>,
    /// Per phase, the block of each trial in presentation order.
    trial_blocks: Vec<Vec<usize>>,
    /// Per group, its trials over the phases it takes part in: its records per subject.
    trials: Vec<usize>,
}

/// A yoke set: subject `index` of each group in `groups` (groups linked by yoking).
struct YokeSet<'a> {
    groups: &'a [usize],
    index: u32,
}

/// Groups linked by yoking in any phase, each sorted, in order of their first group.
pub(super) fn components(exp: &Experiment) -> Vec<Vec<usize>> {
    let n = exp.groups.len();
    let mut root: Vec<usize> = (0..n).collect();
    fn find(root: &mut [usize], mut i: usize) -> usize {
        while root[i] != i {
            root[i] = root[root[i]];
            i = root[i];
        }
        i
    }
    for phase in &exp.phases {
        for (i, partner) in exp.partners(phase).into_iter().enumerate() {
            if let Some(j) = partner {
                let (a, b) = (find(&mut root, i), find(&mut root, j));
                root[a.max(b)] = a.min(b);
            }
        }
    }
    // A component's root is its smallest group, so components come in order of it.
    let mut comps: Vec<Vec<usize>> = Vec::new();
    let mut comp_of_root = vec![usize::MAX; n];
    for i in 0..n {
        let r = find(&mut root, i);
        if comp_of_root[r] == usize::MAX {
            comp_of_root[r] = comps.len();
            comps.push(Vec::new());
        }
        comps[comp_of_root[r]].push(i);
    }
    comps
}

fn run_set<F: MindFactory>(
    plan: &Plan<'_>,
    factory: &F,
    set: &YokeSet<'_>,
) -> Result<Vec<TrialRecord>, Error> {
    let exp = plan.experiment;
    // Names of this set's own: records share them by reference count, and counts shared
    // by every worker thread would bounce between cores on each record.
    let own =
        |names: &[Arc<str>]| -> Vec<Arc<str>> { names.iter().map(|n| Arc::from(&**n)).collect() };
    let (group_names, phase_names) = (own(&plan.group_names), own(&plan.phase_names));
    let mut subjects = Vec::with_capacity(set.groups.len());
    for &g in set.groups {
        let id = SubjectId {
            group: group_names[g].clone(),
            index: set.index,
        };
        let mut rng = id.rng(plan.seed);
        let mind = factory.create(&id, &mut rng)?;
        // Exactly as many records as the group has trials: no growth, no slack.
        subjects.push((mind, rng, Vec::with_capacity(plan.trials[g])));
    }
    let slot = |g: usize| set.groups.iter().position(|&x| x == g);
    let mut traces: Vec<Option<SessionTrace>> = vec![None; set.groups.len()];
    for (p, phase) in exp.phases.iter().enumerate() {
        let gap = phase.after_hours * HOUR;
        for (mind, _, _) in &mut subjects {
            mind.relax(gap);
        }
        traces.iter_mut().for_each(|t| *t = None);
        for &g in &plan.orders[p] {
            let Some(k) = slot(g) else { continue };
            let group = &exp.groups[g];
            if !exp.takes_part(group, phase) {
                continue;
            }
            let contingency = exp.contingency(group, phase);
            let partner = plan.partners[p][g]
                .and_then(slot)
                .and_then(|j| traces[j].as_ref());
            let spec = SessionSpec {
                experiment: exp,
                phase,
                contingency,
                session: Session {
                    context: plan.contexts[p][g],
                    domain: plan.domains[p],
                    instruction: exp.instruction_of(group, phase),
                    clock: crate::mind::Clock::Laboratory,
                    apparatus: phase.apparatus,
                    interventions: phase
                        .interventions
                        .iter()
                        .chain(group.interventions_in(&phase.name))
                        .cloned()
                        .collect(),
                },
                partner,
                forced: phase
                    .interventions
                    .iter()
                    .chain(group.interventions_in(&phase.name))
                    .find_map(|i| i.forced_exposure()),
                group: &group_names[g],
                phase_name: &phase_names[p],
                subject: set.index,
                stop: plan.stop,
                cues: &plan.cues[p],
                order: &plan.trial_blocks[p],
            };
            let (mind, rng, out) = &mut subjects[k];
            let trace = engine::session(mind, rng, &spec, out)?;
            traces[k] = Some(trace);
        }
    }
    let total = subjects.iter().map(|(_, _, out)| out.len()).sum();
    let mut records = Vec::with_capacity(total);
    for (_, _, out) in subjects {
        records.extend(out);
    }
    Ok(records)
}

/// Runs `sets` on the current thread or the rayon pool, in order.
fn run_batch<F: MindFactory>(
    plan: &Plan<'_>,
    factory: &F,
    sets: &[YokeSet<'_>],
) -> Vec<Result<Vec<TrialRecord>, Error>> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        sets.par_iter().map(|s| run_set(plan, factory, s)).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        sets.iter().map(|s| run_set(plan, factory, s)).collect()
    }
}

/// Watches a run: called on the calling thread after each batch of yoke sets has been
/// handed to the sink. The default does nothing; a progress bar or a Ctrl-C flag plugs
/// in here.
///
/// ```
/// use helplessness::{Observer, RunOptions, VecSink, protocol};
/// /// Stops the run after the first batch.
/// struct StopEarly;
/// impl Observer for StopEarly {
///     fn progress(&mut self, _done: u64, _total: u64) -> bool { false }
/// }
/// let exp = protocol::triadic_dog(10);
/// let options = RunOptions { batch: 4, ..RunOptions::default() };
/// let mut sink = VecSink::default();
/// let e = exp
///     .runner(1).options(&options).observer(&mut StopEarly).into_sink(&mut sink)
///     .unwrap_err();
/// assert_eq!(e.to_string(), "interrupted after 4 of 20 yoke sets");
/// ```
pub trait Observer {
    /// `done` of `total` yoke sets are complete. Return `false` to stop the run, which
    /// then ends with [`Error::Interrupted`] (the sink keeps what it was given).
    fn progress(&mut self, done: u64, total: u64) -> bool {
        let _ = (done, total);
        true
    }
}

/// Observes nothing.
impl Observer for () {}

pub(super) fn run<F: MindFactory>(
    exp: &Experiment,
    seed: u64,
    factory: &F,
    options: &RunOptions,
    sink: &mut dyn Sink,
    observer: &mut dyn Observer,
) -> Result<(), Error> {
    let variables = factory.variables();
    if variables.len() > MAX_VARIABLES {
        return Err(Error::invalid(
            "mind.variables",
            variables.len(),
            format!("a theory declares at most {MAX_VARIABLES} variables"),
        ));
    }
    sink.start(variables)?;
    // Contexts are numbered in order of first use: each phase's own, then the groups'
    // own contexts in that phase.
    let mut contexts: Vec<&str> = Vec::new();
    let mut index_of = |name| match contexts.iter().position(|c| *c == name) {
        Some(i) => i,
        None => {
            contexts.push(name);
            contexts.len() - 1
        }
    };
    let context_of = exp
        .phases
        .iter()
        .map(|p| {
            // The phase's own context is numbered first, used or not.
            index_of(p.context_name());
            exp.groups
                .iter()
                .map(|g| index_of(exp.context_of(g, p)))
                .collect()
        })
        .collect();
    let partners: Vec<Vec<Option<usize>>> = exp.phases.iter().map(|p| exp.partners(p)).collect();
    let cue_names = exp.cues();
    let cues = exp
        .phases
        .iter()
        .map(|p| {
            p.schedule
                .blocks
                .iter()
                .map(|b| {
                    b.cue
                        .as_deref()
                        .and_then(|c| cue_names.iter().position(|n| *n == c))
                        .map_or(0, |i| i + 1)
                })
                .collect()
        })
        .collect();
    let plan = Plan {
        experiment: exp,
        stop: &options.stop,
        seed,
        group_names: exp
            .groups
            .iter()
            .map(|g| Arc::from(g.name.as_str()))
            .collect(),
        phase_names: exp
            .phases
            .iter()
            .map(|p| Arc::from(p.name.as_str()))
            .collect(),
        contexts: context_of,
        domains: {
            let names = exp.domains();
            exp.phases
                .iter()
                .map(|p| {
                    names
                        .iter()
                        .position(|d| *d == p.domain_name())
                        .unwrap_or(0)
                })
                .collect()
        },
        cues,
        trial_blocks: exp.phases.iter().map(|p| p.schedule.order()).collect(),
        trials: exp
            .groups
            .iter()
            .map(|g| {
                exp.phases
                    .iter()
                    .filter(|p| exp.takes_part(g, p))
                    .map(|p| p.schedule.trials() as usize)
                    .sum()
            })
            .collect(),
        orders: exp
            .phases
            .iter()
            .zip(&partners)
            .map(|(p, partner)| exp.yoke_order(p, partner))
            .collect::<Result<_, _>>()?,
        partners,
    };
    let comps = components(exp);
    // Yoke sets are made a batch at a time, so a run's memory does not grow with them.
    let sets = || {
        comps.iter().flat_map(|c| {
            (0..exp.groups[c[0]].subjects).map(move |index| YokeSet { groups: c, index })
        })
    };
    #[cfg(feature = "parallel")]
    let pool = options.pool()?;
    let total: u64 = comps
        .iter()
        .map(|c| u64::from(exp.groups[c[0]].subjects))
        .sum();
    let simulate = |chunk: &[YokeSet<'_>]| {
        #[cfg(feature = "parallel")]
        if let Some(pool) = &pool {
            return pool.install(|| run_batch(&plan, factory, chunk));
        }
        run_batch(&plan, factory, chunk)
    };
    // Hands one simulated batch to the sink and the observer.
    let mut done = 0u64;
    let mut deliver = |len: usize, results: Vec<Result<Vec<TrialRecord>, Error>>| {
        // A batch cut short by the stop signal is incomplete: none of it is delivered.
        if options.stop.is_raised() {
            sink.finish()?;
            return Err(Error::Interrupted { done, total });
        }
        for records in results {
            for r in &records? {
                sink.write(r)?;
            }
        }
        done += len as u64;
        if !observer.progress(done, total) && done < total {
            sink.finish()?;
            return Err(Error::Interrupted { done, total });
        }
        Ok(())
    };
    let batch = options.batch.max(1);
    // Batches are handed over in turn, without a producer thread, when there is
    // nothing to overlap (one batch) or when this thread is itself a worker of the
    // shared pool (a run inside a user's parallel loop): there, blocking on a producer
    // whose batches wait for that pool's busy workers could deadlock. Without
    // `parallel` a run uses one thread: WebAssembly has no other.
    #[cfg(feature = "parallel")]
    let in_turn = pool.is_none() && rayon::current_thread_index().is_some();
    #[cfg(not(feature = "parallel"))]
    let in_turn = true;
    if in_turn || total <= batch as u64 {
        let mut sets = sets();
        loop {
            let chunk: Vec<YokeSet<'_>> = sets.by_ref().take(batch).collect();
            if chunk.is_empty() {
                break;
            }
            deliver(chunk.len(), simulate(&chunk))?;
        }
    } else {
        // Simulation and the sink overlap: a producer thread simulates batch k + 1
        // while this thread hands batch k to the sink, so writing records or
        // summarizing never leaves the workers idle. The rendezvous channel keeps at
        // most two batches alive.
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel(0);
            let simulate = &simulate;
            scope.spawn(move || {
                let mut sets = sets();
                loop {
                    let chunk: Vec<YokeSet<'_>> = sets.by_ref().take(batch).collect();
                    // A closed channel means the run stopped; nothing more is wanted.
                    if chunk.is_empty() || tx.send((chunk.len(), simulate(&chunk))).is_err() {
                        break;
                    }
                }
            });
            rx.into_iter()
                .try_for_each(|(len, results)| deliver(len, results))
        })?;
    }
    sink.finish()
}
