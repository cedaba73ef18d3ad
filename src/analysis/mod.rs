//! Summaries of a run, accumulated as records stream past: per group x phase x trial
//! (online moments), and per group x phase over subjects (mean latency, SEM, failing).

mod compare;
mod histogram;
pub(crate) mod moments;
mod report;

pub use compare::{
    Described, Welch, anova, anova_described, cohens_d, cohens_d_described, fisher_failures,
    hedges_g, hedges_g_ci, hedges_g_ci_described, hedges_g_ci_normal, hedges_g_described, holm,
    mann_whitney, mann_whitney_binned, mann_whitney_greater, welch_t, welch_t_described, wilson,
};
pub use report::{
    Anova, GroupStats, P_FLOOR, PairStats, PhaseStats, RunStats, code, describe_protocol, floor_p,
    markdown, text,
};

use std::collections::HashMap;
use std::sync::Arc;

use histogram::Histogram;
use moments::Moments;

use crate::names::first_positions;

use serde::Serialize;
use statrs::statistics::{Data, Median, Statistics};

use crate::error::Error;
use crate::experiment::{Experiment, Sink};
use crate::record::TrialRecord;

/// One group's result in one phase. Latencies are first averaged per subject, so n is
/// the number of subjects and the SEM is across subjects.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupSummary {
    /// Group name.
    pub group: String,
    /// Subjects.
    pub n: usize,
    /// Mean over subjects of each subject's mean latency, s.
    pub mean_latency_s: f64,
    /// Standard error of that mean, s.
    pub sem_latency_s: f64,
    /// Standard deviation over subjects of their mean latencies, s.
    pub sd_latency_s: f64,
    /// Median over subjects of their mean latencies, s: exact while every subject is
    /// kept, else from a histogram of [`SUBJECT_BINS`] bins over the cut-off.
    pub median_latency_s: f64,
    /// Subjects meeting the experiment's failure criterion (0 if it has none).
    pub failing: usize,
    /// Each subject's mean latency, s, in subject order, for the first
    /// [`Summary::kept`] subjects (all of them unless the group is very large).
    pub subject_means: Vec<f64>,
    /// Each subject's number of failed trials, for the same subjects.
    pub subject_failures: Vec<u32>,
    /// Mean freezing (conditioned fear expressed) over subjects, in [0, 1].
    pub mean_freezing: f64,
    /// Each subject's mean freezing over the phase's trials, for the first
    /// [`Summary::kept`] subjects with records.
    pub subject_freezing: Vec<f64>,
    /// Every subject's mean latency counted in [`SUBJECT_BINS`] equal bins over
    /// [0, cut-off]: ranks for the Mann-Whitney test when not every subject is kept.
    pub subject_histogram: Vec<u32>,
}

impl GroupSummary {
    /// Whether every subject's own result is kept (`subject_means` has all `n`).
    pub fn all_kept(&self) -> bool {
        self.subject_means.len() == self.n
    }
}

/// One row of `summary.csv`: a group's results on one trial of one phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrialRow {
    /// Group name.
    pub group: String,
    /// Phase name.
    pub phase: String,
    /// Trial number within the phase, from 1.
    pub trial: u32,
    /// Subjects with a record on this trial.
    pub n: u64,
    /// Mean escape latency, s (empty when no stimulus was given).
    pub mean_latency_s: Option<f64>,
    /// Standard deviation of the latencies, s.
    pub sd_latency_s: Option<f64>,
    /// Standard error of the mean, s.
    pub sem_latency_s: Option<f64>,
    /// Median latency, s, from a streaming histogram of [`MEDIAN_BINS`] bins over the
    /// phase's cut-off (exact when all latencies are equal).
    pub median_latency_s: Option<f64>,
    /// Subjects whose stimulus ran its course without an escape (for yoked or fixed
    /// stimuli, every subject).
    pub failures: u64,
    /// failures / n.
    pub fail_rate: f64,
    /// Mean freezing (conditioned fear expressed), in [0, 1], when the theory declares
    /// a `fear` variable.
    pub freezing: Option<f64>,
    /// Mean of each variable the theory declares, at trial end, in column order.
    #[serde(skip)]
    pub variables: Vec<(&'static str, f64)>,
}

impl TrialRow {
    /// The columns of `summary.csv` for a theory declaring `variables`: the row's own,
    /// then `mean_NAME` per variable.
    ///
    /// ```
    /// use helplessness::{CircuitMind, analysis::TrialRow};
    /// let h = TrialRow::header(CircuitMind::VARIABLES);
    /// assert_eq!((h[0].as_str(), h[11].as_str(), h.last().unwrap().as_str()), ("group", "mean_c", "mean_esteem"));
    /// ```
    pub fn header(variables: &[crate::mind::Variable]) -> Vec<String> {
        [
            "group",
            "phase",
            "trial",
            "n",
            "mean_latency_s",
            "sd_latency_s",
            "sem_latency_s",
            "median_latency_s",
            "failures",
            "fail_rate",
            "freezing",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain(variables.iter().map(|v| format!("mean_{}", v.name)))
        .collect()
    }

    /// The row's fields in the order of [`TrialRow::header`] (numbers in shortest
    /// round-trip form, an undefined value empty).
    pub fn fields(&self) -> Vec<String> {
        let opt = |v: Option<f64>| v.map_or(String::new(), number);
        let mut f = vec![
            self.group.clone(),
            self.phase.clone(),
            self.trial.to_string(),
            self.n.to_string(),
            opt(self.mean_latency_s),
            opt(self.sd_latency_s),
            opt(self.sem_latency_s),
            opt(self.median_latency_s),
            self.failures.to_string(),
            number(self.fail_rate),
            opt(self.freezing),
        ];
        f.extend(self.variables.iter().map(|(_, v)| number(*v)));
        f
    }
}

/// A number as `summary.csv` writes it: shortest round-trip form, as serde does.
fn number(x: f64) -> String {
    if x.is_finite() {
        let mut s = zmij::Buffer::new().format(x).to_string();
        if !s.contains(['.', 'e', 'E']) {
            s.push_str(".0");
        }
        s
    } else {
        x.to_string()
    }
}

/// Subjects per group and phase whose own results a [`Summary`] keeps by default: rank
/// tests, bootstrap intervals and strip plots use them; larger groups are compared by
/// moments and a histogram of subject means, so memory stays flat in subjects.
pub const SUBJECTS_KEPT: usize = 10_000;

/// Bins of the streaming histogram behind per-trial medians.
pub const MEDIAN_BINS: usize = 400;

#[derive(Debug, Clone, Default)]
struct TrialCell {
    records: u64,
    latency: Moments,
    /// Allocated at the first latency; boxed, as most cells of a long protocol with
    /// few subjects hold one or two values.
    histogram: Option<Box<Histogram>>,
    failures: u64,
    fear_sum: f64,
    /// The theory's variables at trial end, in declared order.
    state: Box<[Moments]>,
}

/// One subject's running totals in one phase.
#[derive(Debug, Clone, Copy, Default)]
struct SubjectCell {
    subject: u32,
    latency_sum: f64,
    trials: u32,
    failures: u32,
    fear_sum: f64,
    records: u32,
}

/// Bins of the histogram of subject means behind large-sample medians and ranks.
pub const SUBJECT_BINS: usize = 10_000;

/// Subjects of one group in one phase, folded in as each subject's records end: online
/// moments and a histogram for all of them, own results for the first `kept`.
#[derive(Debug, Clone)]
struct Subjects {
    current: Option<SubjectCell>,
    means: Moments,
    freezing: Moments,
    failing: usize,
    cutoff_s: f64,
    /// Of every subject's mean; made only once more subjects come than are kept (a
    /// summary of many small groups and phases would otherwise hold 40 kB for each).
    histogram: Option<Histogram>,
    kept_means: Vec<f64>,
    kept_failures: Vec<u32>,
    kept_freezing: Vec<f64>,
}

impl Subjects {
    fn new(cutoff_s: f64) -> Self {
        Subjects {
            current: None,
            means: Moments::default(),
            freezing: Moments::default(),
            failing: 0,
            cutoff_s,
            histogram: None,
            kept_means: Vec::new(),
            kept_failures: Vec::new(),
            kept_freezing: Vec::new(),
        }
    }

    /// Folds in a finished subject.
    fn close(&mut self, c: SubjectCell, criterion: Option<u32>, kept: usize) {
        if c.records > 0 {
            let fear = c.fear_sum / f64::from(c.records);
            self.freezing.push(fear);
            if self.kept_freezing.len() < kept {
                self.kept_freezing.push(fear);
            }
        }
        if c.trials > 0 {
            let mean = c.latency_sum / f64::from(c.trials);
            self.means.push(mean);
            self.failing += usize::from(criterion.is_some_and(|m| c.failures >= m));
            if self.kept_means.len() < kept {
                self.kept_means.push(mean);
                self.kept_failures.push(c.failures);
            } else {
                let (cutoff_s, kept_means) = (self.cutoff_s, &self.kept_means);
                self.histogram
                    .get_or_insert_with(|| Self::histogram_of(cutoff_s, kept_means))
                    .push(mean);
            }
        }
    }

    /// A histogram of subject means over [0, cut-off] in [`SUBJECT_BINS`] bins.
    fn histogram_of(cutoff_s: f64, means: &[f64]) -> Histogram {
        let mut h = Histogram::with_bins(cutoff_s, SUBJECT_BINS);
        for &m in means {
            h.push(m);
        }
        h
    }

    /// The histogram of every subject's mean.
    fn all_means_histogram(&self) -> Histogram {
        self.histogram
            .clone()
            .unwrap_or_else(|| Self::histogram_of(self.cutoff_s, &self.kept_means))
    }

    /// These subjects with the one in progress folded in.
    fn closed(&self, criterion: Option<u32>, kept: usize) -> Self {
        let mut all = self.clone();
        if let Some(c) = all.current.take() {
            all.close(c, criterion, kept);
        }
        all
    }
}

/// A [`Sink`] that summarizes records as they stream past, in memory proportional to
/// groups x phases x trials, flat in subjects and records: each subject's results are
/// folded into online moments and a histogram when its records end, and kept as they
/// are only for the first [`Summary::kept`] subjects of each group (rank tests,
/// bootstrap intervals, strip plots). Records must come as a run gives them: each
/// subject's records of a phase together, subjects in increasing order.
///
/// ```
/// use helplessness::{analysis::Summary, protocol};
/// let exp = protocol::triadic_dog(4);
/// let mut summary = Summary::new(&exp);
/// exp.runner(1).into_sink(&mut summary).unwrap();
/// let rows = summary.trial_rows();
/// // The home-cage dogs have rows for the test only.
/// assert_eq!(rows.len(), 2 * (64 + 10) + 10);
/// assert_eq!(summary.groups("test").len(), 3);
/// ```
#[derive(Debug, Clone)]
pub struct Summary {
    /// The theory's declared variables, traced trial by trial.
    variables: &'static [crate::mind::Variable],
    /// Position of the `fear` variable (freezing), if the theory has one.
    fear: Option<usize>,
    groups: Vec<Arc<str>>,
    phases: Vec<Arc<str>>,
    /// Names to indices (first of equal names).
    group_index: HashMap<Arc<str>, usize>,
    phase_index: HashMap<Arc<str>, usize>,
    /// Failure criterion per phase.
    criteria: Vec<Option<u32>>,
    /// Cut-off per phase, s: the range of latency histograms.
    cutoffs: Vec<f64>,
    /// [group][phase][trial - 1]
    trials: Vec<Vec<Vec<TrialCell>>>,
    /// [group][phase]
    subjects: Vec<Vec<Subjects>>,
    kept: usize,
    last_group: Option<(Arc<str>, usize)>,
    last_phase: Option<(Arc<str>, usize)>,
}

impl Summary {
    /// An empty summary of `exp`'s groups and phases.
    pub fn new(exp: &Experiment) -> Self {
        let phases: Vec<Arc<str>> = exp
            .phases
            .iter()
            .map(|p| Arc::from(p.name.as_str()))
            .collect();
        let criteria = exp
            .phases
            .iter()
            .map(|p| {
                exp.criterion
                    .as_ref()
                    .filter(|c| c.applies_to(&p.name))
                    .map(|c| c.min_failures)
            })
            .collect();
        let variables = exp.theory.variables();
        let cell = TrialCell {
            state: vec![Moments::default(); variables.len()].into_boxed_slice(),
            ..TrialCell::default()
        };
        let trials = exp
            .groups
            .iter()
            .map(|_| {
                exp.phases
                    .iter()
                    .map(|p| vec![cell.clone(); p.schedule.trials() as usize])
                    .collect()
            })
            .collect();
        let subjects = exp
            .groups
            .iter()
            .map(|_| {
                exp.phases
                    .iter()
                    .map(|p| Subjects::new(p.schedule.cutoff_s))
                    .collect()
            })
            .collect();
        let groups: Vec<Arc<str>> = exp
            .groups
            .iter()
            .map(|g| Arc::from(g.name.as_str()))
            .collect();
        Summary {
            variables,
            fear: variables.iter().position(|v| v.name == "fear"),
            group_index: first_positions(groups.iter().cloned()),
            phase_index: first_positions(phases.iter().cloned()),
            groups,
            phases,
            criteria,
            cutoffs: exp.phases.iter().map(|p| p.schedule.cutoff_s).collect(),
            trials,
            subjects,
            kept: SUBJECTS_KEPT,
            last_group: None,
            last_phase: None,
        }
    }

    /// Keeps the own results of the first `kept` subjects per group and phase (default
    /// [`SUBJECTS_KEPT`]); beyond them statistics use moments and histograms.
    ///
    /// ```
    /// use helplessness::{analysis::Summary, protocol};
    /// let exp = protocol::triadic_rat(8);
    /// let mut summary = Summary::new(&exp).keeping(5);
    /// assert_eq!(summary.kept(), 5);
    /// exp.runner(1).into_sink(&mut summary).unwrap();
    /// let test = summary.groups("test");
    /// assert_eq!((test[0].n, test[0].subject_means.len()), (8, 5));
    /// assert!(!test[0].all_kept());
    /// ```
    pub fn keeping(mut self, kept: usize) -> Self {
        self.kept = kept;
        self
    }

    /// Subjects per group and phase whose own results are kept.
    pub fn kept(&self) -> usize {
        self.kept
    }

    /// Index of `name` in `names`; `last` remembers the previous answer, as records
    /// come in runs of one subject's group and phase.
    fn index(
        names: &HashMap<Arc<str>, usize>,
        name: &Arc<str>,
        last: &mut Option<(Arc<str>, usize)>,
    ) -> Option<usize> {
        if let Some((n, i)) = last
            && Arc::ptr_eq(n, name)
        {
            return Some(*i);
        }
        let i = *names.get(name)?;
        *last = Some((name.clone(), i));
        Some(i)
    }

    /// One row per group x phase x trial, in that order (none for a phase the group
    /// sits out in its home cage).
    pub fn trial_rows(&self) -> Vec<TrialRow> {
        self.trial_rows_iter().collect()
    }

    /// Writes `summary.csv`: [`TrialRow::header`], then every [`Summary::trial_rows`]
    /// row, streamed. Returns `out`.
    ///
    /// ```
    /// use helplessness::{analysis::Summary, protocol};
    /// let exp = protocol::triadic_dog(3);
    /// let mut summary = Summary::new(&exp);
    /// exp.runner(1).into_sink(&mut summary).unwrap();
    /// let text = String::from_utf8(summary.write_csv(Vec::new()).unwrap()).unwrap();
    /// assert!(text.starts_with("group,phase,trial,n,mean_latency_s,"));
    /// assert_eq!(text.lines().count(), 1 + summary.trial_rows().len());
    /// ```
    pub fn write_csv<W: std::io::Write>(&self, out: W) -> Result<W, Error> {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(TrialRow::header(self.variables()))?;
        for row in self.trial_rows_iter() {
            csv.write_record(row.fields())?;
        }
        csv.into_inner()
            .map_err(|e| Error::from(csv::Error::from(e.into_error())))
    }

    /// [`Summary::trial_rows`] one at a time, so a summary of a million trials can be
    /// written out without holding every row.
    ///
    /// ```
    /// use helplessness::{analysis::Summary, protocol};
    /// let exp = protocol::triadic_dog(3);
    /// let mut summary = Summary::new(&exp);
    /// exp.runner(1).into_sink(&mut summary).unwrap();
    /// assert_eq!(summary.trial_rows_iter().count(), summary.trial_rows().len());
    /// ```
    pub fn trial_rows_iter(&self) -> impl Iterator<Item = TrialRow> + '_ {
        self.trials
            .iter()
            .enumerate()
            .flat_map(move |(g, by_phase)| {
                by_phase.iter().enumerate().flat_map(move |(p, cells)| {
                    // A group in its home cage has no rows in that phase.
                    cells
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.records > 0)
                        .map(move |(t, c)| {
                            let has = c.latency.n > 0;
                            TrialRow {
                                group: self.groups[g].to_string(),
                                phase: self.phases[p].to_string(),
                                trial: t as u32 + 1,
                                n: c.records,
                                mean_latency_s: has.then_some(c.latency.mean),
                                sd_latency_s: (c.latency.n > 1).then(|| c.latency.sd()),
                                sem_latency_s: (c.latency.n > 1).then(|| c.latency.sem()),
                                median_latency_s: c.histogram.as_deref().map(Histogram::median),
                                failures: c.failures,
                                fail_rate: if c.records > 0 {
                                    c.failures as f64 / c.records as f64
                                } else {
                                    f64::NAN
                                },
                                freezing: self.fear.map(|_| c.fear_sum / c.records as f64),
                                variables: self
                                    .variables
                                    .iter()
                                    .zip(c.state.iter())
                                    .map(|(v, m)| (v.name, m.mean))
                                    .collect(),
                            }
                        })
                })
            })
    }

    /// Group names, in protocol order.
    pub fn group_names(&self) -> Vec<String> {
        self.groups.iter().map(|g| g.to_string()).collect()
    }

    /// Phase names, in time order.
    pub fn phase_names(&self) -> Vec<String> {
        self.phases.iter().map(|p| p.to_string()).collect()
    }

    /// The variables the theory declares, whose trial-by-trial means it keeps.
    pub fn variables(&self) -> &'static [crate::mind::Variable] {
        self.variables
    }

    /// Trial by trial over `phase`, `group`'s mean and SEM of the theory's variable
    /// `variable` at trial end; empty for an unknown name.
    ///
    /// ```
    /// use helplessness::{analysis::Summary, protocol};
    /// let exp = protocol::triadic_rat(5);
    /// let mut s = Summary::new(&exp);
    /// exp.runner(1).into_sink(&mut s).unwrap();
    /// let h = s.trace("inescapable", "pretreatment", "h");
    /// assert_eq!(h.len(), 80);
    /// assert!(h[79].0 > h[0].0); // 5-HT builds under inescapable shock
    /// ```
    pub fn trace(&self, group: &str, phase: &str, variable: &str) -> Vec<(f64, f64)> {
        let (Some(g), Some(p), Some(v)) = (
            self.groups.iter().position(|n| &**n == group),
            self.phases.iter().position(|n| &**n == phase),
            self.variables.iter().position(|v| v.name == variable),
        ) else {
            return Vec::new();
        };
        self.trials[g][p]
            .iter()
            .map(|c| {
                if c.records == 0 {
                    // Not in the phase (home cage): no value, not zero.
                    (f64::NAN, f64::NAN)
                } else {
                    (c.state[v].mean, c.state[v].sem())
                }
            })
            .collect()
    }

    /// [`Summary::groups`] without the groups that have no subject with a latency in
    /// `phase` (a group not tested there): what statistics and figures compare.
    ///
    /// ```
    /// use helplessness::{analysis::Summary, protocol};
    /// let exp = protocol::triadic_rat(3);
    /// let mut s = Summary::new(&exp);
    /// exp.runner(1).into_sink(&mut s).unwrap();
    /// assert_eq!(s.groups_with_subjects("pretreatment").len(), 2); // no-shock has none
    /// ```
    pub fn groups_with_subjects(&self, phase: &str) -> Vec<GroupSummary> {
        self.groups(phase).into_iter().filter(|g| g.n > 0).collect()
    }

    /// Per group, the subjects' results over `phase` (empty if there is no such phase).
    pub fn groups(&self, phase: &str) -> Vec<GroupSummary> {
        let Some(p) = self.phases.iter().position(|n| &**n == phase) else {
            return Vec::new();
        };
        self.subjects
            .iter()
            .enumerate()
            .map(|(g, by_phase)| {
                let all = by_phase[p].closed(self.criteria[p], self.kept);
                let every_kept = all.kept_means.len() as u64 == all.means.n;
                let histogram = all.all_means_histogram();
                let median = if every_kept {
                    Data::new(all.kept_means.clone()).median()
                } else {
                    histogram.median()
                };
                GroupSummary {
                    group: self.groups[g].to_string(),
                    n: all.means.n as usize,
                    mean_latency_s: if all.means.n > 0 {
                        all.means.mean
                    } else {
                        f64::NAN
                    },
                    sem_latency_s: all.means.sem(),
                    sd_latency_s: all.means.sd(),
                    median_latency_s: median,
                    failing: all.failing,
                    subject_means: all.kept_means,
                    subject_failures: all.kept_failures,
                    mean_freezing: if self.fear.is_some() && all.freezing.n > 0 {
                        all.freezing.mean
                    } else {
                        f64::NAN
                    },
                    subject_freezing: all.kept_freezing,
                    subject_histogram: histogram.counts().into_owned(),
                }
            })
            .collect()
    }
}

impl Sink for Summary {
    /// A run's minds declare their variables: the traces follow them (a user's own
    /// theory included), whatever the experiment's theory says.
    fn start(&mut self, variables: &'static [crate::mind::Variable]) -> Result<(), Error> {
        let same = variables.len() == self.variables.len()
            && variables
                .iter()
                .zip(self.variables)
                .all(|(a, b)| a.name == b.name);
        if !same {
            self.variables = variables;
            self.fear = variables.iter().position(|v| v.name == "fear");
            for cell in self.trials.iter_mut().flatten().flatten() {
                cell.state = vec![Moments::default(); variables.len()].into_boxed_slice();
            }
        }
        Ok(())
    }

    fn write(&mut self, r: &TrialRecord) -> Result<(), Error> {
        let unknown = || {
            Error::invalid(
                "record",
                format!("{}/{}", r.group, r.phase),
                "not in this summary's experiment",
            )
        };
        let g =
            Self::index(&self.group_index, &r.group, &mut self.last_group).ok_or_else(unknown)?;
        let p =
            Self::index(&self.phase_index, &r.phase, &mut self.last_phase).ok_or_else(unknown)?;
        let failed = r.failed();
        let trial = (r.trial as usize).checked_sub(1);
        if let Some(cell) = trial.and_then(|t| self.trials[g][p].get_mut(t)) {
            cell.records += 1;
            cell.failures += u64::from(failed);
            let values = r.state.values();
            if let Some(f) = self.fear {
                cell.fear_sum += values.get(f).copied().unwrap_or(f64::NAN);
            }
            for (m, &v) in cell.state.iter_mut().zip(values) {
                m.push(v);
            }
            if let Some(l) = r.latency_s {
                cell.latency.push(l);
                let top = self.cutoffs[p];
                cell.histogram
                    .get_or_insert_with(|| Box::new(Histogram::new(top)))
                    .push(l);
            }
        }
        let (criterion, kept) = (self.criteria[p], self.kept);
        let subjects = &mut self.subjects[g][p];
        let cell = match &mut subjects.current {
            Some(c) if c.subject == r.subject => c,
            Some(c) if c.subject > r.subject => {
                return Err(Error::invalid(
                    "record",
                    format!("{}[{}] {}", r.group, r.subject, r.phase),
                    format!(
                        "comes after subject {}: a summary needs each subject's records \
                         together and subjects in increasing order, as a run writes them",
                        c.subject
                    ),
                ));
            }
            _ => {
                if let Some(done) = subjects.current.take() {
                    subjects.close(done, criterion, kept);
                }
                subjects.current.insert(SubjectCell {
                    subject: r.subject,
                    ..SubjectCell::default()
                })
            }
        };
        cell.records += 1;
        if let Some(f) = self.fear {
            cell.fear_sum += r.state.values().get(f).copied().unwrap_or(f64::NAN);
        }
        if let Some(l) = r.latency_s {
            cell.latency_sum += l;
            cell.trials += 1;
            cell.failures += u32::from(failed);
        }
        Ok(())
    }
}

/// Summarizes `phase` for every group of `exp` from its records.
///
/// ```
/// use helplessness::{analysis, protocol};
/// let exp = protocol::triadic_dog(5);
/// let records = exp.run(1).unwrap();
/// let s = analysis::summarize(&exp, &records, "test");
/// assert_eq!(s.len(), 3);
/// assert_eq!(s[0].n, 5);
/// ```
pub fn summarize(exp: &Experiment, records: &[TrialRecord], phase: &str) -> Vec<GroupSummary> {
    let mut summary = Summary::new(exp);
    for r in records {
        // Records from another experiment are skipped, not an error, for this helper.
        let _ = summary.write(r);
    }
    summary.groups(phase)
}

/// Mean and standard error of the mean (NaN when undefined).
///
/// ```
/// let (m, sem) = helplessness::analysis::mean_sem(&[1.0, 2.0, 3.0]);
/// assert_eq!(m, 2.0);
/// assert!((sem - (1.0f64 / 3.0).sqrt()).abs() < 1e-12);
/// ```
pub fn mean_sem(x: &[f64]) -> (f64, f64) {
    let mean = Statistics::mean(x);
    let sem = Statistics::std_dev(x) / (x.len() as f64).sqrt();
    (mean, sem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_median_is_within_half_a_bin() {
        let mut h = Histogram::new(30.0);
        let values: Vec<f64> = (0..101)
            .map(|i| 0.3 * f64::from(i) * f64::from(i) / 100.0)
            .collect();
        values.iter().for_each(|v| h.push(*v));
        let exact = values[50];
        let width = 30.0 / MEDIAN_BINS as f64;
        assert!(
            (h.median() - exact).abs() <= width,
            "{} vs {exact}",
            h.median()
        );
        let mut same = Histogram::new(30.0);
        (0..7).for_each(|_| same.push(5.0));
        assert_eq!(same.median(), 5.0);
    }

    #[test]
    fn online_moments_match_two_pass() {
        let x = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let mut m = Moments::default();
        x.iter().for_each(|v| m.push(*v));
        let (mean, sem) = mean_sem(&x);
        assert!((m.mean - mean).abs() < 1e-12 && (m.sem() - sem).abs() < 1e-12);
    }
}
