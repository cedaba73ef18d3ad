//! Individual differences: a parameter drawn per subject from a distribution, so the
//! members of a group are not clones.

use crate::draw;
use crate::math::ln;
use rand::{Rng, RngExt};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Must};
use crate::subject::{SubjectId, SubjectRng};

/// A distribution for one parameter.
///
/// ```
/// use helplessness::Dist;
/// use rand::SeedableRng;
/// let d = Dist::LogNormal { median: 2.0, sigma: 0.1 };
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
/// assert!(d.sample(&mut rng) > 0.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Dist {
    /// Normal with mean and standard deviation.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation (>= 0).
        sd: f64,
    },
    /// Log-normal given by its median and the standard deviation of its logarithm:
    /// always positive, for rates and time constants.
    LogNormal {
        /// Median (> 0).
        median: f64,
        /// Standard deviation of ln(x) (>= 0).
        sigma: f64,
    },
    /// Beta with shape parameters a and b: on [0, 1], for probabilities and
    /// expectations.
    Beta {
        /// First shape parameter (> 0).
        a: f64,
        /// Second shape parameter (> 0).
        b: f64,
    },
    /// Uniform on [min, max].
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
}

impl Dist {
    /// Checks the distribution's own parameters.
    pub fn validate(&self, field: &str) -> Result<(), Error> {
        let finite = |name: &str, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(Error::invalid(
                    format!("{field}.{name}"),
                    v,
                    "must be finite",
                ))
            }
        };
        let sd_ok = |name: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(Error::invalid(format!("{field}.{name}"), v, "must be >= 0"))
            }
        };
        match *self {
            Dist::Normal { mean, sd } => {
                finite("mean", mean)?;
                sd_ok("sd", sd)
            }
            Dist::LogNormal { median, sigma } => {
                Must::Positive.check(|| format!("{field}.median"), median)?;
                sd_ok("sigma", sigma)
            }
            Dist::Beta { a, b } => {
                Must::Positive.check(|| format!("{field}.a"), a)?;
                Must::Positive.check(|| format!("{field}.b"), b)
            }
            Dist::Uniform { min, max } => {
                finite("min", min)?;
                finite("max", max)?;
                if max < min {
                    return Err(Error::invalid(
                        format!("{field}.max"),
                        max,
                        "must be >= min",
                    ));
                }
                Ok(())
            }
        }
    }

    /// One draw. The distribution must have passed [`Dist::validate`].
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Dist::Normal { mean, sd } => draw::normal(rng, mean, sd),
            Dist::LogNormal { median, sigma } => draw::log_normal(rng, ln(median), sigma),
            Dist::Beta { a, b } => draw::beta(rng, a, b),
            Dist::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
        }
    }
}

/// How a drawn value combines with the preset value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Apply {
    /// The draw replaces the preset.
    #[default]
    Set,
    /// The draw is added to the preset.
    Add,
    /// The preset is multiplied by the draw.
    Scale,
}

/// One parameter drawn per subject.
///
/// ```
/// use helplessness::{Dist, Variation};
/// // Each subject's escape-response bias: preset + Normal(0, 0.5).
/// let v = Variation::add("response_bias", Dist::Normal { mean: 0.0, sd: 0.5 });
/// assert_eq!(v.combine(1.0, 0.25), 1.25);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variation {
    /// Name of the parameter, e.g. `drn_gain` (see [`crate::CircuitParams::NAMES`]).
    pub parameter: String,
    /// Distribution of the draw.
    pub dist: Dist,
    /// How the draw combines with the preset value.
    #[serde(default)]
    pub apply: Apply,
}

impl Variation {
    /// The draw replaces the preset value.
    pub fn set(parameter: &str, dist: Dist) -> Self {
        Variation {
            parameter: parameter.into(),
            dist,
            apply: Apply::Set,
        }
    }

    /// The draw is added to the preset value.
    pub fn add(parameter: &str, dist: Dist) -> Self {
        Variation {
            parameter: parameter.into(),
            dist,
            apply: Apply::Add,
        }
    }

    /// The preset value is multiplied by the draw.
    pub fn scale(parameter: &str, dist: Dist) -> Self {
        Variation {
            parameter: parameter.into(),
            dist,
            apply: Apply::Scale,
        }
    }

    /// The subject's value given the preset and a draw.
    pub fn combine(&self, preset: f64, draw: f64) -> f64 {
        match self.apply {
            Apply::Set => draw,
            Apply::Add => preset + draw,
            Apply::Scale => preset * draw,
        }
    }
}

/// Named parameters that per-subject draws can be applied to.
pub(crate) trait Drawable {
    /// The current value of `name`, if there is such a parameter.
    fn value(&self, name: &str) -> Option<f64>;
    /// Sets `name`, refusing a value outside its range.
    fn assign(&mut self, name: &str, value: f64) -> Result<(), Error>;
}

/// Draws each of `variation` for `subject` from its own stream, in order, and applies
/// it to `params`; a draw outside the parameter's range is an error naming the subject.
pub(crate) fn apply_draws<P: Drawable>(
    params: &mut P,
    variation: &[Variation],
    subject: &SubjectId,
    rng: &mut SubjectRng,
) -> Result<(), Error> {
    for v in variation {
        let preset = params.value(&v.parameter).unwrap_or(f64::NAN);
        let value = v.combine(preset, v.dist.sample(rng));
        params.assign(&v.parameter, value).map_err(|_| {
            Error::invalid(
                format!("params.{} of {subject}", v.parameter),
                value,
                "drawn outside the parameter's range: narrow its distribution",
            )
        })?;
    }
    Ok(())
}
