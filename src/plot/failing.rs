//! Figure 2: subjects failing, by group.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::parts::{category, text, tick};
use super::{Style, colour, fail};
use crate::analysis::{Summary, wilson};
use crate::error::Error;
use crate::experiment::Experiment;

/// Figure 2: percentage failing by group with Wilson 95 % intervals, each bar labelled
/// with its count (k/n).
pub(super) fn failing_by_group<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    exp: &Experiment,
    summary: &Summary,
    phase: &str,
    st: &Style,
) -> Result<(), Error> {
    root.fill(&WHITE).map_err(fail)?;
    let groups: Vec<_> = summary.groups_with_subjects(phase);
    let criterion = exp
        .criterion
        .as_ref()
        .filter(|c| c.applies_to(phase))
        .map_or(
            String::from(" (no failure criterion for this phase)"),
            |c| format!(" (≥ {} trials at the cut-off)", c.min_failures),
        );
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("{}: subjects failing{criterion}, {phase}", exp.name),
            st.font(24),
        )
        .margin(st.px(16))
        .x_label_area_size(st.px(50))
        .y_label_area_size(st.px(70))
        .build_cartesian_2d(-0.5f64..(groups.len() as f64 - 0.5), 0f64..108f64)
        .map_err(fail)?;
    let names: Vec<String> = groups.iter().map(|g| g.group.clone()).collect();
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .disable_x_mesh()
        .x_labels(groups.len())
        .x_label_formatter(&|x| category(&names, *x))
        .x_desc(format!("Group (phase {phase})"))
        .y_desc("Subjects failing (%, Wilson 95 % CI)")
        .y_label_formatter(&|y| tick(*y))
        .axis_desc_style(st.font(20))
        .label_style(st.font(if groups.len() > 5 { 13 } else { 16 }))
        .draw()
        .map_err(fail)?;
    for (k, g) in groups.iter().enumerate() {
        let x = k as f64;
        let pct = 100.0 * g.failing as f64 / g.n as f64;
        let (lo, hi) = wilson(g.failing, g.n);
        let fill = colour(k).mix(0.75).filled();
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x - 0.3, 0.0), (x + 0.3, pct)],
                fill,
            )))
            .map_err(fail)?;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x - 0.3, 0.0), (x + 0.3, pct)],
                BLACK.stroke_width(st.line(1)),
            )))
            .map_err(fail)?;
        chart
            .draw_series(std::iter::once(ErrorBar::new_vertical(
                x,
                100.0 * lo,
                pct,
                100.0 * hi,
                BLACK.stroke_width(st.line(2)),
                st.px(14) as u32,
            )))
            .map_err(fail)?;
        chart
            .draw_series(std::iter::once(text(
                format!("{}/{}", g.failing, g.n),
                (x, 100.0 * hi + 1.5),
                HPos::Center,
                15,
                st,
            )))
            .map_err(fail)?;
    }
    root.present().map_err(fail)
}
