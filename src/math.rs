//! Elementary functions that give the same bits on every target.
//!
//! `f64::exp` and friends call the platform's math library (glibc natively, a port of
//! musl in WebAssembly), which may differ in the last bit; a trajectory that branches on
//! a draw then diverges. The simulation calls these instead: the same code everywhere,
//! the exponential the crate's own (the hottest: three a second of stimulus), the rest
//! the `libm` crate's. (Add, multiply, divide and `sqrt` are exactly rounded by IEEE
//! 754 and need no help; Rust never fuses a multiply and an add unasked.)

/// e^x by table and polynomial in plain IEEE operations (no fused multiply-add, no
/// branch in the usual range), so the same bits come out on every target, for less
/// than the `libm` crate's exponential costs: the circuit's window steps take three a
/// second of stimulus. Within one unit in the last place of the `libm` crate's, and the
/// nearest double to e^x for about 97 % of sampled arguments.
///
/// x = (64·i + j)·ln2/64 + r with |r| ≤ ln2/128, so e^x = 2^i · 2^(j/64) · e^r: 2^i is
/// put into the exponent bits, 2^(j/64) read from a table (as a double and the rounding
/// it leaves, so only the last addition rounds at the result's scale) and e^r − 1
/// summed to r⁵/120 (the next term is below 2^−54 of the result). Outside
/// −706 < x < 708 (below, the table's terms would round as subnormals; beyond, the
/// result may be subnormal, infinite or NaN) the `libm` crate answers.
#[inline]
pub(crate) fn exp(x: f64) -> f64 {
    // NaN fails the comparisons and goes to `libm` too.
    if x > -706.0 && x < 708.0 {
        exp_table(x)
    } else {
        libm::exp(x)
    }
}

/// [`exp`] for −706 < x < 708.
#[inline]
fn exp_table(x: f64) -> f64 {
    // Adding and removing 1.5·2^52 rounds to the nearest integer in IEEE arithmetic.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    let shifted = x * INV_LN2_64 + ROUND;
    let kf = shifted - ROUND;
    // The same integer from the bits: in [2^52, 2^53) a unit in the last place is 1, so
    // the low bits of `shifted` count k from ROUND's (a cast would also check range).
    let k = shifted.to_bits().cast_signed() - ROUND.to_bits().cast_signed();
    // x − k·head is exact: k·head is exact and near x.
    let r = (x - kf * LN2_64_HEAD) - kf * LN2_64_TAIL;
    let p = r + r * r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0))));
    let scale = f64::from_bits(((k >> 6) + 1023).cast_unsigned() << 52);
    let (head, tail) = TWO_TO_J_64[(k & 63) as usize];
    let (t, t_tail) = (f64::from_bits(head) * scale, f64::from_bits(tail) * scale);
    t + (t_tail + t * p)
}

// Written by scripts/exp-table.
const TWO_TO_J_64: [(u64, u64); 64] = [
    (0x3ff0000000000000, 0x0000000000000000),
    (0x3ff02c9a3e778061, 0xbc719083535b085d),
    (0x3ff059b0d3158574, 0x3c8d73e2a475b465),
    (0x3ff0874518759bc8, 0x3c6186be4bb284ff),
    (0x3ff0b5586cf9890f, 0x3c98a62e4adc610b),
    (0x3ff0e3ec32d3d1a2, 0x3c403a1727c57b53),
    (0x3ff11301d0125b51, 0xbc96c51039449b3a),
    (0x3ff1429aaea92de0, 0xbc932fbf9af1369e),
    (0x3ff172b83c7d517b, 0xbc819041b9d78a76),
    (0x3ff1a35beb6fcb75, 0x3c8e5b4c7b4968e4),
    (0x3ff1d4873168b9aa, 0x3c9e016e00a2643c),
    (0x3ff2063b88628cd6, 0x3c8dc775814a8495),
    (0x3ff2387a6e756238, 0x3c99b07eb6c70573),
    (0x3ff26b4565e27cdd, 0x3c82bd339940e9d9),
    (0x3ff29e9df51fdee1, 0x3c8612e8afad1255),
    (0x3ff2d285a6e4030b, 0x3c90024754db41d5),
    (0x3ff306fe0a31b715, 0x3c86f46ad23182e4),
    (0x3ff33c08b26416ff, 0x3c932721843659a6),
    (0x3ff371a7373aa9cb, 0xbc963aeabf42eae2),
    (0x3ff3a7db34e59ff7, 0xbc75e436d661f5e3),
    (0x3ff3dea64c123422, 0x3c8ada0911f09ebc),
    (0x3ff4160a21f72e2a, 0xbc5ef3691c309278),
    (0x3ff44e086061892d, 0x3c489b7a04ef80d0),
    (0x3ff486a2b5c13cd0, 0x3c73c1a3b69062f0),
    (0x3ff4bfdad5362a27, 0x3c7d4397afec42e2),
    (0x3ff4f9b2769d2ca7, 0xbc94b309d25957e3),
    (0x3ff5342b569d4f82, 0xbc807abe1db13cad),
    (0x3ff56f4736b527da, 0x3c99bb2c011d93ad),
    (0x3ff5ab07dd485429, 0x3c96324c054647ad),
    (0x3ff5e76f15ad2148, 0x3c9ba6f93080e65e),
    (0x3ff6247eb03a5585, 0xbc9383c17e40b497),
    (0x3ff6623882552225, 0xbc9bb60987591c34),
    (0x3ff6a09e667f3bcd, 0xbc9bdd3413b26456),
    (0x3ff6dfb23c651a2f, 0xbc6bbe3a683c88ab),
    (0x3ff71f75e8ec5f74, 0xbc816e4786887a99),
    (0x3ff75feb564267c9, 0xbc90245957316dd3),
    (0x3ff7a11473eb0187, 0xbc841577ee04992f),
    (0x3ff7e2f336cf4e62, 0x3c705d02ba15797e),
    (0x3ff82589994cce13, 0xbc9d4c1dd41532d8),
    (0x3ff868d99b4492ed, 0xbc9fc6f89bd4f6ba),
    (0x3ff8ace5422aa0db, 0x3c96e9f156864b27),
    (0x3ff8f1ae99157736, 0x3c85cc13a2e3976c),
    (0x3ff93737b0cdc5e5, 0xbc675fc781b57ebc),
    (0x3ff97d829fde4e50, 0xbc9d185b7c1b85d1),
    (0x3ff9c49182a3f090, 0x3c7c7c46b071f2be),
    (0x3ffa0c667b5de565, 0xbc9359495d1cd533),
    (0x3ffa5503b23e255d, 0xbc9d2f6edb8d41e1),
    (0x3ffa9e6b5579fdbf, 0x3c90fac90ef7fd31),
    (0x3ffae89f995ad3ad, 0x3c97a1cd345dcc81),
    (0x3ffb33a2b84f15fb, 0xbc62805e3084d708),
    (0x3ffb7f76f2fb5e47, 0xbc75584f7e54ac3b),
    (0x3ffbcc1e904bc1d2, 0x3c823dd07a2d9e84),
    (0x3ffc199bdd85529c, 0x3c811065895048dd),
    (0x3ffc67f12e57d14b, 0x3c92884dff483cad),
    (0x3ffcb720dcef9069, 0x3c7503cbd1e949db),
    (0x3ffd072d4a07897c, 0xbc9cbc3743797a9c),
    (0x3ffd5818dcfba487, 0x3c82ed02d75b3707),
    (0x3ffda9e603db3285, 0x3c9c2300696db532),
    (0x3ffdfc97337b9b5f, 0xbc91a5cd4f184b5c),
    (0x3ffe502ee78b3ff6, 0x3c839e8980a9cc8f),
    (0x3ffea4afa2a490da, 0xbc9e9c23179c2893),
    (0x3ffefa1bee615a27, 0x3c9dc7f486a4b6b0),
    (0x3fff50765b6e4540, 0x3c99d3e12dd8a18b),
    (0x3fffa7c1819e90d8, 0x3c874853f3a5931e),
];
const LN2_64_HEAD: f64 = 0.010830424696223417;
const LN2_64_TAIL: f64 = 2.572804622327669e-14;
const INV_LN2_64: f64 = 92.33248261689366;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// Units in the last place between two positive doubles.
    fn ulps(a: f64, b: f64) -> u64 {
        a.to_bits().abs_diff(b.to_bits())
    }

    #[test]
    fn exp_is_within_one_ulp_of_the_libm_crate_over_its_whole_range() {
        let mut worst = 0;
        let n = 2_000_000;
        for i in 0..=n {
            // A grid over the table's range, and a dense one near zero.
            for x in [
                -708.0 + 1416.0 * f64::from(i) / f64::from(n),
                1e-6 * f64::from(i - n / 2),
            ] {
                let d = ulps(exp(x), libm::exp(x));
                worst = worst.max(d);
            }
        }
        assert!(worst <= 1, "{worst} ulps");
    }

    #[test]
    fn exp_is_exact_where_the_answer_is_known() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-0.0), 1.0);
        assert_eq!(exp(1.0), std::f64::consts::E);
        for k in -20..=20 {
            // LN_2 is rounded: e^(k·LN_2) is 2^k to within |k|·2^−54.
            let x = f64::from(k) * std::f64::consts::LN_2;
            assert!(
                (exp(x) / 2f64.powi(k) - 1.0).abs() <= 4.0 * f64::EPSILON,
                "2^{k}"
            );
        }
    }

    #[test]
    fn exp_outside_the_table_is_the_libm_crates() {
        assert_eq!(exp(f64::INFINITY), f64::INFINITY);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp(710.0), f64::INFINITY);
        assert_eq!(exp(-745.2), libm::exp(-745.2));
        assert!(exp(-740.0) > 0.0 && exp(-740.0) < f64::MIN_POSITIVE);
        // Rising across the table's edges, where the two meet.
        for x in [-706.0_f64, 708.0] {
            let inside = f64::from_bits(x.abs().to_bits() - 1).copysign(x);
            let (lo, hi) = if x < 0.0 { (x, inside) } else { (inside, x) };
            assert!(exp(lo) < exp(hi) && ulps(exp(inside), libm::exp(inside)) <= 1);
        }
    }
}
