//! Elementary functions that give the same bits on every target.
//!
//! `f64::exp` and friends call the platform's math library (glibc natively, a port of
//! musl in WebAssembly), which may differ in the last bit; a trajectory that branches on
//! a draw then diverges. The simulation calls these instead: the `libm` crate, the same
//! code everywhere. (Add, multiply, divide and `sqrt` are exactly rounded by IEEE 754
//! and need no help.)

/// e^x.
#[inline]
pub(crate) fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// Natural logarithm.
#[inline]
pub(crate) fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// x^y.
#[inline]
pub(crate) fn powf(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}
