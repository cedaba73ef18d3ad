"""The circuit's per-tick kernel vectorized over subjects with NumPy: the yardstick of
the engine's speed (``kernel_tick`` of benches/engine.rs, the same equations and the
same parameters, read from the bundled triadic-rat protocol).

Run by hand, beside ``cargo bench --bench engine -- "per tick"``:

    pip install "./python" numpy
    python benches/numpy_kernel.py [--ticks 2000] [--subjects 10000 100000]

Prints nanoseconds per subject-tick for each number of subjects, after checking the
vectorized kernel against a scalar reference to 1e-12. NumPy runs on one thread here
(each operation over the whole array); compare with the bench's "bare kernel"
(36,000 ticks of one subject) divided by 36,000.
"""

import argparse
import math
import os
import time

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import helplessness as lh  # noqa: E402

DT = 0.1


def kernel_params(dt):
    """The constants of one tick, as `KernelParams::rat` derives them."""
    v = tomllib.loads(lh.show("triadic-rat"))["params"]
    tau_d, tau_h = v["drn_tau_s"], v["serotonin_tau_s"]
    decay_d, decay_h = math.exp(-dt / tau_d), math.exp(-dt / tau_h)
    return dict(
        gain=v["mpfc_gain"],
        threshold=v["mpfc_threshold"],
        inhibition=v["mpfc_inhibition"],
        decay_d=decay_d,
        decay_h=decay_h,
        decay_s=math.exp(-dt / v["sensitization_tau_s"]),
        h_from_target=v["serotonin_rate"] * tau_h * (1.0 - decay_h),
        h_from_gap=v["serotonin_rate"] * (decay_h - decay_d) / (1.0 / tau_d - 1.0 / tau_h),
        sensitization_scale=v["sensitization_rate"] / (v["sensitization_max"] - 1.0),
        sensitization_threshold=v["sensitization_threshold"],
        s_max=v["sensitization_max"],
        fear_rate=v["fear_rate"],
        fear_base=v["fear_base"],
        rate_max=v["escape_rate_max"],
        shock_drive=v["shock_drive"],
        control_drive=v["control_drive"],
        suppression=v["serotonin_suppression"],
    )


def tick_scalar(k, p, u, dt):
    """One subject, one tick: the reference."""
    sig = lambda x: 1.0 / (1.0 + math.exp(-x))  # noqa: E731
    m = sig(p["gain"] * (k["c"] - p["threshold"]) + k["w"] * u)
    d_inf = u * max(k["s"] - p["inhibition"] * m, 0.0)
    h1 = k["h"] * p["decay_h"] + p["h_from_target"] * d_inf + p["h_from_gap"] * (k["d"] - d_inf)
    h_mean = 0.5 * (k["h"] + h1)
    growth = p["sensitization_scale"] * max(h_mean - p["sensitization_threshold"], 0.0)
    s1 = k["s"]
    if growth > 0.0:
        s1 = p["s_max"] - (p["s_max"] - s1) * math.exp(-growth * dt)
    k["s"] = 1.0 + (s1 - 1.0) * p["decay_s"]
    k["d"] = d_inf + (k["d"] - d_inf) * p["decay_d"]
    k["h"] = h1
    k["fear"] = 1.0 - (1.0 - k["fear"]) * math.exp(-p["fear_rate"] * u * (p["fear_base"] + h_mean) * dt)
    drive = p["shock_drive"] * u + p["control_drive"] * k["c"] - p["suppression"] * k["h"]
    return p["rate_max"] * sig(drive)


def tick_vector(k, p, u, dt, t=None):
    """Every subject, one tick, each operation over the whole array, in place into
    the scratch arrays `t` (a fair NumPy: no temporary is allocated per tick)."""
    if t is None:
        t = {name: np.empty_like(k["c"]) for name in ("m", "d_inf", "h1", "h_mean", "x")}
    m, d_inf, h1, h_mean, x = t["m"], t["d_inf"], t["h1"], t["h_mean"], t["x"]
    # m = sigmoid(gain (c - threshold) + w u)
    np.subtract(k["c"], p["threshold"], out=m)
    m *= -p["gain"]
    np.multiply(k["w"], -u, out=x)
    m += x
    np.exp(m, out=m)
    m += 1.0
    np.reciprocal(m, out=m)
    # d_inf = u max(s - inhibition m, 0)
    np.multiply(m, -p["inhibition"], out=d_inf)
    d_inf += k["s"]
    np.maximum(d_inf, 0.0, out=d_inf)
    d_inf *= u
    # h1 = h decay_h + h_from_target d_inf + h_from_gap (d - d_inf)
    np.multiply(k["h"], p["decay_h"], out=h1)
    np.multiply(d_inf, p["h_from_target"] - p["h_from_gap"], out=x)
    h1 += x
    np.multiply(k["d"], p["h_from_gap"], out=x)
    h1 += x
    np.add(k["h"], h1, out=h_mean)
    h_mean *= 0.5
    # s: sensitization grows above threshold (exp(0) = 1 leaves s unchanged), decays
    np.subtract(h_mean, p["sensitization_threshold"], out=x)
    np.maximum(x, 0.0, out=x)
    x *= -p["sensitization_scale"] * dt
    np.exp(x, out=x)
    s = k["s"]
    np.subtract(p["s_max"], s, out=s)
    s *= x
    np.subtract(p["s_max"], s, out=s)
    s -= 1.0
    s *= p["decay_s"]
    s += 1.0
    # d relaxes to d_inf
    d = k["d"]
    d -= d_inf
    d *= p["decay_d"]
    d += d_inf
    k["h"], t["h1"] = h1, k["h"]
    # fear = 1 - (1 - fear) exp(-fear_rate u (fear_base + h_mean) dt)
    np.add(h_mean, p["fear_base"], out=x)
    x *= -p["fear_rate"] * u * dt
    np.exp(x, out=x)
    fear = k["fear"]
    np.subtract(1.0, fear, out=fear)
    fear *= x
    np.subtract(1.0, fear, out=fear)
    # rate = rate_max sigmoid(shock_drive u + control_drive c - suppression h)
    np.multiply(k["c"], -p["control_drive"], out=x)
    np.multiply(k["h"], p["suppression"], out=m)
    x += m
    x -= p["shock_drive"] * u
    np.exp(x, out=x)
    x += 1.0
    np.reciprocal(x, out=x)
    x *= p["rate_max"]
    return x


def start(n, rng):
    """Subjects with different controllability estimates and mPFC weights."""
    return dict(
        c=rng.uniform(-0.2, 0.6, n),
        w=rng.uniform(0.0, 1.0, n),
        d=np.zeros(n),
        h=np.zeros(n),
        s=np.ones(n),
        fear=np.zeros(n),
    )


def check(p, ticks=500, n=8):
    """The vectorized kernel equals the scalar one to 1e-12 (relative)."""
    k = start(n, np.random.default_rng(1))
    ref = [{name: float(col[i]) for name, col in k.items()} for i in range(n)]
    scratch = {name: np.empty(n) for name in ("m", "d_inf", "h1", "h_mean", "x")}
    for _ in range(ticks):
        rates = tick_vector(k, p, 1.0, DT, scratch)
        expected = [tick_scalar(r, p, 1.0, DT) for r in ref]
        assert np.allclose(rates, expected, rtol=1e-12, atol=0.0)
    for name in k:
        assert np.allclose(k[name], [r[name] for r in ref], rtol=1e-12, atol=1e-300), name


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=2000)
    parser.add_argument("--subjects", type=int, nargs="+", default=[1000, 10_000, 100_000])
    args = parser.parse_args()
    p = kernel_params(DT)
    check(p)
    print(f"numpy {np.__version__}: vectorized kernel equals the scalar reference (1e-12)")
    for n in args.subjects:
        k = start(n, np.random.default_rng(2))
        scratch = {name: np.empty(n) for name in ("m", "d_inf", "h1", "h_mean", "x")}
        best = math.inf
        for _ in range(3):
            started = time.perf_counter()
            total = 0.0
            for _ in range(args.ticks):
                total += float(tick_vector(k, p, 1.0, DT, scratch)[0])
            best = min(best, time.perf_counter() - started)
        print(f"{n:>8} subjects: {1e9 * best / (n * args.ticks):6.1f} ns per subject-tick "
              f"({1e6 * best / args.ticks:7.1f} us per lockstep tick)")


if __name__ == "__main__":
    main()
