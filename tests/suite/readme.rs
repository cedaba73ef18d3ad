//! The protocol files shown in the README are valid, and mean what their comments say.

use helplessness::protocol;

fn toml_blocks() -> Vec<String> {
    let readme = include_str!("../../README.md");
    readme
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn readme_protocols_load() {
    let blocks = toml_blocks();
    // Three protocols, the interventions snippet, the theory example and the sweep file.
    assert_eq!(blocks.len(), 6);
    let strong = protocol::load(&blocks[0], "README extends example").unwrap();
    let test = &strong.experiment.phases[1];
    assert_eq!(test.name, "test");
    assert!(test.schedule.blocks.iter().all(|b| b.intensity == 1.0));
    assert_eq!(strong.experiment.groups.len(), 3);

    let full = protocol::load(&blocks[1], "README annotated example").unwrap();
    let exp = &full.experiment;
    assert_eq!(exp.groups.len(), 5);
    assert!(exp.groups.iter().all(|g| g.subjects == 40));
    let home = &exp.groups[3];
    assert!(home.sits_out("pretreatment") && home.context_in("test") == Some("novel-box"));
    let told = &exp.groups[4];
    assert_eq!(told.params["external_locus"], 0.6);
    assert_eq!(told.variation[0].parameter, "globality");
    assert_eq!(
        exp.instruction_of(told, &exp.phases[1]),
        Some(helplessness::mind::Instruction::Chance)
    );
    assert_eq!(exp.domains(), ["lab"]);
    assert_eq!(exp.phases[1].after_hours, 24.0);
    assert_eq!(exp.theory.get("mpfc_threshold"), Some(0.2));
    assert!(exp.run(1).is_ok());

    // The list edits do what their comments say.
    let edited = protocol::load(&blocks[2], "README list edits example").unwrap();
    let names = |list: Vec<&str>| list.join(" ");
    let exp = &edited.experiment;
    assert_eq!(
        names(exp.groups.iter().map(|g| g.name.as_str()).collect()),
        "forced-0 forced-many"
    );
    assert_eq!(
        names(exp.phases.iter().map(|p| p.name.as_str()).collect()),
        "pretreatment test-1 rest therapy test-2"
    );
    assert_eq!(exp.phases[1].schedule.cutoff_s, 60.0);
    assert_eq!(exp.phases[1].apparatus.name(), "shuttle-box");

    // The interventions snippet is a group that extends the triad.
    let text = format!("extends = \"triadic-rat\"\n{}", blocks[3]);
    let with_drug = protocol::load(&text, "README interventions example").unwrap();
    let group = with_drug
        .experiment
        .groups
        .iter()
        .find(|g| g.name == "ES-muscimol")
        .unwrap();
    assert_eq!(group.interventions_in("pretreatment").len(), 1);

    // The theory example runs the triad under arbitration with the given β.
    let arbitration = protocol::load(&blocks[4], "README theory example").unwrap();
    let exp = &arbitration.experiment;
    assert_eq!(exp.theory.name(), "arbitration");
    assert_eq!(exp.theory.get("beta"), Some(5.0));
    assert!(exp.variation.is_empty());
    assert!(exp.clone().with_subjects(2).run(1).is_ok());
}

/// The run the README shows prints what the README says it prints (the closing
/// summary; the first line holds the elapsed time).
#[test]
fn readme_run_output_is_what_the_tool_prints() {
    let readme = include_str!("../../README.md");
    let block = readme
        .split("## A run")
        .nth(1)
        .and_then(|s| s.split("```text\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("the README shows a run");
    let shown: String = block
        .lines()
        .skip_while(|l| !l.starts_with("triadic-rat, test:"))
        .collect::<Vec<_>>()
        .join(" ");
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_helplessness"))
        .args(["run", "triadic-rat", "--no-plots", "--quiet", "--out"])
        .arg(dir.path().join("run"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let summary = printed
        .lines()
        .find(|l| l.starts_with("triadic-rat, test:"))
        .expect("a closing summary");
    assert_eq!(summary, shown);
}
