//! Figure 5: mean latency against a number varied in group or phase names.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::parts::Series;
use super::parts::{dashed, legend_panel, mean_lines, text, tick, with_legend_column};
use super::{Style, fail};
use crate::analysis::Summary;
use crate::error::Error;
use crate::experiment::Experiment;

/// The last number in `name` (`p=0.25` -> 0.25, `IS-72h` -> 72) and the name with it
/// replaced by `·` (the series it belongs to).
///
/// ```
/// assert_eq!(helplessness::plot::quantity("IS-72h"), Some((72.0, "IS-·h".to_string())));
/// ```
pub fn quantity(name: &str) -> Option<(f64, String)> {
    let bytes: Vec<char> = name.chars().collect();
    let end = bytes.iter().rposition(|c| c.is_ascii_digit())? + 1;
    let start = bytes[..end]
        .iter()
        .rposition(|c| !(c.is_ascii_digit() || *c == '.'))
        .map_or(0, |i| i + 1);
    let number: String = bytes[start..end].iter().collect();
    let value = number.parse().ok()?;
    let key: String = bytes[..start]
        .iter()
        .chain(std::iter::once(&'·'))
        .chain(&bytes[end..])
        .collect();
    Some((value, key))
}

pub(super) fn varied_quantity(exp: &Experiment, summary: &Summary) -> Option<(String, Series)> {
    phase_quantity(exp, summary).or_else(|| {
        exp.scored_phases()
            .iter()
            .find(|p| summary.groups(p).iter().any(|s| s.n > 0))
            .and_then(|p| group_quantity(summary, p))
    })
}

/// A quantity varied in the names of at least three scored phases (days of dosing,
/// hours after shock), with each group's mean latency in each.
pub(super) fn phase_quantity(exp: &Experiment, summary: &Summary) -> Option<(String, Series)> {
    let scored = exp.scored_phases();
    let numbered_phases: Vec<(&str, f64)> = scored
        .iter()
        .filter_map(|p| quantity(p).map(|(x, _)| (*p, x)))
        .collect();
    if numbered_phases.len() >= 3 {
        // Where some groups are treated in the numbered phases (days of a drug), the
        // quantity is theirs: draw them, and the controls that differ from a treated
        // group only in the treatment (vehicle), not groups with another history (home
        // cage), which never had what the axis counts.
        let in_numbered = |g: &crate::experiment::Group| {
            numbered_phases
                .iter()
                .any(|(p, _)| !g.interventions_in(p).is_empty())
        };
        let treated: Vec<&crate::experiment::Group> =
            exp.groups.iter().filter(|g| in_numbered(g)).collect();
        let drawn = |name: &str| {
            let Some(g) = exp.groups.iter().find(|g| g.name == name) else {
                return false;
            };
            treated.is_empty()
                || in_numbered(g)
                || treated.iter().any(|t| {
                    t.contingencies == g.contingencies
                        && t.home_cage == g.home_cage
                        && t.contexts == g.contexts
                })
        };
        let series = summary
            .group_names()
            .into_iter()
            .filter(|g| drawn(g))
            .map(|g| {
                let points = numbered_phases
                    .iter()
                    .filter_map(|(p, x)| {
                        let s = summary.groups(p).into_iter().find(|s| s.group == g)?;
                        (s.n > 0).then_some((*x, s.mean_latency_s, s.sem_latency_s))
                    })
                    .collect();
                (g, points)
            })
            .filter(|(_, points): &(String, Vec<_>)| points.len() >= 2)
            .collect::<Series>();
        let examples: Vec<&str> = numbered_phases.iter().map(|(p, _)| *p).take(3).collect();
        if !series.is_empty() {
            return Some((
                format!(
                    "x in the phase names ({}{})",
                    examples.join(", "),
                    if numbered_phases.len() > 3 {
                        ", ..."
                    } else {
                        ""
                    }
                ),
                series,
            ));
        }
    }
    None
}

/// A quantity varied in the names of at least three groups (contingency p, forced
/// trials), with each group's mean latency in `phase`.
pub(super) fn group_quantity(summary: &Summary, phase: &str) -> Option<(String, Series)> {
    let mut series: Series = Vec::new();
    let in_phase = summary.groups(phase);
    for g in summary.group_names() {
        let Some((x, key)) = quantity(&g) else {
            continue;
        };
        let Some(s) = in_phase.iter().find(|s| s.group == g && s.n > 0) else {
            continue;
        };
        let point = (x, s.mean_latency_s, s.sem_latency_s);
        match series.iter_mut().find(|(k, _)| *k == key) {
            Some((_, points)) => points.push(point),
            None => series.push((key, vec![point])),
        }
    }
    series.retain(|(_, points)| points.len() >= 3);
    for (_, points) in &mut series {
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    let (key, points) = series.first()?;
    let examples: Vec<String> = points
        .iter()
        .take(3)
        .map(|(x, _, _)| key.replacen('·', &x.to_string(), 1))
        .collect();
    let axis = format!(
        "x in the group names ({}{})",
        examples.join(", "),
        if points.len() > 3 { ", ..." } else { "" }
    );
    for (key, _) in &mut series {
        // The series is named by its pattern, the number written x: `p=x`.
        *key = key.replacen('·', "x", 1);
    }
    Some((axis, series))
}

/// Figure 5: mean latency ± SEM against the varied quantity.
pub(super) fn effect_vs_quantity<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    exp: &Experiment,
    axis: &str,
    series: &Series,
    phase: &str,
    st: &Style,
) -> Result<(), Error> {
    // By group: one phase; by phase: the numbered phases, whose cut-offs are equal in
    // every bundled protocol (the largest is drawn).
    let by_group = axis.contains("group names");
    let cutoff = if by_group {
        exp.phases
            .iter()
            .find(|p| p.name == phase)
            .map_or(f64::NAN, |p| p.schedule.cutoff_s)
    } else {
        exp.phases
            .iter()
            .filter(|p| quantity(&p.name).is_some())
            .map(|p| p.schedule.cutoff_s)
            .fold(f64::NAN, f64::max)
    };
    root.fill(&WHITE).map_err(fail)?;
    let all = series.iter().flat_map(|(_, p)| p.iter());
    let (x_lo, x_hi, y_hi) = all.fold(
        (f64::INFINITY, f64::NEG_INFINITY, 0.0f64),
        |(a, b, c), &(x, m, e)| {
            (
                a.min(x),
                b.max(x),
                c.max(m + if e.is_finite() { e } else { 0.0 }),
            )
        },
    );
    let pad = 0.05 * (x_hi - x_lo).max(1e-9);
    let names: Vec<String> = series.iter().map(|(n, _)| n.clone()).collect();
    let (plot, legend) = with_legend_column(root, &names, st);
    // The cut-off is drawn when the latencies come near it (within half).
    let near = cutoff.is_finite() && y_hi * 1.1 >= 0.5 * cutoff;
    let y_top = if near {
        cutoff * 1.08
    } else {
        (y_hi * 1.1).max(1.0)
    };
    let title = if by_group {
        format!(
            "{}: escape latency against x in the group names, {phase}",
            exp.name
        )
    } else {
        format!("{}: escape latency against x in the phase names", exp.name)
    };
    let mut chart = ChartBuilder::on(&plot)
        .caption(title, st.font(22))
        .margin(st.px(16))
        .x_label_area_size(st.px(50))
        .y_label_area_size(st.px(70))
        .build_cartesian_2d((x_lo - pad)..(x_hi + pad), 0f64..y_top)
        .map_err(fail)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc(axis)
        .x_label_formatter(&|x| tick(*x))
        .y_desc("Mean escape latency (s, ± SEM)")
        .y_label_formatter(&|y| tick(*y))
        .axis_desc_style(st.font(20))
        .label_style(st.font(16))
        .draw()
        .map_err(fail)?;
    if near {
        let grey = ShapeStyle::from(RGBColor(90, 90, 90)).stroke_width(st.line(1));
        let (lo, hi) = (x_lo - pad, x_hi + pad);
        dashed(&mut chart, vec![(lo, cutoff), (hi, cutoff)], grey, st)?;
        chart
            .draw_series(std::iter::once(text(
                format!("cut-off {cutoff} s"),
                (hi - pad * 0.2, cutoff),
                HPos::Right,
                14,
                st,
            )))
            .map_err(fail)?;
    }
    mean_lines(&mut chart, series, None, st)?;
    legend_panel(&legend, &names, st)?;
    root.present().map_err(fail)
}
