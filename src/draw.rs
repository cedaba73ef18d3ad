//! Random draws that give the same bits on every target: exponential, normal,
//! log-normal, gamma and beta variates computed with [`crate::math`], so a seed gives
//! the same subjects natively and in WebAssembly (`rand_distr` calls the platform's
//! math library, which differs in the last bit between the two).

use rand::{Rng, RngExt};

use crate::math::{exp, ln, powf};

/// A uniform draw in (0, 1].
fn open_unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    1.0 - rng.random::<f64>()
}

/// Exp(1), by inversion.
pub(crate) fn exp1<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    -ln(open_unit(rng))
}

/// Standard normal, by Marsaglia's polar method (one of the pair).
pub(crate) fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    loop {
        let u = 2.0 * rng.random::<f64>() - 1.0;
        let v = 2.0 * rng.random::<f64>() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * ln(s) / s).sqrt();
        }
    }
}

/// Normal with `mean` and standard deviation `sd`.
pub(crate) fn normal<R: Rng + ?Sized>(rng: &mut R, mean: f64, sd: f64) -> f64 {
    mean + sd * standard_normal(rng)
}

/// Log-normal whose logarithm has `mu` and `sigma`.
pub(crate) fn log_normal<R: Rng + ?Sized>(rng: &mut R, mu: f64, sigma: f64) -> f64 {
    exp(normal(rng, mu, sigma))
}

/// Gamma with `shape` > 0 and scale 1 (Marsaglia & Tsang 2000; below shape 1, a
/// Gamma(shape + 1) draw times U^(1/shape)).
pub(crate) fn gamma<R: Rng + ?Sized>(rng: &mut R, shape: f64) -> f64 {
    if shape < 1.0 {
        let g = gamma(rng, shape + 1.0);
        return g * powf(open_unit(rng), 1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = standard_normal(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = open_unit(rng);
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || ln(u) < 0.5 * x2 + d * (1.0 - v + ln(v)) {
            return d * v;
        }
    }
}

/// Beta(a, b), as X / (X + Y) of two gamma draws.
pub(crate) fn beta<R: Rng + ?Sized>(rng: &mut R, a: f64, b: f64) -> f64 {
    let x = gamma(rng, a);
    let y = gamma(rng, b);
    if x + y > 0.0 {
        x / (x + y)
    } else {
        a / (a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subject::SubjectRng;
    use rand::SeedableRng;

    const N: usize = 200_000;

    /// Mean and variance of `N` draws.
    fn moments(mut draw: impl FnMut(&mut SubjectRng) -> f64) -> (f64, f64) {
        let mut rng = SubjectRng::seed_from_u64(11);
        let xs: Vec<f64> = (0..N).map(|_| draw(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / N as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (N - 1) as f64;
        (mean, var)
    }

    /// Each sampler's mean and variance within 4 standard errors of the truth (with
    /// 200,000 draws, a wrong shape, scale or algorithm is many standard errors off).
    #[test]
    fn draws_have_their_distributions_moments() {
        let check = |name: &str, (mean, var): (f64, f64), (mu, sigma2): (f64, f64), kurt: f64| {
            let se_mean = (sigma2 / N as f64).sqrt();
            // Standard error of a sample variance: sigma^2 sqrt((kurtosis - 1) / n).
            let se_var = sigma2 * ((kurt - 1.0) / N as f64).sqrt();
            assert!(
                (mean - mu).abs() < 4.0 * se_mean,
                "{name}: mean {mean} vs {mu}"
            );
            assert!(
                (var - sigma2).abs() < 4.0 * se_var,
                "{name}: var {var} vs {sigma2}"
            );
        };
        check("exp1", moments(exp1), (1.0, 1.0), 9.0);
        check("normal", moments(|r| normal(r, 2.0, 3.0)), (2.0, 9.0), 3.0);
        // Gamma(k): mean k, variance k, kurtosis 3 + 6 / k.
        for k in [0.5, 1.0, 2.5, 9.0] {
            check("gamma", moments(|r| gamma(r, k)), (k, k), 3.0 + 6.0 / k);
        }
        // Beta(a, b): mean a/(a+b), variance ab/((a+b)^2(a+b+1)); kurtosis below 4 for these.
        for (a, b) in [(2.0, 2.0), (6.0, 4.0), (0.5, 0.5), (2.0, 5.0)] {
            let mu = a / (a + b);
            let var = a * b / ((a + b) * (a + b) * (a + b + 1.0));
            check("beta", moments(|r| beta(r, a, b)), (mu, var), 4.0);
        }
        // Log-normal(0, 0.2): mean e^{0.02}, variance (e^{0.04} - 1) e^{0.04}.
        let (m, v) = ((0.02f64).exp(), ((0.04f64).exp() - 1.0) * (0.04f64).exp());
        check(
            "log-normal",
            moments(|r| log_normal(r, 0.0, 0.2)),
            (m, v),
            4.0,
        );
    }

    #[test]
    fn draws_stay_in_their_support() {
        let mut rng = SubjectRng::seed_from_u64(5);
        for _ in 0..10_000 {
            assert!(exp1(&mut rng) >= 0.0);
            let b = beta(&mut rng, 0.3, 0.3);
            assert!((0.0..=1.0).contains(&b), "{b}");
            assert!(gamma(&mut rng, 0.2) >= 0.0);
        }
    }
}
