//! The protocol files shown in the README are valid, and mean what their comments say.

use helplessness::protocol;

fn toml_blocks() -> Vec<String> {
    let readme = include_str!("../README.md");
    readme
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn readme_protocols_load() {
    let blocks = toml_blocks();
    assert_eq!(blocks.len(), 3);
    let strong = protocol::load(&blocks[0], "README extends example").unwrap();
    let test = &strong.experiment.phases[1];
    assert_eq!(test.name, "test");
    assert!(test.schedule.blocks.iter().all(|b| b.intensity == 1.0));
    assert_eq!(strong.experiment.groups.len(), 3);

    let full = protocol::load(&blocks[1], "README annotated example").unwrap();
    let exp = &full.experiment;
    assert_eq!(exp.groups.len(), 3);
    assert!(exp.groups.iter().all(|g| g.subjects == 40));
    assert_eq!(exp.phases[1].after_hours, 24.0);
    assert_eq!(exp.params.mpfc_threshold, 0.2);
    assert!(exp.run(1).is_ok());

    // The interventions snippet is a group that extends the triad.
    let text = format!("extends = \"triadic-rat\"\n{}", blocks[2]);
    let with_drug = protocol::load(&text, "README interventions example").unwrap();
    let group = with_drug
        .experiment
        .groups
        .iter()
        .find(|g| g.name == "ES-muscimol")
        .unwrap();
    assert_eq!(group.interventions_in("pretreatment").len(), 1);
}
