//! Parameter sweeps: one protocol run over a grid, or a seeded random sample, of values
//! of any of its fields, with several replicate seeds per combination.
//!
//! A sweep file (TOML) names a protocol and its axes:
//!
//! ```toml
//! name = "threshold-by-shocks"
//! protocol = "triadic-rat"       # bundled name, a file relative to this one, or a [protocol] table
//! replicates = 2                 # seeds per combination: seed, seed + 1, ...
//! seed = 1
//! subjects = 50                  # optional: every group's size
//!
//! [[axis]]
//! path = "params.mpfc_threshold" # any field of the complete protocol file
//! values = [0.1, 0.2, 0.3]       # or linspace = { from = 0.1, to = 0.3, steps = 3 }
//!
//! [[axis]]
//! path = "phase[pretreatment].blocks[0].trials"
//! values = [10, 27]
//! ```
//!
//! Paths address the protocol as `helplessness show` prints it, every default filled in
//! ([`FieldPath`]): `params.NAME`, `subjects`, `phase[0].cutoff_s`,
//! `group[inescapable].contingency.pretreatment.yoked.to`; a list element is chosen by
//! position or by its `name`. A whole protocol, not an [`Experiment`], is edited, so a
//! swept value is validated exactly as if it had been written into the file, and every
//! combination is validated before any point runs.
//!
//! With a `[sample]` table (`points`, `seed`) the combinations are a seeded random
//! sample instead of the grid: each axis is drawn independently, from its `values`
//! (each equally likely) or from `uniform = { low, high }`, `log-uniform = { low, high }`
//! or `integer = { low, high }` (both ends included).
//!
//! **Points.** Combination `c` (grid order: the last axis varies fastest; or sample
//! order) with replicate `r` is point `c * replicates + r`, run with seed `seed + r`:
//! every combination meets the same seeds, so differences between combinations are not
//! blurred by different random draws. A [`Shard`] takes every n-th point.
//!
//! **Rows** ([`Sweep::header`]): one per point x group x scored phase (the phases of
//! the protocol's failure criterion, else the last phase): `point`, `replicate`,
//! `seed`, one column per axis (headed by its path, holding its value), `group`,
//! `phase`, `n` (subjects with a scored trial), `mean_latency_s` and `sem_latency_s`
//! (over subjects' mean latencies), `failing` (subjects meeting the failure criterion)
//! and `fail_rate` (failing / n; both empty when no criterion scores the phase), and
//! `mean_freezing` (0-1). Empty cells are undefined values (a SEM of one subject).

mod axes;
mod compare;
mod file;
mod load;
mod path;
mod shard;

pub use compare::{ALPHA, Comparison, Row, Table};
pub use file::{AxisSpec, IntegerRange, Interval, Linspace, ProtocolSource, Sample, SweepFile};
pub use load::load;
pub use path::FieldPath;
pub use shard::{Shard, ranges};

use toml::Value;

use crate::analysis::Summary;
use crate::error::Error;
use crate::experiment::{Experiment, Observer, RunOptions, Sink};
use crate::protocol::{Bundled, ProtocolFile};
use crate::record::TrialRecord;

/// Every bundled sweep (`sweeps/*.toml`).
pub const BUNDLED: &[Bundled] = &[Bundled {
    name: "sweep-contingency",
    text: include_str!("../../sweeps/sweep-contingency.toml"),
}];

/// Whether `text` is a sweep file: TOML with `[[axis]]` or a `[sample]` (a protocol
/// has neither).
///
/// ```
/// use helplessness::sweep;
/// assert!(sweep::is_sweep_text(sweep::bundled_text("sweep-contingency").unwrap()));
/// assert!(!sweep::is_sweep_text(helplessness::protocol::bundled_text("triadic-rat").unwrap()));
/// ```
pub fn is_sweep_text(text: &str) -> bool {
    !text.trim_start().starts_with('{')
        && toml::from_str::<toml::Table>(text)
            .is_ok_and(|t| t.contains_key("axis") || t.contains_key("sample"))
}

/// The text of the bundled sweep called `name`.
///
/// ```
/// assert!(helplessness::sweep::bundled_text("sweep-contingency").is_some());
/// ```
pub fn bundled_text(name: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|b| b.name == name).map(|b| b.text)
}

/// Most combinations a sweep may have: each is validated (and kept) before any runs.
pub const MAX_COMBINATIONS: usize = 1_000_000;

/// Most seeds per combination.
pub const MAX_REPLICATES: u32 = 10_000;

/// Most points (combinations x replicates) a sweep may have: a shard lists its points
/// before it runs them.
pub const MAX_POINTS: u64 = 10_000_000;

/// Settings given outside the file (on the command line): they replace the file's and
/// become part of the resolved sweep, so of its fingerprint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Subjects in every group.
    pub subjects: Option<u32>,
    /// Seeds per combination.
    pub replicates: Option<u32>,
}

/// One run of a sweep: a combination of axis values with one replicate seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    /// Number of the point, from 0.
    pub index: u64,
    /// Which combination of axis values.
    pub combination: usize,
    /// Which replicate, from 0.
    pub replicate: u32,
    /// The seed it runs with.
    pub seed: u64,
}

/// A resolved, validated sweep: the complete protocol, the combinations, the points.
///
/// ```
/// use helplessness::sweep::{self, Overrides};
/// let text = r#"
///     name = "threshold"
///     protocol = "triadic-rat"
///     replicates = 2
///     subjects = 3
///     [[axis]]
///     path = "params.mpfc_threshold"
///     linspace = { from = 0.1, to = 0.3, steps = 3 }
/// "#;
/// let sweep = sweep::load(text, "threshold.toml", None, &Overrides::default())?;
/// assert_eq!(sweep.len(), 6);
/// let p = sweep.point(3).unwrap();
/// assert_eq!((p.combination, p.replicate, p.seed), (1, 1, 2));
/// let rows = sweep.run_point(&p, &Default::default(), &mut helplessness::VecSink::default(), &mut ())?;
/// assert_eq!(rows.len(), 3); // three groups, one scored phase
/// assert_eq!(rows[0].values, ["0.2"]); // the axis value
/// # Ok::<(), helplessness::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Sweep {
    name: String,
    description: String,
    replicates: u32,
    seed: u64,
    paths: Vec<FieldPath>,
    combinations: Vec<Vec<Value>>,
    /// The complete protocol file, as a TOML table.
    base: Value,
    /// The sweep file as resolved: what ran, reproducibly.
    resolved: String,
    fingerprint: String,
}

/// A value as a CSV cell: numbers in their shortest exact form, text as is.
fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Float(x) => number(*x),
        other => other.to_string(),
    }
}

/// A number as a CSV cell; empty when undefined.
fn number(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

/// Summarizes records for the sweep while passing them on.
struct Tee<'a> {
    summary: Summary,
    records: &'a mut dyn Sink,
}

impl Sink for Tee<'_> {
    fn start(&mut self, variables: &'static [crate::mind::Variable]) -> Result<(), Error> {
        self.summary.start(variables)?;
        self.records.start(variables)
    }
    fn write(&mut self, r: &TrialRecord) -> Result<(), Error> {
        self.summary.write(r)?;
        self.records.write(r)
    }
    fn finish(&mut self) -> Result<(), Error> {
        self.records.finish()
    }
}

impl Sweep {
    /// Name of the sweep.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// One line on what it asks.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The swept paths, in axis order.
    pub fn paths(&self) -> &[FieldPath] {
        &self.paths
    }

    /// Number of combinations of axis values.
    pub fn combinations(&self) -> usize {
        self.combinations.len()
    }

    /// The axis values of combination `c`, in axis order.
    pub fn values(&self, c: usize) -> Option<&[Value]> {
        self.combinations.get(c).map(Vec::as_slice)
    }

    /// Number of points: combinations x replicates.
    #[allow(clippy::len_without_is_empty)] // a sweep always has a point
    pub fn len(&self) -> u64 {
        self.combinations.len() as u64 * u64::from(self.replicates)
    }

    /// Point number `index`, if there is one.
    pub fn point(&self, index: u64) -> Option<Point> {
        let r = u64::from(self.replicates);
        (index < self.len()).then(|| Point {
            index,
            combination: (index / r) as usize,
            replicate: (index % r) as u32,
            seed: self.seed.wrapping_add(index % r),
        })
    }

    /// The points of `shard`, in order.
    pub fn points(&self, shard: Shard) -> impl Iterator<Item = Point> + '_ {
        (shard.index..self.len())
            .step_by(shard.count as usize)
            .filter_map(|i| self.point(i))
    }

    /// The sweep file as resolved (the protocol complete and inline, values listed,
    /// overrides applied): loading it gives this sweep again.
    pub fn resolved(&self) -> &str {
        &self.resolved
    }

    /// A hash of the crate version and the resolved sweep: outputs with equal
    /// fingerprints come from the same sweep and may be joined.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The experiment of combination `c`.
    pub fn experiment(&self, c: usize) -> Result<Experiment, Error> {
        let mut file = self.base.clone();
        let values = self
            .combinations
            .get(c)
            .ok_or_else(|| Error::invalid("combination", c, "no such combination"))?;
        for (path, value) in self.paths.iter().zip(values) {
            path.set(&mut file, value.clone())?;
        }
        let file: ProtocolFile = serde_path_to_error::deserialize(file).map_err(|e| {
            let path = e.path().to_string();
            Error::invalid(path, "", e.inner().message())
        })?;
        file.to_experiment()
    }

    /// Column names of the rows ([`Sweep::run_point`]); see the module docs.
    pub fn header(&self) -> Vec<String> {
        let mut h: Vec<String> = compare::BEFORE.map(String::from).to_vec();
        h.extend(self.paths.iter().map(|p| p.to_string()));
        h.extend(compare::AFTER.map(String::from));
        h
    }

    /// Runs `point`, passing every record to `records` and progress to `observer`, and
    /// returns its rows (one per group x scored phase). Only summaries are kept in
    /// memory; the output does not depend on `options.threads`.
    pub fn run_point(
        &self,
        point: &Point,
        options: &RunOptions,
        records: &mut dyn Sink,
        observer: &mut dyn Observer,
    ) -> Result<Vec<Row>, Error> {
        let exp = self.experiment(point.combination)?;
        let mut tee = Tee {
            summary: Summary::new(&exp),
            records,
        };
        exp.runner(point.seed)
            .options(options)
            .observer(observer)
            .into_sink(&mut tee)?;
        let scored = exp.scored_phases();
        let values = &self.combinations[point.combination];
        let mut rows = Vec::new();
        for phase in scored {
            let criterion = exp.criterion.as_ref().filter(|c| c.applies_to(phase));
            for g in tee.summary.groups(phase) {
                rows.push(Row {
                    point: point.index,
                    replicate: point.replicate,
                    seed: point.seed,
                    values: values.iter().map(cell).collect(),
                    group: g.group.clone(),
                    phase: phase.to_string(),
                    n: g.n,
                    mean_latency_s: g.mean_latency_s,
                    sem_latency_s: g.sem_latency_s,
                    failing: criterion.map(|_| g.failing),
                    mean_freezing: g.mean_freezing,
                });
            }
        }
        Ok(rows)
    }

    /// `rows` as CSV with the header: the file of one point.
    pub fn csv(&self, rows: &[Row]) -> Result<Vec<u8>, Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(self.header())?;
        for row in rows {
            w.write_record(row.cells())?;
        }
        w.into_inner().map_err(|e| Error::Io {
            path: "sweep.csv".into(),
            source: e.into_error(),
        })
    }

    /// Points' CSV files ([`Sweep::csv`]), each given with its number, joined in the
    /// order given under one header. A file whose header differs is refused.
    ///
    /// ```
    /// use helplessness::sweep::{self, Overrides};
    /// let text = "name = \"x\"\nprotocol = \"triadic-rat\"\n[[axis]]\npath = \"subjects\"\nvalues = [1]\n";
    /// let s = sweep::load(text, "x.toml", None, &Overrides::default())?;
    /// let row = |group: &str| sweep::Row {
    ///     point: 0, replicate: 0, seed: 1, values: vec!["1".into()], group: group.into(),
    ///     phase: "test".into(), n: 1, mean_latency_s: 2.0, sem_latency_s: f64::NAN,
    ///     failing: Some(0), mean_freezing: 0.0,
    /// };
    /// let a = s.csv(&[row("a")])?;
    /// let b = s.csv(&[row("b")])?;
    /// let joined = String::from_utf8(s.join([(0, a), (1, b)])?).unwrap();
    /// assert_eq!(joined.lines().count(), 3);
    /// assert!(s.join([(7, b"x,y\n1,2\n".to_vec())]).unwrap_err().to_string().contains("invalid value 7 for `point`"));
    /// # Ok::<(), helplessness::Error>(())
    /// ```
    pub fn join(&self, parts: impl IntoIterator<Item = (u64, Vec<u8>)>) -> Result<Vec<u8>, Error> {
        let mut out = self.csv(&[])?;
        let header_len = out.len();
        for (index, part) in parts {
            if part.len() < header_len || part[..header_len] != out[..header_len] {
                return Err(Error::invalid(
                    "point",
                    index,
                    "its file's columns differ from this sweep's",
                ));
            }
            out.extend_from_slice(&part[header_len..]);
        }
        Ok(out)
    }
}

/// The bundled sweep called `name`, resolved.
///
/// ```
/// let s = helplessness::sweep::bundled("sweep-contingency").unwrap();
/// assert_eq!(s.paths().len(), 2);
/// ```
pub fn bundled(name: &str) -> Result<Sweep, Error> {
    match bundled_text(name) {
        Some(text) => load(text, name, None, &Overrides::default()),
        None => {
            let names: Vec<&str> = BUNDLED.iter().map(|b| b.name).collect();
            Err(Error::unknown("bundled sweep", name, &names))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name = \"t\"\nprotocol = \"triadic-rat\"\nreplicates = 2\nsubjects = 2\n\
        [[axis]]\npath = \"params.mpfc_threshold\"\nvalues = [0.1, 0.2]\n\
        [[axis]]\npath = \"phase[pretreatment].blocks[0].trials\"\nlinspace = { from = 5, to = 15, steps = 3 }\n";

    fn sweep(text: &str) -> Result<Sweep, Error> {
        load(text, "t.toml", None, &Overrides::default())
    }

    #[test]
    fn grid_points_are_numbered_combination_then_replicate() {
        let s = sweep(TEXT).unwrap();
        assert_eq!((s.combinations(), s.len()), (6, 12));
        assert_eq!(
            s.values(1).unwrap(),
            [Value::Float(0.1), Value::Float(10.0)]
        );
        assert_eq!(s.values(3).unwrap(), [Value::Float(0.2), Value::Float(5.0)]);
        let p = s.point(7).unwrap();
        assert_eq!((p.combination, p.replicate, p.seed), (3, 1, 2));
        assert!(s.point(12).is_none());
        let exp = s.experiment(4).unwrap();
        assert_eq!(exp.phases[0].schedule.trials(), 10 + 27 + 26);
        assert_eq!(exp.theory.get("mpfc_threshold"), Some(0.2));
        assert!(exp.groups.iter().all(|g| g.subjects == 2));
    }

    #[test]
    fn the_resolved_sweep_loads_as_itself() {
        let s = sweep(TEXT).unwrap();
        let again = sweep(s.resolved()).unwrap();
        assert_eq!(again.resolved(), s.resolved());
        assert_eq!(again.fingerprint(), s.fingerprint());
        let more = load(
            TEXT,
            "t.toml",
            None,
            &Overrides {
                replicates: Some(3),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_ne!(more.fingerprint(), s.fingerprint());
    }

    #[test]
    fn samples_are_seeded_and_in_range() {
        let text = "name = \"s\"\nprotocol = \"triadic-rat\"\n[sample]\npoints = 20\nseed = 3\n\
            [[axis]]\npath = \"params.mpfc_threshold\"\nlog-uniform = { low = 0.05, high = 0.5 }\n\
            [[axis]]\npath = \"phase[test].blocks[1].trials\"\ninteger = { low = 15, high = 25 }\n";
        let (a, b) = (sweep(text).unwrap(), sweep(text).unwrap());
        assert_eq!(a.combinations, b.combinations);
        for c in &a.combinations {
            let x = c[0].as_float().unwrap();
            let n = c[1].as_integer().unwrap();
            assert!((0.05..0.5).contains(&x) && (15..=25).contains(&n));
        }
        let other = sweep(&text.replace("seed = 3", "seed = 4")).unwrap();
        assert_ne!(a.combinations, other.combinations);
    }

    #[test]
    fn bad_axes_are_located_and_named() {
        let no_sample = TEXT.replace("values = [0.1, 0.2]", "uniform = { low = 0.1, high = 0.2 }");
        let e = sweep(&no_sample).unwrap_err().to_string();
        assert!(
            e.starts_with(
                "t.toml:7:1: invalid value { low = 0.1, high = 0.2 } for `axis[0].uniform`"
            ) && e.contains("add a [sample]"),
            "{e}"
        );
        let bad_value = TEXT.replace(
            "linspace = { from = 5, to = 15, steps = 3 }",
            "values = [5, -1]",
        );
        let e = sweep(&bad_value).unwrap_err().to_string();
        assert!(
            e.starts_with("t.toml: with params.mpfc_threshold = 0.1, phase[pretreatment].blocks[0].trials = -1: ")
                && e.contains("phase[0].blocks[0].trials"),
            "{e}"
        );
        let e = sweep(&TEXT.replace("[0.1, 0.2]", "[0.1, \"x\"]"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("invalid value \"x\" for `params.mpfc_threshold`: must be a number"),
            "{e}"
        );
        let e = sweep(&TEXT.replace("blocks[0]", "blocks[7]"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("t.toml:9:1:") && e.contains("has 3 entries"),
            "{e}"
        );
        let e = sweep(&TEXT.replace("triadic-rat", "triadic-rta"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `triadic-rat`"), "{e}");
        let e = sweep(&TEXT.replace("replicates", "replicate"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("t.toml:3:1: unknown field `replicate`"),
            "{e}"
        );
    }

    #[test]
    fn inline_protocols_may_extend_a_bundled_one() {
        let text = "name = \"i\"\n[protocol]\nextends = \"triadic-rat\"\nsubjects = 3\n\
            [[axis]]\npath = \"subjects\"\nvalues = [2, 4]\n";
        let s = sweep(text).unwrap();
        assert_eq!(s.experiment(1).unwrap().groups[2].subjects, 4);
        let e = sweep(&text.replace("subjects = 3", "subjets = 3"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.toml:2:") && e.contains("subjets"), "{e}");
    }
}
