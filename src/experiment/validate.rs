//! Checking an experiment before it runs: every field, and the relations between
//! groups and phases (unique names, yoking to an existing group of the same size that
//! takes part, no cycles, home-cage and context entries naming real phases).

use super::{Experiment, MAX_SUBJECTS, MAX_TRIAL_CELLS, Phase};
use crate::contingency::Contingency;
use crate::error::{Error, Must};
use crate::names::first_positions;

impl Experiment {
    /// Checks every field and the relations between groups and phases: unique names,
    /// yoking to an existing group of the same size, no cycles.
    pub fn validate(&self) -> Result<(), Error> {
        self.factory()?;
        if !(1e-3..=1.0).contains(&self.dt_s) {
            return Err(Error::invalid(
                "dt_s",
                self.dt_s,
                "must be within [0.001, 1] s",
            ));
        }
        if self.theory.window_s() < self.dt_s {
            return Err(Error::invalid(
                "params.window_s",
                self.theory.window_s(),
                format!("must be at least one tick (dt_s = {})", self.dt_s),
            ));
        }
        if self.groups.is_empty() {
            return Err(Error::invalid("groups", "[]", "needs at least one group"));
        }
        if self.phases.is_empty() {
            return Err(Error::invalid("phases", "[]", "needs at least one phase"));
        }
        let group_names: Vec<&str> = self.groups.iter().map(|g| g.name.as_str()).collect();
        let phase_names: Vec<&str> = self.phases.iter().map(|p| p.name.as_str()).collect();
        let cells: u64 = (self.groups.len() as u64).saturating_mul(
            self.phases
                .iter()
                .map(|p| u64::from(p.schedule.trials()))
                .fold(0, u64::saturating_add),
        );
        if cells > MAX_TRIAL_CELLS {
            return Err(Error::invalid(
                "groups",
                format!(
                    "{} groups x {} trials",
                    self.groups.len(),
                    cells / self.groups.len() as u64
                ),
                format!(
                    "groups x trials of all phases must be at most {MAX_TRIAL_CELLS} \
                     (a summary keeps one cell per group and trial)"
                ),
            ));
        }
        // Names to indices once, so that validation stays linear in groups and phases.
        let group_index = first_positions(group_names.iter().copied());
        let phase_index = first_positions(phase_names.iter().copied());
        for (i, g) in self.groups.iter().enumerate() {
            if g.name.is_empty() || group_index[g.name.as_str()] != i {
                return Err(Error::invalid(
                    format!("groups[{i}].name"),
                    format!("{:?}", g.name),
                    "group names must be non-empty and unique",
                ));
            }
            if g.subjects == 0 || g.subjects > MAX_SUBJECTS {
                return Err(Error::invalid(
                    format!("groups[{i}].subjects"),
                    g.subjects,
                    format!("a group has from 1 to {MAX_SUBJECTS} subjects"),
                ));
            }
            for phase in g
                .contingencies
                .keys()
                .chain(g.interventions.keys())
                .chain(g.contexts.keys())
                .chain(g.instructions.keys())
                .chain(&g.home_cage)
            {
                if !phase_index.contains_key(phase.as_str()) {
                    return Err(Error::unknown("phase", phase, &phase_names));
                }
            }
            for (k, phase) in g.home_cage.iter().enumerate() {
                let given = if g.home_cage[..k].contains(phase) {
                    Some("home_cage twice")
                } else if g.contingencies.contains_key(phase) {
                    Some("a contingency")
                } else if g.interventions.contains_key(phase) {
                    Some("interventions")
                } else if g.contexts.contains_key(phase) {
                    Some("a context")
                } else if g.instructions.contains_key(phase) {
                    Some("instructions")
                } else {
                    None
                };
                if let Some(what) = given {
                    return Err(Error::invalid(
                        format!("groups[{i}].home_cage[{k}]"),
                        phase,
                        format!(
                            "the group sits out `{phase}` in its home cage, so it cannot \
                             also have {what} there"
                        ),
                    ));
                }
            }
            for (phase, context) in &g.contexts {
                if context.is_empty() {
                    return Err(Error::invalid(
                        format!("groups[{i}].contexts.{phase}"),
                        "\"\"",
                        "a context needs a name",
                    ));
                }
            }
            for (phase, list) in &g.interventions {
                for (k, iv) in list.iter().enumerate() {
                    iv.validate(&format!("groups[{i}].interventions.{phase}[{k}]"))?;
                }
            }
            // Instructions are about a task: a phase where nothing happens to the group
            // has none to describe.
            for p in &self.phases {
                if self.instruction_of(g, p).is_some()
                    && !g.sits_out(&p.name)
                    && matches!(self.contingency(g, p), Contingency::NoShock)
                {
                    let (field, value) = match g.instructions.get(&p.name) {
                        Some(told) => (format!("groups[{i}].instructions.{}", p.name), *told),
                        None => (
                            format!("phases[{}].instructions", phase_index[p.name.as_str()]),
                            p.instructions.unwrap_or(crate::mind::Instruction::Skill),
                        ),
                    };
                    return Err(Error::invalid(
                        field,
                        format!("{value:?}"),
                        format!(
                            "group `{}` meets no stimulus or task in `{}` (no-shock), so \
                             there is nothing to instruct it about",
                            g.name, p.name
                        ),
                    ));
                }
            }
        }
        for (i, p) in self.phases.iter().enumerate() {
            if p.name.is_empty() || phase_index[p.name.as_str()] != i {
                return Err(Error::invalid(
                    format!("phases[{i}].name"),
                    format!("{:?}", p.name),
                    "phase names must be non-empty and unique",
                ));
            }
            Must::NonNegative.check(|| format!("phases[{i}].after_hours"), p.after_hours)?;
            p.schedule.validate(&format!("phases[{i}].schedule"))?;
            p.contingency
                .validate(&format!("phases[{i}].contingency"))?;
            for (k, iv) in p.interventions.iter().enumerate() {
                iv.validate(&format!("phases[{i}].interventions[{k}]"))?;
            }
            if p.contingency.yoked_to().is_some() {
                return Err(Error::invalid(
                    format!("phases[{i}].contingency"),
                    "yoked",
                    "yoking names a partner group: give it to a group, not to the phase",
                ));
            }
            for (j, g) in self.groups.iter().enumerate() {
                if !self.takes_part(g, p) {
                    continue;
                }
                self.represented(i, j)?;
                let c = self.contingency(g, p);
                let field = format!("groups[{j}].contingencies.{}", p.name);
                c.validate(&field)?;
                if let Some(to) = c.yoked_to() {
                    let Some(master) = group_index.get(to).map(|&m| &self.groups[m]) else {
                        return Err(Error::unknown("group", to, &group_names));
                    };
                    if !self.takes_part(master, p) {
                        return Err(Error::invalid(
                            format!("groups[{j}].contingencies.{}", p.name),
                            format!("yoked to `{to}`"),
                            format!("`{to}` sits out `{}` in its home cage", p.name),
                        ));
                    }
                    if master.subjects != g.subjects {
                        return Err(Error::invalid(
                            format!("groups[{j}].subjects"),
                            g.subjects,
                            format!(
                                "a group yoked to `{to}` needs as many subjects ({})",
                                master.subjects
                            ),
                        ));
                    }
                }
            }
            self.yoke_order(p, &self.partners(p))?;
        }
        if let Some(c) = &self.criterion {
            for (k, name) in std::iter::once(&c.phase).chain(&c.also).enumerate() {
                let field = if k == 0 {
                    "criterion.phase".to_string()
                } else {
                    format!("criterion.also[{}]", k - 1)
                };
                let Some(phase) = phase_index.get(name.as_str()).map(|&p| &self.phases[p]) else {
                    return Err(Error::invalid(
                        field,
                        name,
                        format!("no such phase (phases: {})", phase_names.join(", ")),
                    ));
                };
                if c.min_failures == 0 || c.min_failures > phase.schedule.trials() {
                    return Err(Error::invalid(
                        "criterion.min_failures",
                        c.min_failures,
                        format!(
                            "must be within 1..={} (trials of `{name}`)",
                            phase.schedule.trials()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Refuses an intervention that group `j` receives in phase `i` and the theory
    /// cannot represent, naming the theory, the intervention, the group and the phase.
    fn represented(&self, i: usize, j: usize) -> Result<(), Error> {
        let (p, g) = (&self.phases[i], &self.groups[j]);
        let phase_own = p
            .interventions
            .iter()
            .enumerate()
            .map(|(k, iv)| (format!("phases[{i}].interventions[{k}]"), iv));
        let group_own = g
            .interventions_in(&p.name)
            .iter()
            .enumerate()
            .map(|(k, iv)| (format!("groups[{j}].interventions.{}[{k}]", p.name), iv));
        for (field, iv) in phase_own.chain(group_own) {
            if !self.theory.understands(iv) {
                return Err(Error::invalid(
                    field,
                    iv.name(),
                    format!(
                        "the {} theory cannot represent {} (group `{}`, phase `{}`): it has \
                         no drugs or infusions; run it under theory = \"circuit\" or remove it",
                        self.theory.name(),
                        iv.describe(),
                        g.name,
                        p.name
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Per group, the index of its partner in `phase` (the group it is yoked to).
    pub(crate) fn partners(&self, phase: &Phase) -> Vec<Option<usize>> {
        let index = first_positions(self.groups.iter().map(|g| g.name.as_str()));
        self.groups
            .iter()
            .map(|g| {
                self.takes_part(g, phase)
                    .then(|| self.contingency(g, phase))
                    .and_then(Contingency::yoked_to)
                    .and_then(|to| index.get(to).copied())
            })
            .collect()
    }

    /// Group indices of `phase` in an order where every partner (`partner`, from
    /// [`Experiment::partners`]) runs before the groups yoked to it (each group follows
    /// its chain of partners once: linear time).
    pub(crate) fn yoke_order(
        &self,
        phase: &Phase,
        partner: &[Option<usize>],
    ) -> Result<Vec<usize>, Error> {
        let n = self.groups.len();
        let mut order = Vec::with_capacity(n);
        // 0: not placed, 1: on the chain being followed, 2: placed.
        let mut state = vec![0u8; n];
        for first in 0..n {
            let mut chain = Vec::new();
            let mut at = Some(first);
            while let Some(i) = at {
                match state[i] {
                    2 => break,
                    1 => {
                        let from = chain.iter().position(|&c| c == i).unwrap_or(0);
                        let names: Vec<&str> = chain[from..]
                            .iter()
                            .chain(std::iter::once(&i))
                            .map(|&c| self.groups[c].name.as_str())
                            .collect();
                        return Err(Error::invalid(
                            format!("groups[{}].contingencies.{}", chain[from], phase.name),
                            format!("yoked: {}", names.join(" -> ")),
                            "yoking forms a cycle",
                        ));
                    }
                    _ => {
                        state[i] = 1;
                        chain.push(i);
                        at = partner[i];
                    }
                }
            }
            for &i in chain.iter().rev() {
                state[i] = 2;
                order.push(i);
            }
        }
        Ok(order)
    }
}
