//! The field's figures, as PNG and SVG, drawn with plotters and the bundled DejaVu Sans
//! font (no system fonts). Colours are the Okabe-Ito palette, which colour-blind
//! readers can tell apart; every group also has its own marker, so figures survive
//! grayscale printing.
//!
//! 1. Mean escape latency (± SEM) by trial of a phase, one line per group.
//! 2. Percentage of subjects failing, by group, with Wilson 95 % intervals.
//! 3. Each subject's mean latency, by group (strip plot): helpless vs not.
//! 4. Internal traces (c, m, d, s, w, G; mean ± SEM by trial) over all phases.
//! 5. When a protocol varies one quantity (a number in its group or scored phase names:
//!    `p=0.5`, `IS-72h`, `day-4`), mean latency against that quantity.

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::analysis::Summary;
pub use crate::analysis::wilson;
use crate::error::Error;
use crate::experiment::Experiment;

mod style;
mod sweep;
pub use style::Style;
pub use sweep::write_sweep_figures;

/// Width and height of every figure, pixels.
pub const SIZE: (u32, u32) = (960, 600);

/// Okabe-Ito colours.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

static FONT: Once = Once::new();

/// Registers the bundled font as "sans-serif" (once per process).
fn register_font() {
    FONT.call_once(|| {
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            dejavu::sans::regular(),
        );
    });
}

/// A drawing error, named after the figure's file.
fn named(e: Error, path: &Path) -> Error {
    match e {
        Error::Io { source, .. } => crate::atomic::io_error(path, source),
        other => other,
    }
}

/// An RGB image as PNG bytes.
fn encode_png(pixels: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut image| image.write_image_data(pixels))
        .map_err(fail)?;
    Ok(bytes)
}

fn fail(e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: "figure".into(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// Draws markers of shape `k` (circle, triangle, square, cross) at each point.
fn markers<DB, I>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    k: usize,
    points: I,
    style: ShapeStyle,
    st: &Style,
) -> Result<(), Error>
where
    DB: DrawingBackend,
    I: IntoIterator<Item = (f64, f64)>,
{
    let r = st.px(5);
    let points = points.into_iter();
    let result = match k % 4 {
        0 => chart
            .draw_series(points.map(|p| EmptyElement::at(p) + Circle::new((0, 0), r, style)))
            .map(|_| ()),
        1 => chart
            .draw_series(
                points.map(|p| EmptyElement::at(p) + TriangleMarker::new((0, 0), r + 1, style)),
            )
            .map(|_| ()),
        2 => chart
            .draw_series(points.map(|p| {
                EmptyElement::at(p) + Rectangle::new([(-r + 1, -r + 1), (r - 1, r - 1)], style)
            }))
            .map(|_| ()),
        _ => chart
            .draw_series(points.map(|p| EmptyElement::at(p) + Cross::new((0, 0), r, style)))
            .map(|_| ()),
    };
    result.map_err(fail)
}

/// Draws each named series of (x, mean, SEM) as whiskers, a line and markers in its own
/// colour and shape, then the legend (line and marker, so it survives grayscale), at
/// `corner`. Series with no points are skipped.
fn mean_lines<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    series: &Series,
    corner: Option<SeriesLabelPosition>,
    st: &Style,
) -> Result<(), Error> {
    let r = st.px(5);
    let swatch = st.px(24);
    for (k, (name, points)) in series.iter().enumerate() {
        if points.is_empty() {
            continue;
        }
        let style = ShapeStyle::from(colour(k)).stroke_width(st.line(2));
        chart
            .draw_series(points.iter().map(|&(x, m, e)| {
                let e = if e.is_finite() { e } else { 0.0 };
                ErrorBar::new_vertical(x, (m - e).max(0.0), m, m + e, style, st.px(7) as u32)
            }))
            .map_err(fail)?;
        let line = chart
            .draw_series(LineSeries::new(
                points.iter().map(|&(x, m, _)| (x, m)),
                style,
            ))
            .map_err(fail)?
            .label(name.clone());
        // The legend shows the line and the series' own marker.
        let path = move |(x, y): (i32, i32)| {
            EmptyElement::at((x, y)) + PathElement::new(vec![(0, 0), (swatch, 0)], style)
        };
        let filled = style.filled();
        let mid = swatch / 2;
        match k % 4 {
            0 => line.legend(move |at| path(at) + Circle::new((mid, 0), r, filled)),
            1 => line.legend(move |at| path(at) + TriangleMarker::new((mid, 0), r + 1, filled)),
            2 => line.legend(move |at| {
                path(at) + Rectangle::new([(mid - r + 1, -r + 1), (mid + r - 1, r - 1)], filled)
            }),
            _ => line.legend(move |at| path(at) + Cross::new((mid, 0), r, filled)),
        };
        markers(
            chart,
            k,
            points.iter().map(|&(x, m, _)| (x, m)),
            style.filled(),
            st,
        )?;
    }
    let Some(corner) = corner else {
        return Ok(());
    };
    chart
        .configure_series_labels()
        .position(corner)
        .label_font(st.font(16))
        .legend_area_size(st.px(34))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(fail)
}

/// A legend beside the plot, never over the data: per series a line in its colour
/// with its marker, and its name; as many rows as series.
fn legend_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    names: &[String],
    st: &Style,
) -> Result<(), Error> {
    let (r, swatch, row) = (st.px(5), st.px(26), st.px(24));
    let top = st.px(70);
    for (k, name) in names.iter().enumerate() {
        let y = top + row * k as i32;
        let style = ShapeStyle::from(colour(k)).stroke_width(st.line(2));
        let filled = style.filled();
        area.draw(&PathElement::new(
            vec![(st.px(4), y), (st.px(4) + swatch, y)],
            style,
        ))
        .map_err(fail)?;
        let at = EmptyElement::at((st.px(4) + swatch / 2, y));
        match k % 4 {
            0 => area.draw(&(at + Circle::new((0, 0), r, filled))),
            1 => area.draw(&(at + TriangleMarker::new((0, 0), r + 1, filled))),
            2 => area.draw(&(at + Rectangle::new([(-r + 1, -r + 1), (r - 1, r - 1)], filled))),
            _ => area.draw(&(at + Cross::new((0, 0), r, filled))),
        }
        .map_err(fail)?;
        let style =
            TextStyle::from(st.font(14).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(name.clone(), (st.px(10) + swatch, y), style))
            .map_err(fail)?;
    }
    Ok(())
}

/// Splits off the legend column at the right of `root` (wide enough for the longest
/// name); returns (plot, legend).
fn with_legend_column<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    names: &[String],
    st: &Style,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) as f64;
    let (width, _) = root.dim_in_pixel();
    let column = ((longest * 0.56 * 14.0 + 50.0) * st.scale()) as u32;
    root.split_horizontally(width.saturating_sub(column.min(width / 3)))
}

/// The time between two phases, readable: `+6 min`, `+24 h`, `+6 d`.
fn gap_text(hours: f64) -> String {
    if hours < 1.0 {
        format!("+{} min", tick(hours * 60.0))
    } else if hours < 48.0 {
        format!("+{} h", tick(hours))
    } else {
        format!("+{} d", tick(hours / 24.0))
    }
}

/// A tick label with no trailing zeros (`30`, `2.5`).
fn tick(y: f64) -> String {
    let s = format!("{y:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A label for a tick at `x` only where `x` is a whole number (trial numbers).
fn whole(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        String::new()
    }
}

/// A dashed line through `points`.
fn dashed<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    points: Vec<(f64, f64)>,
    style: ShapeStyle,
    st: &Style,
) -> Result<(), Error> {
    chart
        .draw_series(DashedLineSeries::new(
            points,
            st.px(6) as u32,
            st.px(5) as u32,
            style,
        ))
        .map_err(fail)?;
    Ok(())
}

/// Text ending at `at` (right-aligned, sitting on it) over a white box, readable on
/// top of points.
fn boxed_text<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    message: String,
    at: (f64, f64),
    size: u32,
    st: &Style,
) -> Result<(), Error> {
    let w = (message.chars().count() as f64 * 0.56 * f64::from(size) * st.scale()) as i32;
    let h = (f64::from(size) * 1.1 * st.scale()) as i32;
    let style = TextStyle::from(st.font(size).into_font()).pos(Pos::new(HPos::Right, VPos::Bottom));
    chart
        .draw_series(std::iter::once(
            EmptyElement::at(at)
                + Rectangle::new(
                    [(-w - st.px(3), -h), (st.px(2), st.px(1))],
                    WHITE.mix(0.85).filled(),
                )
                + Text::new(message, (0, 0), style),
        ))
        .map_err(fail)?;
    Ok(())
}

/// Text anchored at its top left, centre, or right.
fn text(
    message: String,
    at: (f64, f64),
    anchor: HPos,
    size: u32,
    st: &Style,
) -> Text<'static, (f64, f64), String> {
    let style = TextStyle::from(st.font(size).into_font()).pos(Pos::new(anchor, VPos::Bottom));
    Text::new(message, at, style)
}

/// Each group's subjects in `phase`, as "name (n = N)" for legends.
fn with_n(summary: &Summary, phase: &str, group: &str) -> String {
    match summary.groups(phase).iter().find(|g| g.group == group) {
        Some(g) => format!("{group} (n = {})", g.n),
        None => group.to_string(),
    }
}

/// Figure 1: mean latency ± SEM by trial, one line per group, with the cut-off and the
/// blocks of the schedule (ratio and intensity) marked.
fn latency_by_trial<DB: DrawingBackend>(
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

/// The name of the category at axis position `x` (groups sit at 0, 1, 2, ...).
fn category(names: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() < 1e-6 && i >= 0.0 {
        names.get(i as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

/// Figure 2: percentage failing by group with Wilson 95 % intervals, each bar labelled
/// with its count (k/n).
fn failing_by_group<DB: DrawingBackend>(
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

/// Figure 3: each subject's mean latency by group, jittered deterministically; failing
/// subjects (by the criterion of the phase) filled, the others hollow; a bar at the
/// group's mean, labelled.
fn subject_strips<DB: DrawingBackend>(
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

/// Figure 4: internal traces over every phase, one panel per variable. Trials are
/// numbered across phases; dashed lines mark where a phase starts, and the header
/// lists the phases with the time between them, and the groups (a legend that never
/// covers data, however many groups).
fn traces<DB: DrawingBackend>(
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
    let panels = body.split_evenly((2, 3));
    let variables = [
        ("c", "controllability estimate c"),
        ("m", "mPFC output m"),
        ("d", "DRN firing d"),
        ("s", "DRN sensitization s"),
        ("w", "stress-evoked mPFC drive w"),
        ("G", "expectation of control G"),
    ];
    let x_max = f64::from(total.max(1));
    for (panel, (var, label)) in panels.iter().zip(variables) {
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
            .caption(label, st.font(16))
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
            let style = ShapeStyle::from(colour(k)).stroke_width(st.line(2));
            // Each phase its own segment: no line across a gap or a home-cage phase.
            for points in by_phase.iter().filter(|p| !p.is_empty()) {
                // SEM band: upper edge forward, lower edge back.
                let band: Vec<(f64, f64)> = points
                    .iter()
                    .map(|&(x, m, e)| (x, m + e))
                    .chain(points.iter().rev().map(|&(x, m, e)| (x, m - e)))
                    .collect();
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        band,
                        colour(k).mix(0.2).filled(),
                    )))
                    .map_err(fail)?;
                chart
                    .draw_series(LineSeries::new(
                        points.iter().map(|&(x, m, _)| (x, m)),
                        style,
                    ))
                    .map_err(fail)?;
            }
        }
    }
    root.present().map_err(fail)
}

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

/// Series of (quantity, mean latency, SEM) found in the names of groups or scored
/// phases, with the axis description; `None` when nothing varies by number.
type Series = Vec<(String, Vec<(f64, f64, f64)>)>;

fn varied_quantity(exp: &Experiment, summary: &Summary) -> Option<(String, Series)> {
    phase_quantity(exp, summary).or_else(|| {
        exp.scored_phases()
            .iter()
            .find(|p| summary.groups(p).iter().any(|s| s.n > 0))
            .and_then(|p| group_quantity(summary, p))
    })
}

/// A quantity varied in the names of at least three scored phases (days of dosing,
/// hours after shock), with each group's mean latency in each.
fn phase_quantity(exp: &Experiment, summary: &Summary) -> Option<(String, Series)> {
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
fn group_quantity(summary: &Summary, phase: &str) -> Option<(String, Series)> {
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
fn effect_vs_quantity<DB: DrawingBackend>(
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

/// One of the figures, with what it needs beyond the run.
enum Figure<'a> {
    LatencyByTrial,
    Failing,
    SubjectLatencies,
    Traces,
    EffectVsQuantity(&'a str, &'a Series),
}

impl Figure<'_> {
    /// Draws this figure onto `area`, whatever the backend.
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        exp: &Experiment,
        summary: &Summary,
        phase: &str,
        st: &Style,
    ) -> Result<(), Error> {
        match self {
            Figure::LatencyByTrial => latency_by_trial(area, exp, summary, phase, st),
            Figure::Failing => failing_by_group(area, exp, summary, phase, st),
            Figure::SubjectLatencies => subject_strips(area, exp, summary, phase, st),
            Figure::Traces => traces(area, exp, summary, st),
            Figure::EffectVsQuantity(axis, series) => {
                effect_vs_quantity(area, exp, axis, series, phase, st)
            }
        }
    }
}

/// Caption of the traces figure (`traces.png`), which covers every phase.
pub const TRACES_CAPTION: &str = "Internal state by trial over all phases";

/// Writes figures 1-4 (and 5 when the protocol varies a quantity by name) for `phase`
/// into `dir` as PNG and SVG, returning (caption, file name of the PNG) for each, in
/// order.
///
/// ```
/// use helplessness::{analysis::Summary, plot, protocol};
/// let exp = protocol::triadic_dog(8);
/// let mut summary = Summary::new(&exp);
/// exp.run_with(1, &exp.factory().unwrap(), &Default::default(), &mut summary).unwrap();
/// let dir = tempfile::tempdir().unwrap();
/// let figures = plot::write_figures(dir.path(), &exp, &summary, "test").unwrap();
/// assert_eq!(figures.len(), 4);
/// assert!(dir.path().join("latency-by-trial.svg").exists());
/// ```
pub fn write_figures(
    dir: &Path,
    exp: &Experiment,
    summary: &Summary,
    phase: &str,
) -> Result<Vec<(String, String)>, Error> {
    let st = &Style::default();
    prepare(dir)?;
    let varied = varied_quantity(exp, summary);
    let mut figures = vec![
        (
            "latency-by-trial",
            format!("Mean escape latency (± SEM) by trial, {phase}"),
            Figure::LatencyByTrial,
        ),
        (
            "failing",
            format!("Subjects failing, with Wilson 95 % intervals, {phase}"),
            Figure::Failing,
        ),
        (
            "subject-latencies",
            format!("Each subject's mean latency, {phase}"),
            Figure::SubjectLatencies,
        ),
        ("traces", TRACES_CAPTION.to_string(), Figure::Traces),
    ];
    if let Some((axis, series)) = &varied {
        figures.push((
            "effect-vs-quantity",
            format!("Mean escape latency against the quantity varied in {axis}"),
            Figure::EffectVsQuantity(axis, series),
        ));
    }
    let mut written = Vec::with_capacity(figures.len());
    for (stem, caption, figure) in figures {
        written.push(draw(dir, stem, caption, &figure, exp, summary, phase, st)?);
    }
    Ok(written)
}

/// Writes the figures of a whole run into `dir`: figures 1-3 for every scored phase
/// ([`Experiment::scored_phases`]: under the plain names when there is one, otherwise
/// each named `STEM-PHASE`), the traces
/// over all phases once, and figure 5 once for a quantity varied across phases or per
/// scored phase for one varied across groups. `wanted` filters by stem:
/// `latency-by-trial`, `failing`, `subject-latencies`, `traces` or `effect-vs-quantity`
/// (a summary of only some phases' records cannot redraw the traces over all phases).
/// Returns (caption, file name of the PNG), in order.
///
/// ```
/// use helplessness::{analysis::Summary, plot, protocol};
/// let exp = protocol::bundled("forced-exposure-dog").unwrap().experiment.with_subjects(3);
/// let mut summary = Summary::new(&exp);
/// exp.run_with(1, &exp.factory().unwrap(), &Default::default(), &mut summary).unwrap();
/// let dir = tempfile::tempdir().unwrap();
/// let figures = plot::write_run_figures(dir.path(), &exp, &summary, |_| true).unwrap();
/// // Both scored tests, before and after the forced exposure, get their figures.
/// assert!(dir.path().join("latency-by-trial-test-1.png").exists());
/// assert!(dir.path().join("latency-by-trial-test-2.png").exists());
/// assert!(figures.iter().any(|(_, f)| f == "effect-vs-quantity-test-2.png"));
/// // All but the traces, as for a run that kept only its test records.
/// let other = tempfile::tempdir().unwrap();
/// plot::write_run_figures(other.path(), &exp, &summary, |stem| stem != "traces").unwrap();
/// assert!(!other.path().join("traces.png").exists());
/// ```
pub fn write_run_figures(
    dir: &Path,
    exp: &Experiment,
    summary: &Summary,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<(String, String)>, Error> {
    write_run_figures_with(dir, exp, summary, wanted, &FigureOptions::default())
}

/// Which of a run's figures to draw, and at what size.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FigureOptions {
    /// Size and resolution.
    pub style: Style,
    /// Only this scored phase's figures (and no traces); every scored phase when `None`.
    pub phase: Option<String>,
}

/// [`write_run_figures`] with a size, a resolution and a choice of phase.
///
/// ```
/// use helplessness::{analysis::Summary, plot::{self, FigureOptions, Style}, protocol};
/// let exp = protocol::bundled("forced-exposure-dog").unwrap().experiment.with_subjects(3);
/// let mut summary = Summary::new(&exp);
/// exp.run_with(1, &exp.factory().unwrap(), &Default::default(), &mut summary).unwrap();
/// let dir = tempfile::tempdir().unwrap();
/// let options = FigureOptions {
///     style: Style { width: 640, height: 480, dpi: 192.0 },
///     phase: Some("test-2".into()),
/// };
/// let figures = plot::write_run_figures_with(dir.path(), &exp, &summary, |_| true, &options).unwrap();
/// assert!(figures.iter().all(|(_, f)| f.ends_with("-test-2.png")));
/// let unknown = FigureOptions { phase: Some("tset".into()), ..FigureOptions::default() };
/// assert!(plot::write_run_figures_with(dir.path(), &exp, &summary, |_| true, &unknown).is_err());
/// ```
pub fn write_run_figures_with(
    dir: &Path,
    exp: &Experiment,
    summary: &Summary,
    wanted: impl Fn(&str) -> bool,
    options: &FigureOptions,
) -> Result<Vec<(String, String)>, Error> {
    let st = &options.style;
    st.validate()?;
    let phases = exp.scored_phases();
    if let Some(p) = &options.phase
        && !phases.contains(&p.as_str())
    {
        return Err(Error::invalid(
            "phase",
            p,
            format!(
                "figures are drawn for the scored phases: {}",
                phases.join(", ")
            ),
        ));
    }
    prepare(dir)?;
    let across_phases = phase_quantity(exp, summary);
    let mut written = Vec::new();
    for (k, &phase) in phases.iter().enumerate() {
        let suffix = if phases.len() == 1 {
            String::new()
        } else {
            format!("-{}", crate::atomic::file_safe(phase))
        };
        let mut figures = vec![
            (
                format!("latency-by-trial{suffix}"),
                format!("Mean escape latency (± SEM) by trial, {phase}"),
                Figure::LatencyByTrial,
            ),
            (
                format!("failing{suffix}"),
                format!("Subjects failing, with Wilson 95 % intervals, {phase}"),
                Figure::Failing,
            ),
            (
                format!("subject-latencies{suffix}"),
                format!("Each subject's mean latency, {phase}"),
                Figure::SubjectLatencies,
            ),
        ];
        if options.phase.as_deref().is_some_and(|p| p != phase) {
            continue;
        }
        if k == 0 && options.phase.is_none() {
            figures.push(("traces".into(), TRACES_CAPTION.into(), Figure::Traces));
        }
        let by_group = if across_phases.is_none() {
            group_quantity(summary, phase)
        } else {
            None
        };
        let varied = match (&across_phases, &by_group) {
            (Some(v), _) if k == 0 && options.phase.is_none() => {
                Some((String::from("effect-vs-quantity"), v))
            }
            (None, Some(v)) => Some((format!("effect-vs-quantity{suffix}"), v)),
            _ => None,
        };
        if let Some((stem, (axis, series))) = varied {
            let caption = match &by_group {
                Some(_) => {
                    format!("Mean escape latency against the quantity varied in {axis}, {phase}")
                }
                None => format!("Mean escape latency against the quantity varied in {axis}"),
            };
            figures.push((stem, caption, Figure::EffectVsQuantity(axis, series)));
        }
        for (stem, caption, figure) in figures {
            if wanted(stem.strip_suffix(suffix.as_str()).unwrap_or(&stem)) {
                written.push(draw(dir, &stem, caption, &figure, exp, summary, phase, st)?);
            }
        }
    }
    Ok(written)
}

/// Registers the font and creates `dir`.
fn prepare(dir: &Path) -> Result<(), Error> {
    register_font();
    std::fs::create_dir_all(dir).map_err(|source| crate::atomic::io_error(dir, source))
}

/// A figure with its data, drawable on any backend.
pub(crate) trait Drawing {
    fn draw_on<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        st: &Style,
    ) -> Result<(), Error>;
}

/// One of a run's figures of one phase.
struct RunFigure<'a> {
    figure: &'a Figure<'a>,
    exp: &'a Experiment,
    summary: &'a Summary,
    phase: &'a str,
}

impl Drawing for RunFigure<'_> {
    fn draw_on<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        st: &Style,
    ) -> Result<(), Error> {
        self.figure
            .draw(area, self.exp, self.summary, self.phase, st)
    }
}

/// Draws `figure` of `phase` as `dir/STEM.png` and `.svg` ([`save`]).
#[allow(clippy::too_many_arguments)] // a figure, its data and where it goes
fn draw(
    dir: &Path,
    stem: &str,
    caption: String,
    figure: &Figure<'_>,
    exp: &Experiment,
    summary: &Summary,
    phase: &str,
    st: &Style,
) -> Result<(String, String), Error> {
    let drawing = RunFigure {
        figure,
        exp,
        summary,
        phase,
    };
    save(dir, stem, caption, &drawing, st)
}

/// Draws `drawing` as `dir/STEM.png` and `.svg`, each drawn in memory and written
/// whole (a kill or a full disk never leaves a truncated figure under its final name).
/// Returns (caption, the PNG's file name).
pub(crate) fn save(
    dir: &Path,
    stem: &str,
    caption: String,
    drawing: &impl Drawing,
    st: &Style,
) -> Result<(String, String), Error> {
    let png = dir.join(format!("{stem}.png"));
    let size = st.pixels();
    let mut pixels = vec![0u8; size.0 as usize * size.1 as usize * 3];
    drawing
        .draw_on(
            &BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area(),
            st,
        )
        .map_err(|e| named(e, &png))?;
    crate::atomic::write(
        &png,
        &encode_png(&pixels, size).map_err(|e| named(e, &png))?,
    )?;
    let svg = dir.join(format!("{stem}.svg"));
    let mut text = String::new();
    drawing
        .draw_on(
            &SVGBackend::with_string(&mut text, size).into_drawing_area(),
            st,
        )
        .map_err(|e| named(e, &svg))?;
    crate::atomic::write(&svg, text.as_bytes())?;
    Ok((caption, format!("{stem}.png")))
}

#[cfg(test)]
mod tests {
    use super::quantity;
    use crate::analysis::wilson;

    #[test]
    fn quantities_are_read_from_names() {
        assert_eq!(quantity("p=0.25"), Some((0.25, "p=·".to_string())));
        assert_eq!(quantity("IS-72h"), Some((72.0, "IS-·h".to_string())));
        assert_eq!(quantity("day-4"), Some((4.0, "day-·".to_string())));
        assert_eq!(quantity("escapable"), None);
    }

    #[test]
    fn wilson_interval_matches_a_textbook_value() {
        // Newcombe (1998), example: 81 of 263 -> 0.2553 to 0.3662.
        let (lo, hi) = wilson(81, 263);
        assert_eq!(format!("{lo:.4} {hi:.4}"), "0.2553 0.3662");
    }
}
