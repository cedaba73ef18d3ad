//! The sweep file format: serde types, every default optional.

use serde::{Deserialize, Serialize};
use toml::Value;

/// A sweep file as written. [`load`](super::load) resolves it into a
/// [`Sweep`](super::Sweep).
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
    /// The field swept ([`FieldPath`](super::FieldPath)).
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
