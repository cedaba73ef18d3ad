//! Running a life study: every person of every group lives the group's life, in
//! parallel, and each week of each domain goes into a summary per group (and, if asked,
//! to the caller as a record).
//!
//! People are simulated in blocks of [`BLOCK`]; a block's weeks are summarized in
//! person order and blocks are joined in block order, so the summary is bit-identical
//! on any number of threads. A wave of blocks is simulated at a time, so memory does not
//! grow with the number of people.

use std::sync::Arc;

use super::WeekRecord;
use super::study::LifeStudy;
use super::summary::{GroupWeeks, LifeSummary};
use crate::error::Error;
use crate::experiment::{Observer, RunOptions};
use crate::mind::MindFactory;
use crate::subject::SubjectId;

/// People simulated and summarized together by one worker.
pub const BLOCK: u32 = 16;
/// Blocks simulated between two hand-overs to the caller.
const WAVE: usize = 128;
/// Most week records a wave keeps for the caller (about 100 MB).
const WAVE_RECORDS: u64 = 1 << 20;

/// One person's week in one domain, as a run hands it to its caller.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonWeek {
    /// The group, as an index into the study's groups.
    pub group: usize,
    /// The person, from 0 in the group.
    pub subject: u32,
    /// The domain, as an index into [`LifeStudy::domains`].
    pub domain: usize,
    /// The week (its `domain` is the group life's own index).
    pub record: WeekRecord,
}

struct Block {
    group: usize,
    first: u32,
    end: u32,
}

type Simulated = Result<(GroupWeeks, Vec<PersonWeek>), Error>;

/// What a run hands each person's week to, when asked: a writer of records.
pub type WeekSink<'a> = &'a mut dyn FnMut(&PersonWeek) -> Result<(), Error>;

/// Runs `study` from `seed`: returns the summary, and hands every person's weeks to
/// `rows` (in group, person and time order) when given.
///
/// ```
/// use helplessness::life::{Life, LifePhase, Opportunities, LifeGroup, LifeStudy, run};
/// use helplessness::mind::{Species, Theory};
/// use helplessness::RunOptions;
/// let group = |name: &str, p| LifeGroup {
///     name: name.into(), subjects: 64, params: Default::default(), variation: vec![],
///     life: Life::new(vec![LifePhase::new("job", 182)
///         .with(Opportunities::new("work", 5.0, p, 0.0))]),
/// };
/// let study = LifeStudy {
///     name: "workplaces".into(),
///     theory: Theory::named("circuit", Species::Human).unwrap(),
///     variation: vec![],
///     groups: vec![group("fair", 0.8), group("toxic", 0.05)],
/// };
/// let summary = run(&study, 1, &RunOptions::default(), &mut (), None).unwrap();
/// let last = |g: usize| summary.groups[g].cells.last().unwrap().expectation().mean;
/// assert!(last(1) < last(0));
/// ```
pub fn run(
    study: &LifeStudy,
    seed: u64,
    options: &RunOptions,
    observer: &mut dyn Observer,
    mut rows: Option<WeekSink<'_>>,
) -> Result<LifeSummary, Error> {
    study.validate()?;
    let factory = study.factory()?;
    let domains = study.domains();
    let names: Vec<String> = study.groups.iter().map(|g| g.name.clone()).collect();
    // Each group's domain indices in the study's list.
    let maps: Vec<Vec<usize>> = study
        .groups
        .iter()
        .map(|g| {
            g.life
                .domains()
                .iter()
                .map(|d| domains.iter().position(|x| x == d).expect("listed"))
                .collect()
        })
        .collect();
    let keep = rows.is_some();
    let simulate = |b: &Block| -> Simulated {
        let group = &study.groups[b.group];
        let name: Arc<str> = Arc::from(group.name.as_str());
        let mut weeks = GroupWeeks::new(&group.name);
        let mut kept = Vec::new();
        for subject in b.first..b.end {
            // A wave cut short is thrown away whole, so output stays deterministic.
            if options.stop.is_raised() {
                return Err(Error::Interrupted { done: 0, total: 0 });
            }
            let id = SubjectId {
                group: name.clone(),
                index: subject,
            };
            let mut rng = id.rng(seed);
            let mut mind = factory.create(&id, &mut rng)?;
            let mut k = 0;
            group.life.live(&mut mind, &mut rng, |w| {
                let domain = maps[b.group][w.domain];
                weeks.add(k, domain, w);
                k += 1;
                if keep {
                    kept.push(PersonWeek {
                        group: b.group,
                        subject,
                        domain,
                        record: w.clone(),
                    });
                }
            });
        }
        Ok((weeks, kept))
    };
    #[cfg(feature = "parallel")]
    let pool = options.pool()?;
    let wave = |blocks: &[Block]| -> Vec<Simulated> {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            let all = || blocks.par_iter().map(simulate).collect();
            match &pool {
                Some(pool) => pool.install(all),
                None => all(),
            }
        }
        #[cfg(not(feature = "parallel"))]
        blocks.iter().map(simulate).collect()
    };
    let mut blocks = study.groups.iter().enumerate().flat_map(|(g, group)| {
        (0..group.subjects.div_ceil(BLOCK)).map(move |k| Block {
            group: g,
            first: k * BLOCK,
            end: ((k + 1) * BLOCK).min(group.subjects),
        })
    });
    let total: u64 = study.groups.iter().map(|g| u64::from(g.subjects)).sum();
    // Records kept per person, at most: a week per domain, and a shared week per phase.
    let per_person = study
        .groups
        .iter()
        .map(|g| {
            (g.life.days() / 7 + 1 + g.life.phases.len() as u64) * g.life.domains().len() as u64
        })
        .max()
        .unwrap_or(1);
    let wave_blocks = if keep {
        (WAVE_RECORDS / (u64::from(BLOCK) * per_person)).clamp(2, WAVE as u64) as usize
    } else {
        WAVE
    };
    let mut summary = LifeSummary {
        domains,
        groups: names.iter().map(|n| GroupWeeks::new(n)).collect(),
    };
    let mut done = 0u64;
    loop {
        let chunk: Vec<Block> = blocks.by_ref().take(wave_blocks).collect();
        if chunk.is_empty() {
            break;
        }
        let results = wave(&chunk);
        if options.stop.is_raised() {
            return Err(Error::Interrupted { done, total });
        }
        for (b, result) in chunk.iter().zip(results) {
            let (weeks, kept) = result?;
            summary.groups[b.group].merge(&weeks)?;
            if let Some(rows) = rows.as_mut() {
                for w in &kept {
                    rows(w)?;
                }
            }
            done += u64::from(b.end - b.first);
        }
        if !observer.progress(done, total) && done < total {
            return Err(Error::Interrupted { done, total });
        }
    }
    for (g, group) in summary.groups.iter_mut().zip(&study.groups) {
        g.mark_complete(&group.life);
    }
    Ok(summary)
}
