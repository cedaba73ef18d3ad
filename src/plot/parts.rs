//! Pieces the figures share: markers, mean lines with whiskers, the legend column,
//! dashed lines, labels and tick formats.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Style, colour, fail};
use crate::analysis::Summary;
use crate::error::Error;

/// Named series of (x, mean, SEM): one line per group.
pub(super) type Series = Vec<(String, Vec<(f64, f64, f64)>)>;

/// Draws a mean line in colour `k` over its ± SEM band, from (x, mean, SEM) points.
pub(super) fn mean_with_band<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    points: &[(f64, f64, f64)],
    k: usize,
    st: &Style,
) -> Result<(), Error> {
    // Upper edge forward, lower edge back.
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
    let style = ShapeStyle::from(colour(k)).stroke_width(st.line(2));
    chart
        .draw_series(LineSeries::new(
            points.iter().map(|&(x, m, _)| (x, m)),
            style,
        ))
        .map_err(fail)?;
    Ok(())
}

/// Draws markers of shape `k` (circle, triangle, square, cross) at each point.
pub(super) fn markers<DB, I>(
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
pub(super) fn mean_lines<'a, DB: DrawingBackend + 'a>(
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
pub(super) fn legend_panel<DB: DrawingBackend>(
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
pub(super) fn with_legend_column<DB: DrawingBackend>(
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
pub(super) fn gap_text(hours: f64) -> String {
    if hours < 1.0 {
        format!("+{} min", tick(hours * 60.0))
    } else if hours < 48.0 {
        format!("+{} h", tick(hours))
    } else {
        format!("+{} d", tick(hours / 24.0))
    }
}

/// A tick label with no trailing zeros (`30`, `2.5`).
pub(super) fn tick(y: f64) -> String {
    trimmed(y, 2)
}

/// `x` with at most `digits` decimals and no trailing zeros (`0.125`, `10`).
pub(super) fn trimmed(x: f64, digits: usize) -> String {
    let s = format!("{x:.digits$}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A label for a tick at `x` only where `x` is a whole number (trial numbers).
pub(super) fn whole(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        String::new()
    }
}

/// A dashed line through `points`.
pub(super) fn dashed<DB: DrawingBackend>(
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
pub(super) fn boxed_text<DB: DrawingBackend>(
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
pub(super) fn text(
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
pub(super) fn with_n(summary: &Summary, phase: &str, group: &str) -> String {
    match summary.groups(phase).iter().find(|g| g.group == group) {
        Some(g) => format!("{group} (n = {})", g.n),
        None => group.to_string(),
    }
}

/// The name of the category at axis position `x` (groups sit at 0, 1, 2, ...).
pub(super) fn category(names: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() < 1e-6 && i >= 0.0 {
        names.get(i as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}
