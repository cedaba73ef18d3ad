//! Between-group statistics of a sweep, per point and per combination, computed from
//! `sweep.csv` alone (so that merged shards give them exactly as an unsharded run).
//!
//! Per point ([`Table::comparisons_csv`], `comparisons.csv`): for every pair of groups
//! in a scored phase, Welch's t-test on the subjects' mean latencies, Hedges' g with
//! its normal-approximation 95 % interval (Hedges & Olkin 1985), and Fisher's exact test
//! on the failing subjects. Per combination ([`Table::power_csv`], `power.csv`): over
//! the replicates, the mean g and the share of replicates in which each test found the
//! pair different at α = 0.05, with its Wilson 95 % interval: the power of that design,
//! from simulated data, with no extra code.
//!
//! The row's summary (n, mean, SEM of the subjects' means) determines these tests
//! exactly; Mann-Whitney, which needs each subject, is only in a run's `stats.json`.

use statrs::stats_tests::Alternative;

use crate::analysis::{
    Described, GroupSummary, fisher_failures, floor_p, hedges_g_ci_described, hedges_g_described,
    welch_t_described,
};
// A number as a cell of the sweep's tables: shortest exact form, empty when undefined.
use super::number as cell;
use crate::error::Error;

/// Significance level of the power columns.
pub const ALPHA: f64 = 0.05;

/// One row of `sweep.csv`: a group's result in one scored phase at one point.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Point number.
    pub point: u64,
    /// Replicate of its combination.
    pub replicate: u32,
    /// Seed it ran with.
    pub seed: u64,
    /// Axis values, as written.
    pub values: Vec<String>,
    /// Group.
    pub group: String,
    /// Scored phase.
    pub phase: String,
    /// Subjects with a scored trial.
    pub n: usize,
    /// Mean of the subjects' mean latencies, s (NaN when empty).
    pub mean_latency_s: f64,
    /// Its standard error, s (NaN when undefined).
    pub sem_latency_s: f64,
    /// Failing subjects, when a criterion scores the phase.
    pub failing: Option<usize>,
    /// Mean freezing over subjects, 0-1 (NaN for a theory without fear).
    pub mean_freezing: f64,
}

impl Row {
    /// The row's cells in the order of the sweep's header (numbers in shortest exact
    /// form, undefined ones empty).
    ///
    /// ```
    /// use helplessness::sweep::Row;
    /// let row = Row {
    ///     point: 3, replicate: 1, seed: 2, values: vec!["0.2".into()],
    ///     group: "yoked".into(), phase: "test".into(), n: 10,
    ///     mean_latency_s: 12.5, sem_latency_s: f64::NAN, failing: Some(4),
    ///     mean_freezing: 0.25,
    /// };
    /// assert_eq!(row.cells().join(","), "3,1,2,0.2,yoked,test,10,12.5,,4,0.4,0.25");
    /// ```
    pub fn cells(&self) -> Vec<String> {
        let mut row = vec![
            self.point.to_string(),
            self.replicate.to_string(),
            self.seed.to_string(),
        ];
        row.extend(self.values.iter().cloned());
        row.extend([
            self.group.clone(),
            self.phase.clone(),
            self.n.to_string(),
            cell(self.mean_latency_s),
            cell(self.sem_latency_s),
            self.failing.map_or(String::new(), |f| f.to_string()),
            self.failing
                .map_or(String::new(), |f| cell(f as f64 / self.n as f64)),
            cell(self.mean_freezing),
        ]);
        row
    }

    fn described(&self) -> Described {
        Described {
            n: self.n,
            mean: self.mean_latency_s,
            sd: self.sem_latency_s * (self.n as f64).sqrt(),
        }
    }
}

/// `sweep.csv`, parsed.
///
/// ```
/// use helplessness::sweep::Table;
/// let csv = "point,replicate,seed,params.x,group,phase,n,mean_latency_s,sem_latency_s,failing,fail_rate,mean_freezing\n\
///            0,0,1,0.5,a,test,10,20,1,6,0.6,0.1\n\
///            0,0,1,0.5,b,test,10,5,1,0,0,0.1\n";
/// let table = Table::parse(csv.as_bytes()).unwrap();
/// assert_eq!(table.axes, ["params.x"]);
/// let out = String::from_utf8(table.comparisons_csv().unwrap()).unwrap();
/// let row: Vec<&str> = out.lines().nth(1).unwrap().split(',').collect();
/// assert_eq!(&row[..7], ["0", "0", "1", "0.5", "test", "a", "b"]);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Axis paths, in order.
    pub axes: Vec<String>,
    /// Rows, in file order (point, then group x phase).
    pub rows: Vec<Row>,
}

/// Columns of `sweep.csv` before the axes and after them.
pub(super) const BEFORE: [&str; 3] = ["point", "replicate", "seed"];
pub(super) const AFTER: [&str; 8] = [
    "group",
    "phase",
    "n",
    "mean_latency_s",
    "sem_latency_s",
    "failing",
    "fail_rate",
    "mean_freezing",
];

fn bad(line: usize, message: String) -> Error {
    Error::Protocol {
        file: "sweep.csv".into(),
        line: Some(line),
        column: None,
        message,
    }
}

/// A number cell; empty is NaN.
fn number(cell: &str, column: &str, line: usize) -> Result<f64, Error> {
    if cell.is_empty() {
        return Ok(f64::NAN);
    }
    cell.parse()
        .map_err(|e| bad(line, format!("column `{column}`, value `{cell}`: {e}")))
}

fn whole<T: std::str::FromStr>(cell: &str, column: &str, line: usize) -> Result<T, Error>
where
    T::Err: std::fmt::Display,
{
    cell.parse()
        .map_err(|e| bad(line, format!("column `{column}`, value `{cell}`: {e}")))
}

impl Table {
    /// Parses `sweep.csv` (the header names the axes).
    pub fn parse(bytes: &[u8]) -> Result<Self, Error> {
        let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| bad(1, e.to_string()))?
            .iter()
            .map(str::to_string)
            .collect();
        let k = header.len().saturating_sub(BEFORE.len() + AFTER.len());
        if header.len() < BEFORE.len() + AFTER.len()
            || header[..3] != BEFORE
            || header[3 + k..] != AFTER
        {
            return Err(bad(
                1,
                format!("not a sweep table's header: {}", header.join(",")),
            ));
        }
        let axes = header[3..3 + k].to_vec();
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let line = i + 2;
            let r = record.map_err(|e| bad(line, e.to_string()))?;
            if r.len() != header.len() {
                return Err(bad(
                    line,
                    format!("{} fields, the header has {}", r.len(), header.len()),
                ));
            }
            let at = |j: usize| &r[j];
            let after = |j: usize| &r[3 + k + j];
            rows.push(Row {
                point: whole(at(0), "point", line)?,
                replicate: whole(at(1), "replicate", line)?,
                seed: whole(at(2), "seed", line)?,
                values: (0..k).map(|j| at(3 + j).to_string()).collect(),
                group: after(0).to_string(),
                phase: after(1).to_string(),
                n: whole(after(2), "n", line)?,
                mean_latency_s: number(after(3), "mean_latency_s", line)?,
                sem_latency_s: number(after(4), "sem_latency_s", line)?,
                failing: match after(5) {
                    "" => None,
                    c => Some(whole(c, "failing", line)?),
                },
                mean_freezing: number(after(7), "mean_freezing", line)?,
            });
        }
        Ok(Table { axes, rows })
    }

    /// Rows grouped by point and phase, in file order: the groups compared.
    fn by_point_and_phase(&self) -> Vec<&[Row]> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=self.rows.len() {
            let split = i == self.rows.len()
                || self.rows[i].point != self.rows[start].point
                || self.rows[i].phase != self.rows[start].phase;
            if split {
                out.push(&self.rows[start..i]);
                start = i;
            }
        }
        out
    }

    /// Every pair of groups at every point and scored phase, in file order.
    ///
    /// ```
    /// use helplessness::sweep::Table;
    /// let csv = "point,replicate,seed,x,group,phase,n,mean_latency_s,sem_latency_s,failing,fail_rate,mean_freezing\n\
    ///            0,0,1,1,a,test,20,20,1,12,0.6,0\n0,0,1,1,b,test,20,5,1,0,0,0\n0,0,1,1,c,test,20,5,1,0,0,0\n";
    /// let table = Table::parse(csv.as_bytes()).unwrap();
    /// let c = table.comparisons();
    /// assert_eq!(c.len(), 3); // a-b, a-c, b-c
    /// assert!(c[0].welch_p < 1e-6 && c[0].hedges_g > 0.0 && c[2].welch_t == 0.0);
    /// ```
    pub fn comparisons(&self) -> Vec<Comparison<'_>> {
        let mut out = Vec::new();
        for rows in self.by_point_and_phase() {
            for (i, a) in rows.iter().enumerate() {
                for b in &rows[i + 1..] {
                    out.push(Comparison::of(a, b));
                }
            }
        }
        out
    }

    /// `comparisons.csv`: one row per point x scored phase x pair of groups.
    pub fn comparisons_csv(&self) -> Result<Vec<u8>, Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<&str> = BEFORE.to_vec();
        header.extend(self.axes.iter().map(String::as_str));
        header.extend([
            "phase",
            "a",
            "b",
            "n_a",
            "n_b",
            "mean_difference_s",
            "welch_t",
            "welch_df",
            "welch_p",
            "hedges_g",
            "hedges_g_low",
            "hedges_g_high",
            "fisher_p",
        ]);
        w.write_record(&header)?;
        for c in self.comparisons() {
            let mut row: Vec<String> = vec![
                c.a.point.to_string(),
                c.a.replicate.to_string(),
                c.a.seed.to_string(),
            ];
            row.extend(c.a.values.iter().cloned());
            row.extend([
                c.a.phase.clone(),
                c.a.group.clone(),
                c.b.group.clone(),
                c.a.n.to_string(),
                c.b.n.to_string(),
                cell(c.a.mean_latency_s - c.b.mean_latency_s),
                cell(c.welch_t),
                cell(c.welch_df),
                cell(c.welch_p),
                cell(c.hedges_g),
                cell(c.hedges_g_ci.0),
                cell(c.hedges_g_ci.1),
                c.fisher_p.map_or(String::new(), cell),
            ]);
            w.write_record(&row)?;
        }
        finish(w)
    }

    /// `power.csv`: per combination x scored phase x pair, over the replicates: how
    /// many, the mean Hedges' g, and the share with Welch p < [`ALPHA`] and with Fisher
    /// p < [`ALPHA`], each with its Wilson 95 % interval.
    ///
    /// ```
    /// use helplessness::sweep::Table;
    /// // Two replicates of one combination: the pair differs (p < 0.05) in both.
    /// let csv = "point,replicate,seed,x,group,phase,n,mean_latency_s,sem_latency_s,failing,fail_rate,mean_freezing\n\
    ///            0,0,1,1,a,test,20,20,1,12,0.6,0\n0,0,1,1,b,test,20,5,1,0,0,0\n\
    ///            1,1,2,1,a,test,20,19,1,11,0.55,0\n1,1,2,1,b,test,20,4,1,0,0,0\n";
    /// let power = String::from_utf8(Table::parse(csv.as_bytes()).unwrap().power_csv().unwrap()).unwrap();
    /// assert!(power.starts_with("x,phase,a,b,replicates,mean_hedges_g,welch_power"));
    /// let row: Vec<&str> = power.lines().nth(1).unwrap().split(',').collect();
    /// assert_eq!((row[4], row[6], row[9]), ("2", "1", "1"));
    /// ```
    pub fn power_csv(&self) -> Result<Vec<u8>, Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<&str> = self.axes.iter().map(String::as_str).collect();
        header.extend([
            "phase",
            "a",
            "b",
            "replicates",
            "mean_hedges_g",
            "welch_power",
            "welch_power_low",
            "welch_power_high",
            "fisher_power",
            "fisher_power_low",
            "fisher_power_high",
        ]);
        w.write_record(&header)?;
        let comparisons = self.comparisons();
        // Comparisons of one combination share its axis values, phase and pair; the
        // combinations keep the order of their first comparison.
        let mut index = std::collections::HashMap::new();
        let mut combos: Vec<Vec<&Comparison<'_>>> = Vec::new();
        for c in &comparisons {
            let k = *index.entry(c.key()).or_insert_with(|| {
                combos.push(Vec::new());
                combos.len() - 1
            });
            combos[k].push(c);
        }
        for same in combos {
            let mut g_sum = 0.0;
            let mut g_n = 0usize;
            let (mut welch, mut welch_n, mut fisher, mut fisher_n) = (0, 0, 0, 0);
            for c in &same {
                if c.hedges_g.is_finite() {
                    g_sum += c.hedges_g;
                    g_n += 1;
                }
                if c.welch_p.is_finite() {
                    welch_n += 1;
                    welch += usize::from(c.welch_p < ALPHA);
                }
                if let Some(p) = c.fisher_p.filter(|p| p.is_finite()) {
                    fisher_n += 1;
                    fisher += usize::from(p < ALPHA);
                }
            }
            let share = |k: usize, n: usize| {
                if n == 0 {
                    [String::new(), String::new(), String::new()]
                } else {
                    let (lo, hi) = crate::analysis::wilson(k, n);
                    [cell(k as f64 / n as f64), cell(lo), cell(hi)]
                }
            };
            let c = same[0];
            let mut row: Vec<String> = c.a.values.clone();
            row.extend([
                c.a.phase.clone(),
                c.a.group.clone(),
                c.b.group.clone(),
                same.len().to_string(),
                cell(if g_n == 0 {
                    f64::NAN
                } else {
                    g_sum / g_n as f64
                }),
            ]);
            row.extend(share(welch, welch_n));
            row.extend(share(fisher, fisher_n));
            w.write_record(&row)?;
        }
        finish(w)
    }
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, Error> {
    w.into_inner().map_err(|e| Error::Io {
        path: "sweep statistics".into(),
        source: e.into_error(),
    })
}

/// Two groups of one point and phase compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison<'a> {
    /// The first group's row (protocol order).
    pub a: &'a Row,
    /// The second group's row.
    pub b: &'a Row,
    /// Welch t of a over b.
    pub welch_t: f64,
    /// Welch-Satterthwaite degrees of freedom.
    pub welch_df: f64,
    /// Two-sided Welch p (at least [`crate::analysis::P_FLOOR`]).
    pub welch_p: f64,
    /// Hedges' g of a over b.
    pub hedges_g: f64,
    /// Its 95 % interval (normal approximation).
    pub hedges_g_ci: (f64, f64),
    /// Two-sided Fisher p on failing subjects, when a criterion scores the phase.
    pub fisher_p: Option<f64>,
}

impl<'a> Comparison<'a> {
    fn of(a: &'a Row, b: &'a Row) -> Self {
        let (da, db) = (a.described(), b.described());
        let welch = welch_t_described(da, db);
        let g = hedges_g_described(da, db);
        let ci = if g.is_finite() {
            hedges_g_ci_described(g, a.n, b.n)
        } else {
            (f64::NAN, f64::NAN)
        };
        let fisher_p = match (a.failing, b.failing) {
            (Some(fa), Some(fb)) => {
                let group = |n, failing| GroupSummary {
                    n,
                    failing,
                    ..GroupSummary::default()
                };
                Some(floor_p(fisher_failures(
                    &group(a.n, fa),
                    &group(b.n, fb),
                    Alternative::TwoSided,
                )))
            }
            _ => None,
        };
        Comparison {
            a,
            b,
            welch_t: welch.t,
            welch_df: welch.df,
            welch_p: floor_p(welch.p),
            hedges_g: g,
            hedges_g_ci: ci,
            fisher_p,
        }
    }

    /// What identifies the combination, phase and pair.
    fn key(&self) -> (&[String], &str, &str, &str) {
        (&self.a.values, &self.a.phase, &self.a.group, &self.b.group)
    }
}
