//! docs/THEORIES.md is the comparison the crate generates: regenerated here at the same
//! sample size and seed, it must equal the file, so the table never goes stale.

#[test]
fn the_theories_table_is_current_and_the_circuit_passes_every_target() {
    use helplessness::targets::{self, Finding, THEORIES_N, THEORIES_SEED};
    let circuit = targets::check("circuit", THEORIES_N, THEORIES_SEED).unwrap();
    for c in &circuit {
        assert_eq!(
            c.finding,
            Finding::Reproduced,
            "target {} ({})",
            c.target,
            c.protocol
        );
    }
    let generated = targets::theories_markdown(THEORIES_N, THEORIES_SEED).unwrap();
    let file =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/THEORIES.md")).unwrap();
    assert!(
        file == generated,
        "docs/THEORIES.md is stale: run `cargo run --release --example theories > docs/THEORIES.md`"
    );
}
