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

mod path;
mod shard;

pub use path::FieldPath;
pub use shard::{Shard, ranges};

use std::path::Path;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use toml::Value;
use toml::de::DeTable;

use crate::analysis::Summary;
use crate::error::Error;
use crate::experiment::{Experiment, Observer, RunOptions, Sink};
use crate::protocol::{self, Bundled, Loaded, ProtocolFile};
use crate::record::TrialRecord;

/// Every bundled sweep (`sweeps/*.toml`).
pub const BUNDLED: &[Bundled] = &[Bundled {
    name: "sweep-contingency",
    text: include_str!("../../sweeps/sweep-contingency.toml"),
}];

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

/// A sweep file as written. [`load`] resolves it into a [`Sweep`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    /// Name of the sweep.
    pub name: String,
    /// One line on what it asks.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Seeds per combination.
    #[serde(default = "one")]
    pub replicates: u32,
    /// Seed of replicate 0; replicate r runs with `seed + r`.
    #[serde(default = "one_u64")]
    pub seed: u64,
    /// Subjects in every group, replacing the protocol's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subjects: Option<u32>,
    /// The axes, outermost first.
    #[serde(rename = "axis")]
    pub axes: Vec<AxisSpec>,
    /// A random sample of combinations instead of the grid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<Sample>,
    /// A bundled protocol's name, a protocol file's path (relative to the sweep file),
    /// or a protocol-file table (`extends` allowed).
    pub protocol: ProtocolSource,
}

fn one() -> u32 {
    1
}

fn one_u64() -> u64 {
    1
}

/// Where a sweep's protocol comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ProtocolSource {
    /// A bundled name or a path.
    Named(String),
    /// A protocol file, inline.
    Inline(toml::Table),
}

/// One axis: a path and its values (exactly one of the value fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AxisSpec {
    /// The field swept ([`FieldPath`]).
    pub path: String,
    /// The values, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<Value>>,
    /// `steps` evenly spaced values from `from` to `to`, both included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linspace: Option<Linspace>,
    /// Uniform on [low, high) (samples only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uniform: Option<Interval>,
    /// Log-uniform on [low, high), low > 0 (samples only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_uniform: Option<Interval>,
    /// Whole numbers from low to high, both included (samples only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integer: Option<IntegerRange>,
}

/// Evenly spaced values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Linspace {
    /// First value.
    pub from: f64,
    /// Last value.
    pub to: f64,
    /// Number of values, at least 1.
    pub steps: u32,
}

/// An interval of real numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

/// A range of whole numbers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegerRange {
    /// Lowest value.
    pub low: i64,
    /// Highest value.
    pub high: i64,
}

/// A seeded random sample of combinations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// Number of combinations drawn.
    pub points: u32,
    /// Seed of the draws (a ChaCha8 stream).
    pub seed: u64,
}

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

/// How an axis's values come about, once resolved.
#[derive(Debug, Clone)]
enum Draw {
    List(Vec<Value>),
    Uniform(f64, f64),
    LogUniform(f64, f64),
    Integer(i64, i64),
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
/// assert_eq!(rows[0][3], "0.2"); // the axis column
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

/// Parses, resolves and validates a sweep file. `origin` names it in errors; `dir`,
/// when given, is where relative protocol paths are looked up (without it only bundled
/// names and inline tables are accepted). Errors give the file, line and column, the
/// field and the value.
///
/// ```
/// use helplessness::sweep::{load, Overrides};
/// let text = "name = \"x\"\nprotocol = \"triadic-rat\"\n[[axis]]\npath = \"params.mpfc_treshold\"\nvalues = [0.1]\n";
/// let e = load(text, "x.toml", None, &Overrides::default()).unwrap_err().to_string();
/// assert_eq!(
///     e,
///     "x.toml:4:1: unknown field `params.mpfc_treshold` (did you mean `params.mpfc_threshold`?)"
/// );
/// ```
pub fn load(
    text: &str,
    origin: &str,
    dir: Option<&Path>,
    overrides: &Overrides,
) -> Result<Sweep, Error> {
    let at = |span: Option<std::ops::Range<usize>>, message: String| {
        let (line, column) = span.map_or((None, None), |s| {
            let (l, c) = protocol::line_column(text, s.start);
            (Some(l), Some(c))
        });
        Error::Protocol {
            file: origin.to_string(),
            line,
            column,
            message,
        }
    };
    let doc = DeTable::parse(text).map_err(|e| at(e.span(), e.message().to_string()))?;
    let located = |path: &str, message: String| at(protocol::find(doc.get_ref(), path), message);
    let de = toml::Deserializer::parse(text).map_err(|e| at(e.span(), e.message().to_string()))?;
    let mut file: SweepFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let span = e
            .inner()
            .span()
            .or_else(|| protocol::find(doc.get_ref(), &path));
        at(span, protocol::explain(e.inner().message(), &path))
    })?;
    file.subjects = overrides.subjects.or(file.subjects);
    file.replicates = overrides.replicates.unwrap_or(file.replicates);
    if file.replicates == 0 {
        return Err(located(
            "replicates",
            Error::invalid("replicates", 0, "must be at least 1").to_string(),
        ));
    }

    let loaded = load_protocol(&file.protocol, origin, dir, &located)?;
    let mut exp = loaded.experiment;
    if let Some(n) = file.subjects {
        exp = exp.with_subjects(n);
        exp.validate()
            .map_err(|e| located("subjects", e.to_string()))?;
    }
    let mut complete = ProtocolFile::complete(&exp, loaded.file.species, loaded.file.seed);
    complete.description = loaded.file.description;
    complete.source = loaded.file.source;
    let mut base = Value::try_from(&complete).map_err(|e| located("protocol", e.to_string()))?;
    // Groups of the common size leave it to `subjects`, so that one path sizes them all.
    let common = base.get("subjects").cloned();
    if let Some(Value::Array(groups)) = base.get_mut("group") {
        for g in groups.iter_mut().filter_map(Value::as_table_mut) {
            if g.get("subjects") == common.as_ref() {
                g.remove("subjects");
            }
        }
    }

    let mut paths = Vec::new();
    let mut draws = Vec::new();
    for (i, axis) in file.axes.iter_mut().enumerate() {
        let here = |field: &str| format!("axis[{i}].{field}");
        let path: FieldPath = axis
            .path
            .parse()
            .map_err(|e: Error| located(&here("path"), e.to_string()))?;
        path.field_mut(&mut base)
            .map_err(|e| located(&here("path"), e.to_string()))?;
        let draw = resolve_axis(i, axis, file.sample.is_some())
            .map_err(|(field, e)| located(&here(field), e.to_string()))?;
        if let Draw::List(values) = &draw {
            axis.values = Some(values.clone());
            axis.linspace = None;
        }
        paths.push(path);
        draws.push(draw);
    }
    if file.axes.is_empty() {
        return Err(located(
            "name",
            "a sweep needs at least one [[axis]] (with a path and values)".into(),
        ));
    }
    let combinations = match &file.sample {
        Some(s) => {
            if s.points == 0 || s.points as usize > MAX_COMBINATIONS {
                return Err(located(
                    "sample.points",
                    Error::invalid(
                        "sample.points",
                        s.points,
                        format!("must be 1 to {MAX_COMBINATIONS}"),
                    )
                    .to_string(),
                ));
            }
            sample(&draws, s)
        }
        None => grid(&draws).ok_or_else(|| {
            located(
                "axis",
                format!("the grid has more than {MAX_COMBINATIONS} combinations; use a [sample]"),
            )
        })?,
    };
    let points = combinations.len() as u64 * u64::from(file.replicates);

    file.subjects = None;
    file.protocol = match base.clone() {
        Value::Table(t) => ProtocolSource::Inline(t),
        _ => unreachable!("a protocol file serializes to a table"),
    };
    let resolved = toml::to_string(&file).map_err(|e| located("name", e.to_string()))?;
    let fingerprint = format!(
        "{:016x}",
        crate::subject::fnv1a(
            format!(
                "{} {}\n{resolved}",
                env!("CARGO_PKG_NAME"),
                env!("CARGO_PKG_VERSION")
            )
            .as_bytes()
        )
    );
    let sweep = Sweep {
        name: file.name,
        description: file.description,
        replicates: file.replicates,
        seed: file.seed,
        paths,
        combinations,
        base,
        resolved,
        fingerprint,
    };
    for c in 0..sweep.combinations.len() {
        sweep.experiment(c).map_err(|e| {
            let values: Vec<String> = sweep
                .paths
                .iter()
                .zip(&sweep.combinations[c])
                .map(|(p, v)| format!("{p} = {v}"))
                .collect();
            at(None, format!("with {}: {e}", values.join(", ")))
        })?;
    }
    debug_assert_eq!(points, sweep.len());
    Ok(sweep)
}

/// The sweep's protocol, loaded and validated.
fn load_protocol(
    source: &ProtocolSource,
    origin: &str,
    dir: Option<&Path>,
    located: &dyn Fn(&str, String) -> Error,
) -> Result<Loaded, Error> {
    match source {
        ProtocolSource::Inline(table) => {
            let text = toml::to_string(table).map_err(|e| located("protocol", e.to_string()))?;
            protocol::load(&text, &format!("{origin} [protocol]")).map_err(|e| match e {
                Error::Protocol { message, .. } => {
                    located("protocol", format!("in [protocol]: {message}"))
                }
                e => located("protocol", e.to_string()),
            })
        }
        ProtocolSource::Named(name) => {
            if let Some(file) = dir.map(|d| d.join(name)).filter(|f| f.is_file()) {
                let text = std::fs::read_to_string(&file).map_err(|source| Error::Io {
                    path: file.display().to_string(),
                    source,
                })?;
                return protocol::load(&text, &file.display().to_string());
            }
            if protocol::bundled_text(name).is_some() {
                return protocol::bundled(name);
            }
            let message = if name.ends_with(".toml") || name.contains('/') {
                match dir {
                    Some(d) => format!("no protocol file `{}`", d.join(name).display()),
                    None => format!(
                        "protocol file `{name}`: only bundled names and [protocol] tables here"
                    ),
                }
            } else {
                let names: Vec<&str> = protocol::BUNDLED.iter().map(|b| b.name).collect();
                Error::unknown("bundled protocol", name, &names).to_string()
            };
            Err(located("protocol", message))
        }
    }
}

/// Axis `i`'s values or distribution; the failing field and error otherwise.
fn resolve_axis(i: usize, axis: &AxisSpec, sampled: bool) -> Result<Draw, (&'static str, Error)> {
    let field = |name: &str| format!("axis[{i}].{name}");
    let kinds = [
        ("values", axis.values.is_some()),
        ("linspace", axis.linspace.is_some()),
        ("uniform", axis.uniform.is_some()),
        ("log-uniform", axis.log_uniform.is_some()),
        ("integer", axis.integer.is_some()),
    ];
    let given: Vec<&str> = kinds.iter().filter(|k| k.1).map(|k| k.0).collect();
    let [kind] = given[..] else {
        return Err((
            "path",
            Error::invalid(
                field("path"),
                &axis.path,
                format!(
                    "give exactly one of values, linspace, uniform, log-uniform or integer (given: {})",
                    if given.is_empty() {
                        "none".to_string()
                    } else {
                        given.join(", ")
                    }
                ),
            ),
        ));
    };
    let interval = |v: &Interval| format!("{{ low = {}, high = {} }}", v.low, v.high);
    let draw = if let Some(values) = &axis.values {
        if values.is_empty() {
            return Err((
                "values",
                Error::invalid(field("values"), "[]", "must hold a value"),
            ));
        }
        if let Some(v) = values.iter().find(|v| v.is_table() || v.is_array()) {
            return Err((
                "values",
                Error::invalid(field("values"), v, "must be numbers, text or true/false"),
            ));
        }
        Draw::List(values.clone())
    } else if let Some(l) = axis.linspace {
        if !(l.from.is_finite() && l.to.is_finite() && l.steps > 0) {
            return Err((
                "linspace",
                Error::invalid(
                    field("linspace"),
                    format!(
                        "{{ from = {}, to = {}, steps = {} }}",
                        l.from, l.to, l.steps
                    ),
                    "needs finite from and to and at least 1 step",
                ),
            ));
        }
        let last = l.steps - 1;
        Draw::List(
            (0..l.steps)
                .map(|k| match k {
                    0 => Value::Float(l.from),
                    k if k == last => Value::Float(l.to),
                    k => Value::Float(l.from + (l.to - l.from) * f64::from(k) / f64::from(last)),
                })
                .collect(),
        )
    } else if let Some(u) = axis.uniform {
        if !(u.low.is_finite() && u.high.is_finite() && u.low < u.high) {
            return Err((
                "uniform",
                Error::invalid(field("uniform"), interval(&u), "needs finite low < high"),
            ));
        }
        Draw::Uniform(u.low, u.high)
    } else if let Some(u) = axis.log_uniform {
        if !(u.low > 0.0 && u.high.is_finite() && u.low < u.high) {
            return Err((
                "log-uniform",
                Error::invalid(
                    field("log-uniform"),
                    interval(&u),
                    "needs finite 0 < low < high",
                ),
            ));
        }
        Draw::LogUniform(u.low, u.high)
    } else if let Some(r) = axis.integer {
        if r.low > r.high {
            return Err((
                "integer",
                Error::invalid(
                    field("integer"),
                    format!("{{ low = {}, high = {} }}", r.low, r.high),
                    "needs low <= high",
                ),
            ));
        }
        Draw::Integer(r.low, r.high)
    } else {
        unreachable!("exactly one kind was given")
    };
    if !sampled && !matches!(draw, Draw::List(_)) {
        let shown = match (axis.uniform, axis.log_uniform, axis.integer) {
            (Some(u), _, _) | (_, Some(u), _) => interval(&u),
            (_, _, Some(r)) => format!("{{ low = {}, high = {} }}", r.low, r.high),
            _ => String::new(),
        };
        return Err((
            kind_field(kind),
            Error::invalid(
                field(kind),
                shown,
                "a distribution has no grid: add a [sample] table (points, seed) or give values",
            ),
        ));
    }
    Ok(draw)
}

/// The static name of an axis kind, for locating errors.
fn kind_field(kind: &str) -> &'static str {
    match kind {
        "uniform" => "uniform",
        "log-uniform" => "log-uniform",
        _ => "integer",
    }
}

/// Every combination of the axes' values, the last axis fastest; `None` if too many.
fn grid(draws: &[Draw]) -> Option<Vec<Vec<Value>>> {
    let lists: Vec<&Vec<Value>> = draws
        .iter()
        .map(|d| match d {
            Draw::List(v) => v,
            _ => unreachable!("grids have lists only (checked)"),
        })
        .collect();
    let total = lists
        .iter()
        .try_fold(1usize, |n, l| n.checked_mul(l.len()))
        .filter(|&n| n <= MAX_COMBINATIONS)?;
    Some(
        (0..total)
            .map(|mut c| {
                let mut combo = vec![Value::Boolean(false); lists.len()];
                for (a, l) in lists.iter().enumerate().rev() {
                    combo[a] = l[c % l.len()].clone();
                    c /= l.len();
                }
                combo
            })
            .collect(),
    )
}

/// `s.points` combinations drawn from one ChaCha8 stream, axis by axis.
fn sample(draws: &[Draw], s: &Sample) -> Vec<Vec<Value>> {
    let mut rng = ChaCha8Rng::seed_from_u64(s.seed);
    (0..s.points)
        .map(|_| {
            draws
                .iter()
                .map(|d| match d {
                    Draw::List(v) => v[rng.random_range(0..v.len())].clone(),
                    Draw::Uniform(low, high) => {
                        Value::Float(low + (high - low) * rng.random::<f64>())
                    }
                    Draw::LogUniform(low, high) => Value::Float(
                        (low.ln() + (high.ln() - low.ln()) * rng.random::<f64>()).exp(),
                    ),
                    Draw::Integer(low, high) => Value::Integer(rng.random_range(*low..=*high)),
                })
                .collect()
        })
        .collect()
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
        let mut h: Vec<String> = ["point", "replicate", "seed"].map(String::from).to_vec();
        h.extend(self.paths.iter().map(|p| p.to_string()));
        h.extend(
            [
                "group",
                "phase",
                "n",
                "mean_latency_s",
                "sem_latency_s",
                "failing",
                "fail_rate",
                "mean_freezing",
            ]
            .map(String::from),
        );
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
    ) -> Result<Vec<Vec<String>>, Error> {
        let exp = self.experiment(point.combination)?;
        let mut tee = Tee {
            summary: Summary::new(&exp),
            records,
        };
        exp.run_observed(point.seed, &exp.factory()?, options, &mut tee, observer)?;
        let scored: Vec<&str> = match &exp.criterion {
            Some(c) => exp
                .phases
                .iter()
                .filter(|p| c.applies_to(&p.name))
                .map(|p| p.name.as_str())
                .collect(),
            None => exp
                .phases
                .last()
                .map(|p| p.name.as_str())
                .into_iter()
                .collect(),
        };
        let values = &self.combinations[point.combination];
        let mut rows = Vec::new();
        for phase in scored {
            let criterion = exp.criterion.as_ref().filter(|c| c.applies_to(phase));
            for g in tee.summary.groups(phase) {
                let mut row = vec![
                    point.index.to_string(),
                    point.replicate.to_string(),
                    point.seed.to_string(),
                ];
                row.extend(values.iter().map(cell));
                row.extend([
                    g.group.clone(),
                    phase.to_string(),
                    g.n.to_string(),
                    number(g.mean_latency_s),
                    number(g.sem_latency_s),
                    criterion.map_or(String::new(), |_| g.failing.to_string()),
                    criterion.map_or(String::new(), |_| number(g.failing as f64 / g.n as f64)),
                    number(g.mean_freezing),
                ]);
                rows.push(row);
            }
        }
        Ok(rows)
    }

    /// `rows` as CSV with the header: the file of one point.
    pub fn csv(&self, rows: &[Vec<String>]) -> Result<Vec<u8>, Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(self.header())?;
        for row in rows {
            w.write_record(row)?;
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
    /// let a = s.csv(&[vec!["a".into(); s.header().len()]])?;
    /// let b = s.csv(&[vec!["b".into(); s.header().len()]])?;
    /// let joined = String::from_utf8(s.join([(0, a), (1, b)])?).unwrap();
    /// assert_eq!(joined.lines().count(), 3);
    /// assert!(s.join([(7, b"x,y\n1,2\n".to_vec())]).unwrap_err().to_string().contains("point 7"));
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
        assert_eq!(exp.params.get("mpfc_threshold"), Some(0.2));
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
