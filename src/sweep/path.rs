//! Paths into a complete protocol file (`params.mpfc_threshold`,
//! `phase[test].blocks[0].trials`), and setting a value there.
//!
//! A sweep changes a protocol by editing its serialized file, not the [`Experiment`]:
//! every field a protocol file can hold is then reachable, by the names the file uses,
//! and the edited file is validated exactly like one written by hand.
//!
//! [`Experiment`]: crate::Experiment

use toml::Value;

use crate::error::Error;
pub use crate::path::FieldPath;
use crate::path::Step;

fn kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "text",
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true or false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

impl FieldPath {
    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Sets the field at this path in `root` (a protocol file as a TOML value) to
    /// `value`. The field must exist (a typo gets the nearest key); a whole number
    /// written as `10.0` is stored as `10` where the file holds a whole number, and a
    /// whole number as a float where it holds a float.
    pub fn set(&self, root: &mut Value, value: Value) -> Result<(), Error> {
        let field = self.field_mut(root)?;
        *field = coerce(&self.text, field, value)?;
        Ok(())
    }

    /// The field at this path in `root`, which must exist.
    pub fn field_mut<'a>(&self, root: &'a mut Value) -> Result<&'a mut Value, Error> {
        let mut here = root;
        let mut walked = String::new();
        for step in &self.steps {
            let at = walked.clone();
            here = match (step, here) {
                (Step::Key(k), Value::Table(t)) => {
                    walked = join(&at, k);
                    if !t.contains_key(k) {
                        let known: Vec<String> = t.keys().map(|key| join(&at, key)).collect();
                        return Err(Error::unknown("field", &walked, &known));
                    }
                    match t.get_mut(k) {
                        Some(v) => v,
                        None => return Err(Error::unknown("field", &walked, &[] as &[&str])),
                    }
                }
                (Step::Index(i), Value::Array(a)) => {
                    let len = a.len();
                    walked = format!("{at}[{i}]");
                    match a.get_mut(*i) {
                        Some(v) => v,
                        None => {
                            return Err(Error::invalid(
                                format!("{at}[]"),
                                i,
                                format!("`{at}` has {len} entries, numbered from 0"),
                            ));
                        }
                    }
                }
                (Step::Name(n), Value::Array(a)) => {
                    let names: Vec<String> = a
                        .iter()
                        .filter_map(|e| e.get("name")?.as_str())
                        .map(|name| format!("{at}[{name}]"))
                        .collect();
                    walked = format!("{at}[{n}]");
                    match a
                        .iter_mut()
                        .find(|e| e.get("name").and_then(Value::as_str) == Some(n))
                    {
                        Some(v) => v,
                        None => return Err(Error::unknown("entry", &walked, &names)),
                    }
                }
                (step, other) => {
                    let wanted = match step {
                        Step::Key(_) => "a table",
                        Step::Index(_) | Step::Name(_) => "a list",
                    };
                    let shown = match &*other {
                        Value::Table(_) => "{ ... }".to_string(),
                        Value::Array(_) => "[ ... ]".to_string(),
                        v => v.to_string(),
                    };
                    return Err(Error::invalid(
                        &at,
                        shown,
                        format!(
                            "is {}, not {wanted}, so `{}` does not exist",
                            kind(other),
                            self.text
                        ),
                    ));
                }
            };
        }
        Ok(here)
    }
}

/// `at.key`, or `key` at the top.
fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

/// `new` in the type of `old`, where the conversion loses nothing.
fn coerce(path: &str, old: &Value, new: Value) -> Result<Value, Error> {
    match (old, new) {
        (Value::Integer(_), Value::Float(x)) => {
            if x.fract() == 0.0 && x.abs() < 9.0e15 {
                Ok(Value::Integer(x as i64))
            } else {
                Err(Error::invalid(path, x, "must be a whole number"))
            }
        }
        (Value::Float(_), Value::Integer(i)) => Ok(Value::Float(i as f64)),
        (Value::Table(_) | Value::Array(_), new) => Err(Error::invalid(
            path,
            new,
            format!(
                "the field is {}: give the path of a value inside it",
                kind(old)
            ),
        )),
        (old, new) if std::mem::discriminant(old) == std::mem::discriminant(&new) => Ok(new),
        (old, new) => Err(Error::invalid(
            path,
            &new,
            format!("must be {}, like the protocol's {old}", kind(old)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Value {
        toml::from_str(
            "subjects = 10\n[params]\nmpfc_threshold = 0.2\n\
             [[phase]]\nname = \"pre\"\nblocks = [{ trials = 80, intensity = 1.0 }]\n\
             [[phase]]\nname = \"test\"\nblocks = [{ trials = 25, intensity = 0.6 }]\n",
        )
        .unwrap()
    }

    #[test]
    fn paths_parse_keys_positions_and_names() {
        let p: FieldPath = "phase[test].blocks[0].trials".parse().unwrap();
        assert_eq!(
            p.steps,
            [
                Step::Key("phase".into()),
                Step::Name("test".into()),
                Step::Key("blocks".into()),
                Step::Index(0),
                Step::Key("trials".into())
            ]
        );
        let dotted: FieldPath = "group[p=0.5].subjects".parse().unwrap();
        assert_eq!(dotted.steps[1], Step::Name("p=0.5".into()));
        for bad in ["", "a..b", "a[0", "a[]", "a[0]b", ".a"] {
            let e = bad.parse::<FieldPath>().unwrap_err().to_string();
            assert!(e.contains(&format!("\"{bad}\"")), "{e}");
        }
    }

    #[test]
    fn values_are_set_in_the_file_type() {
        let mut f = file();
        let p: FieldPath = "phase[pre].blocks[0].trials".parse().unwrap();
        p.set(&mut f, Value::Float(40.0)).unwrap();
        assert_eq!(f["phase"][0]["blocks"][0]["trials"], Value::Integer(40));
        let e = p.set(&mut f, Value::Float(40.5)).unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid value 40.5 for `phase[pre].blocks[0].trials`: must be a whole number"
        );
        let q: FieldPath = "params.mpfc_threshold".parse().unwrap();
        q.set(&mut f, Value::Integer(1)).unwrap();
        assert_eq!(f["params"]["mpfc_threshold"], Value::Float(1.0));
        let e = q
            .set(&mut f, Value::String("x".into()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("must be a number"), "{e}");
    }

    #[test]
    fn bad_paths_name_the_nearest_key() {
        let mut f = file();
        let set = |f: &mut Value, p: &str| {
            p.parse::<FieldPath>()
                .unwrap()
                .set(f, Value::Float(1.0))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            set(&mut f, "params.mpfc_treshold"),
            "unknown field `params.mpfc_treshold` (did you mean `params.mpfc_threshold`?)"
        );
        assert_eq!(
            set(&mut f, "phase[tset].blocks"),
            "unknown entry `phase[tset]` (did you mean `phase[test]`?)"
        );
        assert!(set(&mut f, "phase[5].blocks").contains("has 2 entries"));
        assert!(set(&mut f, "subjects.x").contains("is a whole number, not a table"));
        assert!(set(&mut f, "params").contains("give the path of a value inside it"));
    }
}
