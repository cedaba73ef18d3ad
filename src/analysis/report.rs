//! Between-group statistics of a phase and the run report a researcher can read on its
//! own: the numbers of `stats.json` and the text of `report.md`.

use std::fmt::Write as _;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use statrs::statistics::Statistics;
use statrs::stats_tests::Alternative;

use super::compare::{
    Described, Welch, anova, anova_described, cohens_d, cohens_d_described, fisher_failures,
    hedges_g, hedges_g_ci, hedges_g_ci_described, hedges_g_described, holm, mann_whitney,
    mann_whitney_binned, welch_t, welch_t_described,
};
use super::{GroupSummary, SUBJECT_BINS, SUBJECTS_KEPT, Summary};
use crate::contingency::Contingency;
use crate::experiment::Experiment;

/// Bootstrap resamples for effect-size intervals.
const RESAMPLES: usize = 2000;

/// Largest pair of groups (subjects in both) whose Hedges' g interval is bootstrapped;
/// larger pairs use the normal-theory interval, which agrees with it there, where the
/// bootstrap would cost resamples x subjects random draws.
pub const BOOTSTRAP_MAX_SUBJECTS: usize = 20_000;

/// One group's descriptive statistics in a phase (over subjects' mean latencies).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupStats {
    /// Group name.
    pub group: String,
    /// Subjects.
    pub n: usize,
    /// Mean of subjects' mean escape latency, s.
    pub mean_latency_s: f64,
    /// Standard deviation across subjects, s.
    pub sd_latency_s: f64,
    /// Standard error of the mean, s.
    pub sem_latency_s: f64,
    /// Median across subjects, s.
    pub median_latency_s: f64,
    /// Subjects meeting the failure criterion.
    pub failing: usize,
    /// failing / n.
    pub fail_rate: f64,
    /// Mean freezing, 0-1.
    pub freezing: f64,
}

/// One pair of groups compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairStats {
    /// First group.
    pub a: String,
    /// Second group.
    pub b: String,
    /// Welch's t-test of a against b (two-sided).
    pub welch: Welch,
    /// Welch p-value after Holm's correction over all pairs of the phase.
    pub welch_p_holm: f64,
    /// Mann-Whitney U of a.
    pub mann_whitney_u: f64,
    /// Two-sided Mann-Whitney p-value.
    pub mann_whitney_p: f64,
    /// Two-sided Fisher exact p-value for failing subjects.
    pub fisher_p: f64,
    /// Cohen's d of a over b.
    pub cohens_d: f64,
    /// Hedges' g of a over b.
    pub hedges_g: f64,
    /// 95 % interval of Hedges' g.
    pub hedges_g_ci: [f64; 2],
    /// How the interval was found: `bootstrap` (percentile, for pairs of up to
    /// 20,000 subjects, `BOOTSTRAP_MAX_SUBJECTS`) or `normal` (Hedges & Olkin, for larger
    /// pairs).
    pub hedges_g_ci_method: &'static str,
}

/// One-way ANOVA across the groups of a phase.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Anova {
    /// F statistic.
    pub f: f64,
    /// Degrees of freedom between groups.
    pub df_between: f64,
    /// Degrees of freedom within groups.
    pub df_within: f64,
    /// p-value; [`P_FLOOR`] stands for any smaller p.
    pub p: f64,
}

/// A run's `stats.json`: every scored phase's statistics, with what produced them.
///
/// ```
/// use helplessness::{analysis::{RunStats, Summary}, protocol};
/// let exp = protocol::triadic_dog(10);
/// let mut summary = Summary::new(&exp);
/// exp.runner(3).into_sink(&mut summary).unwrap();
/// let stats = RunStats::compute(&exp, &summary, 3);
/// assert_eq!(stats.phases[0].phase, "test");
/// assert!(stats.to_json().unwrap().contains("\"p_floor\""));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunStats {
    /// The crate version that computed them.
    pub crate_version: &'static str,
    /// The experiment's name.
    pub protocol: String,
    /// The run's seed (bootstrap intervals draw from it too).
    pub seed: u64,
    /// Every p-value equal to this stands for a smaller one (a bound, not a value).
    pub p_floor: f64,
    /// Per scored phase ([`Experiment::scored_phases`]).
    pub phases: Vec<PhaseStats>,
}

impl RunStats {
    /// The statistics of every scored phase of a run of `exp` with `seed`.
    pub fn compute(exp: &Experiment, summary: &Summary, seed: u64) -> Self {
        RunStats {
            crate_version: env!("CARGO_PKG_VERSION"),
            protocol: exp.name.clone(),
            seed,
            p_floor: P_FLOOR,
            phases: exp
                .scored_phases()
                .into_iter()
                .map(|p| PhaseStats::compute(summary, p, seed))
                .collect(),
        }
    }

    /// `stats.json`'s text: pretty JSON ending in a newline.
    pub fn to_json(&self) -> Result<String, crate::Error> {
        let mut json = serde_json::to_string_pretty(self).map_err(|e| crate::Error::Io {
            path: "stats.json".into(),
            source: std::io::Error::other(e),
        })?;
        json.push('\n');
        Ok(json)
    }
}

/// Everything `stats.json` says about one phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseStats {
    /// Phase.
    pub phase: String,
    /// What is compared.
    pub measure: &'static str,
    /// Per group.
    pub groups: Vec<GroupStats>,
    /// Across groups.
    pub anova: Anova,
    /// Every pair of groups, in protocol order.
    pub pairs: Vec<PairStats>,
}

impl PhaseStats {
    /// Statistics of `phase` from a run's summary. Bootstrap intervals draw from a
    /// ChaCha8 stream seeded with `seed`, so they are reproducible.
    ///
    /// ```
    /// use helplessness::{analysis::{PhaseStats, Summary}, protocol};
    /// let exp = protocol::triadic_dog(20);
    /// let mut summary = Summary::new(&exp);
    /// exp.runner(3).into_sink(&mut summary).unwrap();
    /// let stats = PhaseStats::compute(&summary, "test", 3);
    /// assert_eq!(stats.pairs.len(), 3);
    /// assert!(stats.anova.p < 0.05);
    /// ```
    pub fn compute(summary: &Summary, phase: &str, seed: u64) -> Self {
        let groups: Vec<GroupSummary> = summary.groups_with_subjects(phase);
        // Small groups (every subject kept) are compared on the subjects' own values;
        // larger ones by moments and histograms of subject means (see `Summary`).
        let all_kept = groups.iter().all(GroupSummary::all_kept);
        let described = |g: &GroupSummary| Described {
            n: g.n,
            mean: g.mean_latency_s,
            sd: g.sd_latency_s,
        };
        let describe = |g: &GroupSummary| GroupStats {
            group: g.group.clone(),
            n: g.n,
            mean_latency_s: g.mean_latency_s,
            sd_latency_s: if all_kept {
                Statistics::std_dev(&g.subject_means)
            } else {
                g.sd_latency_s
            },
            sem_latency_s: g.sem_latency_s,
            median_latency_s: g.median_latency_s,
            failing: g.failing,
            fail_rate: g.failing as f64 / g.n as f64,
            freezing: g.mean_freezing,
        };
        let (f, df_between, df_within, p) = if all_kept {
            let samples: Vec<&[f64]> = groups.iter().map(|g| g.subject_means.as_slice()).collect();
            anova(&samples)
        } else {
            anova_described(&groups.iter().map(described).collect::<Vec<_>>())
        };
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_b007_57a7_5000);
        let mut pairs = Vec::new();
        for (i, a) in groups.iter().enumerate() {
            for b in &groups[i + 1..] {
                let (x, y) = (&a.subject_means, &b.subject_means);
                let kept = a.all_kept() && b.all_kept();
                let (welch, (u, p_mw), d, g) = if kept {
                    (
                        welch_t(x, y),
                        mann_whitney(x, y),
                        cohens_d(x, y),
                        hedges_g(x, y),
                    )
                } else {
                    let (da, db) = (described(a), described(b));
                    (
                        welch_t_described(da, db),
                        mann_whitney_binned(&a.subject_histogram, &b.subject_histogram),
                        cohens_d_described(da, db),
                        hedges_g_described(da, db),
                    )
                };
                let ((lo, hi), method) = if kept && x.len() + y.len() <= BOOTSTRAP_MAX_SUBJECTS {
                    (hedges_g_ci(x, y, RESAMPLES, &mut rng), "bootstrap")
                } else {
                    (hedges_g_ci_described(g, a.n, b.n), "normal")
                };
                pairs.push(PairStats {
                    a: a.group.clone(),
                    b: b.group.clone(),
                    welch,
                    welch_p_holm: f64::NAN,
                    mann_whitney_u: u,
                    mann_whitney_p: p_mw,
                    fisher_p: fisher_failures(a, b, Alternative::TwoSided),
                    cohens_d: d,
                    hedges_g: g,
                    hedges_g_ci: [lo, hi],
                    hedges_g_ci_method: method,
                });
            }
        }
        let adjusted = holm(&pairs.iter().map(|p| p.welch.p).collect::<Vec<_>>());
        for (pair, p) in pairs.iter_mut().zip(adjusted) {
            pair.welch_p_holm = floor_p(p);
            pair.welch.p = floor_p(pair.welch.p);
            pair.mann_whitney_p = floor_p(pair.mann_whitney_p);
            pair.fisher_p = floor_p(pair.fisher_p);
        }
        let p = floor_p(p);
        PhaseStats {
            phase: phase.to_string(),
            measure: "each subject's mean escape latency over the phase, s",
            groups: groups.iter().map(describe).collect(),
            anova: Anova {
                f,
                df_between,
                df_within,
                p,
            },
            pairs,
        }
    }
}

/// The smallest p-value `stats.json` writes. Tests of large samples give p-values
/// that a double cannot hold (they underflow to 0); such a p is written as this floor,
/// a bound (p < 1e-300), never as 0.
pub const P_FLOOR: f64 = 1e-300;

/// `p`, or [`P_FLOOR`] when it is smaller (NaN stays NaN: no test).
///
/// ```
/// use helplessness::analysis::{P_FLOOR, floor_p};
/// assert_eq!(floor_p(0.0), P_FLOOR);
/// assert_eq!(floor_p(0.02), 0.02);
/// assert!(floor_p(f64::NAN).is_nan());
/// ```
pub fn floor_p(p: f64) -> f64 {
    if p < P_FLOOR { P_FLOOR } else { p }
}

/// A p-value as a paper prints it.
fn p_text(p: f64) -> String {
    if p.is_nan() {
        "–".into()
    } else if p <= P_FLOOR {
        "< 1e-300".into()
    } else if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("{p:.3}")
    }
}

fn num(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else {
        "–".into()
    }
}

/// The protocol in one paragraph.
///
/// ```
/// let text = helplessness::analysis::describe_protocol(&helplessness::protocol::triadic_dog(8));
/// assert!(text.contains("`inescapable` yoked to `escapable`"), "{text}");
/// ```
pub fn describe_protocol(exp: &Experiment) -> String {
    let mut out = String::new();
    let groups: Vec<String> = exp
        .groups
        .iter()
        .map(|g| format!("{} (n = {})", code(&g.name), g.subjects))
        .collect();
    let _ = write!(out, "Groups {}. ", groups.join(", "));
    for (i, p) in exp.phases.iter().enumerate() {
        let s = &p.schedule;
        let intensities: Vec<String> = s
            .blocks
            .iter()
            .map(|b| {
                let ratio = b.ratio.map(|r| format!(" FR-{r}")).unwrap_or_default();
                format!(
                    "{} at {} {}{ratio}",
                    b.trials,
                    b.intensity,
                    p.apparatus.intensity_unit()
                )
            })
            .collect();
        let when = if i == 0 {
            String::new()
        } else if p.after_hours >= 48.0 {
            format!("{} days later, ", p.after_hours / 24.0)
        } else {
            format!("{} h later, ", p.after_hours)
        };
        let _ = write!(
            out,
            "Phase {}: {when}{} trials ({}) in the {} (context {}), ITI mean {:.0} s, cut-off {} s",
            code(&p.name),
            s.trials(),
            intensities.join(", "),
            p.apparatus.name(),
            code(p.context_name()),
            s.iti.mean_s(),
            s.cutoff_s,
        );
        let own: Vec<String> = exp
            .groups
            .iter()
            .filter_map(|g| {
                if !exp.takes_part(g, p) {
                    return Some(format!("{} in the home cage", code(&g.name)));
                }
                let c = exp.contingency(g, p);
                let drugs = g.interventions_in(&p.name);
                let mut parts = Vec::new();
                if c != &p.contingency {
                    parts.push(contingency_name(c));
                }
                if let Some(context) = g.context_in(&p.name) {
                    parts.push(format!("in context {}", code(context)));
                }
                parts.extend(drugs.iter().map(|d| d.describe()));
                (!parts.is_empty()).then(|| format!("{} {}", code(&g.name), parts.join(", ")))
            })
            .collect();
        let _ = write!(out, "; {}", contingency_name(&p.contingency));
        if !p.interventions.is_empty() {
            let all: Vec<String> = p.interventions.iter().map(|d| d.describe()).collect();
            let _ = write!(out, ", every group given {}", all.join(" and "));
        }
        if !own.is_empty() {
            let _ = write!(out, " (except {})", own.join("; "));
        }
        let _ = write!(out, ". ");
    }
    out.trim_end().to_string()
}

/// A name as a Markdown code span that stays on one line and in its table cell: line
/// breaks become spaces, `|` is escaped, and the fence is longer than any run of
/// backticks in the name. HTML inside a code span is shown, not interpreted.
///
/// ```
/// use helplessness::analysis::code;
/// assert_eq!(code("a|b\nc"), "`a\\|b c`");
/// assert_eq!(code("x`y"), "``x`y``");
/// ```
pub fn code(name: &str) -> String {
    let one_line: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|");
    let longest = one_line
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if one_line.starts_with('`') || one_line.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{one_line}{pad}{fence}")
}

/// Free text (a description, a caption) as Markdown that shows exactly what was
/// written: markup characters are backslash-escaped, so no `<tag>`, `|` or `*` acts as
/// markup, and line breaks become spaces.
///
/// ```
/// use helplessness::analysis::text;
/// assert_eq!(text("<b>x</b> | y"), "\\<b\\>x\\</b\\> \\| y");
/// ```
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.push(' ');
        } else if "\\`*_[]<>#|!~&".contains(c) || (out.is_empty() && "-+".contains(c)) {
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

fn contingency_name(c: &Contingency) -> String {
    match c {
        Contingency::Escapable { .. } => "escapable".into(),
        Contingency::Partial { p, .. } => format!("partial p = {p}"),
        Contingency::EscapableOrYoked { p, to, .. } => {
            format!("escapable with p = {p}, else matched to {}", code(to))
        }
        Contingency::Yoked { to } => format!("yoked to {}", code(to)),
        Contingency::Fixed { duration_s } => format!("fixed {duration_s} s"),
        Contingency::Insoluble => "insoluble".into(),
        Contingency::DoneForYou { after_s } => format!("done for the subject after {after_s} s"),
        Contingency::Space {
            p_attempt,
            p_no_attempt,
            ..
        } => format!("P(outcome | attempt) = {p_attempt}, P(outcome | none) = {p_no_attempt}"),
        Contingency::NoShock => "no shock".into(),
    }
}

/// `report.md`: the protocol, each scored phase's table and tests, and any figures
/// (paths relative to the report), readable on its own.
///
/// ```
/// use helplessness::{analysis::{self, PhaseStats, Summary}, protocol};
/// let exp = protocol::triadic_dog(10);
/// let mut summary = Summary::new(&exp);
/// exp.runner(1).into_sink(&mut summary).unwrap();
/// let stats = [PhaseStats::compute(&summary, "test", 1)];
/// let md = analysis::markdown(&exp, "", "", 1, &stats, &[]);
/// assert!(md.starts_with("# triadic-dog") && md.contains("One-way ANOVA"));
/// ```
pub fn markdown(
    exp: &Experiment,
    description: &str,
    source: &str,
    seed: u64,
    phases: &[PhaseStats],
    figures: &[(String, String)],
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", text(&exp.name));
    if !description.is_empty() {
        let _ = writeln!(out, "{}.", text(description));
    }
    if !source.is_empty() {
        let _ = writeln!(out, "Reproduces: {}.", text(source));
    }
    let _ = writeln!(
        out,
        "Simulated with helplessness {} (seed {seed}).\n",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "## Protocol\n\n{}\n", describe_protocol(exp));
    for stats in phases {
        let _ = writeln!(out, "## Phase {}\n", code(&stats.phase));
        let _ = writeln!(
            out,
            "Measure: {}. Failing: {}.\n",
            stats.measure,
            exp.criterion
                .as_ref()
                .map_or("no criterion".into(), |c| format!(
                    "at least {} trials at the cut-off",
                    c.min_failures
                ))
        );
        let _ = writeln!(
            out,
            "| group | n | mean (s) | SD | SEM | median | failing | freezing |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
        for g in &stats.groups {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} ({:.1} %) | {} |",
                code(&g.group),
                g.n,
                num(g.mean_latency_s, 2),
                num(g.sd_latency_s, 2),
                num(g.sem_latency_s, 2),
                num(g.median_latency_s, 2),
                g.failing,
                100.0 * g.fail_rate,
                num(g.freezing, 2)
            );
        }
        let a = &stats.anova;
        let _ = writeln!(
            out,
            "\nOne-way ANOVA: F({}, {}) = {}, p {}.\n",
            num(a.df_between, 0),
            num(a.df_within, 0),
            num(a.f, 2),
            if a.p < 0.001 {
                p_text(a.p)
            } else {
                format!("= {}", p_text(a.p))
            }
        );
        let _ = writeln!(
            out,
            "| comparison | Welch t (df) | p (Holm) | Mann-Whitney U, p | Fisher p (failing) | Hedges' g [95 % CI] |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for p in &stats.pairs {
            let _ = writeln!(
                out,
                "| {} vs {} | {} ({}) | {} | {}, {} | {} | {} [{}, {}] |",
                code(&p.a),
                code(&p.b),
                num(p.welch.t, 2),
                num(p.welch.df, 1),
                p_text(p.welch_p_holm),
                num(p.mann_whitney_u, 0),
                p_text(p.mann_whitney_p),
                p_text(p.fisher_p),
                num(p.hedges_g, 2),
                num(p.hedges_g_ci[0], 2),
                num(p.hedges_g_ci[1], 2)
            );
        }
        let _ = writeln!(out);
    }
    if !figures.is_empty() {
        let _ = writeln!(out, "## Figures\n");
        for (caption, path) in figures {
            let _ = writeln!(out, "![{}]({path})\n", text(caption));
        }
    }
    let _ = writeln!(
        out,
        "Methods: latencies are averaged per subject, then compared across subjects. Welch \
         t-tests are two-sided and Holm-corrected over the phase's pairs; Mann-Whitney U \
         uses the normal approximation with continuity correction; Fisher's exact test \
         compares failing subjects; Hedges' g intervals are percentile bootstraps of {RESAMPLES} \
         resamples from a seeded stream for pairs of up to {BOOTSTRAP_MAX_SUBJECTS} subjects, \
         normal-theory intervals (Hedges & Olkin 1985) for larger pairs. Groups of more than \
         {SUBJECTS_KEPT} subjects are compared by moments of the subjects' mean latencies \
         (exact) and, for the Mann-Whitney test and medians, their histogram in {SUBJECT_BINS} \
         bins over the cut-off (values within a bin count as ties)."
    );
    out
}
