//! Named, documented, range-checked parameters: one macro gives every theory's
//! parameter struct the same protocol-file names, docs, ranges and accessors.

use crate::error::{Error, Must};

/// Checks one parameter value against its range; errors name it as `params.NAME`.
pub(crate) fn check(name: &str, value: f64, lo: f64, hi: f64) -> Result<(), Error> {
    Must::Within(lo, hi).check(|| format!("params.{name}"), value)
}

/// Declares a parameter struct: each field a documented `f64` with a default and an
/// inclusive range, plus `NAMES`, `DOCS`, `RANGES`, `get`, `set` and `check_each`.
macro_rules! theory_params {
    ($(#[$meta:meta])* $Params:ident { $( $(#[doc = $doc:literal])* $name:ident : $default:expr, [$lo:expr, $hi:expr]; )* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct $Params {
            $( $(#[doc = $doc])* pub $name: f64, )*
        }

        impl Default for $Params {
            fn default() -> Self {
                $Params { $( $name: $default, )* }
            }
        }

        impl $Params {
            /// Names of all parameters, as used by [`$Params::set`] and protocol files.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];

            /// The documentation of each parameter, in the order of [`$Params::NAMES`].
            pub const DOCS: &'static [&'static str] = &[$(concat!($($doc, "\n"),*)),*];

            /// The range each parameter must lie in (inclusive), in the order of
            /// [`$Params::NAMES`]: wide enough for any physiology or species a
            /// protocol may describe, narrow enough that the model's state stays finite
            /// and a run ends (a response rate of 10⁹ per second would not).
            pub const RANGES: &'static [(f64, f64)] = &[$(($lo, $hi)),*];

            /// The value of the parameter called `name`.
            ///
            pub fn get(&self, name: &str) -> Option<f64> {
                match name {
                    $( stringify!($name) => Some(self.$name), )*
                    _ => None,
                }
            }

            /// Sets the parameter called `name`, checking the value's range (but not
            /// relations between parameters: see [`$Params::validate`]).
            pub fn set(&mut self, name: &str, value: f64) -> Result<(), $crate::Error> {
                match name {
                    $( stringify!($name) => {
                        $crate::mind::params::check(stringify!($name), value, $lo, $hi)?;
                        self.$name = value;
                        Ok(())
                    } )*
                    _ => Err($crate::Error::unknown("parameter", name, Self::NAMES)),
                }
            }

            fn check_each(&self) -> Result<(), $crate::Error> {
                $( $crate::mind::params::check(stringify!($name), self.$name, $lo, $hi)?; )*
                Ok(())
            }
        }
    };
}

pub(crate) use theory_params;
