//! Reading protocol files: TOML (optionally extending a bundled protocol) or the JSON of
//! a run's manifest, with errors that give file, line, column, field and value.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::file::ProtocolFile;
use super::refusal::{Refusal, refusal};
use crate::error::{Error, did_you_mean};
use crate::experiment::Experiment;
use crate::path::FieldPath;

/// A parsed and validated protocol.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file as written, with `extends` resolved.
    pub file: ProtocolFile,
    /// The experiment it describes.
    pub experiment: Experiment,
}

/// Parses and validates protocol text. `origin` names it in errors (a path, `-`, or a
/// bundled name). TOML may start with `extends = "NAME"` to change a bundled protocol;
/// text starting with `{` is JSON, either a protocol or a run's `manifest.json`.
///
/// ```
/// use helplessness::protocol::load;
/// let small = load("extends = \"triadic-rat\"\nsubjects = 4\n", "mine.toml").unwrap();
/// assert_eq!(small.experiment.groups[1].subjects, 4);
///
/// let typo = load("extends = \"triadic-rat\"\nsubjets = 4\n", "mine.toml").unwrap_err();
/// assert_eq!(
///     typo.to_string(),
///     "mine.toml:2:1: unknown field `subjets` (did you mean `subjects`?)"
/// );
/// ```
pub fn load(text: &str, origin: &str) -> Result<Loaded, Error> {
    super::check_size(text, origin)?;
    if text.trim_start().starts_with('{') {
        return load_json(text, origin);
    }
    let located =
        |span: Option<Range<usize>>, message: String| error_at(text, origin, span, message);
    let doc = DeTable::parse(text).map_err(|e| located(e.span(), e.message().to_string()))?;
    let table: toml::Table =
        toml::from_str(text).map_err(|e| located(e.span(), e.message().to_string()))?;
    // With `extends`, paths name entries of the merged protocol; `merged` translates them.
    let mut merged: Option<toml::Table> = None;
    let find_path = |merged: &Option<toml::Table>, path: &str| {
        let path = FieldPath::from(path).in_file().to_string();
        match merged {
            Some(m) => child_path(&path, m, &table).and_then(|p| find(doc.get_ref(), &p)),
            None => find(doc.get_ref(), &path),
        }
    };
    let report_missing = |merged: &Option<toml::Table>, complete: &toml::Table| {
        let missing = missing_fields(complete);
        match missing.first() {
            None => Ok(()),
            Some(first) => {
                // Point at the entry that lacks the field.
                let entry = first.rsplit_once('.').map_or("", |(e, _)| e);
                Err(located(
                    find_path(merged, entry),
                    format!(
                        "missing {}: {}",
                        if missing.len() == 1 {
                            "field"
                        } else {
                            "fields"
                        },
                        missing
                            .iter()
                            .map(|m| format!("`{m}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ))
            }
        }
    };
    let file: ProtocolFile = match table.get("extends") {
        None => {
            for list in ["group", "phase"] {
                let entries = table.get(list).and_then(toml::Value::as_array);
                for (i, e) in entries.into_iter().flatten().enumerate() {
                    if let Some(k) = EDITS.iter().find(|k| e.get(**k).is_some()) {
                        return Err(located(
                            find(doc.get_ref(), format!("{list}[{i}].{k}")),
                            format!(
                                "`{k}` edits the list of a parent protocol: it needs \
                                 `extends = \"NAME\"` at the top of the file"
                            ),
                        ));
                    }
                }
            }
            let de = toml::Deserializer::parse(text)
                .map_err(|e| located(e.span(), e.message().to_string()))?;
            serde_path_to_error::deserialize(de).map_err(|e| {
                let path = e.path().to_string();
                let refused = refusal::<ProtocolFile>(toml::Value::Table(table.clone()));
                // A missing field: name every missing field at once.
                if matches!(refused, Some((_, Refusal::MissingField(_))))
                    && let Err(all) = report_missing(&None, &table)
                {
                    return all;
                }
                let (message, at) = explain(e.inner().message(), &path, refused);
                let span = e.inner().span().filter(|_| at == path);
                located(span.or_else(|| find_path(&None, &at)), message)
            })?
        }
        Some(parent) => {
            let span = find(doc.get_ref(), "extends");
            let Some(name) = parent.as_str() else {
                return Err(located(
                    span,
                    format!("`extends` must name a bundled protocol, not {parent}"),
                ));
            };
            if super::BUNDLED_LIVES.iter().any(|b| b.name == name) {
                return Err(located(
                    span,
                    format!(
                        "`{name}` is a life study: `extends` works for laboratory protocols \
                         (`helplessness show {name}` prints it to copy and change)"
                    ),
                ));
            }
            let Some(parent_text) = super::bundled_text(name) else {
                let names: Vec<&str> = super::BUNDLED.iter().map(|b| b.name).collect();
                return Err(located(
                    span,
                    Error::unknown("bundled protocol", name, &names).to_string(),
                ));
            };
            let parent: toml::Table = toml::from_str(parent_text).map_err(|e| Error::Protocol {
                file: name.into(),
                line: None,
                column: None,
                message: e.message().to_string(),
            })?;
            let mut child = table.clone();
            child.remove("extends");
            let mut parent = parent;
            // An edited protocol does not reproduce the parent's study unless it says so.
            if !child.contains_key("source") {
                parent.remove("source");
            }
            let m = merge(parent, child)
                .map_err(|(path, message)| located(find(doc.get_ref(), &path), message))?;
            merged = Some(m.clone());
            serde_path_to_error::deserialize(toml::Value::Table(m.clone())).map_err(|e| {
                let path = e.path().to_string();
                let refused = refusal::<ProtocolFile>(toml::Value::Table(m.clone()));
                if matches!(refused, Some((_, Refusal::MissingField(_))))
                    && let Err(all) = report_missing(&merged, &m)
                {
                    return all;
                }
                let (message, at) = explain(e.inner().message(), &path, refused);
                located(find_path(&merged, &at), message)
            })?
        }
    };
    let experiment = file.to_experiment().map_err(|e| match &e {
        Error::Invalid { field, .. } => located(find_path(&merged, field.as_str()), e.to_string()),
        Error::Unknown { kind, name, .. } if kind.starts_with("parameter") => located(
            find_path(&merged, &format!("params.{name}"))
                .or_else(|| find_path(&merged, &format!("mind.{name}"))),
            e.to_string(),
        ),
        Error::Unknown { kind: "theory", .. } => {
            located(find_path(&merged, "mind.theory"), e.to_string())
        }
        Error::Unknown { name, .. } => located(find_string(doc.get_ref(), name), e.to_string()),
        _ => located(None, e.to_string()),
    })?;
    Ok(Loaded { file, experiment })
}

/// The path in the child file of an entry named by its index in the merged protocol:
/// `phase[1]` becomes the child's index of the phase with the same name, or `None` when
/// the child does not mention that entry (it is inherited).
fn child_path(path: &str, merged: &toml::Table, child: &toml::Table) -> Option<String> {
    for list in ["phase", "group"] {
        if let Some(rest) = path.strip_prefix(&format!("{list}[")) {
            let close = rest.find(']')?;
            let i: usize = rest[..close].parse().ok()?;
            let name = merged.get(list)?.get(i)?.get("name")?;
            let j = child
                .get(list)?
                .as_array()?
                .iter()
                .position(|e| e.get("name") == Some(name))?;
            return Some(format!("{list}[{j}]{}", &rest[close + 1..]));
        }
    }
    Some(path.to_string())
}

/// The span of the first string value equal to `needle` (an unknown name).
pub(crate) fn find_string(doc: &DeTable<'_>, needle: &str) -> Option<Range<usize>> {
    fn walk(v: &toml::Spanned<DeValue<'_>>, needle: &str) -> Option<Range<usize>> {
        match v.get_ref() {
            DeValue::String(s) if s.as_ref() == needle => Some(v.span()),
            DeValue::Table(t) => t.iter().find_map(|(_, v)| walk(v, needle)),
            DeValue::Array(a) => a.iter().find_map(|v| walk(v, needle)),
            _ => None,
        }
    }
    doc.iter().find_map(|(_, v)| walk(v, needle))
}

/// JSON: a protocol, or a manifest holding one under `protocol`.
fn load_json(text: &str, origin: &str) -> Result<Loaded, Error> {
    let fail = |line: Option<usize>, column: Option<usize>, message: String| Error::Protocol {
        file: origin.to_string(),
        line,
        column,
        message,
    };
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| fail(Some(e.line()), Some(e.column()), e.to_string()))?;
    let protocol = match value.get("protocol") {
        Some(p) if value.get("crate_version").is_some() => p.clone(),
        _ => value,
    };
    let refused = toml::Value::try_from(&protocol)
        .ok()
        .and_then(refusal::<ProtocolFile>);
    let file: ProtocolFile = serde_path_to_error::deserialize(protocol).map_err(|e| {
        let path = e.path().to_string();
        fail(
            None,
            None,
            explain(&e.inner().to_string(), &path, refused).0,
        )
    })?;
    let experiment = file
        .to_experiment()
        .map_err(|e| fail(None, None, e.to_string()))?;
    Ok(Loaded { file, experiment })
}

/// A deserialization error as a user reads it, and the path it is at: serde's
/// `message` at `path`, unless the file's refusal read as data (see [`refusal`]) is an
/// unknown field or variant with a likely typo; then that, with the nearest known name,
/// at its own path.
pub(crate) fn explain(
    message: &str,
    path: &str,
    refused: Option<(String, Refusal)>,
) -> (String, String) {
    let with_path = |mut out: String, path: &str| {
        if !path.is_empty() && path != "." && !out.contains(path) {
            out.push_str(&format!(" in `{path}`"));
        }
        out
    };
    if let Some((at, r)) = refused
        && let Refusal::UnknownField { name, expected } | Refusal::UnknownVariant { name, expected } =
            &r
        && let Some(close) = did_you_mean(name, expected)
    {
        return (with_path(format!("{r} (did you mean `{close}`?)"), &at), at);
    }
    (
        with_path(message.trim_end().to_string(), path),
        path.to_string(),
    )
}

/// Line and column (from 1) of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The span of the key (or array element) at `path` (`phase[1].contingency.p`) in a
/// parsed document, or of the deepest part of the path that exists there. Enum tags (a table with a single
/// key, like `{ partial = { p = 1.5 } }`) are stepped through.
pub(crate) fn find(doc: &DeTable<'_>, path: impl Into<FieldPath>) -> Option<Range<usize>> {
    use crate::path::Step;
    let path = path.into();
    let mut span = None;
    let mut here: Option<&DeValue<'_>> = None;
    for step in &path.steps {
        let next = match (step, here) {
            (Step::Key(k), None) => lookup(doc, k),
            (Step::Key(k), Some(DeValue::Table(t))) => lookup(t, k).or_else(|| {
                // Step through an enum tag.
                let mut it = t.iter();
                match (it.next(), it.next()) {
                    (Some((_, v)), None) => match v.get_ref() {
                        DeValue::Table(inner) => lookup(inner, k),
                        _ => None,
                    },
                    _ => None,
                }
            }),
            (Step::Index(i), Some(DeValue::Array(a))) => a.get(*i).map(|v| (v.span(), v)),
            // An entry of a list by its name (`group[yoked]`).
            (Step::Name(n), Some(DeValue::Array(a))) => a
                .iter()
                .find(|e| match e.get_ref() {
                    DeValue::Table(t) => lookup(t, "name")
                        .is_some_and(|(_, v)| matches!(v.get_ref(), DeValue::String(s) if s == n)),
                    _ => false,
                })
                .map(|v| (v.span(), v)),
            _ => None,
        };
        match next {
            Some((at, v)) => {
                span = Some(at);
                here = Some(v.get_ref());
            }
            None => break,
        }
    }
    span
}

/// The span of `key` in `table` (pointing at the key, where a reader looks) and its value.
fn lookup<'a, 'i>(
    table: &'a DeTable<'i>,
    key: &str,
) -> Option<(Range<usize>, &'a toml::Spanned<DeValue<'i>>)> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(k, v)| (k.span(), v))
}

/// Keys of a group or phase entry that edit the parent's list instead of describing
/// the entry: only in a file with `extends`.
const EDITS: [&str; 5] = ["drop", "rename", "replace", "before", "after"];

/// Applies `child` on top of `parent`: keys the child gives replace the parent's, except
/// `params` (merged key by key) and the `group` and `phase` lists, whose entries merge
/// by `name` (a group's `contingency`, `interventions` and `context` tables by phase)
/// and new names are appended. An entry can also edit the list: `drop = true` removes
/// the parent's entry, `replace = true` replaces it whole, `rename = "NEW"` renames it
/// (and every reference to it), `before = "NAME"` or `after = "NAME"` places it.
///
/// Errors carry the path of the child's key at fault.
fn merge(mut parent: toml::Table, child: toml::Table) -> Result<toml::Table, (String, String)> {
    let mut renames: Vec<(&'static str, String, String)> = Vec::new();
    let mut dropped_phases: Vec<String> = Vec::new();
    for (key, value) in child {
        let merged = match (key.as_str(), parent.remove(&key), value) {
            ("params", Some(toml::Value::Table(mut p)), toml::Value::Table(c)) => {
                p.extend(c);
                toml::Value::Table(p)
            }
            ("group" | "phase", Some(toml::Value::Array(mut p)), toml::Value::Array(c)) => {
                let list: &'static str = if key == "group" { "group" } else { "phase" };
                for (j, entry) in c.into_iter().enumerate() {
                    let at = |k: &str| format!("{list}[{j}].{k}");
                    let toml::Value::Table(mut fields) = entry else {
                        p.push(entry);
                        continue;
                    };
                    let name = fields.get("name").cloned();
                    let found = p
                        .iter()
                        .position(|e| name.is_some() && e.get("name") == name.as_ref());
                    let flag = |fields: &mut toml::Table, k: &str| match fields.remove(k) {
                        None => Ok(false),
                        Some(toml::Value::Boolean(b)) => Ok(b),
                        Some(v) => Err((at(k), format!("`{k}` must be true or false, not {v}"))),
                    };
                    let text = |fields: &mut toml::Table, k: &str| match fields.remove(k) {
                        None => Ok(None),
                        Some(toml::Value::String(s)) => Ok(Some(s)),
                        Some(v) => Err((at(k), format!("`{k}` must name a {list}, not {v}"))),
                    };
                    let drop = flag(&mut fields, "drop")?;
                    let replace = flag(&mut fields, "replace")?;
                    let rename = text(&mut fields, "rename")?;
                    let before = text(&mut fields, "before")?;
                    let after = text(&mut fields, "after")?;
                    let shown = name
                        .as_ref()
                        .and_then(toml::Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    let names = |p: &[toml::Value]| -> Vec<String> {
                        p.iter()
                            .filter_map(|e| e.get("name")?.as_str().map(str::to_string))
                            .collect()
                    };
                    let missing = |k: &str, what: &str, p: &[toml::Value]| {
                        (
                            at(k),
                            format!(
                                "`{k}`: the parent protocol has no {list} `{what}` ({list}s: {})",
                                names(p).join(", ")
                            ),
                        )
                    };
                    if drop {
                        if fields.len() > 1 || replace || rename.is_some() {
                            return Err((
                                at("drop"),
                                format!("a dropped {list} takes only its `name`"),
                            ));
                        }
                        let Some(i) = found else {
                            return Err(missing("drop", &shown, &p));
                        };
                        p.remove(i);
                        if list == "phase" {
                            dropped_phases.push(shown);
                        }
                        continue;
                    }
                    if replace && found.is_none() {
                        return Err(missing("replace", &shown, &p));
                    }
                    if rename.is_some() && found.is_none() {
                        return Err(missing("rename", &shown, &p));
                    }
                    let mut placed = match found {
                        Some(i) if !replace => {
                            let toml::Value::Table(mut existing) = p.remove(i) else {
                                unreachable!("entries with a name are tables")
                            };
                            merge_entry(list, &mut existing, fields);
                            (i, existing)
                        }
                        Some(i) => {
                            p.remove(i);
                            (i, fields)
                        }
                        None => (p.len(), fields),
                    };
                    if let Some(new) = rename {
                        placed
                            .1
                            .insert("name".into(), toml::Value::String(new.clone()));
                        renames.push((list, shown.clone(), new));
                    }
                    if before.is_some() && after.is_some() {
                        return Err((at("after"), "give `before` or `after`, not both".into()));
                    }
                    for (k, other, offset) in [("before", &before, 0), ("after", &after, 1)] {
                        if let Some(other) = other {
                            let Some(i) = p.iter().position(|e| {
                                e.get("name").and_then(toml::Value::as_str) == Some(other)
                            }) else {
                                return Err(missing(k, other, &p));
                            };
                            placed.0 = i + offset;
                        }
                    }
                    p.insert(placed.0, toml::Value::Table(placed.1));
                }
                toml::Value::Array(p)
            }
            (_, _, v) => v,
        };
        parent.insert(key, merged);
    }
    for (list, old, new) in renames {
        rename_references(&mut parent, list, &old, Some(&new));
    }
    for old in dropped_phases {
        rename_references(&mut parent, "phase", &old, None);
    }
    Ok(parent)
}

/// Merges a child's fields into an inherited entry of `list`.
fn merge_entry(list: &str, existing: &mut toml::Table, fields: toml::Table) {
    // A phase has one delay: either unit the child gives replaces the parent's delay
    // in both units.
    if list == "phase" && (fields.contains_key("after_days") || fields.contains_key("after_hours"))
    {
        existing.remove("after_days");
        existing.remove("after_hours");
    }
    for (k, v) in fields {
        match (k.as_str(), existing.get_mut(&k), v) {
            (
                "contingency" | "interventions" | "context",
                Some(toml::Value::Table(old)),
                toml::Value::Table(new),
            ) if list == "group" => old.extend(new),
            (_, _, v) => {
                existing.insert(k, v);
            }
        }
    }
}

/// Points every reference to the group or phase `old` at `new`, or removes it (`None`,
/// a dropped phase): yoking partners for groups; groups' per-phase tables, home-cage
/// lists and the criterion's phases for phases.
fn rename_references(table: &mut toml::Table, list: &str, old: &str, new: Option<&str>) {
    let groups = table.get_mut("group").and_then(toml::Value::as_array_mut);
    for g in groups.into_iter().flatten() {
        let Some(g) = g.as_table_mut() else { continue };
        if list == "group" {
            let Some(toml::Value::Table(by_phase)) = g.get_mut("contingency") else {
                continue;
            };
            for (_, c) in by_phase.iter_mut() {
                let Some(c) = c.as_table_mut() else { continue };
                for (_, inner) in c.iter_mut() {
                    if let Some(to) = inner.get_mut("to")
                        && to.as_str() == Some(old)
                        && let Some(new) = new
                    {
                        *to = toml::Value::String(new.into());
                    }
                }
            }
            continue;
        }
        for k in ["contingency", "interventions", "context"] {
            if let Some(toml::Value::Table(by_phase)) = g.get_mut(k)
                && let Some(v) = by_phase.remove(old)
                && let Some(new) = new
            {
                by_phase.insert(new.into(), v);
            }
        }
        if let Some(toml::Value::Array(phases)) = g.get_mut("home_cage") {
            phases.retain(|p| p.as_str() != Some(old) || new.is_some());
            for p in phases.iter_mut() {
                if p.as_str() == Some(old)
                    && let Some(new) = new
                {
                    *p = toml::Value::String(new.into());
                }
            }
        }
    }
    if list == "phase"
        && let Some(toml::Value::Table(c)) = table.get_mut("criterion")
    {
        if let Some(p) = c.get_mut("phase")
            && p.as_str() == Some(old)
            && let Some(new) = new
        {
            *p = toml::Value::String(new.into());
        }
        if let Some(toml::Value::Array(also)) = c.get_mut("also") {
            also.retain(|p| p.as_str() != Some(old) || new.is_some());
            for p in also.iter_mut() {
                if p.as_str() == Some(old)
                    && let Some(new) = new
                {
                    *p = toml::Value::String(new.into());
                }
            }
        }
    }
}

/// Every required field missing from the file, the groups and the phases, so that a
/// hand-written file learns them all at once instead of one per try.
fn missing_fields(table: &toml::Table) -> Vec<String> {
    let mut out: Vec<String> = ["name", "group", "phase"]
        .into_iter()
        .filter(|k| !table.contains_key(*k))
        .map(str::to_string)
        .collect();
    for (list, required) in [("group", &["name"][..]), ("phase", &["name", "blocks"][..])] {
        if let Some(toml::Value::Array(entries)) = table.get(list) {
            for (i, e) in entries.iter().enumerate() {
                if let toml::Value::Table(t) = e {
                    out.extend(
                        required
                            .iter()
                            .filter(|f| !t.contains_key(**f))
                            .map(|f| format!("{list}[{i}].{f}")),
                    );
                }
            }
        }
    }
    out
}

/// An error in the file `origin`, at the line and column of byte `span` of its `text`
/// when that is known.
pub(crate) fn error_at(
    text: &str,
    origin: &str,
    span: Option<Range<usize>>,
    message: String,
) -> Error {
    let (line, column) = span.map_or((None, None), |s| {
        let (l, c) = line_column(text, s.start);
        (Some(l), Some(c))
    });
    Error::Protocol {
        file: origin.to_string(),
        line,
        column,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_found_through_arrays_and_enum_tags() {
        let text = "name = \"x\"\n[[phase]]\nname = \"a\"\n[[phase]]\nname = \"b\"\ncontingency = { partial = { p = 1.5 } }\n";
        let doc = DeTable::parse(text).unwrap();
        let span = find(doc.get_ref(), "phase[1].contingency.p").unwrap();
        assert_eq!(&text[span.clone()], "p");
        assert_eq!(line_column(text, span.start), (6, 29));
        let span = find(doc.get_ref(), "phase[1].name").unwrap();
        assert_eq!(line_column(text, span.start), (5, 1));
    }

    #[test]
    fn misspelt_fields_get_a_suggestion() {
        let refused = Some((
            "phase[0].ratoi".to_string(),
            Refusal::UnknownField {
                name: "ratoi".into(),
                expected: &["ratio", "delay_s"],
            },
        ));
        let (m, at) = explain("anything", "phase[0]", refused);
        assert_eq!(
            m,
            "unknown field `ratoi` (did you mean `ratio`?) in `phase[0].ratoi`"
        );
        assert_eq!(at, "phase[0].ratoi");
        let far = Some((
            String::new(),
            Refusal::UnknownField {
                name: "zzz".into(),
                expected: &["ratio"],
            },
        ));
        let (m, _) = explain("unknown field `zzz`, expected `ratio`", "", far);
        assert_eq!(m, "unknown field `zzz`, expected `ratio`");
    }
}
