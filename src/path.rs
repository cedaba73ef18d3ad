//! Field paths: where in a protocol or experiment a value sits (`phase[1].cutoff_s`,
//! `group[yoked].contingency.test.p`), as steps rather than text, so errors can be
//! rewritten into a file's own names and located in it, and sweeps can set a field.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    /// A key of a table.
    Key(String),
    /// An element of a list by position, from 0.
    Index(usize),
    /// The element of a list whose `name` is this.
    Name(String),
}

/// A field of a protocol file: keys joined by `.`, list elements selected by position
/// (`group[1]`) or by their `name` (`group[yoked]`).
///
/// ```
/// use helplessness::sweep::FieldPath;
/// let path: FieldPath = "group[partial].contingency.pretreatment.escapable-or-yoked.p"
///     .parse()
///     .unwrap();
/// let mut file: toml::Value = toml::from_str(
///     "[[group]]\nname = \"partial\"\ncontingency.pretreatment = \
///      { escapable-or-yoked = { p = 0.5, to = \"master\", requirement = { titration = {} } } }\n",
/// )
/// .unwrap();
/// path.set(&mut file, toml::Value::Float(0.25)).unwrap();
/// assert_eq!(
///     file["group"][0]["contingency"]["pretreatment"]["escapable-or-yoked"]["p"].as_float(),
///     Some(0.25)
/// );
/// let typo: FieldPath = "group[partial].contingency.pretreatment.escapable-or-yoked.q"
///     .parse()
///     .unwrap();
/// let e = typo.set(&mut file, toml::Value::Float(0.25)).unwrap_err();
/// assert!(e.to_string().contains("did you mean"), "{e}");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    pub(crate) text: String,
    pub(crate) steps: Vec<Step>,
}

impl FromStr for FieldPath {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let bad = |reason: &str| Error::invalid("path", format!("\"{text}\""), reason);
        let mut steps = Vec::new();
        let mut rest = text;
        loop {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let key = &rest[..end];
            if key.is_empty() {
                return Err(bad("each `.` must be followed by a key"));
            }
            steps.push(Step::Key(key.to_string()));
            rest = &rest[end..];
            while let Some(inner) = rest.strip_prefix('[') {
                let close = inner
                    .find(']')
                    .ok_or_else(|| bad("a `[` is never closed"))?;
                let selector = inner[..close].trim();
                if selector.is_empty() {
                    return Err(bad("`[]` selects nothing: give a position or a name"));
                }
                steps.push(match selector.parse() {
                    Ok(i) => Step::Index(i),
                    Err(_) => Step::Name(selector.trim_matches('"').to_string()),
                });
                rest = &inner[close + 1..];
            }
            match rest.strip_prefix('.') {
                Some(r) => rest = r,
                None if rest.is_empty() => break,
                None => return Err(bad("expected `.` or `[` after `]`")),
            }
        }
        Ok(FieldPath {
            text: text.to_string(),
            steps,
        })
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FieldPath {
    /// A path of these steps, written as the files write it.
    pub(crate) fn from_steps(steps: Vec<Step>) -> Self {
        let mut text = String::new();
        for step in &steps {
            match step {
                Step::Key(k) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(k);
                }
                Step::Index(i) => text.push_str(&format!("[{i}]")),
                Step::Name(n) => text.push_str(&format!("[{n}]")),
            }
        }
        FieldPath { text, steps }
    }

    /// The path as an experiment's field names it, rewritten into the protocol file's
    /// own names: `phases[1].schedule.cutoff_s` -> `phase[1].cutoff_s`,
    /// `groups[0].contingencies.test.p` -> `group[0].contingency.test.p`,
    /// `variation[0].dist` -> `vary[0].dist`. Other paths are already the file's.
    ///
    /// ```
    /// use helplessness::sweep::FieldPath;
    /// let p = FieldPath::from("phases[1].schedule.cutoff_s");
    /// assert_eq!(p.in_file().to_string(), "phase[1].cutoff_s");
    /// let g = FieldPath::from("groups[2].contexts.test");
    /// assert_eq!(g.in_file().to_string(), "group[2].context.test");
    /// ```
    pub fn in_file(&self) -> FieldPath {
        let mut steps = self.steps.clone();
        let renamed = |steps: &mut Vec<Step>, at: usize, from: &str, to: &str| {
            if let Some(Step::Key(k)) = steps.get_mut(at)
                && k == from
            {
                *k = to.to_string();
                true
            } else {
                false
            }
        };
        if renamed(&mut steps, 0, "phases", "phase") {
            if matches!(steps.get(2), Some(Step::Key(k)) if k == "schedule") {
                steps.remove(2);
            }
        } else if renamed(&mut steps, 0, "groups", "group") {
            let _ = renamed(&mut steps, 2, "contingencies", "contingency")
                || renamed(&mut steps, 2, "contexts", "context");
        } else {
            renamed(&mut steps, 0, "variation", "vary");
        }
        FieldPath::from_steps(steps)
    }
}

/// A path from its text; text that is not a path (a key with spaces, say) is one key.
impl From<&str> for FieldPath {
    fn from(text: &str) -> Self {
        text.parse().unwrap_or_else(|_| FieldPath {
            text: text.to_string(),
            steps: vec![Step::Key(text.to_string())],
        })
    }
}

impl From<String> for FieldPath {
    fn from(text: String) -> Self {
        FieldPath::from(text.as_str())
    }
}

impl From<&String> for FieldPath {
    fn from(text: &String) -> Self {
        FieldPath::from(text.as_str())
    }
}
