//! `helplessness`: run learned-helplessness experiments from the command line.

use std::fs;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use helplessness::{CsvSink, Experiment, RunOptions, Sink, TrialRecord, analysis, protocol};

#[derive(Parser)]
#[command(
    name = "helplessness",
    version,
    about = "Simulate learned helplessness experiments"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the bundled protocols.
    List,
    /// Run a bundled protocol and write records.csv into the output directory.
    Run {
        /// Name of a bundled protocol (see `list`).
        protocol: String,
        /// Subjects per group.
        #[arg(long, default_value_t = protocol::DEFAULT_SUBJECTS)]
        subjects: u32,
        /// Seed of every random stream.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output directory.
        #[arg(long, default_value = "runs/latest")]
        out: PathBuf,
        /// Worker threads (default: all cores). Output is identical for any number.
        #[arg(long)]
        threads: Option<usize>,
    },
}

fn main() -> ExitCode {
    match real_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn real_main() -> Result<()> {
    match Cli::parse().command {
        Command::List => {
            for (name, what, source) in protocol::BUNDLED {
                println!("{name:<14} {what} ({source})");
            }
            Ok(())
        }
        Command::Run {
            protocol: name,
            subjects,
            seed,
            out,
            threads,
        } => {
            let exp = protocol::bundled(&name, subjects)?;
            exp.validate()?;
            run(&exp, seed, &out, threads)
        }
    }
}

/// Writes CSV and keeps the scored phase's records for the closing summary.
struct Tee<'a, W: std::io::Write> {
    csv: CsvSink<W>,
    phase: Option<&'a str>,
    kept: Vec<TrialRecord>,
}

impl<W: std::io::Write> Sink for Tee<'_, W> {
    fn write(&mut self, r: &TrialRecord) -> Result<(), helplessness::Error> {
        if self.phase == Some(&*r.phase) {
            self.kept.push(r.clone());
        }
        self.csv.write(r)
    }
    fn finish(&mut self) -> Result<(), helplessness::Error> {
        self.csv.finish()
    }
}

/// Runs `exp` and writes `records.csv` into `out`, via a temporary file renamed when
/// complete, so an interrupted run never leaves a truncated file that looks finished.
fn run(exp: &Experiment, seed: u64, out: &Path, threads: Option<usize>) -> Result<()> {
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let final_path = out.join("records.csv");
    let tmp_path = out.join(".records.csv.partial");
    let file =
        fs::File::create(&tmp_path).with_context(|| format!("creating {}", tmp_path.display()))?;
    let phase = exp.criterion.as_ref().map(|c| c.phase.as_str());
    let mut sink = Tee {
        csv: CsvSink::new(BufWriter::new(file))?,
        phase,
        kept: Vec::new(),
    };
    let options = RunOptions {
        threads,
        ..RunOptions::default()
    };
    let started = std::time::Instant::now();
    if let Err(e) = exp.run_with(seed, &exp.factory()?, &options, &mut sink) {
        let _ = fs::remove_file(&tmp_path);
        return Err(e.into());
    }
    sink.csv.into_inner()?;
    fs::rename(&tmp_path, &final_path)
        .with_context(|| format!("renaming to {}", final_path.display()))?;
    eprintln!(
        "{}: {} subjects per group, seed {seed}, {:.1} s -> {}",
        exp.name,
        exp.groups.first().map_or(0, |g| g.subjects),
        started.elapsed().as_secs_f64(),
        final_path.display()
    );
    if let Some(phase) = phase {
        println!(
            "{:<14} {:>5} {:>14} {:>9} {:>9}",
            "group", "n", "mean latency s", "SEM", "failing"
        );
        for s in analysis::summarize(exp, &sink.kept, phase) {
            println!(
                "{:<14} {:>5} {:>14.2} {:>9.2} {:>9}",
                s.group, s.n, s.mean_latency_s, s.sem_latency_s, s.failing
            );
        }
    }
    Ok(())
}
