//! One way to run an experiment: say what runs (the experiment, its seed, the minds),
//! how (threads, batches, a stop signal), who watches and where records go, then run.

use super::runner::{self, Observer, RunOptions, StopSignal};
use super::{Experiment, Sink, VecSink};
use crate::error::Error;
use crate::mind::{MindFactory, TheoryFactory};
use crate::record::TrialRecord;

/// A run being set up, made by [`Experiment::runner`]; nothing happens until
/// [`Run::into_sink`] or [`Run::records`].
///
/// ```
/// use helplessness::{analysis::Summary, protocol, Observer};
/// let exp = protocol::triadic_dog(10);
///
/// // Every record in memory, with the experiment's own theory:
/// let records = exp.runner(7).records()?;
///
/// // Streamed into a summary on one thread, watched by a progress callback:
/// struct Count(u64);
/// impl Observer for Count {
///     fn progress(&mut self, done: u64, _total: u64) -> bool { self.0 = done; true }
/// }
/// let (mut summary, mut count) = (Summary::new(&exp), Count(0));
/// exp.runner(7).threads(1).observer(&mut count).into_sink(&mut summary)?;
/// assert_eq!(count.0, 20);
/// # assert_eq!(records.len(), 2 * 10 * 74 + 10 * 10);
/// # Ok::<(), helplessness::Error>(())
/// ```
pub struct Run<'a, F: MindFactory = TheoryFactory> {
    experiment: &'a Experiment,
    seed: u64,
    minds: Option<F>,
    options: RunOptions,
    observer: Option<&'a mut dyn Observer>,
}

impl Experiment {
    /// Sets up a run of this experiment with `seed`: its own theory and all cores
    /// unless the builder says otherwise.
    pub fn runner(&self, seed: u64) -> Run<'_> {
        Run {
            experiment: self,
            seed,
            minds: None,
            options: RunOptions::default(),
            observer: None,
        }
    }

    /// Runs with this experiment's theory on all cores, returning every record in
    /// memory: `self.runner(seed).records()`.
    pub fn run(&self, seed: u64) -> Result<Vec<TrialRecord>, Error> {
        self.runner(seed).records()
    }
}

impl<'a, F: MindFactory> Run<'a, F> {
    /// Runs minds from `factory` instead of the experiment's theory: a user's own
    /// theory, or a factory made once and reused over many runs.
    pub fn minds<G: MindFactory>(self, factory: G) -> Run<'a, G> {
        Run {
            experiment: self.experiment,
            seed: self.seed,
            minds: Some(factory),
            options: self.options,
            observer: self.observer,
        }
    }

    /// Threads, batch and stop signal at once.
    pub fn options(mut self, options: &RunOptions) -> Self {
        self.options = options.clone();
        self
    }

    /// Worker threads (output is identical for any number).
    pub fn threads(mut self, threads: usize) -> Self {
        self.options.threads = Some(threads);
        self
    }

    /// Yoke sets simulated between two hand-overs to the sink (bounds memory).
    pub fn batch(mut self, batch: usize) -> Self {
        self.options.batch = batch;
        self
    }

    /// Stops the run within a trial once `stop` is raised.
    pub fn stop(mut self, stop: &StopSignal) -> Self {
        self.options.stop = stop.clone();
        self
    }

    /// Reports progress to `observer` after each batch, and stops when it says so.
    pub fn observer(mut self, observer: &'a mut dyn Observer) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Validates the experiment and runs it, streaming records into `sink` in a fixed
    /// order (yoke set by yoke set; within a set by group, phase and trial) whatever
    /// the number of threads.
    pub fn into_sink(self, sink: &mut dyn Sink) -> Result<(), Error> {
        let exp = self.experiment;
        exp.validate()?;
        let mut nobody = ();
        let observer: &mut dyn Observer = match self.observer {
            Some(o) => o,
            None => &mut nobody,
        };
        match &self.minds {
            Some(factory) => runner::run(exp, self.seed, factory, &self.options, sink, observer),
            None => {
                let factory = exp.factory()?;
                runner::run(exp, self.seed, &factory, &self.options, sink, observer)
            }
        }
    }

    /// Runs and returns every record in memory.
    pub fn records(self) -> Result<Vec<TrialRecord>, Error> {
        let mut sink = VecSink::default();
        self.into_sink(&mut sink)?;
        Ok(sink.records)
    }
}
