//! `analyze` and `plot`: a finished run's statistics, figures and report, redone
//! from its checked records.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::Path;

use anyhow::{Context, Result, bail};
use helplessness::analysis::{self, RunStats, Summary};
use helplessness::plot::FigureOptions;
use helplessness::protocol::ProtocolFile;
use helplessness::record::{Kept, Manifest, RecordCheck};
use helplessness::{Error, Experiment, Sink};
use xxhash_rust::xxh3::Xxh3;

use super::run::{Hashing, hex, protocol_fingerprint};
use super::{DirLock, scored_phases};

/// What a (re-)analysis writes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Rewrite {
    /// summary.csv: only from records of every phase (a run's own summary otherwise
    /// holds phases the records cannot rebuild).
    pub summary_csv: bool,
    /// stats.json.
    pub stats: bool,
    /// Figures: none, all, or all but the traces over every phase.
    pub figures: Figures,
}

/// Which figures to draw.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Figures {
    None,
    All,
    /// The records hold only the scored phases: the run's traces figure is kept.
    AllButTraces,
}

/// Writes summary.csv, stats.json, the figures and report.md for a finished run, as
/// `what` says.
pub fn write_analysis(
    out: &Path,
    exp: &Experiment,
    file: &ProtocolFile,
    summary: &Summary,
    seed: u64,
    what: Rewrite,
    look: &FigureOptions,
) -> Result<()> {
    if what.summary_csv {
        // Streamed: a summary of a million trials is never held as text.
        helplessness::atomic::write_with(&out.join("summary.csv"), |tmp| {
            summary
                .write_csv(BufWriter::new(File::create(tmp)?))
                .map_err(std::io::Error::other)?
                .into_inner()
                .map_err(|e| e.into_error())?
                .sync_all()
        })?;
    }
    let stats = RunStats::compute(exp, summary, seed);
    if what.stats {
        helplessness::atomic::write(&out.join("stats.json"), stats.to_json()?.as_bytes())?;
    }
    let figures = match what.figures {
        Figures::None => Vec::new(),
        which => {
            let dir = out.join("figures");
            let mut drawn = helplessness::plot::write_run_figures_with(
                &dir,
                exp,
                summary,
                |stem| which == Figures::All || stem != "traces",
                look,
            )?;
            if look.phase.is_some() {
                // One phase's figures redrawn: the report keeps listing them all.
                return Ok(());
            }
            if which == Figures::AllButTraces && dir.join("traces.png").exists() {
                drawn.insert(
                    3.min(drawn.len()),
                    (
                        helplessness::plot::TRACES_CAPTION.to_string(),
                        "traces.png".to_string(),
                    ),
                );
            }
            drawn
                .into_iter()
                .map(|(caption, file)| (caption, format!("figures/{file}")))
                .collect()
        }
    };
    let report = analysis::markdown(
        exp,
        &file.description,
        &file.source,
        seed,
        &stats.phases,
        &figures,
    );
    Ok(helplessness::atomic::write(
        &out.join("report.md"),
        report.as_bytes(),
    )?)
}

/// Reads back a finished run's records, checked against its manifest: the protocol
/// as run (unchanged since, by its checksum), every expected record exactly once and
/// in range, and the file's checksum. Returns the experiment, the protocol file, the
/// seed, the summary and whether the records hold every phase.
fn read_run(out: &Path) -> Result<(helplessness::protocol::Loaded, u64, Summary, bool)> {
    let manifest_path = out.join("manifest.json");
    let text = fs::read_to_string(&manifest_path)
        .with_context(|| format!("{}: not a finished run", manifest_path.display()))?;
    let origin = manifest_path.display().to_string();
    let manifest = Manifest::parse(&text, &origin)?;
    let loaded = helplessness::protocol::load(&text, &origin)?;
    if let Some(expected) = &manifest.protocol_xxh3
        && *expected != protocol_fingerprint(&loaded.file)?
    {
        bail!(
            "{origin}: the protocol was edited after the run (its checksum \
             `protocol_xxh3` differs); re-run it with `helplessness run {origin}` instead"
        );
    }
    let seed = manifest.seed;
    let exp = &loaded.experiment;
    let kept = match manifest.records_kept {
        Kept::All => None,
        Kept::Test => Some(scored_phases(exp)),
        Kept::None => bail!(
            "{}: the run kept no records (--records none); its summaries are all there is",
            out.display()
        ),
    };
    let format = manifest.format;
    let path = out.join(format.file_name());
    let handle = File::open(&path).with_context(|| format!("{}: cannot read", path.display()))?;
    let mut reader = Hashing {
        inner: std::io::BufReader::new(handle),
        hasher: Xxh3::new(),
    };
    let mut summary = Summary::new(exp);
    let mut check = RecordCheck::new(exp, kept.as_deref());
    let named = |e: Error| -> anyhow::Error {
        match e {
            Error::Protocol {
                line,
                column,
                message,
                ..
            } => Error::Protocol {
                file: path.display().to_string(),
                line,
                column,
                message,
            }
            .into(),
            other => anyhow::Error::from(other).context(path.display().to_string()),
        }
    };
    helplessness::record::read_records(&mut reader, format, exp.theory.variables(), |r| {
        check.check(&r)?;
        summary.write(&r)
    })
    .map_err(named)?;
    check.finish().map_err(named)?;
    if let Some(expected) = &manifest.records_xxh3
        && hex(reader.hasher.digest128()) != *expected
    {
        bail!(
            "{}: differs from the file the run wrote (checksum `records_xxh3` in \
             manifest.json): edited or damaged",
            path.display()
        );
    }
    Ok((loaded, seed, summary, kept.is_none()))
}

/// What `analyze` and `plot` redo.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Redo {
    /// summary.csv (when the records hold every phase), stats.json and report.md, and
    /// the figures when the run has them.
    Analysis,
    /// The figures and report.md only.
    Figures,
}

/// Redoes a finished run's analysis or figures from its checked records and manifest,
/// without simulating.
pub fn redo(out: &Path, what: Redo, look: &FigureOptions) -> Result<()> {
    let _lock = DirLock::take(out, false)?;
    let (loaded, seed, summary, complete) = read_run(out)?;
    let plots = what == Redo::Figures || out.join("figures").exists();
    let rewrite = Rewrite {
        summary_csv: what == Redo::Analysis && complete,
        stats: what == Redo::Analysis,
        figures: figures_for(plots, complete),
    };
    write_analysis(
        out,
        &loaded.experiment,
        &loaded.file,
        &summary,
        seed,
        rewrite,
        look,
    )?;
    let mut written: Vec<&str> = Vec::new();
    if rewrite.summary_csv {
        written.push("summary.csv");
    }
    if rewrite.stats {
        written.push("stats.json");
    }
    if look.phase.is_none() {
        written.push("report.md");
    }
    if plots {
        written.push("figures/");
    }
    eprintln!(
        "{}: {} rewritten from the records{}",
        out.display(),
        written.join(", "),
        if complete {
            ""
        } else {
            " (of the scored phases only: summary.csv and the traces figure are the run's own)"
        }
    );
    Ok(())
}

pub(super) fn figures_for(plots: bool, complete: bool) -> Figures {
    match (plots, complete) {
        (false, _) => Figures::None,
        (true, true) => Figures::All,
        (true, false) => Figures::AllButTraces,
    }
}
