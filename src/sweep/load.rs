//! Reading a sweep file: its protocol, axes and combinations, validated, with errors
//! that give file, line, column, field and value.

use std::path::Path;

use toml::Value;
use toml::de::DeTable;

use super::axes::{Draw, grid, resolve_axis, sample};
use super::{
    FieldPath, MAX_COMBINATIONS, MAX_POINTS, MAX_REPLICATES, Overrides, ProtocolSource, Sweep,
    SweepFile,
};
use crate::error::Error;
use crate::protocol::{self, Loaded, ProtocolFile};

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
    protocol::check_size(text, origin)?;
    let at = |span: Option<std::ops::Range<usize>>, message: String| {
        protocol::error_at(text, origin, span, message)
    };
    let doc = DeTable::parse(text).map_err(|e| at(e.span(), e.message().to_string()))?;
    let located = |path: &str, message: String| at(protocol::find(doc.get_ref(), path), message);
    let de = toml::Deserializer::parse(text).map_err(|e| at(e.span(), e.message().to_string()))?;
    let mut file: SweepFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let refused = toml::from_str::<toml::Value>(text)
            .ok()
            .and_then(protocol::refusal::<SweepFile>);
        let (message, at_path) = protocol::explain(e.inner().message(), &path, refused);
        let span = e
            .inner()
            .span()
            .filter(|_| at_path == path)
            .or_else(|| protocol::find(doc.get_ref(), &at_path));
        at(span, message)
    })?;
    file.subjects = overrides.subjects.or(file.subjects);
    file.replicates = overrides.replicates.unwrap_or(file.replicates);
    if file.replicates == 0 || file.replicates > MAX_REPLICATES {
        return Err(located(
            "replicates",
            Error::invalid(
                "replicates",
                file.replicates,
                format!("must be 1 to {MAX_REPLICATES}"),
            )
            .to_string(),
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
        // A group of the common size has no `subjects` of its own: sweeping its size
        // pins one, starting from the common size.
        if let Some(group) = axis
            .path
            .strip_suffix(".subjects")
            .filter(|g| g.starts_with("group[") && g.ends_with(']'))
            && let Ok(entry) = group.parse::<FieldPath>()
            && let Ok(Value::Table(t)) = entry.field_mut(&mut base)
            && !t.contains_key("subjects")
            && let Some(n) = common.clone()
        {
            t.insert("subjects".into(), n);
        }
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
    if points > MAX_POINTS {
        return Err(located(
            "replicates",
            format!(
                "{} combinations x {} replicates = {points} points; a sweep has at most \
                 {MAX_POINTS} (fewer values, replicates or a [sample])",
                combinations.len(),
                file.replicates
            ),
        ));
    }

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
            let message = if protocol::BUNDLED_LIVES.iter().any(|b| b.name == name) {
                format!("`{name}` is a life study: sweeps run laboratory protocols")
            } else if name.ends_with(".toml") || name.contains('/') {
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
