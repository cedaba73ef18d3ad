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

use crate::analysis::Summary;
pub use crate::analysis::wilson;
use crate::error::Error;
use crate::experiment::Experiment;

mod sweep;
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
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    k: usize,
    points: I,
    style: ShapeStyle,
) -> Result<(), Error>
where
    DB: DrawingBackend,
    I: IntoIterator<Item = (f64, f64)> + Clone,
{
    let r = 5;
    let result = match k % 4 {
        0 => chart
            .draw_series(
                points
                    .into_iter()
                    .map(|p| EmptyElement::at(p) + Circle::new((0, 0), r, style)),
            )
            .map(|_| ()),
        1 => chart
            .draw_series(
                points
                    .into_iter()
                    .map(|p| EmptyElement::at(p) + TriangleMarker::new((0, 0), r + 1, style)),
            )
            .map(|_| ()),
        2 => chart
            .draw_series(points.into_iter().map(|p| {
                EmptyElement::at(p) + Rectangle::new([(-r + 1, -r + 1), (r - 1, r - 1)], style)
            }))
            .map(|_| ()),
        _ => chart
            .draw_series(
                points
                    .into_iter()
                    .map(|p| EmptyElement::at(p) + Cross::new((0, 0), r, style)),
            )
            .map(|_| ()),
    };
    result.map_err(fail)
}

/// Draws each named series of (x, mean, SEM) as whiskers, a line and markers in its own
/// colour and shape, then the legend. Series with no points are skipped.
fn mean_lines<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    series: &Series,
) -> Result<(), Error> {
    for (k, (name, points)) in series.iter().enumerate() {
        if points.is_empty() {
            continue;
        }
        let style = ShapeStyle::from(colour(k)).stroke_width(2);
        chart
            .draw_series(points.iter().map(|&(x, m, e)| {
                let e = if e.is_finite() { e } else { 0.0 };
                ErrorBar::new_vertical(x, (m - e).max(0.0), m, m + e, style, 7)
            }))
            .map_err(fail)?;
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|&(x, m, _)| (x, m)),
                style,
            ))
            .map_err(fail)?
            .label(name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], style));
        let at: Vec<(f64, f64)> = points.iter().map(|&(x, m, _)| (x, m)).collect();
        markers(chart, k, at, style.filled())?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(("sans-serif", 18))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(fail)
}

/// Figure 1: mean latency ± SEM by trial, one line per group.
fn latency_by_trial<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    exp: &Experiment,
    summary: &Summary,
    phase: &str,
) -> Result<(), Error> {
    root.fill(&WHITE).map_err(fail)?;
    let rows = summary.trial_rows();
    let cutoff = exp
        .phases
        .iter()
        .find(|p| p.name == phase)
        .map_or(30.0, |p| p.schedule.cutoff_s);
    let trials = rows
        .iter()
        .filter(|r| r.phase == phase)
        .map(|r| r.trial)
        .max()
        .unwrap_or(1);
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("{}: escape latency by trial ({phase})", exp.name),
            ("sans-serif", 26),
        )
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(0.5f64..(f64::from(trials) + 0.5), 0f64..cutoff * 1.05)
        .map_err(fail)?;
    chart
        .configure_mesh()
        .x_label_formatter(&|x| format!("{x:.0}"))
        .x_desc(format!("Trial of phase {phase}"))
        .y_desc("Mean escape latency (s, ± SEM)")
        .axis_desc_style(("sans-serif", 20))
        .label_style(("sans-serif", 16))
        .draw()
        .map_err(fail)?;
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
            (group, points)
        })
        .collect();
    mean_lines(&mut chart, &series)?;
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

/// Figure 2: percentage failing by group with Wilson 95 % intervals.
fn failing_by_group<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    exp: &Experiment,
    summary: &Summary,
    phase: &str,
) -> Result<(), Error> {
    root.fill(&WHITE).map_err(fail)?;
    let groups: Vec<_> = summary.groups_with_subjects(phase);
    let criterion = exp.criterion.as_ref().map_or(String::new(), |c| {
        format!(" (≥ {} failed trials)", c.min_failures)
    });
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("{}: subjects failing{criterion}", exp.name),
            ("sans-serif", 26),
        )
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5f64..(groups.len() as f64 - 0.5), 0f64..100f64)
        .map_err(fail)?;
    let names: Vec<String> = groups.iter().map(|g| g.group.clone()).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(groups.len())
        .x_label_formatter(&|x| category(&names, *x))
        .x_desc(format!("Group (phase {phase})"))
        .y_desc("Subjects failing (%, Wilson 95 % CI)")
        .axis_desc_style(("sans-serif", 20))
        .label_style(("sans-serif", 16))
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
                BLACK.stroke_width(1),
            )))
            .map_err(fail)?;
        chart
            .draw_series(std::iter::once(ErrorBar::new_vertical(
                x,
                100.0 * lo,
                pct,
                100.0 * hi,
                BLACK.stroke_width(2),
                14,
            )))
            .map_err(fail)?;
    }
    root.present().map_err(fail)
}

/// Figure 3: each subject's mean latency by group, jittered deterministically.
fn subject_strips<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    exp: &Experiment,
    summary: &Summary,
    phase: &str,
) -> Result<(), Error> {
    root.fill(&WHITE).map_err(fail)?;
    let groups: Vec<_> = summary.groups_with_subjects(phase);
    let cutoff = exp
        .phases
        .iter()
        .find(|p| p.name == phase)
        .map_or(30.0, |p| p.schedule.cutoff_s);
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("{}: each subject's mean latency ({phase})", exp.name),
            ("sans-serif", 26),
        )
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5f64..(groups.len() as f64 - 0.5), 0f64..cutoff * 1.05)
        .map_err(fail)?;
    let names: Vec<String> = groups.iter().map(|g| g.group.clone()).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(groups.len())
        .x_label_formatter(&|x| category(&names, *x))
        .x_desc("Group (one point per subject)")
        .y_desc("Subject's mean escape latency (s)")
        .axis_desc_style(("sans-serif", 20))
        .label_style(("sans-serif", 16))
        .draw()
        .map_err(fail)?;
    for (k, g) in groups.iter().enumerate() {
        let style = colour(k).mix(0.55).filled();
        chart
            .draw_series(g.subject_means.iter().enumerate().map(|(i, &y)| {
                // Golden-ratio jitter: evenly spread, no random stream needed.
                let jitter = ((i as f64 * 0.618_033_988_75).fract() - 0.5) * 0.6;
                Circle::new((k as f64 + jitter, y), 3, style)
            }))
            .map_err(fail)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![
                    (k as f64 - 0.38, g.mean_latency_s),
                    (k as f64 + 0.38, g.mean_latency_s),
                ],
                BLACK.stroke_width(3),
            )))
            .map_err(fail)?;
    }
    root.present().map_err(fail)
}

/// Figure 4: internal traces over every phase, one panel per variable.
fn traces<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    exp: &Experiment,
    summary: &Summary,
) -> Result<(), Error> {
    root.fill(&WHITE).map_err(fail)?;
    let (title, body) = root.split_vertically(44);
    title
        .draw(&Text::new(
            format!(
                "{}: internal state at trial end (mean ± SEM), all phases",
                exp.name
            ),
            (16, 10),
            ("sans-serif", 24),
        ))
        .map_err(fail)?;
    let names = summary.group_names();
    let phases = summary.phase_names();
    let panels = body.split_evenly((2, 3));
    let variables = [
        ("c", "controllability estimate c"),
        ("m", "mPFC output m"),
        ("d", "DRN firing d"),
        ("s", "DRN sensitization s"),
        ("w", "stress-evoked mPFC drive w"),
        ("G", "expectation of control G"),
    ];
    for (panel, (var, label)) in panels.iter().zip(variables) {
        let series: Vec<Vec<(f64, f64, f64)>> = names
            .iter()
            .map(|g| {
                phases
                    .iter()
                    .flat_map(|p| summary.trace(g, p, var))
                    .enumerate()
                    .filter(|(_, (m, _))| m.is_finite())
                    .map(|(i, (m, e))| ((i + 1) as f64, m, if e.is_finite() { e } else { 0.0 }))
                    .collect()
            })
            .collect();
        let x_max = series.iter().map(|s| s.len()).max().unwrap_or(1) as f64;
        let (lo, hi) = series.iter().flatten().fold(
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
            .caption(label, ("sans-serif", 17))
            .margin(8)
            .x_label_area_size(34)
            .y_label_area_size(52)
            .build_cartesian_2d(0f64..x_max + 1.0, (lo - pad)..(hi + pad))
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_desc("Trial (all phases in order)")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .label_style(("sans-serif", 12))
            .axis_desc_style(("sans-serif", 13))
            .x_labels(5)
            .y_labels(5)
            .draw()
            .map_err(fail)?;
        for (k, (group, points)) in names.iter().zip(&series).enumerate() {
            let style = ShapeStyle::from(colour(k)).stroke_width(2);
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
                .map_err(fail)?
                .label(group.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], style));
        }
        if var == "c" {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerLeft)
                .label_font(("sans-serif", 12))
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .draw()
                .map_err(fail)?;
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
        let series = summary
            .group_names()
            .into_iter()
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
        let key = quantity(numbered_phases[0].0)
            .map(|(_, k)| k)
            .unwrap_or_default();
        if !series.is_empty() {
            return Some((format!("phase `{key}`"), series));
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
    let axis = series.first().map(|(k, _)| format!("group `{k}`"))?;
    Some((axis, series))
}

/// Figure 5: mean latency ± SEM against the varied quantity.
fn effect_vs_quantity<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    exp: &Experiment,
    axis: &str,
    series: &Series,
) -> Result<(), Error> {
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
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("{}: escape latency against the varied quantity", exp.name),
            ("sans-serif", 26),
        )
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d((x_lo - pad)..(x_hi + pad), 0f64..(y_hi * 1.1).max(1.0))
        .map_err(fail)?;
    chart
        .configure_mesh()
        .x_desc(format!("Quantity · in {axis}"))
        .y_desc("Mean escape latency (s, ± SEM)")
        .axis_desc_style(("sans-serif", 20))
        .label_style(("sans-serif", 16))
        .draw()
        .map_err(fail)?;
    mean_lines(&mut chart, series)?;
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
    ) -> Result<(), Error> {
        match self {
            Figure::LatencyByTrial => latency_by_trial(area, exp, summary, phase),
            Figure::Failing => failing_by_group(area, exp, summary, phase),
            Figure::SubjectLatencies => subject_strips(area, exp, summary, phase),
            Figure::Traces => traces(area, exp, summary),
            Figure::EffectVsQuantity(axis, series) => effect_vs_quantity(area, exp, axis, series),
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
        written.push(draw(dir, stem, caption, &figure, exp, summary, phase)?);
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
    prepare(dir)?;
    let phases = exp.scored_phases();
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
        if k == 0 {
            figures.push(("traces".into(), TRACES_CAPTION.into(), Figure::Traces));
        }
        let by_group = if across_phases.is_none() {
            group_quantity(summary, phase)
        } else {
            None
        };
        let varied = match (&across_phases, &by_group) {
            (Some(v), _) if k == 0 => Some((String::from("effect-vs-quantity"), v)),
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
                written.push(draw(dir, &stem, caption, &figure, exp, summary, phase)?);
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
    fn draw_on<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), Error>;
}

/// One of a run's figures of one phase.
struct RunFigure<'a> {
    figure: &'a Figure<'a>,
    exp: &'a Experiment,
    summary: &'a Summary,
    phase: &'a str,
}

impl Drawing for RunFigure<'_> {
    fn draw_on<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), Error> {
        self.figure.draw(area, self.exp, self.summary, self.phase)
    }
}

/// Draws `figure` of `phase` as `dir/STEM.png` and `.svg` ([`save`]).
fn draw(
    dir: &Path,
    stem: &str,
    caption: String,
    figure: &Figure<'_>,
    exp: &Experiment,
    summary: &Summary,
    phase: &str,
) -> Result<(String, String), Error> {
    let drawing = RunFigure {
        figure,
        exp,
        summary,
        phase,
    };
    save(dir, stem, caption, &drawing)
}

/// Draws `drawing` as `dir/STEM.png` and `.svg`, each drawn in memory and written
/// whole (a kill or a full disk never leaves a truncated figure under its final name).
/// Returns (caption, the PNG's file name).
pub(crate) fn save(
    dir: &Path,
    stem: &str,
    caption: String,
    drawing: &impl Drawing,
) -> Result<(String, String), Error> {
    let png = dir.join(format!("{stem}.png"));
    let (w, h) = SIZE;
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    drawing
        .draw_on(&BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area())
        .map_err(|e| named(e, &png))?;
    crate::atomic::write(
        &png,
        &encode_png(&pixels, SIZE).map_err(|e| named(e, &png))?,
    )?;
    let svg = dir.join(format!("{stem}.svg"));
    let mut text = String::new();
    drawing
        .draw_on(&SVGBackend::with_string(&mut text, SIZE).into_drawing_area())
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
