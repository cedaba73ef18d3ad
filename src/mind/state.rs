//! What a theory declares about itself (its variables) and the snapshot it reports on
//! every record, so records, summaries and figures never name a theory's variables.

use std::fmt;

/// Most variables a theory may declare: a record keeps its snapshot inline, without an
/// allocation per record.
pub const MAX_VARIABLES: usize = 12;

/// One variable a theory reports on every record.
///
/// ```
/// use helplessness::mind::Variable;
/// const RATE: Variable = Variable::new("rate", "1/s", "attempts per second");
/// assert_eq!(RATE.name, "rate");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Variable {
    /// Column name in records and summaries.
    pub name: &'static str,
    /// Unit (`1` for a plain number or probability).
    pub unit: &'static str,
    /// What it means, in one line.
    pub meaning: &'static str,
    /// The range its values lie in: records outside it are refused as damaged.
    pub range: (f64, f64),
}

impl Variable {
    /// A variable called `name`, in `unit`, meaning `meaning`, of any finite value.
    pub const fn new(name: &'static str, unit: &'static str, meaning: &'static str) -> Self {
        Variable {
            name,
            unit,
            meaning,
            range: (f64::MIN, f64::MAX),
        }
    }

    /// The same variable, whose values lie in [lo, hi].
    ///
    /// ```
    /// use helplessness::mind::Variable;
    /// const P: Variable = Variable::new("p", "1", "a chance").within(0.0, 1.0);
    /// assert_eq!(P.range, (0.0, 1.0));
    /// ```
    pub const fn within(self, lo: f64, hi: f64) -> Self {
        Variable {
            range: (lo, hi),
            ..self
        }
    }
}

/// A theory's variables at one moment: values in the order of the theory's declared
/// [`Variable`]s, which it carries so a record knows its own columns.
///
/// ```
/// use helplessness::mind::{State, Variable};
/// const VARS: &[Variable] = &[
///     Variable::new("c", "1", "controllability estimate"),
///     Variable::new("G", "1", "expectation of control"),
/// ];
/// let s = State::new(VARS, &[0.4, 0.7]);
/// assert_eq!(s.get("G"), Some(0.7));
/// assert_eq!(s.get("d"), None);
/// assert_eq!(s.values(), &[0.4, 0.7]);
/// ```
#[derive(Clone, Copy)]
pub struct State {
    variables: &'static [Variable],
    values: [f64; MAX_VARIABLES],
}

impl State {
    /// The values of `variables`, in their order. Values past [`MAX_VARIABLES`] or past
    /// the declared variables are dropped; missing ones are NaN.
    pub fn new(variables: &'static [Variable], values: &[f64]) -> Self {
        let variables = &variables[..variables.len().min(MAX_VARIABLES)];
        let mut v = [f64::NAN; MAX_VARIABLES];
        for (slot, x) in v.iter_mut().zip(values).take(variables.len()) {
            *slot = *x;
        }
        State {
            variables,
            values: v,
        }
    }

    /// A state of no variables (a mind that reports nothing).
    pub const EMPTY: State = State {
        variables: &[],
        values: [f64::NAN; MAX_VARIABLES],
    };

    /// The declared variables, in column order.
    pub fn variables(&self) -> &'static [Variable] {
        self.variables
    }

    /// The values, in column order.
    pub fn values(&self) -> &[f64] {
        &self.values[..self.variables.len()]
    }

    /// The value of the variable called `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        let i = self.variables.iter().position(|v| v.name == name)?;
        Some(self.values[i])
    }

    /// Names and values, in column order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, f64)> + '_ {
        self.variables
            .iter()
            .zip(self.values())
            .map(|(v, x)| (v.name, *x))
    }
}

impl Default for State {
    fn default() -> Self {
        State::EMPTY
    }
}

/// Equal when the same names carry the same values.
impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        self.variables.len() == other.variables.len()
            && self
                .variables
                .iter()
                .zip(other.variables)
                .all(|(a, b)| a.name == b.name)
            && self.values() == other.values()
    }
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}
