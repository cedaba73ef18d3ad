//! Figure 3: each subject's mean latency, by group.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::parts::{boxed_text, category, dashed, text, tick};
use super::{Style, colour, fail};
use crate::analysis::Summary;
use crate::error::Error;
use crate::experiment::Experiment;

/// Figure 3: each subject's mean latency by group, jittered deterministically; failing
/// subjects (by the criterion of the phase) filled, the others hollow; a bar at the
/// group's mean, labelled.
pub(super) fn subject_strips<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    exp: &Experiment,
    summary: &Summary,
    phase: &str,
    st: &Style,
) -> Result<(), Error> {
    root.fill(&WHITE).map_err(fail)?;
    let groups: Vec<_> = summary.groups_with_subjects(phase);
    let cutoff = exp
        .phases
        .iter()
        .find(|p| p.name == phase)
        .map_or(30.0, |p| p.schedule.cutoff_s);
    let criterion = exp
        .criterion
        .as_ref()
        .filter(|c| c.applies_to(phase))
        .map(|c| c.min_failures);
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("{}: each subject's mean latency ({phase})", exp.name),
            st.font(26),
        )
        .margin(st.px(16))
        .x_label_area_size(st.px(50))
        .y_label_area_size(st.px(70))
        .build_cartesian_2d(-0.5f64..(groups.len() as f64 - 0.5), 0f64..cutoff * 1.15)
        .map_err(fail)?;
    let names: Vec<String> = groups.iter().map(|g| g.group.clone()).collect();
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .disable_x_mesh()
        .x_labels(groups.len())
        .x_label_formatter(&|x| category(&names, *x))
        .x_desc("Group (one point per subject; bar: the group's mean)")
        .y_desc("Subject's mean escape latency (s)")
        .y_label_formatter(&|y| tick(*y))
        .axis_desc_style(st.font(20))
        .label_style(st.font(if groups.len() > 5 { 13 } else { 16 }))
        .draw()
        .map_err(fail)?;
    let r = st.px(3);
    for (k, g) in groups.iter().enumerate() {
        let solid = ShapeStyle::from(colour(k)).filled();
        let hollow = ShapeStyle::from(colour(k).mix(0.7)).stroke_width(st.line(1));
        chart
            .draw_series(g.subject_means.iter().enumerate().map(|(i, &y)| {
                // Golden-ratio jitter: evenly spread, no random stream needed.
                let jitter = ((i as f64 * 0.618_033_988_75).fract() - 0.5) * 0.6;
                let failing = criterion
                    .zip(g.subject_failures.get(i))
                    .is_some_and(|(min, f)| *f >= min);
                Circle::new(
                    (k as f64 + jitter, y),
                    r,
                    if failing { solid } else { hollow },
                )
            }))
            .map_err(fail)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![
                    (k as f64 - 0.38, g.mean_latency_s),
                    (k as f64 + 0.38, g.mean_latency_s),
                ],
                BLACK.stroke_width(st.line(3)),
            )))
            .map_err(fail)?;
        boxed_text(
            &mut chart,
            format!("mean {:.1} s", g.mean_latency_s),
            (k as f64 + 0.38, g.mean_latency_s + cutoff * 0.012),
            13,
            st,
        )?;
    }
    if let Some(min) = criterion {
        let black = BLACK.filled();
        let open = BLACK.stroke_width(st.line(1));
        chart
            .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
            .map_err(fail)?
            .label(format!("failing (≥ {min} trials at the cut-off)"))
            .legend(move |(x, y)| Circle::new((x + 8, y), r + 1, black));
        chart
            .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
            .map_err(fail)?
            .label("not failing")
            .legend(move |(x, y)| Circle::new((x + 8, y), r + 1, open));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font(st.font(14))
            .legend_area_size(st.px(20))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(fail)?;
    }
    // The cut-off, which no mean latency can pass.
    let grey = ShapeStyle::from(RGBColor(90, 90, 90)).stroke_width(st.line(1));
    let right = groups.len() as f64 - 0.5;
    dashed(&mut chart, vec![(-0.5, cutoff), (right, cutoff)], grey, st)?;
    chart
        .draw_series(std::iter::once(text(
            format!("cut-off {cutoff} s"),
            (right - 0.02, cutoff),
            HPos::Right,
            13,
            st,
        )))
        .map_err(fail)?;
    root.present().map_err(fail)
}
