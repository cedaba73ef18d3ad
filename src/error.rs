//! Errors of the library: every one names the field and the value at fault.

use std::fmt::Display;

use crate::path::FieldPath;

/// Everything that can go wrong when building or running an experiment.
///
/// ```
/// use helplessness::Error;
/// let e = Error::invalid("phases[1].schedule.cutoff_s", -3.0, "must be positive");
/// assert_eq!(
///     e.to_string(),
///     "invalid value -3 for `phases[1].schedule.cutoff_s`: must be positive"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter or protocol field holds a value outside its valid range.
    #[error("invalid value {value} for `{field}`: {reason}")]
    Invalid {
        /// Path of the field, e.g. `groups[2].subjects`.
        field: FieldPath,
        /// The offending value as written.
        value: String,
        /// What the value must satisfy.
        reason: String,
    },
    /// A name (parameter, group, phase, protocol) that does not exist.
    #[error("unknown {kind} `{name}`{hint}")]
    Unknown {
        /// What kind of name, e.g. "parameter".
        kind: &'static str,
        /// The name as given.
        name: String,
        /// Suggestions, already formatted (may be empty).
        hint: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Writing CSV output failed.
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    /// A protocol file is malformed or invalid; `line` and `column` (from 1) locate the
    /// fault in the file when it can be located.
    #[error("{}", located(file, *line, *column, message))]
    Protocol {
        /// The file (`-` for standard input, or a bundled protocol's name).
        file: String,
        /// Line of the fault, from 1.
        line: Option<usize>,
        /// Column of the fault, from 1.
        column: Option<usize>,
        /// What is wrong, naming the field and value.
        message: String,
    },
    /// A subject's state left the finite numbers: the parameters drove the model past
    /// what a double can hold. Names the subject, phase, trial and variable.
    #[error(
        "the state of subject {subject} (phase `{phase}`, trial {trial}) became {value} in `{variable}`: \
         the parameters are too extreme for the model (narrow them)"
    )]
    NonFinite {
        /// Group and index, e.g. `inescapable[3]`.
        subject: String,
        /// Phase name.
        phase: String,
        /// Trial within the phase, from 1.
        trial: u32,
        /// The state variable (a records column).
        variable: &'static str,
        /// Its value (NaN or infinite).
        value: f64,
    },
    /// A run was stopped by its observer (for example on Ctrl-C).
    #[error("interrupted after {done} of {total} yoke sets")]
    Interrupted {
        /// Yoke sets completed and handed to the sink.
        done: u64,
        /// Yoke sets in the run.
        total: u64,
    },
}

fn located(file: &str, line: Option<usize>, column: Option<usize>, message: &str) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{file}:{l}:{c}: {message}"),
        (Some(l), None) => format!("{file}:{l}: {message}"),
        _ => format!("{file}: {message}"),
    }
}

/// The known name closest to `name`, if close enough to be a likely typo.
pub(crate) fn did_you_mean<'a, S: AsRef<str>>(name: &str, known: &'a [S]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| k.as_ref())
        .map(|k| (strsim::jaro_winkler(name, k), k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

impl Error {
    /// An [`Error::Invalid`] for `field` holding `value`.
    pub fn invalid(
        field: impl Into<FieldPath>,
        value: impl Display,
        reason: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            field: field.into(),
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// The same error with an [`Error::Invalid`]'s field renamed by `rename` (a path
    /// inside a part, given the part's place in the whole); other errors unchanged.
    pub(crate) fn map_field(self, rename: impl FnOnce(FieldPath) -> FieldPath) -> Self {
        match self {
            Error::Invalid {
                field,
                value,
                reason,
            } => Error::Invalid {
                field: rename(field),
                value,
                reason,
            },
            other => other,
        }
    }

    /// An [`Error::Unknown`] for `name`: suggests the closest known name, or lists them.
    ///
    /// ```
    /// use helplessness::Error;
    /// let e = Error::unknown("group", "escapabel", &["escapable", "inescapable"]);
    /// assert_eq!(e.to_string(), "unknown group `escapabel` (did you mean `escapable`?)");
    /// ```
    pub fn unknown<S: AsRef<str>>(kind: &'static str, name: &str, known: &[S]) -> Self {
        let hint = if let Some(close) = did_you_mean(name, known) {
            format!(" (did you mean `{close}`?)")
        } else if known.is_empty() {
            String::new()
        } else {
            let list: Vec<&str> = known.iter().map(|s| s.as_ref()).collect();
            format!(" (known: {})", list.join(", "))
        };
        Error::Unknown {
            kind,
            name: name.to_string(),
            hint,
        }
    }
}

/// What a number must be. [`Must::check`] is the one check behind every numeric field
/// of a protocol, so that every such error is worded alike.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Must {
    /// Finite and strictly positive.
    Positive,
    /// Finite and not negative.
    NonNegative,
    /// A probability, in [0, 1].
    Probability,
    /// A shock duration, in [0, [`MAX_SHOCK_S`]] seconds.
    ShockDuration,
    /// Within [lo, hi] (a model parameter's documented range).
    Within(f64, f64),
}

impl Must {
    /// Checks `value`; the error names `field` and says what the value must be.
    pub(crate) fn check(self, field: impl FnOnce() -> String, value: f64) -> Result<(), Error> {
        let ok = match self {
            Must::Positive => value.is_finite() && value > 0.0,
            Must::NonNegative => value.is_finite() && value >= 0.0,
            Must::Probability => (0.0..=1.0).contains(&value),
            Must::ShockDuration => (0.0..=MAX_SHOCK_S).contains(&value),
            Must::Within(lo, hi) => (lo..=hi).contains(&value),
        };
        if ok {
            return Ok(());
        }
        // Worded only when it fails: every subject's parameters pass through here.
        let rule = match self {
            Must::Positive => "must be a finite number > 0".to_string(),
            Must::NonNegative => "must be a finite number >= 0".to_string(),
            Must::Probability => "must be within [0, 1]".to_string(),
            Must::ShockDuration => format!("must be within [0, {MAX_SHOCK_S}] s"),
            Must::Within(lo, hi) => format!("must be within [{lo}, {hi}]"),
        };
        // Very large or small numbers as the file likely wrote them (1e12, not 12 digits).
        let shown = if value != 0.0 && !(1e-4..1e6).contains(&value.abs()) {
            format!("{value:e}")
        } else {
            value.to_string()
        };
        Err(Error::invalid(field(), shown, rule))
    }
}

/// Longest shock the engine accepts, s: an hour of continuous shock is already far
/// beyond any protocol, and the bound keeps a typo from running for days.
pub(crate) const MAX_SHOCK_S: f64 = 3600.0;

#[cfg(test)]
mod tests {
    use super::Must;

    #[test]
    fn one_check_words_every_numeric_error_alike() {
        let e = |must: Must, v: f64| must.check(|| "x".into(), v).unwrap_err().to_string();
        assert_eq!(
            e(Must::Positive, 0.0),
            "invalid value 0 for `x`: must be a finite number > 0"
        );
        assert_eq!(
            e(Must::NonNegative, -2.5),
            "invalid value -2.5 for `x`: must be a finite number >= 0"
        );
        assert_eq!(
            e(Must::Probability, 1.5),
            "invalid value 1.5 for `x`: must be within [0, 1]"
        );
        assert_eq!(
            e(Must::ShockDuration, 4000.0),
            "invalid value 4000 for `x`: must be within [0, 3600] s"
        );
        assert_eq!(
            e(Must::Within(0.0, 100.0), 1e12),
            "invalid value 1e12 for `x`: must be within [0, 100]"
        );
        assert!(e(Must::NonNegative, f64::INFINITY).contains("inf"));
        assert!(Must::Probability.check(|| unreachable!(), 0.5).is_ok());
    }
}
