//! Engine benchmarks: one test trial, one subject through triadic-rat, the whole
//! triadic-rat at 1,000 subjects per group (with and without writing every record), the
//! summary statistics over 1,000,000 records, the engine's cost per tick against the
//! bare state-update kernel (alone, two side by side, and four subjects in turn, side
//! by side or in vector lanes with the same exponential), several subjects' windows
//! stepped in turn or interleaved, and validation of protocols with many groups.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use helplessness::analysis::Summary;
use helplessness::{
    Apparatus, Block, CircuitParams, Contingency, CsvSink, Experiment, Group, Iti, Phase,
    Requirement, RunOptions, Schedule, Sink, TrialRecord, VecSink, protocol,
};

fn one_thread() -> RunOptions {
    RunOptions {
        threads: Some(1),
        ..RunOptions::default()
    }
}

/// A single 0.6 mA FR-2 shuttle-box trial for one naive rat.
fn one_trial() -> Experiment {
    Experiment::new("one-trial", helplessness::CircuitParams::rat())
        .group(Group::new("rat", 1))
        .phase(Phase::new(
            "test",
            Apparatus::ShuttleBox,
            Schedule::new(
                vec![Block::new(1, 0.6).with_ratio(2)],
                Iti::Fixed { s: 60.0 },
                30.0,
            ),
            Contingency::escapable(Requirement::FixedRatio { ratio: 2 }),
        ))
}

fn engine(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine");
    // One escapable rat alone through triadic-rat (80 wheel-turn trials, then 27
    // shuttle-box trials 24 h later) needs no partner; a yoke set is an escapable rat,
    // its yoked partner and a home-cage rat.
    let mut alone = protocol::triadic_rat(1);
    alone.groups.retain(|g| g.name == "escapable");
    let small = [
        ("one test trial", one_trial()),
        ("one escapable rat through triadic-rat", alone),
        (
            "one triadic-rat yoke set (3 subjects)",
            protocol::triadic_rat(1),
        ),
    ];
    for (name, exp) in &small {
        let factory = exp.factory().unwrap();
        g.bench_function(*name, |b| {
            b.iter(|| {
                let mut sink = VecSink::default();
                exp.runner(1)
                    .minds(&factory)
                    .options(&one_thread())
                    .into_sink(&mut sink)
                    .unwrap();
                sink.records.len()
            })
        });
    }
    g.sample_size(10);
    let big = protocol::triadic_rat(1000);
    let factory = big.factory().unwrap();
    for threads in [1, 2] {
        let options = RunOptions {
            threads: Some(threads),
            ..RunOptions::default()
        };
        g.bench_function(
            format!("triadic-rat 1000 per group, {threads} thread(s)"),
            |b| {
                b.iter(|| {
                    let mut summary = Summary::new(&big);
                    big.runner(7)
                        .minds(&factory)
                        .options(&options)
                        .into_sink(&mut summary)
                        .unwrap();
                })
            },
        );
    }
    // The cost of output: the same run with every record also written as CSV (to a
    // writer that discards the bytes, so the disk's speed does not enter), on all cores
    // like the run it is compared with.
    let two = RunOptions {
        threads: Some(2),
        ..RunOptions::default()
    };
    g.bench_function(
        "triadic-rat 1000 per group, 2 threads, summary + CSV of all records",
        |b| {
            b.iter(|| {
                let mut both = Both(Summary::new(&big), CsvSink::new(std::io::sink()).unwrap());
                big.runner(7)
                    .minds(&factory)
                    .options(&two)
                    .into_sink(&mut both)
                    .unwrap();
            })
        },
    );
    g.finish();
}

/// Two sinks fed the same records.
struct Both<A, B>(A, B);

impl<A: Sink, B: Sink> Sink for Both<A, B> {
    fn start(
        &mut self,
        variables: &'static [helplessness::Variable],
    ) -> Result<(), helplessness::Error> {
        self.0.start(variables)?;
        self.1.start(variables)
    }
    fn write(&mut self, r: &TrialRecord) -> Result<(), helplessness::Error> {
        self.0.write(r)?;
        self.1.write(r)
    }
    fn finish(&mut self) -> Result<(), helplessness::Error> {
        self.0.finish()?;
        self.1.finish()
    }
}

/// Ticks in the per-tick benchmarks: a 3,600 s shock at dt = 0.1 s.
const TICKS: usize = 36_000;

/// The bare kernel: the tick model's per-tick arithmetic on plain numbers (DRN, 5-HT,
/// sensitization and fear updates, the mPFC and response-rate sigmoids), with none of
/// the engine's bookkeeping: no detector windows, drugs, caches, hazard draws, responses
/// or records.
#[derive(Clone, Copy)]
struct Kernel {
    c: f64,
    d: f64,
    h: f64,
    s: f64,
    w: f64,
    fear: f64,
}

impl Kernel {
    /// A naive subject: no estimate, 5-HT, sensitization, drive or fear yet.
    const NAIVE: Kernel = Kernel {
        c: 0.0,
        d: 0.0,
        h: 0.0,
        s: 1.0,
        w: 0.0,
        fear: 0.0,
    };
}

/// Constants of [`Kernel`], from the rat preset.
struct KernelParams {
    gain: f64,
    threshold: f64,
    inhibition: f64,
    decay_d: f64,
    decay_h: f64,
    decay_s: f64,
    h_from_target: f64,
    h_from_gap: f64,
    sensitization_scale: f64,
    sensitization_threshold: f64,
    s_max: f64,
    fear_rate: f64,
    fear_base: f64,
    rate_max: f64,
    shock_drive: f64,
    control_drive: f64,
    suppression: f64,
}

impl KernelParams {
    fn rat(dt: f64) -> Self {
        let p = CircuitParams::rat();
        let v = |n: &str| p.get(n).unwrap();
        let (tau_d, tau_h) = (v("drn_tau_s"), v("serotonin_tau_s"));
        let (decay_d, decay_h) = ((-dt / tau_d).exp(), (-dt / tau_h).exp());
        KernelParams {
            gain: v("mpfc_gain"),
            threshold: v("mpfc_threshold"),
            inhibition: v("mpfc_inhibition"),
            decay_d,
            decay_h,
            decay_s: (-dt / v("sensitization_tau_s")).exp(),
            h_from_target: v("serotonin_rate") * tau_h * (1.0 - decay_h),
            h_from_gap: v("serotonin_rate") * (decay_h - decay_d) / (1.0 / tau_d - 1.0 / tau_h),
            sensitization_scale: v("sensitization_rate") / (v("sensitization_max") - 1.0),
            sensitization_threshold: v("sensitization_threshold"),
            s_max: v("sensitization_max"),
            fear_rate: v("fear_rate"),
            fear_base: v("fear_base"),
            rate_max: v("escape_rate_max"),
            shock_drive: v("shock_drive"),
            control_drive: v("control_drive"),
            suppression: v("serotonin_suppression"),
        }
    }
}

/// One tick under input `u`; returns the response rate.
fn kernel_tick(k: &mut Kernel, p: &KernelParams, u: f64, dt: f64) -> f64 {
    kernel_tick_with(k, p, u, dt, f64::exp)
}

/// [`kernel_tick`] with the exponential `exp`.
#[inline]
fn kernel_tick_with(
    k: &mut Kernel,
    p: &KernelParams,
    u: f64,
    dt: f64,
    exp: impl Fn(f64) -> f64,
) -> f64 {
    let sigmoid = |x: f64| 1.0 / (1.0 + exp(-x));
    let m = sigmoid(p.gain * (k.c - p.threshold) + k.w * u);
    let d_inf = u * (k.s - p.inhibition * m).max(0.0);
    let h1 = k.h * p.decay_h + p.h_from_target * d_inf + p.h_from_gap * (k.d - d_inf);
    let h_mean = 0.5 * (k.h + h1);
    let growth = p.sensitization_scale * (h_mean - p.sensitization_threshold).max(0.0);
    let mut s1 = k.s;
    if growth > 0.0 {
        s1 = p.s_max - (p.s_max - s1) * exp(-growth * dt);
    }
    k.s = 1.0 + (s1 - 1.0) * p.decay_s;
    k.d = d_inf + (k.d - d_inf) * p.decay_d;
    k.h = h1;
    k.fear = 1.0 - (1.0 - k.fear) * exp(-p.fear_rate * u * (p.fear_base + h_mean) * dt);
    let drive = p.shock_drive * u + p.control_drive * k.c - p.suppression * k.h;
    p.rate_max * sigmoid(drive)
}

/// Subjects the lane kernel steps at once: four doubles, two SSE2 registers in the
/// default x86-64 build, one AVX2 register in a build for a CPU that has it.
const LANES: usize = 4;

/// An exponential written as the crate's is (2^(j/64) from a table, e^r − 1 summed to
/// r⁵/120), one argument or a lane of them, for timing lanes against one subject at a
/// time with the same arithmetic (the crate's own is private). Its table holds
/// `exp2`'s doubles and no correction terms: a few bits less accurate, as fast.
struct TableExp {
    table: [(f64, f64); 64],
}

impl TableExp {
    const ROUND: f64 = 6_755_399_441_055_744.0;
    const INV_LN2_64: f64 = 92.332_482_616_893_66;
    const LN2_64_HEAD: f64 = 0.010_830_424_696_223_417;
    const LN2_64_TAIL: f64 = 2.572_804_622_327_669e-14;

    fn new() -> Self {
        TableExp {
            table: std::array::from_fn(|j| ((j as f64 / 64.0).exp2(), 0.0)),
        }
    }

    #[inline]
    fn one(&self, x: f64) -> f64 {
        if x > -706.0 && x < 708.0 {
            self.in_range(x)
        } else {
            x.exp()
        }
    }

    /// [`Self::one`] lane by lane: with every argument in range, the same operations
    /// on each lane, which the compiler puts in vector registers (the table read lane
    /// by lane).
    #[inline]
    fn lanes(&self, x: [f64; LANES]) -> [f64; LANES] {
        if x.iter().all(|&v| v > -706.0 && v < 708.0) {
            x.map(|v| self.in_range(v))
        } else {
            x.map(|v| self.one(v))
        }
    }

    /// e^x for −706 < x < 708.
    #[inline(always)]
    fn in_range(&self, x: f64) -> f64 {
        let shifted = x * Self::INV_LN2_64 + Self::ROUND;
        let kf = shifted - Self::ROUND;
        let k = shifted.to_bits().cast_signed() - Self::ROUND.to_bits().cast_signed();
        let r = (x - kf * Self::LN2_64_HEAD) - kf * Self::LN2_64_TAIL;
        let poly = r + r * r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0))));
        let scale = f64::from_bits(((k >> 6) + 1023).cast_unsigned() << 52);
        let (head, tail) = self.table[(k & 63) as usize];
        let (t, t_tail) = (head * scale, tail * scale);
        t + (t_tail + t * poly)
    }
}

/// [`Kernel`] for [`LANES`] subjects, each variable a lane.
#[derive(Clone, Copy)]
struct KernelLanes {
    c: [f64; LANES],
    d: [f64; LANES],
    h: [f64; LANES],
    s: [f64; LANES],
    w: [f64; LANES],
    fear: [f64; LANES],
}

impl KernelLanes {
    /// Naive subjects but for their estimates `c`.
    fn naive(c: [f64; LANES]) -> Self {
        let k = Kernel::NAIVE;
        KernelLanes {
            c,
            d: [k.d; LANES],
            h: [k.h; LANES],
            s: [k.s; LANES],
            w: [k.w; LANES],
            fear: [k.fear; LANES],
        }
    }

    fn lane(&self, i: usize) -> Kernel {
        Kernel {
            c: self.c[i],
            d: self.d[i],
            h: self.h[i],
            s: self.s[i],
            w: self.w[i],
            fear: self.fear[i],
        }
    }
}

/// A lane of values, lane `i` being `f(i)`.
#[inline(always)]
fn each(f: impl Fn(usize) -> f64) -> [f64; LANES] {
    std::array::from_fn(f)
}

/// [`kernel_tick_with`] for a lane of subjects: the same operations in the same order
/// on every lane (sensitization's growth computed on all and kept where positive);
/// returns their response rates.
#[inline]
fn kernel_tick_lanes(
    k: &mut KernelLanes,
    p: &KernelParams,
    e: &TableExp,
    u: f64,
    dt: f64,
) -> [f64; LANES] {
    let em = e.lanes(each(|i| -(p.gain * (k.c[i] - p.threshold) + k.w[i] * u)));
    let m = each(|i| 1.0 / (1.0 + em[i]));
    let d_inf = each(|i| u * (k.s[i] - p.inhibition * m[i]).max(0.0));
    let h1 = each(|i| {
        k.h[i] * p.decay_h + p.h_from_target * d_inf[i] + p.h_from_gap * (k.d[i] - d_inf[i])
    });
    let h_mean = each(|i| 0.5 * (k.h[i] + h1[i]));
    let growth = each(|i| p.sensitization_scale * (h_mean[i] - p.sensitization_threshold).max(0.0));
    let grown = e.lanes(each(|i| -growth[i] * dt));
    let kept = e.lanes(each(|i| -p.fear_rate * u * (p.fear_base + h_mean[i]) * dt));
    for i in 0..LANES {
        let s1 = if growth[i] > 0.0 {
            p.s_max - (p.s_max - k.s[i]) * grown[i]
        } else {
            k.s[i]
        };
        k.s[i] = 1.0 + (s1 - 1.0) * p.decay_s;
        k.d[i] = d_inf[i] + (k.d[i] - d_inf[i]) * p.decay_d;
        k.h[i] = h1[i];
        k.fear[i] = 1.0 - (1.0 - k.fear[i]) * kept[i];
    }
    let er = e.lanes(each(|i| {
        -(p.shock_drive * u + p.control_drive * k.c[i] - p.suppression * k.h[i])
    }));
    each(|i| p.rate_max * (1.0 / (1.0 + er[i])))
}

/// One rat, one 3,600 s fixed (inescapable) shock: the engine's whole path (response
/// hazard, draws, detector windows, the mind's update) over the time of [`TICKS`]
/// ticks, which the circuit covers a detector window (ten ticks) at a time.
fn long_shock() -> Experiment {
    Experiment::new("long-shock", CircuitParams::rat())
        .group(Group::new("rat", 1))
        .phase(Phase::new(
            "shock",
            Apparatus::WheelTurn,
            Schedule::new(vec![Block::new(1, 1.0)], Iti::Fixed { s: 60.0 }, 3_600.0),
            Contingency::Fixed {
                duration_s: 3_600.0,
            },
        ))
}

fn per_tick(c: &mut Criterion) {
    let mut g = c.benchmark_group("per tick (36,000 ticks)");
    let p = KernelParams::rat(0.1);
    g.bench_function("bare kernel", |b| {
        b.iter(|| {
            let mut k = Kernel::NAIVE;
            let mut total = 0.0;
            for _ in 0..TICKS {
                total += kernel_tick(&mut k, &p, black_box(1.0), black_box(0.1));
            }
            (k.fear, total)
        })
    });
    // Two subjects' ticks in one loop body: their chains of exponentials are independent,
    // so the processor can overlap them; the time per subject-tick says how much of one
    // subject's tick is waiting on its own chain.
    g.bench_function("bare kernel, two subjects side by side (per pair)", |b| {
        b.iter(|| {
            let (mut a, mut z) = (
                Kernel::NAIVE,
                Kernel {
                    c: 0.1,
                    ..Kernel::NAIVE
                },
            );
            let mut total = 0.0;
            for _ in 0..TICKS {
                total += kernel_tick(&mut a, &p, black_box(1.0), black_box(0.1));
                total += kernel_tick(&mut z, &p, black_box(1.0), black_box(0.1));
            }
            (a.fear, z.fear, total)
        })
    });
    // Lanes: four subjects' ticks in vector arithmetic against one subject at a time
    // with the same exponential, after checking that both give the same bits.
    let e = TableExp::new();
    let estimates = [0.0, 0.1, -0.2, 0.3];
    let (mut lanes, mut one_by_one) = (
        KernelLanes::naive(estimates),
        estimates.map(|c| Kernel { c, ..Kernel::NAIVE }),
    );
    for _ in 0..TICKS {
        let rates = kernel_tick_lanes(&mut lanes, &p, &e, 1.0, 0.1);
        for (i, k) in one_by_one.iter_mut().enumerate() {
            let rate = kernel_tick_with(k, &p, 1.0, 0.1, |x| e.one(x));
            assert_eq!(rate.to_bits(), rates[i].to_bits(), "lane {i}");
        }
    }
    let bits = |k: Kernel| [k.c, k.d, k.h, k.s, k.w, k.fear].map(f64::to_bits);
    for (i, k) in one_by_one.into_iter().enumerate() {
        assert_eq!(bits(lanes.lane(i)), bits(k), "lane {i}");
    }
    g.bench_function(
        "bare kernel, table exponential, four subjects in turn",
        |b| {
            b.iter(|| {
                let mut total = 0.0;
                let mut last = Kernel::NAIVE;
                for c in estimates {
                    let mut k = Kernel { c, ..Kernel::NAIVE };
                    for _ in 0..TICKS {
                        total +=
                            kernel_tick_with(&mut k, &p, black_box(1.0), black_box(0.1), |x| {
                                e.one(x)
                            });
                    }
                    last = k;
                }
                (last.fear, total)
            })
        },
    );
    g.bench_function(
        "bare kernel, table exponential, four subjects side by side",
        |b| {
            b.iter(|| {
                let mut total = 0.0;
                let mut ks = estimates.map(|c| Kernel { c, ..Kernel::NAIVE });
                for _ in 0..TICKS {
                    for k in &mut ks {
                        total +=
                            kernel_tick_with(k, &p, black_box(1.0), black_box(0.1), |x| e.one(x));
                    }
                }
                (ks[3].fear, total)
            })
        },
    );
    g.bench_function(
        "bare kernel, table exponential, four subjects in lanes",
        |b| {
            b.iter(|| {
                let mut k = KernelLanes::naive(estimates);
                let mut total = [0.0; LANES];
                for _ in 0..TICKS {
                    let rates = kernel_tick_lanes(&mut k, &p, &e, black_box(1.0), black_box(0.1));
                    for i in 0..LANES {
                        total[i] += rates[i];
                    }
                }
                (k.fear, total)
            })
        },
    );
    let exp = long_shock();
    let factory = exp.factory().unwrap();
    g.bench_function("engine, one subject", |b| {
        b.iter(|| {
            let mut sink = VecSink::default();
            exp.runner(1)
                .minds(&factory)
                .options(&one_thread())
                .into_sink(&mut sink)
                .unwrap();
            sink.records.len()
        })
    });
    g.finish();
}

/// Subjects under a 0.6 mA shock, each with its own stream of Exp(1) draws.
struct Shocked {
    mind: helplessness::CircuitMind,
    clock: helplessness::mind::EpisodeClock,
    hazard_left: f64,
    rng: rand_chacha::ChaCha8Rng,
}

impl Shocked {
    fn new(seed: u64) -> Self {
        use helplessness::mind::{Episode, EpisodeClock, Mind, Session};
        use rand::SeedableRng;
        let mut mind = helplessness::CircuitMind::new(CircuitParams::rat()).unwrap();
        mind.begin_session(&Session::new(0, Apparatus::WheelTurn));
        mind.onset(&Episode::aversive(0.6));
        let mut shocked = Shocked {
            mind,
            clock: EpisodeClock::new(0.1),
            hazard_left: 0.0,
            rng: rand_chacha::ChaCha8Rng::seed_from_u64(seed),
        };
        shocked.draw();
        shocked
    }

    fn draw(&mut self) {
        use rand::RngExt;
        self.hazard_left = -(1.0 - self.rng.random::<f64>()).ln();
    }

    /// To the end of the current detector window (1 s from onset on) or the next
    /// attempt; false once `end` is reached.
    fn window(&mut self, end: f64) -> bool {
        use helplessness::mind::Mind;
        let t = self.clock.t();
        if t >= end {
            return false;
        }
        let until = (t.floor() + 1.0).min(end);
        if self
            .mind
            .run(&mut self.clock, until, &mut self.hazard_left, None)
        {
            self.mind.respond();
            self.draw();
        }
        true
    }
}

/// Whether stepping several subjects' windows interleaved, so that their independent
/// chains of exponentials overlap in the processor, beats stepping each in turn: four
/// subjects through 900 s of shock (3,600 windows).
fn interleaved(c: &mut Criterion) {
    let mut g = c.benchmark_group("four subjects, 900 s of shock each");
    let end = 900.0;
    g.bench_function("each in turn", |b| {
        b.iter_batched(
            || (0..4).map(Shocked::new).collect::<Vec<_>>(),
            |mut subjects| {
                for s in &mut subjects {
                    while s.window(end) {}
                }
                subjects
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("window by window, interleaved", |b| {
        b.iter_batched(
            || (0..4).map(Shocked::new).collect::<Vec<_>>(),
            |mut subjects| {
                let mut going = true;
                while going {
                    going = false;
                    for s in &mut subjects {
                        going |= s.window(end);
                    }
                }
                subjects
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn statistics(c: &mut Criterion) {
    // About 1,000,000 records: 3 groups x 3,086 subjects x 107 triadic-rat trials.
    let exp = protocol::triadic_rat(1);
    let records: Vec<TrialRecord> = exp.run(1).unwrap();
    let scaled = protocol::triadic_rat(3_086);
    let mut g = c.benchmark_group("statistics");
    g.sample_size(10);
    g.bench_function("summary over 1,000,000 records", |b| {
        b.iter_batched(
            || Summary::new(&scaled),
            |mut summary| {
                for subject in 0..3_086u32 {
                    for r in &records {
                        let mut r = r.clone();
                        r.subject = subject;
                        summary.write(&r).unwrap();
                    }
                }
                summary
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

/// `groups` one-trial groups, every tenth yoked to the one before it.
fn wide(groups: usize) -> Experiment {
    let mut exp = one_trial();
    exp.groups.clear();
    for i in 0..groups {
        let mut g = Group::new(&format!("g{i}"), 1);
        if i % 10 == 9 {
            g = g.with(
                "test",
                Contingency::Yoked {
                    to: format!("g{}", i - 1),
                },
            );
        }
        exp.groups.push(g);
    }
    exp
}

/// Validation (names, yoking, limits) of protocols with many groups: linear in groups,
/// so 80,000 groups cost about eight times 10,000.
fn validation(c: &mut Criterion) {
    let mut g = c.benchmark_group("validation");
    g.sample_size(10);
    for groups in [10_000, 80_000] {
        let exp = wide(groups);
        g.bench_function(format!("{groups} groups"), |b| {
            b.iter(|| exp.validate().unwrap())
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    engine,
    statistics,
    per_tick,
    interleaved,
    validation
);
criterion_main!(benches);
