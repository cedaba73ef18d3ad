//! Writing a protocol back as a complete, commented TOML file that `load` accepts.

use std::fmt::Write as _;

use serde::Serialize;

use super::file::ProtocolFile;
use crate::mind::Theory;

/// A value as an inline TOML value (`{ fixed = { s = 60.0 } }`).
fn inline<T: Serialize>(value: &T) -> String {
    toml::Value::try_from(value).map_or_else(|e| format!("\"{e}\""), |v| v.to_string())
}

/// A table key: bare where TOML allows it, quoted otherwise.
fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        name.to_string()
    } else {
        inline(&name)
    }
}

/// The first sentence of a doc comment, on one line.
fn first_sentence(doc: &str) -> String {
    let flat = doc.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(": ").into_iter().chain(flat.find(". ")).min() {
        Some(end) => flat[..end].to_string(),
        None => flat.trim_end_matches('.').to_string(),
    }
}

/// Renders `file` as TOML, every field written out with a comment saying what it is,
/// after `header` (comment lines, e.g. a bundled file's citation).
///
/// ```
/// use helplessness::protocol::{bundled, load, render};
/// let rat = bundled("triadic-rat").unwrap();
/// let text = render(&rat.file, "# my copy\n");
/// assert!(text.contains("[params]") && text.contains("mpfc_threshold = "));
/// let again = load(&text, "copy.toml").unwrap();
/// assert_eq!(again.experiment, rat.experiment);
/// ```
pub fn render(file: &ProtocolFile, header: &str) -> String {
    let mut out = String::new();
    let w = &mut out;
    for line in header.lines() {
        let _ = writeln!(w, "{line}");
    }
    if !header.is_empty() {
        let _ = writeln!(w);
    }
    let _ = writeln!(w, "name = {}", inline(&file.name));
    if !file.description.is_empty() {
        let _ = writeln!(w, "description = {}", inline(&file.description));
    }
    if !file.source.is_empty() {
        let _ = writeln!(w, "source = {}", inline(&file.source));
    }
    let _ = writeln!(w, "# Parameter preset: rat, dog or human.");
    let _ = writeln!(w, "species = {}", inline(&file.species));
    let _ = writeln!(w, "# Seed of every random stream: same seed, same records.");
    let _ = writeln!(w, "seed = {}", file.seed);
    let _ = writeln!(w, "# Subjects per group, for groups that do not say.");
    let _ = writeln!(w, "subjects = {}", file.subjects);
    let _ = writeln!(
        w,
        "# Tick while a stimulus is on, s (the circuit steps a detector window at a time)."
    );
    let _ = writeln!(w, "dt_s = {}", inline(&file.dt_s));

    let theory = Theory::named(&file.mind.theory, file.species).ok();
    let _ = writeln!(
        w,
        "\n# Theory of the subject: circuit, expectancy or arbitration (see `helplessness theories`)."
    );
    let _ = writeln!(w, "[mind]");
    let _ = writeln!(w, "theory = {}", inline(&file.mind.theory));
    let _ = writeln!(
        w,
        "\n# Parameters of the {} theory. Units are in the names: _s seconds; rates per second.",
        file.mind.theory
    );
    let _ = writeln!(w, "[params]");
    let given = |name: &str| {
        file.params
            .get(name)
            .or_else(|| file.mind.params.get(name))
            .copied()
    };
    if let Some(t) = &theory {
        for ((name, doc), (lo, hi)) in t
            .parameter_names()
            .iter()
            .zip(t.parameter_docs())
            .zip(t.parameter_ranges())
        {
            let value = given(name).or_else(|| t.get(name)).unwrap_or(f64::NAN);
            let _ = writeln!(w, "# {} [{lo}, {hi}]", first_sentence(doc));
            let _ = writeln!(w, "{name} = {}", inline(&value));
        }
    }
    let known = |name: &str| {
        theory
            .as_ref()
            .is_some_and(|t| t.parameter_names().contains(&name))
    };
    for (name, value) in file.params.iter().chain(&file.mind.params) {
        if !known(name) {
            let _ = writeln!(w, "{name} = {}", inline(value));
        }
    }

    if !file.variation.is_empty() {
        let _ = writeln!(
            w,
            "\n# Parameters drawn per subject: apply = set (replace), add or scale."
        );
    }
    for v in &file.variation {
        let _ = writeln!(w, "[[vary]]");
        let _ = writeln!(w, "parameter = {}", inline(&v.parameter));
        let _ = writeln!(w, "dist = {}", inline(&v.dist));
        let _ = writeln!(w, "apply = {}\n", inline(&v.apply));
    }

    if let Some(c) = &file.criterion {
        let _ = writeln!(
            w,
            "\n# A subject fails when at least min_failures trials of this phase reach the cut-off."
        );
        let _ = writeln!(w, "[criterion]");
        let _ = writeln!(w, "phase = {}", inline(&c.phase));
        let _ = writeln!(w, "min_failures = {}", c.min_failures);
        if !c.also.is_empty() {
            let _ = writeln!(w, "# Other phases scored the same way.");
            let _ = writeln!(w, "also = {}", inline(&c.also));
        }
    }

    let _ = writeln!(
        w,
        "\n# Groups. `contingency.PHASE` overrides the phase's contingency for this group,\n\
         # `context.PHASE` its context; `home_cage` lists the phases it sits out."
    );
    for g in &file.groups {
        let _ = writeln!(w, "[[group]]");
        let _ = writeln!(w, "name = {}", inline(&g.name));
        if let Some(n) = g.subjects {
            let _ = writeln!(w, "subjects = {n}");
        }
        for (phase, c) in &g.contingency {
            let _ = writeln!(w, "contingency.{} = {}", key(phase), inline(c));
        }
        for (phase, list) in &g.interventions {
            let _ = writeln!(w, "interventions.{} = {}", key(phase), inline(list));
        }
        for (phase, context) in &g.context {
            let _ = writeln!(w, "context.{} = {}", key(phase), inline(context));
        }
        if !g.home_cage.is_empty() {
            let _ = writeln!(w, "home_cage = {}", inline(&g.home_cage));
        }
        for (phase, i) in &g.instructions {
            let _ = writeln!(w, "instructions.{} = {}", key(phase), inline(i));
        }
        for (name, value) in &g.params {
            let _ = writeln!(w, "params.{} = {}", key(name), inline(value));
        }
        if !g.variation.is_empty() {
            let _ = writeln!(w, "vary = [");
            for v in &g.variation {
                let _ = writeln!(w, "    {},", inline(v));
            }
            let _ = writeln!(w, "]");
        }
        let _ = writeln!(w);
    }

    let _ = writeln!(
        w,
        "# Phases, in time order: each a session in an apparatus, after a delay."
    );
    for p in &file.phases {
        let _ = writeln!(w, "[[phase]]");
        let _ = writeln!(w, "name = {}", inline(&p.name));
        let _ = writeln!(
            w,
            "# Delay after the previous phase (hours and days add up)."
        );
        let _ = writeln!(w, "after_hours = {}", inline(&p.after_hours));
        if p.after_days != 0.0 {
            let _ = writeln!(w, "after_days = {}", inline(&p.after_days));
        }
        let _ = writeln!(
            w,
            "# harness, wheel-turn, shuttle-box, button or hand-shuttle."
        );
        let _ = writeln!(w, "apparatus = {}", inline(&p.apparatus));
        if let Some(c) = &p.context {
            let _ = writeln!(w, "# Where it happens: evidence of control is bound to it.");
            let _ = writeln!(w, "context = {}", inline(c));
        }
        if let Some(i) = &p.instructions {
            let _ = writeln!(
                w,
                "# What the subjects are told: skill, chance or hard-for-everyone."
            );
            let _ = writeln!(w, "instructions = {}", inline(i));
        }
        if let Some(d) = &p.domain {
            let _ = writeln!(
                w,
                "# The life domain of the context: evidence spreads beyond it by globality."
            );
            let _ = writeln!(w, "domain = {}", inline(d));
        }
        let _ = writeln!(
            w,
            "# Trials in blocks: intensity in mA (shock) or dB (noise); ratio = FR requirement."
        );
        let _ = writeln!(w, "blocks = [");
        for b in &p.blocks {
            let _ = writeln!(w, "    {},", inline(b));
        }
        let _ = writeln!(w, "]");
        let _ = writeln!(w, "# Interval before each trial, s.");
        let _ = writeln!(w, "iti = {}", inline(&p.iti));
        let _ = writeln!(w, "# Longest a stimulus lasts when nothing ends it, s.");
        let _ = writeln!(w, "cutoff_s = {}", inline(&p.cutoff_s));
        if let Some(seed) = p.shuffle {
            let _ = writeln!(
                w,
                "# The blocks' trials in one shuffled order, drawn from this seed."
            );
            let _ = writeln!(w, "shuffle = {seed}");
        }
        let _ = writeln!(
            w,
            "# escapable, partial, escapable-or-yoked, yoked, fixed or \"no-shock\"."
        );
        let _ = writeln!(w, "contingency = {}", inline(&p.contingency));
        let _ = writeln!(
            w,
            "# Drugs, infusions or forced exposure for every group in this session."
        );
        let _ = writeln!(w, "interventions = {}\n", inline(&p.interventions));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{first_sentence, render};
    use crate::protocol::{BUNDLED, bundled, load};

    #[test]
    fn every_bundled_protocol_renders_to_the_same_experiment() {
        // A rendered file once lost `criterion.also` (the retests a protocol scores).
        for b in BUNDLED {
            let loaded = bundled(b.name).unwrap();
            let again = load(&render(&loaded.file, "# copy\n"), "copy.toml").unwrap();
            assert_eq!(again.experiment, loaded.experiment, "{}", b.name);
        }
    }

    #[test]
    fn comments_are_first_sentences() {
        assert_eq!(
            first_sentence(" Largest rate r_max, per s: a rat.\n More."),
            "Largest rate r_max, per s"
        );
        assert_eq!(first_sentence(" One line."), "One line");
    }
}
