//! docs/THEORIES.md is the comparison the crate generates: regenerated here at the same
//! sample size and seed, it must equal the file, so the table never goes stale.

#[test]
fn the_theories_table_is_current_and_the_circuit_passes_every_target() {
    use helplessness::targets::{self, Finding, THEORIES_N, THEORIES_SEED};
    let circuit = targets::check("circuit", THEORIES_N, THEORIES_SEED).unwrap();
    // Every numbered target of docs/VALIDATION.md (D&G is the arbitration theory's own
    // Go/NoGo result).
    for c in circuit.iter().filter(|c| c.target != "D&G") {
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
