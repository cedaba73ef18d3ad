//! # helplessness
//!
//! A simulator of Seligman-style learned helplessness, built on the neuroscience of
//! Maier & Seligman (2016, *Psychol Rev* 123:349): passivity is the **default**
//! response to prolonged aversive stimulation, carried by dorsal raphe (DRN) serotonin;
//! what is learned is **control**. A medial prefrontal (mPFC) detector estimates
//! whether responses change the chance of relief (ΔP). When they do, the mPFC inhibits
//! the DRN and active coping comes through; controllable stress also strengthens the
//! mPFC's answer to later stressors (immunization). Escapable and yoked subjects
//! receive identical shocks, so every difference between them comes from
//! controllability.
//!
//! ## The pieces, in the order data flows
//! - [`stimulus`]: schedules of shocks; [`contingency`]: what responses do to them;
//!   [`apparatus`]: where they happen.
//! - [`mind`]: the [`Mind`] trait and the theories behind it, chosen by [`Theory`]: the
//!   default [`CircuitMind`] (DRN `d`, 5-HT `h`, sensitization `s`, mPFC `m`, detector
//!   `c`, stress-evoked drive `w`, global expectation `G`, response strength `q`,
//!   conditioned fear), the learned-expectancy theory and Bayesian
//!   Pavlovian/instrumental arbitration. Records carry the variables the running
//!   theory declares.
//! - [`intervention`]: drugs, infusions and forced exposure, tied to a phase.
//! - [`life`]: the day clock: people living phases of days in life domains, week by week, and studies of groups of them ([`life::run`]).
//! - [`experiment`]: groups x phases, yoking, seeding and the parallel runner, which
//!   streams [`TrialRecord`]s into a [`Sink`].
//! - [`protocol`]: protocol files (TOML) and the classic experiments, bundled.
//! - [`analysis`]: streaming summaries, between-group tests and effect sizes, the run
//!   report; `plot` (feature `plot`): the field's figures as PNG and SVG.
//! - [`sweep`]: a protocol over a grid or a seeded sample of any of its fields, in
//!   shards that independent processes run and a merge joins.
//!
//! ## Example: the triadic design
//! ```
//! use helplessness::{analysis, protocol};
//! let exp = protocol::triadic_dog(30);
//! let records = exp.run(7)?;
//! let test = analysis::summarize(&exp, &records, "test");
//! let (es, is) = (&test[0], &test[1]);
//! assert!(is.mean_latency_s > es.mean_latency_s); // yoked dogs escape more slowly
//! # Ok::<(), helplessness::Error>(())
//! ```
//!
//! The same seed gives the same records on any number of threads: each subject draws
//! from its own ChaCha8 stream derived from (seed, group, subject).
//!
//! ## Features
//! The default features build the command-line tool: `cli` pulls in clap, indicatif,
//! ctrlc, humantime and anyhow, which a library does not need. Depend on the library
//! with default features off, keeping `parallel` (rayon) and `plot` (plotters and a
//! bundled font) if wanted:
//!
//! ```toml
//! [dependencies]
//! helplessness = { version = "0.1", default-features = false, features = ["parallel", "plot"] }
//! ```
//!
//! Without `plot` there is no `plot` module; without `parallel` runs use one thread,
//! with byte-identical output.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod analysis;
pub mod apparatus;
pub mod atomic;
pub mod columns;
pub mod contingency;
mod draw;
mod error;
pub mod experiment;
pub mod intervention;
pub mod life;
mod math;
pub mod mind;
mod names;
pub mod path;
#[cfg(feature = "plot")]
pub mod plot;
pub mod protocol;
pub mod record;
pub mod stimulus;
pub mod subject;
pub mod sweep;
pub mod targets;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use apparatus::Apparatus;
pub use contingency::{Contingency, Requirement, Titration, TitrationRule};
pub use error::Error;
pub use experiment::{
    Criterion, CsvSink, Experiment, Group, JsonLinesSink, Observer, Phase, RunOptions, Sink,
    StopSignal, VecSink,
};
pub use mind::{
    CircuitFactory, CircuitMind, CircuitParams, Detector, Dist, Mind, MindFactory, Session,
    Species, State, Theory, Variable, Variation,
};
pub use record::TrialRecord;
pub use stimulus::{Block, Iti, Schedule};
pub use subject::{SubjectId, SubjectRng};
