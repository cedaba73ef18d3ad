//! A life run's statistics and report: every group against the first at each phase's
//! end, as `stats.json` and `report.md` give them.

use super::{LifeStudy, PhaseEnd};
use crate::error::Error;

/// What the statistics compare, as `stats.json` states it.
pub const PHASE_END_TEST: &str = "Welch's t on each domain's expectation in each phase's last complete week (the reference group's), every group against the first; Cohen's d";

/// `stats.json` of a life run: the test and every phase end, pretty JSON ending in a
/// newline.
///
/// ```
/// use helplessness::{life, protocol, RunOptions};
/// let study = protocol::bundled_life("life-situational")?.study.with_subjects(6);
/// let summary = life::run(&study, 1, &RunOptions::default(), &mut (), None)?;
/// let json = life::stats_json(&summary.phase_ends(&study.phases()))?;
/// assert!(json.contains("\"test\": \"Welch") && json.ends_with("}\n"));
/// # Ok::<(), helplessness::Error>(())
/// ```
pub fn stats_json(ends: &[PhaseEnd]) -> Result<String, Error> {
    let value = serde_json::json!({
        "test": PHASE_END_TEST,
        "phase_ends": ends,
    });
    let mut json = serde_json::to_string_pretty(&value).map_err(|e| Error::Io {
        path: "stats.json".into(),
        source: std::io::Error::other(e),
    })?;
    json.push('\n');
    Ok(json)
}

/// `report.md` of a life run: what ran, the phase-end comparisons as a table, and the
/// figures as (caption, PNG file name under `figures/`).
pub fn report(
    study: &LifeStudy,
    description: &str,
    source: &str,
    seed: u64,
    ends: &[PhaseEnd],
    figures: &[(String, String)],
) -> String {
    let mut r = format!("# {}\n\n", study.name);
    if !description.is_empty() {
        r.push_str(&format!("{description}\n\n"));
    }
    if !source.is_empty() {
        r.push_str(&format!("Source: {source}.\n\n"));
    }
    let people: Vec<String> = study
        .groups
        .iter()
        .map(|g| format!("{} ({})", g.name, g.subjects))
        .collect();
    r.push_str(&format!(
        "Seed {seed}; theory `{}`; groups {}; {:.0} person-years.\n\n",
        study.theory.name(),
        people.join(", "),
        study.person_years()
    ));
    r.push_str(
        "A person is **helpless** in a domain in a week when the domain's expectation of \
         control E is below 0.25 and they tried fewer than a quarter of the week's \
         opportunities.\n\n",
    );
    r.push_str("## At each phase's end, every group against the first\n\n");
    r.push_str(
        "In each phase's last complete week: Welch's t on the domain's expectation E \
         (two-sided), Cohen's d (group − reference); self-esteem, share helpless and share \
         of opportunities tried, group / reference.\n\n",
    );
    r.push_str(
        "| phase | week | domain | group | E | reference E | d | p | esteem | helpless | tried |\n",
    );
    r.push_str("|---|---|---|---|---|---|---|---|---|---|---|\n");
    let f2 = |x: f64| {
        if x.is_finite() {
            format!("{x:.2}")
        } else {
            "–".into()
        }
    };
    for e in ends {
        r.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} / {} | {:.0} % / {:.0} % | {:.0} % / {:.0} % |\n",
            e.phase,
            e.week,
            e.domain,
            e.group,
            f2(e.expectation.mean),
            f2(e.reference_expectation.mean),
            f2(e.d),
            if e.p.is_finite() {
                format!("{:.2e}", e.p)
            } else {
                "–".into()
            },
            f2(e.esteem.0),
            f2(e.esteem.1),
            100.0 * e.helpless.0,
            100.0 * e.helpless.1,
            100.0 * e.attempted.0,
            100.0 * e.attempted.1,
        ));
    }
    if !figures.is_empty() {
        r.push_str("\n## Figures\n\n");
        for (caption, png) in figures {
            r.push_str(&format!("![{caption}](figures/{png})\n\n*{caption}.*\n\n"));
        }
    }
    r
}
