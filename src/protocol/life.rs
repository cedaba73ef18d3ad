//! Life protocol files: groups of people living phases of days, on the day clock.
//!
//! A life file has `[[life]]` phases (a name, `days`, and what each domain offers)
//! where a laboratory protocol has `[[phase]]` sessions; groups set traits
//! (`params`, `vary`) and may meet other opportunities in a phase
//! (`[group.opportunities] PHASE = [...]`, replacing those domains' entries).
//!
//! ```
//! use helplessness::protocol::load_life;
//! let loaded = load_life(r#"
//! name = "workplaces"
//! subjects = 50
//! [[group]]
//! name = "fair"
//! [[group]]
//! name = "toxic"
//! opportunities.job = [{ domain = "work", per_week = 5, p_attempt = 0.05, p_no_attempt = 0 }]
//! [[life]]
//! name = "job"
//! days = 182
//! opportunities = [
//!     { domain = "work", per_week = 5, p_attempt = 0.8, p_no_attempt = 0 },
//!     { domain = "relationships", per_week = 7, p_attempt = 0.8, p_no_attempt = 0.1 },
//! ]
//! "#, "workplaces.toml").unwrap();
//! let toxic = &loaded.study.groups[1].life.phases[0].opportunities[0];
//! assert_eq!((toxic.domain.as_str(), toxic.p_attempt), ("work", 0.05));
//! assert_eq!(loaded.study.domains(), ["work", "relationships"]);
//!
//! let typo = load_life(r#"
//! name = "x"
//! [[group]]
//! name = "a"
//! opportunities.job = [{ domain = "wrok", per_week = 5, p_attempt = 0.05, p_no_attempt = 0 }]
//! [[life]]
//! name = "job"
//! days = 10
//! opportunities = [{ domain = "work", per_week = 5, p_attempt = 0.8, p_no_attempt = 0 }]
//! "#, "x.toml").unwrap_err().to_string();
//! assert!(typo.starts_with("x.toml:5:") && typo.contains("did you mean `work`"), "{typo}");
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::de::DeTable;

use super::file::{MindSpec, file_paths, theory_of};
use super::load::{error_at, explain, find, find_string};
use super::refusal::refusal;
use crate::error::{Error, did_you_mean};
use crate::life::{Life, LifeGroup, LifePhase, LifeStudy, MAX_DAYS, Opportunities};
use crate::mind::{Species, Variation};

fn human() -> Species {
    Species::Human
}

fn default_seed() -> u64 {
    1
}

fn default_people() -> u32 {
    super::DEFAULT_SUBJECTS
}

/// One group of a life file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifeGroupSpec {
    /// Name, unique in the file.
    pub name: String,
    /// People; the file's `subjects` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subjects: Option<u32>,
    /// Parameter values every member has (a style, a sensitivity).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, f64>,
    /// Per-person draws for this group only.
    #[serde(default, rename = "vary", skip_serializing_if = "Vec::is_empty")]
    pub variation: Vec<Variation>,
    /// Per phase name, domains whose opportunities differ for this group: each entry
    /// replaces the phase's entry for its domain.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub opportunities: BTreeMap<String, Vec<Opportunities>>,
}

/// A life protocol file; only `name`, `group` and `life` are required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifeFile {
    /// Name of the study.
    pub name: String,
    /// One line on what it is.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// What it stands for (a type or cause of helplessness, a study).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// Species preset of the parameters: `human` when absent.
    #[serde(default = "human")]
    pub species: Species,
    /// The theory of the person.
    #[serde(default)]
    pub mind: MindSpec,
    /// Seed of every random stream.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// People per group, for groups that do not say.
    #[serde(default = "default_people")]
    pub subjects: u32,
    /// Parameters that differ from the species preset.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, f64>,
    /// Parameters drawn per person.
    #[serde(default, rename = "vary", skip_serializing_if = "Vec::is_empty")]
    pub variation: Vec<Variation>,
    /// Groups.
    #[serde(rename = "group")]
    pub groups: Vec<LifeGroupSpec>,
    /// The phases of life every group lives, in time order.
    pub life: Vec<LifePhase>,
}

/// A parsed and validated life file.
#[derive(Debug, Clone)]
pub struct LoadedLife {
    /// The file as written.
    pub file: LifeFile,
    /// The study it describes.
    pub study: LifeStudy,
}

impl LifeFile {
    /// The study this file describes, validated. Errors name fields by their path in
    /// the file (`life[1].days`, `group[0].opportunities.job[0].domain`).
    pub fn to_study(&self) -> Result<LifeStudy, Error> {
        let theory = theory_of(self.species, &self.mind, &self.params)?;
        let base = Life::new(self.life.clone());
        // `Life::validate` names `phases[0].days`; in the file that is `life[0].days`.
        base.validate().map_err(|e| {
            e.map_field(|f| {
                let f = f.to_string();
                format!("life{}", f.strip_prefix("phases").unwrap_or(&f)).into()
            })
        })?;
        let mut total = 0u64;
        for (k, p) in self.life.iter().enumerate() {
            total += u64::from(p.days);
            if total > u64::from(MAX_DAYS) {
                return Err(Error::invalid(
                    format!("life[{k}].days"),
                    p.days,
                    format!(
                        "a life lasts at most {MAX_DAYS} days in all; this phase ends on day {total}"
                    ),
                ));
            }
        }
        let phases: Vec<&str> = self.life.iter().map(|p| p.name.as_str()).collect();
        let mut groups = Vec::new();
        for (i, g) in self.groups.iter().enumerate() {
            let mut life = base.clone();
            for (phase, list) in &g.opportunities {
                let field = format!("group[{i}].opportunities.{phase}");
                let Some(k) = phases.iter().position(|p| p == phase) else {
                    return Err(Error::invalid(
                        field,
                        format!("\"{phase}\""),
                        format!(
                            "no life phase has this name{}",
                            did_you_mean(phase, &phases)
                                .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"))
                        ),
                    ));
                };
                let days = life.phases[k].days;
                let offered = &mut life.phases[k].opportunities;
                let known: Vec<String> = offered.iter().map(|o| o.domain.clone()).collect();
                for (j, o) in list.iter().enumerate() {
                    let entry = format!("{field}[{j}]");
                    let Some(at) = known.iter().position(|d| *d == o.domain) else {
                        return Err(Error::invalid(
                            format!("{entry}.domain"),
                            format!("\"{}\"", o.domain),
                            format!(
                                "unknown domain: phase `{phase}` offers {}{}",
                                known.join(", "),
                                did_you_mean(&o.domain, &known)
                                    .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"))
                            ),
                        ));
                    };
                    if list[..j].iter().any(|e| e.domain == o.domain) {
                        return Err(Error::invalid(
                            format!("{entry}.domain"),
                            format!("\"{}\"", o.domain),
                            "a domain is listed once per phase",
                        ));
                    }
                    o.validate(&entry, days)?;
                    offered[at] = o.clone();
                }
            }
            groups.push(LifeGroup {
                name: g.name.clone(),
                subjects: g.subjects.unwrap_or(self.subjects),
                params: g.params.clone(),
                variation: g.variation.clone(),
                life,
            });
        }
        let study = LifeStudy {
            name: self.name.clone(),
            theory,
            variation: self.variation.clone(),
            groups,
        };
        study.validate().map_err(file_paths)?;
        Ok(study)
    }
}

/// Whether TOML `text` is a life file (it has `[[life]]` phases), not a laboratory
/// protocol.
pub fn is_life(text: &str) -> bool {
    text.len() <= super::MAX_FILE_BYTES
        && toml::from_str::<toml::Table>(text).is_ok_and(|t| t.contains_key("life"))
}

/// Parses and validates a life file. `origin` names it in errors, which give line,
/// column, field and value.
pub fn load_life(text: &str, origin: &str) -> Result<LoadedLife, Error> {
    super::check_size(text, origin)?;
    let located = |span, message: String| error_at(text, origin, span, message);
    let doc = DeTable::parse(text).map_err(|e| located(e.span(), e.message().to_string()))?;
    let table: toml::Table =
        toml::from_str(text).map_err(|e| located(e.span(), e.message().to_string()))?;
    if table.contains_key("extends") {
        return Err(located(
            find(doc.get_ref(), "extends"),
            "`extends` works for laboratory protocols; a life file is written out whole \
             (`helplessness show NAME` prints a bundled one)"
                .into(),
        ));
    }
    let de =
        toml::Deserializer::parse(text).map_err(|e| located(e.span(), e.message().to_string()))?;
    let file: LifeFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let refused = refusal::<LifeFile>(toml::Value::Table(table.clone()));
        let (message, at) = explain(e.inner().message(), &path, refused);
        let span = e.inner().span().filter(|_| at == path);
        located(span.or_else(|| find(doc.get_ref(), at.as_str())), message)
    })?;
    let study = file.to_study().map_err(|e| {
        let at = match &e {
            Error::Invalid { field, .. } => {
                let f = field.to_string().replace("groups[", "group[");
                find(doc.get_ref(), f.as_str())
            }
            Error::Unknown { kind, name, .. } if kind.starts_with("parameter") => {
                find(doc.get_ref(), format!("params.{name}").as_str())
                    .or_else(|| find(doc.get_ref(), format!("mind.{name}").as_str()))
            }
            Error::Unknown { kind: "theory", .. } => find(doc.get_ref(), "mind.theory"),
            Error::Unknown { name, .. } => find_string(doc.get_ref(), name),
            _ => None,
        };
        located(at, e.to_string())
    })?;
    Ok(LoadedLife { file, study })
}
