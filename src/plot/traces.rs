//! Figure 4: the internal state by trial over all phases.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::parts::{dashed, gap_text, mean_with_band, tick, whole};
use super::{Style, colour, fail};
use crate::analysis::Summary;
use crate::error::Error;
use crate::experiment::Experiment;

/// Figure 4: internal traces over every phase, one panel per variable. Trials are
/// numbered across phases; dashed lines mark where a phase starts, and the header
/// lists the phases with the time between them, and the groups (a legend that never
/// covers data, however many groups).
pub(super) fn traces<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    exp: &Experiment,
    summary: &Summary,
    st: &Style,
) -> Result<(), Error> {
    root.fill(&WHITE).map_err(fail)?;
    let names = summary.group_names();
    let phases = summary.phase_names();
    // Where each phase starts on the common trial axis.
    let mut offsets = Vec::with_capacity(phases.len());
    let mut total = 0u32;
    for p in &phases {
        offsets.push(total);
        total += exp
            .phases
            .iter()
            .find(|q| &q.name == p)
            .map_or(0, |q| q.schedule.trials());
    }
    // Header: title, then the groups, then the phases, wrapped to the width.
    let (width, _) = root.dim_in_pixel();
    let per_char = 0.55 * 13.0 * st.scale();
    let wrap = |items: Vec<String>, lead: &str| -> Vec<String> {
        let mut lines = vec![lead.to_string()];
        for item in items {
            let last = lines.last_mut().expect("one line");
            if (last.len() + item.len() + 3) as f64 * per_char > f64::from(width) - 40.0 {
                lines.push(format!("  {item}"));
            } else {
                if !last.ends_with(": ") {
                    last.push_str(" · ");
                }
                last.push_str(&item);
            }
        }
        lines
    };
    let mut phase_items = Vec::new();
    for (i, p) in phases.iter().enumerate() {
        let q = exp.phases.iter().find(|q| &q.name == p);
        let gap = match q.map(|q| q.after_hours) {
            Some(h) if i > 0 => format!("{} ", gap_text(h)),
            _ => String::new(),
        };
        let n = q.map_or(0, |q| q.schedule.trials());
        phase_items.push(format!(
            "{gap}{p} (trials {}-{})",
            offsets[i] + 1,
            offsets[i] + n
        ));
    }
    let phase_lines = wrap(phase_items, "Phases (dashed lines): ");
    // The groups, each with a swatch, wrapped into rows; n is the group's size.
    let labels: Vec<String> = names
        .iter()
        .map(|g| match exp.groups.iter().find(|x| &x.name == g) {
            Some(x) => format!("{g} (n = {})", x.subjects),
            None => g.clone(),
        })
        .collect();
    let item_w = |label: &str| (label.chars().count() as f64 * per_char) as i32 + st.px(44);
    let mut group_rows: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = 0;
    for (k, label) in labels.iter().enumerate() {
        let w = item_w(label);
        if used + w > width as i32 - st.px(32) && !group_rows.last().is_some_and(Vec::is_empty) {
            group_rows.push(Vec::new());
            used = 0;
        }
        group_rows.last_mut().expect("a row").push(k);
        used += w;
    }
    let line_h = st.px(18);
    let header = st.px(40) + line_h * (group_rows.len() + phase_lines.len()) as i32 + st.px(4);
    let (title, body) = root.split_vertically(header);
    title
        .draw(&Text::new(
            format!(
                "{}: internal state at trial end (mean ± SEM), all phases",
                exp.name
            ),
            (st.px(16), st.px(8)),
            st.font(24),
        ))
        .map_err(fail)?;
    let mut y = st.px(40);
    for row in &group_rows {
        let mut x = st.px(16);
        for &k in row {
            let style = ShapeStyle::from(colour(k)).stroke_width(st.line(3));
            title
                .draw(&PathElement::new(
                    vec![(x, y + line_h / 2), (x + st.px(22), y + line_h / 2)],
                    style,
                ))
                .map_err(fail)?;
            title
                .draw(&Text::new(
                    labels[k].clone(),
                    (x + st.px(28), y + st.px(1)),
                    st.font(13),
                ))
                .map_err(fail)?;
            x += item_w(&labels[k]);
        }
        y += line_h;
    }
    for line in &phase_lines {
        title
            .draw(&Text::new(
                line.clone(),
                (st.px(16), y + st.px(1)),
                st.font(13),
            ))
            .map_err(fail)?;
        y += line_h;
    }
    // One panel per variable the theory declares, three to a row.
    let declared = summary.variables();
    let cols = declared.len().clamp(1, 3);
    let rows = declared.len().div_ceil(cols).max(1);
    let panels = body.split_evenly((rows, cols));
    let labels: Vec<(&str, String)> = declared
        .iter()
        .map(|v| {
            let meaning = v.meaning.split([',', '(', ':']).next().unwrap_or("").trim();
            (v.name, format!("{meaning} {}", v.name))
        })
        .collect();
    let x_max = f64::from(total.max(1));
    for (panel, (var, label)) in panels.iter().zip(labels) {
        // Per group, per phase, the (trial on the common axis, mean, SEM) it has.
        let series: Vec<Vec<Vec<(f64, f64, f64)>>> = names
            .iter()
            .map(|g| {
                phases
                    .iter()
                    .zip(&offsets)
                    .map(|(p, off)| {
                        summary
                            .trace(g, p, var)
                            .into_iter()
                            .enumerate()
                            .filter(|(_, (m, _))| m.is_finite())
                            .map(|(i, (m, e))| {
                                let x = f64::from(*off) + (i + 1) as f64;
                                (x, m, if e.is_finite() { e } else { 0.0 })
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let (lo, hi) = series.iter().flatten().flatten().fold(
            (f64::INFINITY, f64::NEG_INFINITY),
            |(lo, hi), &(_, m, e)| (lo.min(m - e), hi.max(m + e)),
        );
        let (lo, hi) = if lo.is_finite() && hi > lo {
            (lo, hi)
        } else {
            (0.0, 1.0)
        };
        let pad = 0.05 * (hi - lo);
        let mut chart = ChartBuilder::on(panel)
            .caption(label, st.font(if rows > 2 { 14 } else { 16 }))
            .margin(st.px(8))
            .x_label_area_size(st.px(34))
            .y_label_area_size(st.px(52))
            .build_cartesian_2d(0f64..x_max + 1.0, (lo - pad)..(hi + pad))
            .map_err(fail)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .x_desc("Trial (all phases in order)")
            .x_label_formatter(&|x| whole(*x))
            .y_label_formatter(&|y| tick(*y))
            .label_style(st.font(12))
            .axis_desc_style(st.font(13))
            .x_labels(5)
            .y_labels(5)
            .draw()
            .map_err(fail)?;
        let grey = ShapeStyle::from(RGBColor(120, 120, 120)).stroke_width(st.line(1));
        for off in offsets.iter().skip(1) {
            let x = f64::from(*off) + 0.5;
            dashed(&mut chart, vec![(x, lo - pad), (x, hi + pad)], grey, st)?;
        }
        for (k, by_phase) in series.iter().enumerate() {
            // Each phase its own segment: no line across a gap or a home-cage phase.
            for points in by_phase.iter().filter(|p| !p.is_empty()) {
                mean_with_band(&mut chart, points, k, st)?;
            }
        }
    }
    root.present().map_err(fail)
}
