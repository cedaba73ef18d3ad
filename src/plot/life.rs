//! Figures of a life study: one panel per domain, one line per group over the weeks of
//! the life, with phase boundaries marked.
//!
//! - `trajectories`: the domain's expectation of control, mean ± SEM (a band);
//! - `helpless`: the share of people in a helpless state
//!   ([`WeekRecord::helpless`](crate::life::WeekRecord::helpless)).

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::parts::{legend_panel, mean_with_band, tick, with_legend_column};
use super::{Drawing, Rendered, Style, fail, prepare, render};
use crate::error::Error;
use crate::life::{LifeSummary, WeekCell};

/// Which readout a life figure shows.
#[derive(Clone, Copy)]
enum Readout {
    Expectation,
    Helpless,
}

impl Readout {
    /// Mean and half-width of the band, in the figure's units.
    fn of(self, c: &WeekCell) -> (f64, f64) {
        match self {
            Readout::Expectation => {
                let e = c.expectation();
                (e.mean, if e.n > 1 { c.sem(e) } else { 0.0 })
            }
            Readout::Helpless => (100.0 * c.helpless_share(), 0.0),
        }
    }
    fn range(self) -> std::ops::Range<f64> {
        match self {
            Readout::Expectation => 0.0..1.0,
            Readout::Helpless => 0.0..100.0,
        }
    }
    fn label(self) -> &'static str {
        match self {
            Readout::Expectation => "E (mean ± SEM)",
            Readout::Helpless => "Helpless (%)",
        }
    }
}

struct LifeFigure<'a> {
    name: &'a str,
    summary: &'a LifeSummary,
    readout: Readout,
}

impl Drawing for LifeFigure<'_> {
    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        st: &Style,
    ) -> Result<(), Error> {
        root.fill(&WHITE).map_err(fail)?;
        let s = self.summary;
        let names: Vec<String> = s.groups.iter().map(|g| g.name.clone()).collect();
        let title = match self.readout {
            Readout::Expectation => format!("{}: expectation of control by domain", self.name),
            Readout::Helpless => format!("{}: people in a helpless state by domain", self.name),
        };
        let (top, body) = root.split_vertically(st.px(40));
        top.titled(&title, st.font(22)).map_err(fail)?;
        let (plots, legend) = with_legend_column(&body, &names, st);
        legend_panel(&legend, &names, st)?;
        let n = s.domains.len().max(1);
        let cols = (n as f64).sqrt().ceil() as usize;
        let rows = n.div_ceil(cols);
        let panels = plots.split_evenly((rows, cols));
        let weeks = s
            .groups
            .iter()
            .flat_map(|g| g.cells.iter().map(|c| c.week))
            .max()
            .unwrap_or(1);
        // Phase boundaries: the first week of each phase after the first.
        let mut starts: Vec<(u32, String)> = Vec::new();
        if let Some(g) = s.groups.first() {
            for c in &g.cells {
                if starts.last().is_none_or(|(_, p)| **p != *c.phase) {
                    starts.push((c.week, c.phase.to_string()));
                }
            }
        }
        let range = self.readout.range();
        for (d, panel) in panels.iter().enumerate().take(s.domains.len()) {
            let mut chart = ChartBuilder::on(panel)
                .caption(&s.domains[d], st.font(18))
                .margin(st.px(8))
                .x_label_area_size(st.px(36))
                .y_label_area_size(st.px(48))
                .build_cartesian_2d(0f64..f64::from(weeks) + 1.0, range.clone())
                .map_err(fail)?;
            chart
                .configure_mesh()
                .light_line_style(WHITE)
                .x_desc("Week")
                .y_desc(if d % cols == 0 {
                    self.readout.label()
                } else {
                    ""
                })
                .y_label_formatter(&|y| tick(*y))
                .x_label_formatter(&|x| format!("{x:.0}"))
                .x_labels(6)
                .y_labels(6)
                .axis_desc_style(st.font(13))
                .label_style(st.font(12))
                .draw()
                .map_err(fail)?;
            for (w, phase) in starts.iter().skip(1) {
                let x = f64::from(*w) - 0.5;
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x, range.start), (x, range.end)],
                        BLACK.mix(0.35).stroke_width(st.line(1)),
                    )))
                    .map_err(fail)?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        phase.clone(),
                        (x + 0.3, range.end - (range.end - range.start) * 0.02),
                        st.font(11),
                    )))
                    .map_err(fail)?;
            }
            for (k, g) in s.groups.iter().enumerate() {
                let points: Vec<(f64, f64, f64)> = g
                    .cells
                    .iter()
                    .filter(|c| c.domain == d)
                    .map(|c| {
                        let (m, h) = self.readout.of(c);
                        (f64::from(c.week), m, h)
                    })
                    .filter(|(_, m, _)| m.is_finite())
                    .collect();
                if points.is_empty() {
                    continue;
                }
                mean_with_band(&mut chart, &points, k, st)?;
            }
        }
        root.present().map_err(fail)
    }
}

/// Writes a life study's figures, `trajectories` and `helpless` (PNG and SVG), into
/// `dir`; returns (caption, PNG file name) of each.
///
/// ```
/// use helplessness::{plot, protocol, life, RunOptions};
/// let loaded = protocol::bundled_life("life-situational").unwrap();
/// let study = loaded.study.with_subjects(8);
/// let summary = life::run(&study, 1, &RunOptions::default(), &mut (), None).unwrap();
/// let dir = tempfile::tempdir().unwrap();
/// let figures = plot::write_life_figures(dir.path(), &study.name, &summary).unwrap();
/// assert_eq!(figures.len(), 2);
/// assert!(dir.path().join("trajectories.png").exists());
/// ```
pub fn write_life_figures(
    dir: &Path,
    name: &str,
    summary: &LifeSummary,
) -> Result<Vec<(String, String)>, Error> {
    let rendered = render_life_figures(name, summary, &Style::default())?;
    prepare(dir)?;
    rendered.iter().map(|r| r.write(dir)).collect()
}

/// The figures [`write_life_figures`] writes, drawn in memory at the size and
/// resolution of `st`.
pub fn render_life_figures(
    name: &str,
    summary: &LifeSummary,
    st: &Style,
) -> Result<Vec<Rendered>, Error> {
    st.validate()?;
    let mut out = Vec::new();
    for (stem, readout, caption) in [
        (
            "trajectories",
            Readout::Expectation,
            "Expectation of control by domain over the weeks of life, mean ± SEM per group",
        ),
        (
            "helpless",
            Readout::Helpless,
            "Share of people in a helpless state (E < 0.25 and under a quarter of the \
             week's opportunities tried), by domain",
        ),
    ] {
        let figure = LifeFigure {
            name,
            summary,
            readout,
        };
        out.push(render(stem, caption.to_string(), &figure, st)?);
    }
    Ok(out)
}
