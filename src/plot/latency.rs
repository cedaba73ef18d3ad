//! Figure 1: mean escape latency by trial.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::parts::Series;
use super::parts::{
    dashed, legend_panel, mean_lines, text, tick, whole, with_legend_column, with_n,
};
use super::{Style, fail};
use crate::analysis::Summary;
use crate::error::Error;
use crate::experiment::Experiment;

/// Figure 1: mean latency ± SEM by trial, one line per group, with the cut-off and the
/// blocks of the schedule (ratio and intensity) marked.
pub(super) fn latency_by_trial<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    exp: &Experiment,
    summary: &Summary,
    phase: &str,
    st: &Style,
) -> Result<(), Error> {
    root.fill(&WHITE).map_err(fail)?;
    let rows = summary.trial_rows();
    let the_phase = exp.phases.iter().find(|p| p.name == phase);
    let cutoff = the_phase.map_or(30.0, |p| p.schedule.cutoff_s);
    let trials = the_phase.map_or(1, |p| p.schedule.trials()).max(1);
    let series: Series = summary
        .group_names()
        .into_iter()
        .map(|group| {
            let points = rows
                .iter()
                .filter(|r| r.group == group && r.phase == phase)
                .filter_map(|r| {
                    Some((
                        f64::from(r.trial),
                        r.mean_latency_s?,
                        r.sem_latency_s.unwrap_or(0.0),
                    ))
                })
                .collect();
            (with_n(summary, phase, &group), points)
        })
        .filter(|(_, points): &(String, Vec<_>)| !points.is_empty())
        .collect();
    let names: Vec<String> = series.iter().map(|(n, _)| n.clone()).collect();
    let (plot, legend) = with_legend_column(root, &names, st);
    // The blocks of the schedule, named under the axis and split by dashed lines.
    let mut blocks = Vec::new();
    let mut starts = Vec::new();
    let mut short_blocks = Vec::new();
    if let Some(p) = the_phase {
        let unit = p.apparatus.intensity_unit();
        let mut first = 1u32;
        for block in &p.schedule.blocks {
            let ratio = block.ratio.map_or(String::new(), |r| format!("FR-{r} "));
            let last = first + block.trials - 1;
            let span = if last > first {
                format!("{first}-{last}")
            } else {
                first.to_string()
            };
            blocks.push(format!("{span}: {ratio}{} {unit}", block.intensity));
            short_blocks.push(format!("{ratio}{} {unit}", block.intensity));
            starts.push(first);
            first += block.trials;
        }
    }
    let x_desc = if blocks.is_empty() {
        format!("Trial of phase {phase}")
    } else {
        format!("Trial of phase {phase} ({})", blocks.join("; "))
    };
    let top = cutoff * 1.08;
    let mut chart = ChartBuilder::on(&plot)
        .caption(
            format!("{}: escape latency by trial ({phase})", exp.name),
            st.font(24),
        )
        .margin(st.px(16))
        .x_label_area_size(st.px(50))
        .y_label_area_size(st.px(70))
        .build_cartesian_2d(0.5f64..(f64::from(trials) + 0.5), 0f64..top)
        .map_err(fail)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_labels((trials as usize).min(15))
        .x_label_formatter(&|x| whole(*x))
        .x_desc(x_desc)
        .y_desc("Mean escape latency (s, ± SEM)")
        .y_label_formatter(&|y| tick(*y))
        .axis_desc_style(st.font(if blocks.len() > 2 { 15 } else { 18 }))
        .label_style(st.font(16))
        .draw()
        .map_err(fail)?;
    // The cut-off: a latency there is a trial that was never escaped.
    let grey = ShapeStyle::from(RGBColor(90, 90, 90)).stroke_width(st.line(1));
    let right = f64::from(trials) + 0.5;
    dashed(&mut chart, vec![(0.5, cutoff), (right, cutoff)], grey, st)?;
    chart
        .draw_series(std::iter::once(text(
            format!("cut-off {cutoff} s"),
            (right - 0.1, cutoff),
            HPos::Right,
            14,
            st,
        )))
        .map_err(fail)?;
    for (start, label) in starts.iter().zip(&short_blocks).skip(1) {
        let x = f64::from(*start) - 0.5;
        dashed(&mut chart, vec![(x, 0.0), (x, cutoff)], grey, st)?;
        chart
            .draw_series(std::iter::once(text(
                format!("→ {label}"),
                (x + 0.1, cutoff * 0.93),
                HPos::Left,
                13,
                st,
            )))
            .map_err(fail)?;
    }
    mean_lines(&mut chart, &series, None, st)?;
    legend_panel(&legend, &names, st)?;
    root.present().map_err(fail)
}
