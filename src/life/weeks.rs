//! `weeks.csv`: one row per person, week and domain, as the command line writes it and
//! the teaching page exports it, so the two are byte for byte the same.

use std::io::Write;

use super::{LifeStudy, PersonWeek};
use crate::error::Error;

/// The columns of `weeks.csv`.
pub const WEEK_COLUMNS: [&str; 12] = [
    "group",
    "subject",
    "phase",
    "week",
    "domain",
    "opportunities",
    "attempts",
    "successes",
    "E",
    "G",
    "esteem",
    "helpless",
];

/// Writes people's weeks as `weeks.csv` rows (numbers in shortest round-trip form).
///
/// ```
/// use helplessness::life::{WeeksCsv, run};
/// use helplessness::{RunOptions, protocol};
/// let study = protocol::bundled_life("life-situational")?.study.with_subjects(2);
/// let mut csv = WeeksCsv::new(Vec::new(), &study)?;
/// run(&study, 1, &RunOptions::default(), &mut (), Some(&mut |w| csv.write(w)))?;
/// let text = String::from_utf8(csv.into_inner()?).unwrap();
/// assert!(text.starts_with("group,subject,phase,week,domain,"));
/// assert_eq!(text.lines().count() as u64, 1 + csv_rows(&text));
/// # fn csv_rows(t: &str) -> u64 { t.lines().skip(1).count() as u64 }
/// # Ok::<(), helplessness::Error>(())
/// ```
pub struct WeeksCsv<W: Write> {
    writer: csv::Writer<W>,
    groups: Vec<String>,
    domains: Vec<String>,
    rows: u64,
}

impl<W: Write> WeeksCsv<W> {
    /// A writer of `study`'s weeks into `out`; writes the header.
    pub fn new(out: W, study: &LifeStudy) -> Result<Self, Error> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(WEEK_COLUMNS)?;
        Ok(WeeksCsv {
            writer,
            groups: study.groups.iter().map(|g| g.name.clone()).collect(),
            domains: study.domains(),
            rows: 0,
        })
    }

    /// Writes one person's week.
    pub fn write(&mut self, w: &PersonWeek) -> Result<(), Error> {
        let r = &w.record;
        self.writer.write_record([
            self.groups[w.group].as_str(),
            itoa::Buffer::new().format(w.subject),
            &r.phase,
            itoa::Buffer::new().format(r.week),
            &self.domains[w.domain],
            itoa::Buffer::new().format(r.opportunities),
            itoa::Buffer::new().format(r.attempts),
            itoa::Buffer::new().format(r.successes),
            zmij::Buffer::new().format(r.expectation),
            zmij::Buffer::new().format(r.global),
            zmij::Buffer::new().format(r.esteem),
            if r.helpless() { "1" } else { "0" },
        ])?;
        self.rows += 1;
        Ok(())
    }

    /// Rows written, header apart.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Flushes and returns the writer.
    pub fn into_inner(self) -> Result<W, Error> {
        self.writer
            .into_inner()
            .map_err(|e| Error::from(csv::Error::from(e.into_error())))
    }
}
