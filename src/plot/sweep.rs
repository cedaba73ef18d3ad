//! The figure of a sweep: its outcome over the axes, per scored phase.
//!
//! The outcome is the percentage of subjects failing where a criterion scores the
//! phase, else the mean escape latency; each combination shows the mean over its
//! replicates. One axis: a line per group against the axis value (± SEM over
//! replicates). Two or more axes on a grid: a heatmap per group over the first two
//! axes (further axes averaged, and said so), each cell labelled with its value. A
//! random sample over two or more axes: a scatter of the first two, coloured by value.

use std::collections::HashMap;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::parts::{Series, legend_panel, mean_lines, trimmed, with_legend_column};
use super::{Drawing, Style, fail, prepare, save};
use crate::analysis::mean_sem;
use crate::error::Error;
use crate::sweep::Table;

/// Per group, per combination (axis values), the outcome of each replicate.
struct Outcomes<'a> {
    phase: &'a str,
    axes: &'a [String],
    /// Whether the outcome is the percentage failing (else latency).
    failing: bool,
    groups: Vec<&'a str>,
    combinations: Vec<&'a [String]>,
    /// values[group][combination]: one outcome per replicate.
    values: Vec<Vec<Vec<f64>>>,
}

impl<'a> Outcomes<'a> {
    fn of(table: &'a Table, phase: &'a str) -> Self {
        let rows: Vec<_> = table.rows.iter().filter(|r| r.phase == phase).collect();
        let failing = rows.iter().all(|r| r.failing.is_some());
        let mut groups: Vec<&str> = Vec::new();
        let mut combinations: Vec<&[String]> = Vec::new();
        let mut combination_index: HashMap<&[String], usize> = HashMap::new();
        let mut values: Vec<Vec<Vec<f64>>> = Vec::new();
        for r in rows {
            let g = match groups.iter().position(|g| *g == r.group) {
                Some(g) => g,
                None => {
                    groups.push(&r.group);
                    values.push(vec![Vec::new(); combinations.len()]);
                    groups.len() - 1
                }
            };
            let c = *combination_index.entry(&r.values).or_insert_with(|| {
                combinations.push(&r.values);
                values.iter_mut().for_each(|v| v.push(Vec::new()));
                combinations.len() - 1
            });
            let outcome = match r.failing {
                Some(k) if failing && r.n > 0 => 100.0 * k as f64 / r.n as f64,
                _ if failing => f64::NAN,
                _ => r.mean_latency_s,
            };
            if outcome.is_finite() {
                values[g][c].push(outcome);
            }
        }
        Outcomes {
            phase,
            axes: &table.axes,
            failing,
            groups,
            combinations,
            values,
        }
    }

    fn label(&self) -> &'static str {
        if self.failing {
            "Subjects failing, %"
        } else {
            "Mean escape latency, s"
        }
    }

    /// Distinct values of axis `a`, in order of first appearance.
    fn levels(&self, a: usize) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.combinations {
            if !out.contains(&c[a].as_str()) {
                out.push(&c[a]);
            }
        }
        out
    }

    /// Whether the combinations fill the grid of the first two axes (a grid sweep),
    /// rather than scatter over it (a random sample).
    fn is_grid(&self) -> bool {
        let cells = self.levels(0).len() * self.levels(1).len();
        cells <= 400 && self.combinations.len() >= cells
    }
}

impl Drawing for Outcomes<'_> {
    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        st: &Style,
    ) -> Result<(), Error> {
        root.fill(&WHITE).map_err(fail)?;
        if self.axes.len() == 1 {
            self.line(root, st)
        } else {
            self.panels(root, st)
        }
    }
}

impl Outcomes<'_> {
    /// One axis: outcome against the axis value, a line per group.
    fn line<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        st: &Style,
    ) -> Result<(), Error> {
        let numeric: Option<Vec<f64>> = self
            .combinations
            .iter()
            .map(|c| c[0].parse::<f64>().ok().filter(|x| x.is_finite()))
            .collect();
        let levels = self.levels(0);
        let x_of = |c: usize| match &numeric {
            Some(x) => x[c],
            None => levels
                .iter()
                .position(|l| *l == self.combinations[c][0])
                .unwrap_or(0) as f64,
        };
        let mut series: Series = Vec::new();
        let mut top: f64 = if self.failing { 100.0 } else { 1.0 };
        for (g, name) in self.groups.iter().enumerate() {
            let mut points: Vec<(f64, f64, f64)> = (0..self.combinations.len())
                .filter(|&c| !self.values[g][c].is_empty())
                .map(|c| {
                    let (m, e) = mean_sem(&self.values[g][c]);
                    (x_of(c), m, e)
                })
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            for p in &points {
                top = top.max(p.1 + p.2.max(0.0));
            }
            series.push((name.to_string(), points));
        }
        let xs: Vec<f64> = (0..self.combinations.len()).map(x_of).collect();
        let (lo, hi) = xs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let pad = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
        let names: Vec<String> = series.iter().map(|(n, _)| n.clone()).collect();
        let (plot, legend) = with_legend_column(root, &names, st);
        let mut chart = ChartBuilder::on(&plot)
            .caption(
                format!(
                    "{} against {}, phase {}",
                    self.label(),
                    self.axes[0],
                    self.phase
                ),
                st.font(22),
            )
            .margin(st.px(16))
            .x_label_area_size(st.px(50))
            .y_label_area_size(st.px(70))
            .build_cartesian_2d((lo - pad)..(hi + pad), 0f64..top * 1.08)
            .map_err(fail)?;
        let level_names: Vec<String> = levels.iter().map(|l| l.to_string()).collect();
        let categorical = numeric.is_none();
        chart
            .configure_mesh()
            .x_label_formatter(&|x| {
                if categorical {
                    super::parts::category(&level_names, *x)
                } else {
                    trimmed(*x, 3)
                }
            })
            .x_desc(self.axes[0].as_str())
            .y_desc(format!("{} (mean ± SEM over replicates)", self.label()))
            .axis_desc_style(st.font(18))
            .label_style(st.font(15))
            .draw()
            .map_err(fail)?;
        mean_lines(&mut chart, &series, None, st)?;
        legend_panel(&legend, &names, st)?;
        root.present().map_err(fail)
    }

    /// Two or more axes: a heatmap (grid) or a scatter (sample) per group.
    fn panels<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        st: &Style,
    ) -> Result<(), Error> {
        let averaged = if self.axes.len() > 2 {
            format!(", mean over {}", self.axes[2..].join(", "))
        } else {
            String::new()
        };
        // One colour scale for every panel, from 0 to the largest value (at least
        // 10 % or 1 s), so that small effects still show; every cell carries its number.
        let top = self
            .values
            .iter()
            .flatten()
            .flatten()
            .copied()
            .fold(if self.failing { 10.0 } else { 1.0 }, f64::max);
        let title = root
            .titled(
                &format!(
                    "{}, phase {}{averaged}; colour 0 to {}",
                    self.label(),
                    self.phase,
                    short_value(top, self.failing)
                ),
                st.font(22),
            )
            .map_err(fail)?;
        let n = self.groups.len().max(1);
        let columns = n.min(3);
        let rows = n.div_ceil(columns);
        let areas = title.split_evenly((rows, columns));
        for (g, area) in areas.iter().enumerate().take(self.groups.len()) {
            if self.is_grid() {
                self.heatmap(area, g, top, st)?;
            } else {
                self.scatter(area, g, top, st)?;
            }
        }
        root.present().map_err(fail)
    }

    fn heatmap<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        g: usize,
        top: f64,
        st: &Style,
    ) -> Result<(), Error> {
        let (xs, ys) = (self.levels(0), self.levels(1));
        let mut chart = ChartBuilder::on(area)
            .caption(self.groups[g], st.font(18))
            .margin(st.px(8))
            .x_label_area_size(st.px(44))
            .y_label_area_size(st.px(60))
            .build_cartesian_2d(
                -0.5f64..(xs.len() as f64 - 0.5),
                -0.5f64..(ys.len() as f64 - 0.5),
            )
            .map_err(fail)?;
        let xn: Vec<String> = xs.iter().map(|s| s.to_string()).collect();
        let yn: Vec<String> = ys.iter().map(|s| s.to_string()).collect();
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(xs.len())
            .y_labels(ys.len())
            .x_label_formatter(&|x| super::parts::category(&xn, *x))
            .y_label_formatter(&|y| super::parts::category(&yn, *y))
            .x_desc(short_path(&self.axes[0]))
            .y_desc(short_path(&self.axes[1]))
            .axis_desc_style(st.font(14))
            .label_style(st.font(13))
            .draw()
            .map_err(fail)?;
        // Cells: the mean over replicates (and over further axes).
        let mut cells: Vec<(usize, usize, Vec<f64>)> = Vec::new();
        for (c, combination) in self.combinations.iter().enumerate() {
            let i = xs.iter().position(|x| *x == combination[0]).unwrap_or(0);
            let j = ys.iter().position(|y| *y == combination[1]).unwrap_or(0);
            match cells.iter_mut().find(|(a, b, _)| (*a, *b) == (i, j)) {
                Some((_, _, v)) => v.extend(&self.values[g][c]),
                None => cells.push((i, j, self.values[g][c].clone())),
            }
        }
        let unit = if self.failing { " %" } else { " s" };
        for (i, j, v) in cells {
            if v.is_empty() {
                continue;
            }
            let m = mean_sem(&v).0;
            let h = (m / top).clamp(0.0, 1.0);
            let fill = ViridisRGB.get_color(h);
            let (x, y) = (i as f64, j as f64);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                    fill.filled(),
                )))
                .map_err(fail)?;
            let ink = if h > 0.6 { BLACK } else { WHITE };
            let digits = if self.failing { 0 } else { 1 };
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{m:.digits$}{unit}"),
                    (x - 0.3, y + 0.1),
                    st.font(14).into_font().color(&ink),
                )))
                .map_err(fail)?;
        }
        Ok(())
    }

    fn scatter<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        g: usize,
        top: f64,
        st: &Style,
    ) -> Result<(), Error> {
        let at = |c: usize, a: usize| self.combinations[c][a].parse::<f64>().unwrap_or(f64::NAN);
        let range = |a: usize| {
            let (lo, hi) = (0..self.combinations.len())
                .map(|c| at(c, a))
                .filter(|x| x.is_finite())
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| {
                    (l.min(x), h.max(x))
                });
            if lo.is_finite() && hi > lo {
                let pad = (hi - lo) * 0.05;
                (lo - pad)..(hi + pad)
            } else {
                0.0..1.0
            }
        };
        let mut chart = ChartBuilder::on(area)
            .caption(self.groups[g], st.font(18))
            .margin(st.px(8))
            .x_label_area_size(st.px(44))
            .y_label_area_size(st.px(60))
            .build_cartesian_2d(range(0), range(1))
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| trimmed(*x, 3))
            .y_label_formatter(&|y| trimmed(*y, 3))
            .x_desc(short_path(&self.axes[0]))
            .y_desc(short_path(&self.axes[1]))
            .axis_desc_style(st.font(14))
            .label_style(st.font(13))
            .draw()
            .map_err(fail)?;
        chart
            .draw_series((0..self.combinations.len()).filter_map(|c| {
                let v = &self.values[g][c];
                let (x, y) = (at(c, 0), at(c, 1));
                (!v.is_empty() && x.is_finite() && y.is_finite()).then(|| {
                    let h = (mean_sem(v).0 / top).clamp(0.0, 1.0);
                    Circle::new((x, y), st.px(5), ViridisRGB.get_color(h).filled())
                })
            }))
            .map_err(fail)?;
        Ok(())
    }
}

/// A value with its unit.
fn short_value(x: f64, failing: bool) -> String {
    if failing {
        format!("{x:.0} %")
    } else {
        format!("{x:.1} s")
    }
}

/// The last two steps of a long path (`...escapable-or-yoked.p`), for a panel's axis.
fn short_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.len() > 2 {
        format!("…{}", parts[parts.len() - 2..].join("."))
    } else {
        path.to_string()
    }
}

/// Writes the figure of a sweep table into `dir` for each scored phase (`sweep.png`
/// and `.svg`, or `sweep-PHASE` when there are several). Returns (caption, PNG name).
///
/// ```
/// use helplessness::{plot, sweep::Table};
/// let csv = "point,replicate,seed,params.x,params.y,group,phase,n,mean_latency_s,sem_latency_s,failing,fail_rate,mean_freezing\n\
///            0,0,1,0.1,1,a,test,10,20,1,6,0.6,0\n1,0,1,0.1,2,a,test,10,20,1,4,0.4,0\n\
///            2,0,1,0.2,1,a,test,10,20,1,2,0.2,0\n3,0,1,0.2,2,a,test,10,20,1,0,0,0\n";
/// let dir = tempfile::tempdir().unwrap();
/// let figures = plot::write_sweep_figures(dir.path(), &Table::parse(csv.as_bytes()).unwrap()).unwrap();
/// assert_eq!(figures[0].1, "sweep.png");
/// assert!(dir.path().join("sweep.svg").exists());
/// ```
pub fn write_sweep_figures(dir: &Path, table: &Table) -> Result<Vec<(String, String)>, Error> {
    prepare(dir)?;
    let mut phases: Vec<&str> = Vec::new();
    for r in &table.rows {
        if !phases.contains(&r.phase.as_str()) {
            phases.push(&r.phase);
        }
    }
    let mut written = Vec::new();
    for phase in &phases {
        let outcomes = Outcomes::of(table, phase);
        let stem = if phases.len() == 1 {
            "sweep".to_string()
        } else {
            format!("sweep-{}", crate::atomic::file_safe(phase))
        };
        let caption = format!(
            "{} over {}, phase {phase}, mean over replicates",
            outcomes.label(),
            table.axes.join(" x ")
        );
        written.push(save(dir, &stem, caption, &outcomes, &Style::default())?);
    }
    Ok(written)
}
