//! The triadic design in a few lines: escapable, yoked inescapable and no-shock rats,
//! tested 24 h later in a shuttle box.
//!
//! `cargo run --release --example triadic`

use helplessness::{analysis, protocol};

fn main() -> Result<(), helplessness::Error> {
    for exp in [protocol::triadic_rat(200), protocol::triadic_dog(200)] {
        let records = exp.run(7)?;
        let criterion = exp
            .criterion
            .as_ref()
            .expect("bundled protocols score failures");
        println!(
            "{} (seed 7): test phase, failing = at least {} failed trials",
            exp.name, criterion.min_failures
        );
        println!(
            "{:<12} {:>4} {:>15} {:>6} {:>8}",
            "group", "n", "mean latency s", "SEM", "failing"
        );
        for s in analysis::summarize(&exp, &records, &criterion.phase) {
            println!(
                "{:<12} {:>4} {:>15.2} {:>6.2} {:>8}",
                s.group, s.n, s.mean_latency_s, s.sem_latency_s, s.failing
            );
        }
        println!();
    }
    Ok(())
}
