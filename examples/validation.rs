//! Reproduces the numbers of docs/VALIDATION.md: the triad (Seligman & Maier 1967,
//! J Exp Psychol 74:1-9; Amat et al. 2005, Nat Neurosci 8:365), the contingency space
//! (Maier & Seligman 1976), people (Hiroto & Seligman 1975), DRN 5-HT and every
//! follow-up protocol: `cargo run --release --example validation`.

use helplessness::analysis::{self, GroupSummary, cohens_d};
use helplessness::{Experiment, protocol};
use statrs::stats_tests::Alternative;

const N: u32 = 1000;
const SEED: u64 = 7;

fn mwu_greater(x: &[f64], y: &[f64]) -> f64 {
    analysis::mann_whitney_greater(x, y)
}

/// A p-value for printing: underflow shown as a bound.
fn pv(p: f64) -> String {
    if p < 1e-300 {
        "< 1e-300".into()
    } else {
        format!("{p:.1e}")
    }
}

fn fisher(a: &GroupSummary, b: &GroupSummary, alt: Alternative) -> f64 {
    analysis::fisher_failures(a, b, alt)
}

fn row(s: &GroupSummary) -> String {
    format!(
        "{} {:.2} ± {:.2} s, {}/{} failing ({:.1} %)",
        s.group,
        s.mean_latency_s,
        s.sem_latency_s,
        s.failing,
        s.n,
        100.0 * s.failing as f64 / s.n as f64
    )
}

fn main() -> Result<(), helplessness::Error> {
    for exp in [protocol::triadic_rat(N), protocol::triadic_dog(N)] {
        let records = exp.run(SEED)?;
        let s = analysis::summarize(&exp, &records, "test");
        println!("{} (n = {N} per group, seed {SEED})", exp.name);
        for g in &s {
            println!("  {}", row(g));
        }
        let (es, is, ns) = (&s[0], &s[1], &s[2]);
        for other in [es, ns] {
            println!(
                "  IS vs {}: Mann-Whitney U one-sided p {}, Cohen's d = {:.2}; Fisher p {}",
                other.group,
                pv(mwu_greater(&is.subject_means, &other.subject_means)),
                cohens_d(&is.subject_means, &other.subject_means),
                pv(fisher(is, other, Alternative::Greater))
            );
        }
        println!(
            "  ES vs no-shock: difference {:.3} s (Cohen's d = {:.3}); Fisher two-sided p = {:.2}",
            es.mean_latency_s - ns.mean_latency_s,
            cohens_d(&es.subject_means, &ns.subject_means),
            fisher(es, ns, Alternative::TwoSided)
        );
        let pre = |g: &str| -> Vec<f64> {
            records
                .iter()
                .filter(|r| &*r.group == g && &*r.phase == "pretreatment")
                .map(|r| r.shock_s)
                .collect()
        };
        let (a, b) = (pre("escapable"), pre("inescapable"));
        println!(
            "  pretreatment shock per subject: escapable {:.1} s, inescapable {:.1} s, identical trial by trial: {}",
            a.iter().sum::<f64>() / f64::from(N),
            b.iter().sum::<f64>() / f64::from(N),
            a == b
        );
        contingency(&exp)?;
        println!();
    }
    matched_contingency_space()?;
    human()?;
    drn()?;
    for name in [
        "immunization-rat",
        "time-course-rat",
        "mpfc-inactivation-rat",
        "mpfc-activation-rat",
        "plasticity-block-rat",
        "benzodiazepine-rat",
        "antidepressant-rat",
        "forced-exposure-dog",
        "hiroto-seligman-1975",
        "hiroto-1974",
        "klein-1976",
    ] {
        follow_up(name)?;
    }
    Ok(())
}

/// DRN (Maswood et al. 1998; Amat et al. 1998): 5-HT in projection regions during the
/// stress, and its answer to two brief shocks 24 h later.
fn drn() -> Result<(), helplessness::Error> {
    let exp = protocol::triadic_rat(N);
    let records = exp.run(SEED)?;
    let mean_h = |group: &str, phase: &str, trial: u32| -> f64 {
        let v: Vec<f64> = records
            .iter()
            .filter(|r| &*r.group == group && &*r.phase == phase && r.trial == trial)
            .map(|r| r.state.get("h").unwrap())
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    println!(
        "\nDRN (triadic-rat, n = {N}, seed {SEED}): 5-HT h at pretreatment trials 5 / 25 / 80"
    );
    for g in ["escapable", "inescapable"] {
        println!(
            "  {g}: {:.2} / {:.2} / {:.2}",
            mean_h(g, "pretreatment", 5),
            mean_h(g, "pretreatment", 25),
            mean_h(g, "pretreatment", 80)
        );
    }
    let mut probe = exp.clone();
    probe.phases[1].schedule.blocks = vec![helplessness::Block::new(2, 1.0)];
    probe.phases[1].contingency = helplessness::Contingency::Fixed { duration_s: 1.0 };
    probe.criterion = None;
    let records = probe.run(SEED)?;
    print!("  24 h later, 5-HT after two 1 s, 1 mA shocks:");
    for g in ["escapable", "inescapable", "no-shock"] {
        let v: Vec<f64> = records
            .iter()
            .filter(|r| &*r.group == g && &*r.phase == "test" && r.trial == 2)
            .map(|r| r.state.get("h").unwrap())
            .collect();
        print!(" {g} {:.3}", v.iter().sum::<f64>() / v.len() as f64);
    }
    println!();
    Ok(())
}

/// The follow-ups (each protocol's header names its papers): every scored phase of a
/// follow-up protocol, per group: latency, failing subjects and freezing.
fn follow_up(name: &str) -> Result<(), helplessness::Error> {
    let exp = protocol::bundled(name)?.experiment.with_subjects(N);
    let mut summary = analysis::Summary::new(&exp);
    let mut sink = helplessness::VecSink::default();
    exp.runner(SEED).into_sink(&mut sink)?;
    for r in &sink.records {
        helplessness::Sink::write(&mut summary, r)?;
    }
    println!("\n{name} (n = {N} per group, seed {SEED})");
    let criterion = exp.criterion.as_ref();
    for phase in &exp.phases {
        if !criterion.is_some_and(|c| c.applies_to(&phase.name)) {
            continue;
        }
        println!("  {}:", phase.name);
        for g in summary.groups(&phase.name).iter().filter(|g| g.n > 0) {
            println!("    {}; freezing {:.2}", row(g), g.mean_freezing);
        }
    }
    Ok(())
}

/// The contingency space with matched shock (Maier & Seligman 1976): the bundled
/// contingency-space protocol.
fn matched_contingency_space() -> Result<(), helplessness::Error> {
    let exp = protocol::bundled("contingency-space")?
        .experiment
        .with_subjects(N);
    let records = exp.run(SEED)?;
    println!("contingency-space (n = {N} per group, seed {SEED}), matched shock:");
    for g in analysis::summarize(&exp, &records, "test") {
        let shock: f64 = records
            .iter()
            .filter(|r| *r.group == *g.group && &*r.phase == "pretreatment")
            .map(|r| r.shock_s)
            .sum();
        println!(
            "    {}; pretreatment shock {:.1} s per subject",
            row(&g),
            shock / f64::from(N)
        );
    }
    println!();
    Ok(())
}

/// People, in part (Hiroto & Seligman 1975): inescapable noise impairs later escape.
fn human() -> Result<(), helplessness::Error> {
    let exp = protocol::bundled("triadic-human")?
        .experiment
        .with_subjects(N);
    let records = exp.run(SEED)?;
    let s = analysis::summarize(&exp, &records, "test");
    println!("triadic-human (n = {N} per group, seed {SEED})");
    for g in &s {
        println!("  {}", row(g));
    }
    for other in [&s[0], &s[2]] {
        println!(
            "  IS vs {}: Mann-Whitney U one-sided p {}, Cohen's d = {:.2}; Fisher p {}",
            other.group,
            pv(mwu_greater(&s[1].subject_means, &other.subject_means)),
            cohens_d(&s[1].subject_means, &other.subject_means),
            pv(fisher(&s[1], other, Alternative::Greater))
        );
    }
    Ok(())
}

/// Partial contingency (Maier & Seligman 1976): one group per partial contingency p.
fn contingency(base: &Experiment) -> Result<(), helplessness::Error> {
    let exp = protocol::partial_groups(base, "pretreatment", &[0.0, 0.25, 0.5, 0.75, 1.0]);
    let records = exp.run(SEED)?;
    println!("  partial contingency:");
    for g in analysis::summarize(&exp, &records, "test") {
        println!("    {}", row(&g));
    }
    Ok(())
}
