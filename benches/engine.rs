//! Engine benchmarks: one test trial, one subject through triadic-rat, the whole
//! triadic-rat at 1,000 subjects per group (with and without writing every record), the
//! summary statistics over 1,000,000 records, the engine's cost per tick against the
//! bare state-update kernel (alone and two side by side), several subjects' windows
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

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// One tick under input `u`; returns the response rate.
fn kernel_tick(k: &mut Kernel, p: &KernelParams, u: f64, dt: f64) -> f64 {
    let m = sigmoid(p.gain * (k.c - p.threshold) + k.w * u);
    let d_inf = u * (k.s - p.inhibition * m).max(0.0);
    let h1 = k.h * p.decay_h + p.h_from_target * d_inf + p.h_from_gap * (k.d - d_inf);
    let h_mean = 0.5 * (k.h + h1);
    let growth = p.sensitization_scale * (h_mean - p.sensitization_threshold).max(0.0);
    let mut s1 = k.s;
    if growth > 0.0 {
        s1 = p.s_max - (p.s_max - s1) * (-growth * dt).exp();
    }
    k.s = 1.0 + (s1 - 1.0) * p.decay_s;
    k.d = d_inf + (k.d - d_inf) * p.decay_d;
    k.h = h1;
    k.fear = 1.0 - (1.0 - k.fear) * (-p.fear_rate * u * (p.fear_base + h_mean) * dt).exp();
    let drive = p.shock_drive * u + p.control_drive * k.c - p.suppression * k.h;
    p.rate_max * sigmoid(drive)
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
