//! Writes docs/THEORIES.md: every bundled experiment that tests a published target, run
//! under each theory of the subject and judged by the same criteria:
//! `cargo run --release --example theories > docs/THEORIES.md`.

fn main() -> Result<(), helplessness::Error> {
    let (n, seed) = (
        helplessness::targets::THEORIES_N,
        helplessness::targets::THEORIES_SEED,
    );
    print!("{}", helplessness::targets::theories_markdown(n, seed)?);
    Ok(())
}
