//! Life scenarios: groups living weeks in their domains, summarized as weekly means
//! per domain, and their weeks exported.

use helplessness::life::{self, LifeStudy, WeeksCsv};
use helplessness::protocol::LifeFile;
use helplessness::{Error, RunOptions};
use serde::Serialize;

use crate::{Export, Settings, export_header};

fn prepare(settings: &Settings) -> Result<(LifeFile, LifeStudy), Error> {
    let file = settings
        .scenario
        .life(&settings.knobs, settings.seed, settings.subjects)?;
    let study = file.to_study()?;
    Ok((file, study))
}

/// A phase of life as the page draws it.
#[derive(Debug, Serialize)]
pub struct PhaseView {
    name: String,
    weeks: u32,
}

/// One group's weeks in one domain.
#[derive(Debug, Serialize)]
pub struct Series {
    group: usize,
    domain: usize,
    week: Vec<u32>,
    phase: Vec<usize>,
    expectation: Vec<f64>,
    helpless: Vec<f64>,
}

/// A whole life study, summarized week by week.
#[derive(Debug, Serialize)]
pub struct LifeRun {
    kind: &'static str,
    name: String,
    seed: u64,
    subjects: u32,
    groups: Vec<String>,
    domains: Vec<String>,
    phases: Vec<PhaseView>,
    series: Vec<Series>,
}

/// Runs every group's lives and summarizes each week.
pub fn run(settings: &Settings) -> Result<LifeRun, Error> {
    let (_, study) = prepare(settings)?;
    let summary = life::run(&study, settings.seed, &RunOptions::default(), &mut (), None)?;
    let phase_names = study.phases();
    let domains = study.domains();
    let mut phases: Vec<PhaseView> = phase_names
        .iter()
        .map(|name| PhaseView {
            name: name.clone(),
            weeks: 0,
        })
        .collect();
    let mut series = Vec::new();
    for (g, weeks) in summary.groups.iter().enumerate() {
        let mut by_domain: Vec<Series> = (0..domains.len())
            .map(|domain| Series {
                group: g,
                domain,
                week: Vec::new(),
                phase: Vec::new(),
                expectation: Vec::new(),
                helpless: Vec::new(),
            })
            .collect();
        // Weeks are counted from the start of the life, across phases.
        let mut count = 0u32;
        let mut last: Option<(String, u32)> = None;
        for cell in &weeks.cells {
            let key = (cell.phase.to_string(), cell.week);
            let p = phase_names
                .iter()
                .position(|n| **n == *cell.phase)
                .unwrap_or(0);
            if last.as_ref() != Some(&key) {
                count += 1;
                last = Some(key);
                if g == 0 {
                    phases[p].weeks += 1;
                }
            }
            let s = &mut by_domain[cell.domain];
            s.week.push(count);
            s.phase.push(p);
            s.expectation.push(cell.expectation().mean);
            s.helpless.push(cell.helpless_share());
        }
        series.extend(by_domain.into_iter().filter(|s| !s.week.is_empty()));
    }
    Ok(LifeRun {
        kind: "life",
        name: study.name.clone(),
        seed: settings.seed,
        subjects: settings.subjects,
        groups: study.groups.iter().map(|g| g.name.clone()).collect(),
        domains,
        phases,
        series,
    })
}

/// The life file as run and its weeks, as `helplessness run` writes them.
pub fn export(settings: &Settings) -> Result<Export, Error> {
    let (file, study) = prepare(settings)?;
    let name = format!("{}-seed{}", file.name, settings.seed);
    let body =
        toml::to_string(&file).map_err(|e| Error::invalid("protocol", "TOML", e.to_string()))?;
    let toml = format!("{}\n{body}", export_header(&name));
    let mut csv = WeeksCsv::new(Vec::new(), &study)?;
    life::run(
        &study,
        settings.seed,
        &RunOptions::default(),
        &mut (),
        Some(&mut |w| csv.write(w)),
    )?;
    let records = String::from_utf8(csv.into_inner()?)
        .map_err(|e| Error::invalid("records", "CSV", e.to_string()))?;
    Ok(Export {
        toml,
        toml_name: format!("{name}.toml"),
        records,
        records_name: "weeks.csv",
    })
}
