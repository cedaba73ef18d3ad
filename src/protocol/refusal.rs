//! Why serde refused a file, as data rather than a sentence: the unknown field or
//! variant with the names it expected, or the missing field. The file's value is read
//! again through a deserializer whose error type keeps what serde reports, so a
//! did-you-mean never depends on the wording of a message.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

/// What serde refused in a file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Refusal {
    /// A key the type does not have, and those it has.
    UnknownField {
        name: String,
        expected: &'static [&'static str],
    },
    /// A variant the type does not have, and those it has.
    UnknownVariant {
        name: String,
        expected: &'static [&'static str],
    },
    /// A required key that is absent.
    MissingField(&'static str),
    /// Anything else (a wrong type, a bad value): serde's own message says it.
    Other(String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::UnknownField { name, .. } => write!(f, "unknown field `{name}`"),
            Refusal::UnknownVariant { name, .. } => write!(f, "unknown variant `{name}`"),
            Refusal::MissingField(name) => write!(f, "missing field `{name}`"),
            Refusal::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Refusal {}

impl de::Error for Refusal {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Refusal::Other(msg.to_string())
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Refusal::UnknownField {
            name: field.to_string(),
            expected,
        }
    }
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Refusal::UnknownVariant {
            name: variant.to_string(),
            expected,
        }
    }
    fn missing_field(field: &'static str) -> Self {
        Refusal::MissingField(field)
    }
}

/// A TOML value read as serde data, with [`Refusal`] as its error type.
struct ValueDe(toml::Value);

impl<'de> IntoDeserializer<'de, Refusal> for ValueDe {
    type Deserializer = ValueDe;
    fn into_deserializer(self) -> ValueDe {
        self
    }
}

fn entries(t: toml::Table) -> impl Iterator<Item = (String, ValueDe)> {
    t.into_iter().map(|(k, v)| (k, ValueDe(v)))
}

impl<'de> de::Deserializer<'de> for ValueDe {
    type Error = Refusal;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        match self.0 {
            toml::Value::String(s) => visitor.visit_string(s),
            toml::Value::Integer(i) => visitor.visit_i64(i),
            toml::Value::Float(x) => visitor.visit_f64(x),
            toml::Value::Boolean(b) => visitor.visit_bool(b),
            toml::Value::Datetime(d) => visitor.visit_string(d.to_string()),
            toml::Value::Array(a) => {
                visitor.visit_seq(SeqDeserializer::new(a.into_iter().map(ValueDe)))
            }
            toml::Value::Table(t) => visitor.visit_map(MapDeserializer::new(entries(t))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        visitor.visit_newtype_struct(self)
    }

    /// A variant is a string (`"no-shock"`) or a table of one key (`{ fixed = {...} }`).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        match self.0 {
            toml::Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            toml::Value::Table(t) if t.len() == 1 => {
                visitor.visit_enum(MapAccessDeserializer::new(MapDeserializer::new(entries(t))))
            }
            other => ValueDe(other).deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// Why `value` does not deserialize as a `T`, and where: `None` when it does.
pub(crate) fn refusal<T: DeserializeOwned>(value: toml::Value) -> Option<(String, Refusal)> {
    serde_path_to_error::deserialize::<_, T>(ValueDe(value))
        .err()
        .map(|e| (e.path().to_string(), e.into_inner()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ProtocolFile;

    fn of(text: &str) -> Option<(String, Refusal)> {
        refusal::<ProtocolFile>(toml::from_str(text).unwrap())
    }

    #[test]
    fn refusals_are_data() {
        let ok = "name = \"x\"\n[[group]]\nname = \"g\"\n[[phase]]\nname = \"p\"\nblocks = [{ trials = 1, intensity = 1.0 }]\n";
        assert_eq!(of(ok), None);
        let typo = ok.replace("blocks = [", "cutof_s = 3\nblocks = [");
        let (path, r) = of(&typo).unwrap();
        assert_eq!(path, "phase[0].cutof_s");
        assert!(
            matches!(r, Refusal::UnknownField { ref name, expected } if name == "cutof_s" && expected.contains(&"cutoff_s"))
        );
        let variant = ok.replace("[[phase]]", "[[phase]]\ncontingency = \"no-shok\"");
        let (_, r) = of(&variant).unwrap();
        assert!(matches!(r, Refusal::UnknownVariant { ref name, .. } if name == "no-shok"));
        let missing = ok.replace("name = \"p\"\n", "");
        assert_eq!(of(&missing).unwrap().1, Refusal::MissingField("name"));
    }
}
