//! `helplessness`: run learned-helplessness experiments from protocol files.

mod output;
mod sweep;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use helplessness::protocol;

#[derive(Parser)]
#[command(
    name = "helplessness",
    version,
    about = "Simulate learned-helplessness experiments from protocol files"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Which records a run writes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Records {
    /// Every trial of every phase.
    All,
    /// Only the scored (test) phases; summaries still cover every phase.
    Test,
    /// None: summary.csv, stats.json, report.md and figures only.
    None,
}

/// The teaching page, as `scripts/build-page` built it.
const TEACHING_PAGE: &str = include_str!("../../../docs/helplessness.html");

#[derive(Subcommand)]
enum Command {
    /// List the bundled protocols.
    List,
    /// List the theories of the subject a protocol can choose (`[mind] theory = ...`):
    /// what each records, its parameters and the interventions it represents.
    Theories,
    /// Print a protocol as a complete, commented TOML file `run` accepts, or a sweep
    /// as resolved (protocol inline, values listed) that `sweep` accepts.
    Show {
        /// A bundled protocol or sweep, or a protocol or sweep file.
        name: String,
    },
    /// Write the teaching page: one HTML file that runs the scenarios in a browser,
    /// offline (the library compiled to WebAssembly, inlined).
    Demo {
        /// Where to write the page.
        #[arg(long, default_value = "helplessness.html")]
        out: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Validate a protocol or a sweep without running it.
    Check {
        /// A protocol or sweep file, a bundled name, or `-` for standard input.
        protocol: String,
    },
    /// Measure throughput: triadic-rat (or, with `--life`, a year of daily life in five
    /// domains) on one thread and on all cores, kept in memory as summaries (no files),
    /// with peak memory.
    Bench {
        /// Subjects per group [default: 1000; with --life, 100000 people].
        #[arg(long)]
        subjects: Option<u32>,
        /// Time the day clock: people living a year of daily opportunities in 5 domains.
        #[arg(long)]
        life: bool,
        /// The theory of the subject: circuit, expectancy or arbitration.
        #[arg(long, default_value = "circuit")]
        theory: String,
    },
    /// Recompute summary.csv, stats.json and report.md of a finished run.
    Analyze {
        /// The run's directory (holding manifest.json and the records).
        dir: PathBuf,
    },
    /// Redraw a finished run's figures and report.md, which shows them (summary.csv and
    /// stats.json are left as they are).
    Plot {
        /// The run's directory (holding manifest.json and the records).
        dir: PathBuf,
        /// Width, layout units (pixels at 96 dpi).
        #[arg(long, default_value_t = 960, value_parser = clap::value_parser!(u32).range(320..=4000))]
        width: u32,
        /// Height, layout units.
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u32).range(200..=4000))]
        height: u32,
        /// Resolution: 192 doubles the pixels, fonts and lines together (48 to 600).
        #[arg(long, default_value_t = 96.0)]
        dpi: f64,
        /// Only this scored phase's figures (report.md is left as it is).
        #[arg(long)]
        phase: Option<String>,
    },
    /// Run a protocol and write records, summary.csv, stats.json, report.md and
    /// manifest.json.
    Run {
        /// A protocol file (TOML, or a run's manifest.json), a bundled name, or `-`.
        protocol: String,
        /// Subjects in every group (overrides the protocol).
        #[arg(long)]
        subjects: Option<u32>,
        /// Seed of every random stream (overrides the protocol).
        #[arg(long)]
        seed: Option<u64>,
        /// Output directory [default: runs/NAME, or runs/NAME-2, -3... if taken].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads, 1 to 1024 [default: all cores]. Output is identical for any
        /// number.
        #[arg(long, value_parser = threads)]
        threads: Option<usize>,
        /// Format of the records: csv (records.csv) or json (records.jsonl, JSON lines).
        #[arg(long, default_value = "csv", value_parser = record_format())]
        format: helplessness::record::Format,
        /// Which records to write (sweeps keep only summaries with `none`).
        #[arg(long, value_enum, default_value_t = Records::All)]
        records: Records,
        /// Replace the outputs of a run already in the output directory.
        #[arg(long)]
        force: bool,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
        /// Skip the figures (report.md then has none).
        #[arg(long)]
        no_plots: bool,
    },
    /// Run a protocol over a grid or a seeded sample of parameter values, several seeds
    /// each: one summary row per point x group x scored phase (sweep.csv).
    Sweep {
        /// A sweep file (TOML) or a bundled sweep's name.
        sweep: String,
        /// Output directory [default: runs/NAME].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Run only shard I of N (points whose number % N == I); `merge` joins the shards.
        #[arg(long, value_name = "I/N", default_value = "0/1")]
        shard: helplessness::sweep::Shard,
        /// Finish the sweep already in the output directory, running only missing points.
        #[arg(long, conflicts_with = "force")]
        resume: bool,
        /// Replace a sweep already in the output directory.
        #[arg(long)]
        force: bool,
        /// Subjects in every group (overrides the sweep file).
        #[arg(long)]
        subjects: Option<u32>,
        /// Seeds per combination (overrides the sweep file).
        #[arg(long)]
        replicates: Option<u32>,
        /// Worker threads within a point, 1 to 1024 [default: all cores]. Output is
        /// identical.
        #[arg(long, value_parser = threads)]
        threads: Option<usize>,
        /// Which records to write, one file per point in records/.
        #[arg(long, value_enum, default_value_t = Records::None)]
        records: Records,
        /// No progress bar and no closing line.
        #[arg(long)]
        quiet: bool,
    },
    /// Join the output directories of a sweep's shards; refuses overlapping or missing
    /// points.
    Merge {
        /// The shards' output directories.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Directory of the merged sweep.
        #[arg(long)]
        out: PathBuf,
        /// Replace a sweep already in the output directory.
        #[arg(long)]
        force: bool,
    },
}

/// Most worker threads a run may ask for: more only costs memory and start-up.
const MAX_THREADS: usize = 1024;

/// `--threads`: a whole number from 1 to [`MAX_THREADS`].
fn threads(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(format!(
            "`{text}` is not a number of threads from 1 to {MAX_THREADS}"
        )),
    }
}

fn main() -> ExitCode {
    match real_main() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn real_main() -> Result<ExitCode> {
    match Cli::parse().command {
        Command::Theories => {
            let mut text = String::new();
            for name in helplessness::Theory::NAMES {
                let theory = helplessness::Theory::named(name, helplessness::Species::Rat)?;
                text.push_str(&theory.info().to_text());
                text.push('\n');
            }
            // A closed pipe (`| head`) ends the listing, not the program with a panic.
            let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
        }
        Command::Demo { out, force } => {
            if out.exists() && !force {
                anyhow::bail!(
                    "{} exists: give another --out, or --force to replace it",
                    out.display()
                );
            }
            helplessness::atomic::write(&out, TEACHING_PAGE.as_bytes())
                .with_context(|| format!("writing {}", out.display()))?;
            eprintln!(
                "{}: the teaching page ({:.1} MB); open it in a browser, no network needed",
                out.display(),
                TEACHING_PAGE.len() as f64 / 1e6
            );
        }
        Command::List => {
            for b in protocol::BUNDLED {
                let file = protocol::bundled(b.name)?.file;
                println!("{:<22} {} ({})", b.name, file.description, file.source);
            }
            for b in protocol::BUNDLED_LIVES {
                let file = protocol::bundled_life(b.name)?.file;
                println!("{:<22} life: {}", b.name, file.description);
            }
            for b in helplessness::sweep::BUNDLED {
                let s = helplessness::sweep::bundled(b.name)?;
                println!("{:<22} sweep: {}", b.name, s.description());
            }
        }
        Command::Show { name } => {
            if let Some(text) = sweep_text(&name)? {
                let spec = sweep::read(&name, &Default::default())?;
                print!("{}{}", protocol::leading_comments(&text), spec.resolved());
            } else {
                let (text, origin) = source(&name)?;
                print!("{}", protocol::show(&text, &origin)?);
            }
        }
        Command::Analyze { dir } => {
            refuse_life_run(&dir)?;
            output::redo(&dir, output::Redo::Analysis, &Default::default())?
        }
        Command::Plot {
            dir,
            width,
            height,
            dpi,
            phase,
        } => {
            let look = helplessness::plot::FigureOptions {
                style: helplessness::plot::Style { width, height, dpi },
                phase,
            };
            look.style.validate()?;
            refuse_life_run(&dir)?;
            output::redo(&dir, output::Redo::Figures, &look)?
        }
        Command::Bench {
            subjects,
            life: true,
            ..
        } => output::bench_life(subjects.unwrap_or(100_000))?,
        Command::Bench {
            subjects, theory, ..
        } => output::bench(subjects.unwrap_or(1000), &theory)?,
        Command::Check { protocol } => {
            if sweep_text(&protocol)?.is_some() {
                check_sweep(&protocol)?;
                return Ok(ExitCode::SUCCESS);
            }
            let (text, origin, is_life) = read_any(&protocol)?;
            if is_life {
                let loaded = load_life(&text, &origin)?;
                let s = &loaded.study;
                let groups: Vec<String> = s
                    .groups
                    .iter()
                    .map(|g| format!("{} ({})", g.name, g.subjects))
                    .collect();
                let mut text = format!(
                    "{origin}: ok: life study `{}`, groups {}; domains {}\n",
                    s.name,
                    groups.join(", "),
                    s.domains().join(", ")
                );
                let mut day = 0;
                for p in &s.groups[0].life.phases {
                    text.push_str(&format!("  day {day:>6}: {} ({} days)\n", p.name, p.days));
                    day += p.days;
                }
                // A closed pipe (`| head`) ends the listing, not the program with a panic.
                let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
                return Ok(ExitCode::SUCCESS);
            }
            let loaded = protocol::load(&text, &origin)?;
            let exp = &loaded.experiment;
            let groups: Vec<String> = exp
                .groups
                .iter()
                .map(|g| format!("{} ({})", g.name, g.subjects))
                .collect();
            println!("{origin}: ok: `{}`, groups {}", exp.name, groups.join(", "));
            print!("{}", timeline(exp));
            if let Some(warning) = size_warning(exp) {
                eprintln!("{warning}");
            }
        }
        Command::Run {
            protocol,
            subjects,
            seed,
            out,
            threads,
            format,
            records,
            force,
            quiet,
            no_plots,
        } => {
            let options = output::Options {
                seed: seed.unwrap_or(0),
                threads,
                format,
                records,
                quiet,
                plots: !no_plots,
                force,
            };
            let (text, origin, is_life) = read_any(&protocol)?;
            if is_life {
                let loaded = load_life(&text, &origin)?.resized(subjects, seed)?;
                let seed = loaded.file.seed;
                let out = match out {
                    Some(dir) => dir,
                    None => output::fresh_dir(Path::new("runs"), &loaded.study.name),
                };
                let options = output::Options { seed, ..options };
                return output::run_life(&loaded.study, &loaded.file, &out, &options);
            }
            let loaded = protocol::load(&text, &origin)?.resized(subjects, seed)?;
            let seed = loaded.file.seed;
            let file = protocol::complete(&loaded, None);
            // A chosen directory is checked for an earlier run once it is locked.
            let out = match out {
                Some(dir) => dir,
                None => output::fresh_dir(Path::new("runs"), &loaded.experiment.name),
            };
            let options = output::Options { seed, ..options };
            return output::run(&loaded.experiment, &file, &out, &options);
        }
        Command::Sweep {
            sweep,
            out,
            shard,
            resume,
            force,
            subjects,
            replicates,
            threads,
            records,
            quiet,
        } => {
            let overrides = helplessness::sweep::Overrides {
                subjects,
                replicates,
            };
            let spec = sweep::read(&sweep, &overrides)?;
            let options = sweep::Options {
                out,
                shard,
                resume,
                force,
                threads,
                records,
                quiet,
            };
            return sweep::run(&spec, &options);
        }
        Command::Merge { dirs, out, force } => sweep::merge(&dirs, &out, force)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// A protocol's text and its name in errors: `-` is standard input, a bundled name wins
/// over a file of the same name only when no such file exists.
fn source(arg: &str) -> Result<(String, String)> {
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the protocol from standard input")?;
        return Ok((text, "-".into()));
    }
    Ok(protocol::source(arg)?)
}

/// A protocol's text, its origin, and whether it is a life study (`[[life]]` phases).
fn read_any(arg: &str) -> Result<(String, String, bool)> {
    let (text, origin) = source(arg)?;
    let life = protocol::is_life_text(&text);
    Ok((text, origin, life))
}

/// `analyze` and `plot` redo laboratory runs; a life run's are written by `run`.
fn refuse_life_run(dir: &Path) -> Result<()> {
    let manifest = dir.join("manifest.json");
    let is_life = std::fs::read_to_string(&manifest)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .is_some_and(|v| v["kind"] == "life");
    if is_life {
        bail!(
            "{}: a life run; its summary, statistics and figures are written by `run` \
             (run {} again to redo them)",
            dir.display(),
            manifest.display()
        );
    }
    Ok(())
}

/// A life study from its text (a life file or a life run's manifest.json).
fn load_life(text: &str, origin: &str) -> Result<protocol::LoadedLife> {
    match protocol::open(text, origin)? {
        protocol::Opened::Life(loaded) => Ok(*loaded),
        protocol::Opened::Lab(_) => bail!("{origin}: a laboratory protocol, not a life study"),
    }
}

/// `--format`: csv (records.csv) or json (records.jsonl, JSON lines), listed in the help.
fn record_format() -> impl clap::builder::TypedValueParser<Value = helplessness::record::Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(helplessness::record::Format::NAMES)
        .map(|s| s.parse().expect("a listed format"))
}

/// The text of `arg` when it names a sweep (a bundled sweep, or a TOML file with an
/// `[[axis]]` or a `[sample]`), else `None`.
fn sweep_text(arg: &str) -> Result<Option<String>> {
    let path = Path::new(arg);
    if path.is_file() {
        let text = std::fs::read_to_string(path).with_context(|| format!("{arg}: cannot read"))?;
        return Ok(helplessness::sweep::is_sweep_text(&text).then_some(text));
    }
    Ok(helplessness::sweep::bundled_text(arg).map(str::to_string))
}

/// `check` of a sweep: its size, axes and the timeline of its protocol.
fn check_sweep(arg: &str) -> Result<()> {
    let spec = sweep::read(arg, &Default::default())?;
    let exp = spec.experiment(0)?;
    println!(
        "{arg}: ok: sweep `{}`, {} combinations x {} replicates = {} points",
        spec.name(),
        spec.combinations(),
        spec.len() / spec.combinations() as u64,
        spec.len()
    );
    for (i, path) in spec.paths().iter().enumerate() {
        let mut values: Vec<String> = (0..spec.combinations())
            .filter_map(|c| spec.values(c).map(|v| v[i].to_string()))
            .collect();
        values.dedup();
        let mut seen = std::collections::BTreeSet::new();
        values.retain(|v| seen.insert(v.clone()));
        let shown = if values.len() > 8 {
            format!(
                "{} ... {} ({} values)",
                values[0],
                values[values.len() - 1],
                values.len()
            )
        } else {
            values.join(", ")
        };
        println!("  axis {path}: {shown}");
    }
    let groups: Vec<String> = exp
        .groups
        .iter()
        .map(|g| format!("{} ({})", g.name, g.subjects))
        .collect();
    println!("protocol `{}`, groups {}", exp.name, groups.join(", "));
    print!("{}", timeline(&exp));
    let mut ticks = 0.0;
    for c in 0..spec.combinations() {
        ticks += spec.experiment(c)?.max_ticks();
    }
    ticks *= (spec.len() / spec.combinations() as u64) as f64;
    if let Some(warning) = size_warning_ticks(ticks) {
        eprintln!("{warning}");
    }
    Ok(())
}

/// The phases in time order, each with its delay and time from the first session.
fn timeline(exp: &helplessness::Experiment) -> String {
    let mut out = String::from("timeline:\n");
    let mut at_h = 0.0;
    for (i, p) in exp.phases.iter().enumerate() {
        at_h += p.after_hours;
        let delay = if i == 0 {
            "start".to_string()
        } else {
            format!("+{} h", p.after_hours)
        };
        out.push_str(&format!(
            "  {delay:>10}  (day {:.2})  {}: {} trials, {}, context {}, cut-off {} s",
            at_h / 24.0,
            p.name,
            p.schedule.trials(),
            p.apparatus.name(),
            p.context_name(),
            p.schedule.cutoff_s
        ));
        let away: Vec<&str> = exp
            .groups
            .iter()
            .filter(|g| !exp.takes_part(g, p))
            .map(|g| g.name.as_str())
            .collect();
        if !away.is_empty() {
            out.push_str(&format!("; home cage: {}", away.join(", ")));
        }
        for g in &exp.groups {
            if let Some(c) = g.context_in(&p.name) {
                out.push_str(&format!("; {} in context {c}", g.name));
            }
        }
        out.push('\n');
    }
    out
}

/// Engine ticks per second of one core, measured on the bundled protocols (whole runs,
/// records included): the basis of `check`'s time estimate.
const TICKS_PER_CORE_S: f64 = 1.0e7;

/// A warning when a protocol could take more than ten minutes.
fn size_warning(exp: &helplessness::Experiment) -> Option<String> {
    size_warning_ticks(exp.max_ticks())
}

/// A warning when `ticks` of shock could take more than ten minutes.
fn size_warning_ticks(ticks: f64) -> Option<String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let seconds = ticks / TICKS_PER_CORE_S / cores;
    (seconds > 600.0).then(|| {
        format!(
            "warning: up to {ticks:.2e} ticks of shock ({:.1} h at most on {cores} cores, \
             less when subjects escape); fewer subjects, trials or a larger dt_s shorten it",
            seconds / 3600.0
        )
    })
}
