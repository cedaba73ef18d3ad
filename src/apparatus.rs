//! Apparatus: where the shocks happen and what counts as an escape response.
//!
//! The apparatus matters to the subject only through how easily its escape response
//! comes at first (its naive strength, a species preset) and as the default context in
//! which controllability evidence is gathered.

use serde::{Deserialize, Serialize};

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
}

impl Apparatus {
    /// Number of apparatus kinds (size of per-apparatus arrays).
    pub const COUNT: usize = 5;
    /// Every kind, in index order.
    pub const ALL: [Apparatus; Apparatus::COUNT] = [
        Apparatus::Harness,
        Apparatus::WheelTurn,
        Apparatus::ShuttleBox,
        Apparatus::Button,
        Apparatus::HandShuttle,
    ];

    /// Position in per-apparatus arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The unit of its stimulus intensity: tones (button, hand shuttle) in dB, shocks
    /// in mA.
    ///
    /// ```
    /// use helplessness::Apparatus;
    /// assert_eq!((Apparatus::ShuttleBox.intensity_unit(), Apparatus::Button.intensity_unit()), ("mA", "dB"));
    /// ```
    pub fn intensity_unit(self) -> &'static str {
        match self {
            Apparatus::Button | Apparatus::HandShuttle => "dB",
            _ => "mA",
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
        }
    }
}
