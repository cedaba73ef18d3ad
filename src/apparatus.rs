//! Apparatus: where episodes happen and what counts as an attempt.
//!
//! The apparatus matters to the subject through what it demands (an aversive stimulus
//! to end, or a task to solve), how easily its attempt comes at first (its naive
//! strength, a species preset) and as the default context in which controllability
//! evidence is gathered.

use serde::{Deserialize, Serialize};

use crate::mind::Demand;

/// The apparatus of a session.
///
/// ```
/// use helplessness::Apparatus;
/// assert_eq!(Apparatus::ShuttleBox.name(), "shuttle-box");
/// assert_eq!(Apparatus::ALL.len(), Apparatus::COUNT);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Apparatus {
    /// Hammock/harness with a panel pressed by the head (dogs, Seligman & Maier 1967).
    /// A response is one panel press; it comes hard to a naive subject.
    Harness,
    /// Restraining tube with a wheel (rats, Maier laboratory). A response is a quarter
    /// turn of the wheel.
    WheelTurn,
    /// Two-compartment shuttle box: a response is a crossing of the barrier.
    ShuttleBox,
    /// A button that ends a tone (people, Hiroto & Seligman 1975 pretreatment).
    Button,
    /// Finger shuttle box: a knob moved from one side to the other ends a tone
    /// (people, Hiroto 1974; Hiroto & Seligman 1975 test).
    HandShuttle,
    /// Problems to solve: discrimination problems or anagrams (people, Hiroto &
    /// Seligman 1975). An attempt is a try at a solution; the outcome is success.
    Problems,
    /// A cue answered by a key press or not (Go/NoGo; Dorfman & Gershman 2019). An
    /// attempt is a press; the outcome is a win.
    GoNogo,
}

impl Apparatus {
    /// Number of apparatus kinds (size of per-apparatus arrays).
    pub const COUNT: usize = 7;
    /// Every kind, in index order.
    pub const ALL: [Apparatus; Apparatus::COUNT] = [
        Apparatus::Harness,
        Apparatus::WheelTurn,
        Apparatus::ShuttleBox,
        Apparatus::Button,
        Apparatus::HandShuttle,
        Apparatus::Problems,
        Apparatus::GoNogo,
    ];

    /// Position in per-apparatus arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The unit of its stimulus intensity: tones (button, hand shuttle) in dB, shocks
    /// in mA, tasks in units of demand (1 = a typical task).
    ///
    /// ```
    /// use helplessness::Apparatus;
    /// assert_eq!((Apparatus::ShuttleBox.intensity_unit(), Apparatus::Button.intensity_unit()), ("mA", "dB"));
    /// ```
    pub fn intensity_unit(self) -> &'static str {
        match self {
            Apparatus::Button | Apparatus::HandShuttle => "dB",
            Apparatus::Problems | Apparatus::GoNogo => "demand",
            _ => "mA",
        }
    }

    /// What its episodes demand: an aversive stimulus to end, or a task to solve.
    ///
    /// ```
    /// use helplessness::{Apparatus, mind::Demand};
    /// assert_eq!(Apparatus::ShuttleBox.demand(), Demand::Aversive);
    /// assert_eq!(Apparatus::Problems.demand(), Demand::Task);
    /// ```
    pub fn demand(self) -> Demand {
        match self {
            Apparatus::Problems | Apparatus::GoNogo => Demand::Task,
            _ => Demand::Aversive,
        }
    }

    /// The name used in protocol files and records.
    pub fn name(self) -> &'static str {
        match self {
            Apparatus::Harness => "harness",
            Apparatus::WheelTurn => "wheel-turn",
            Apparatus::ShuttleBox => "shuttle-box",
            Apparatus::Button => "button",
            Apparatus::HandShuttle => "hand-shuttle",
            Apparatus::Problems => "problems",
            Apparatus::GoNogo => "go-nogo",
        }
    }
}
