//! Axes to combinations: values listed or spaced evenly, the full grid, or a seeded
//! random sample.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use toml::Value;

use super::MAX_COMBINATIONS;
use super::file::{AxisSpec, Interval, Sample};
use crate::error::Error;

/// How an axis's values come about, once resolved.
#[derive(Debug, Clone)]
pub(super) enum Draw {
    List(Vec<Value>),
    Uniform(f64, f64),
    LogUniform(f64, f64),
    Integer(i64, i64),
}

/// Axis `i`'s values or distribution; the failing field and error otherwise.
pub(super) fn resolve_axis(
    i: usize,
    axis: &AxisSpec,
    sampled: bool,
) -> Result<Draw, (&'static str, Error)> {
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
        if l.steps as usize > MAX_COMBINATIONS {
            return Err((
                "linspace",
                Error::invalid(
                    field("linspace.steps"),
                    l.steps,
                    format!("an axis has at most {MAX_COMBINATIONS} values"),
                ),
            ));
        }
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
pub(super) fn grid(draws: &[Draw]) -> Option<Vec<Vec<Value>>> {
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
pub(super) fn sample(draws: &[Draw], s: &Sample) -> Vec<Vec<Value>> {
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
