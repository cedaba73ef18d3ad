//! Every figure is produced as a PNG of the stated size with real content and as an SVG
//! that carries its axis labels and group names.

use std::path::Path;

use helplessness::analysis::Summary;
use helplessness::{plot, protocol};

fn decode(path: &Path) -> (u32, u32, Vec<u8>, png::ColorType) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf, info.color_type)
}

/// The streaming summary of a run of `exp`.
fn summarize(exp: &helplessness::Experiment, seed: u64) -> Summary {
    let mut summary = Summary::new(exp);
    exp.runner(seed).into_sink(&mut summary).unwrap();
    summary
}

#[test]
fn figures_are_complete_pngs_and_labelled_svgs() {
    let exp = protocol::triadic_rat(40);
    let summary = summarize(&exp, 2);
    let dir = tempfile::tempdir().unwrap();
    let figures = plot::write_figures(dir.path(), &exp, &summary, "test").unwrap();
    assert_eq!(figures.len(), 4);
    let labels: [(&str, &[&str]); 4] = [
        (
            "latency-by-trial",
            &["Trial of phase test", "Mean escape latency"],
        ),
        ("failing", &["Subjects failing", "Wilson 95 % CI"]),
        (
            "subject-latencies",
            &["mean escape latency", "one point per subject"],
        ),
        (
            "traces",
            &[
                "controllability estimate c",
                "DRN sensitization s",
                "Trial (all phases in order)",
            ],
        ),
    ];
    for (stem, needles) in labels {
        let (w, h, pixels, colour) = decode(&dir.path().join(format!("{stem}.png")));
        assert_eq!((w, h), plot::SIZE, "{stem}");
        assert_eq!(colour, png::ColorType::Rgb, "{stem}");
        // Non-trivial content: many colours, and a good share of non-white pixels.
        let rgb: Vec<[u8; 3]> = pixels.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
        let non_white = rgb.iter().filter(|p| **p != [255, 255, 255]).count();
        assert!(
            non_white as f64 > 0.03 * rgb.len() as f64,
            "{stem}: {non_white} ink pixels"
        );
        let mut distinct = rgb.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() > 20, "{stem}: {} colours", distinct.len());
        let svg = std::fs::read_to_string(dir.path().join(format!("{stem}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{stem}");
        for needle in needles
            .iter()
            .chain(&["escapable", "inescapable", "no-shock"])
        {
            // Group names are in every figure (legend or axis), except traces' SVG
            // legend which sits in the first panel.
            assert!(svg.contains(needle), "{stem}.svg lacks {needle}");
        }
    }
}

#[test]
fn wilson_intervals_bracket_the_failure_rate() {
    for (k, n) in [(0, 10), (3, 10), (10, 10), (58, 200)] {
        let (lo, hi) = plot::wilson(k, n);
        let p = k as f64 / n as f64;
        assert!(lo <= p && p <= hi && (0.0..=1.0).contains(&lo) && hi <= 1.0);
    }
}

#[test]
fn a_varied_quantity_gets_its_own_figure() {
    let exp = protocol::bundled("contingency-space")
        .unwrap()
        .experiment
        .with_subjects(15);
    let summary = summarize(&exp, 1);
    let dir = tempfile::tempdir().unwrap();
    let figures = plot::write_figures(dir.path(), &exp, &summary, "test").unwrap();
    assert_eq!(figures.len(), 5);
    assert_eq!(figures[4].1, "effect-vs-quantity.png");
    let (w, h, _, _) = decode(&dir.path().join("effect-vs-quantity.png"));
    assert_eq!((w, h), plot::SIZE);
    let svg = std::fs::read_to_string(dir.path().join("effect-vs-quantity.svg")).unwrap();
    assert!(
        svg.contains("Mean escape latency")
            && svg.contains("p=x")
            && svg.contains("x in the group names (p=0, p=0.25, p=0.5, ...)"),
        "{svg}"
    );
    // The triad varies nothing by number: no such figure.
    let triad = protocol::triadic_dog(5);
    let summary = summarize(&triad, 1);
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        plot::write_figures(dir.path(), &triad, &summary, "test")
            .unwrap()
            .len(),
        4
    );
}

#[test]
fn every_scored_phase_of_every_bundled_protocol_gets_its_figures() {
    for b in protocol::BUNDLED {
        let exp = protocol::bundled(b.name)
            .unwrap()
            .experiment
            .with_subjects(3);
        let summary = summarize(&exp, 1);
        let dir = tempfile::tempdir().unwrap();
        let figures = plot::write_run_figures(dir.path(), &exp, &summary, |_| true).unwrap();
        let scored = exp.scored_phases();
        for phase in &scored {
            let suffix = if scored.len() == 1 {
                String::new()
            } else {
                format!("-{phase}")
            };
            for stem in ["latency-by-trial", "failing", "subject-latencies"] {
                let file = format!("{stem}{suffix}.png");
                assert!(
                    figures
                        .iter()
                        .any(|(caption, f)| *f == file && caption.contains(phase)),
                    "{}: no {file} captioned with {phase}: {figures:?}",
                    b.name
                );
                let (w, h, _, _) = decode(&dir.path().join(&file));
                assert_eq!((w, h), plot::SIZE);
                // Each phase's figure shows that phase.
                let svg = std::fs::read_to_string(dir.path().join(format!("{stem}{suffix}.svg")))
                    .unwrap();
                if stem == "latency-by-trial" {
                    assert!(
                        svg.contains(&format!("Trial of phase {phase}")),
                        "{}",
                        b.name
                    );
                }
            }
        }
        assert_eq!(
            figures.iter().filter(|(_, f)| f == "traces.png").count(),
            1,
            "{}",
            b.name
        );
    }
}

#[test]
fn drug_days_are_drawn_for_treated_groups_and_their_vehicle_not_the_home_cage() {
    // antidepressant-rat varies the day of dosing in phase names; HC never had the
    // stress or a drug, so it has no place on that axis.
    let exp = protocol::bundled("antidepressant-rat")
        .unwrap()
        .experiment
        .with_subjects(4);
    let summary = summarize(&exp, 1);
    let dir = tempfile::tempdir().unwrap();
    let figures =
        plot::write_run_figures(dir.path(), &exp, &summary, |s| s == "effect-vs-quantity").unwrap();
    assert_eq!(figures.len(), 1);
    let svg = std::fs::read_to_string(dir.path().join("effect-vs-quantity.svg")).unwrap();
    for group in ["vehicle", "antidepressant", "anxiolytic", "stimulant"] {
        assert!(svg.contains(&format!("\n{group}\n")), "{group} missing");
    }
    assert!(!svg.contains("\nHC\n"), "HC drawn against drug days");
}

#[test]
fn figures_take_a_size_a_resolution_and_a_phase() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_helplessness"))
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let o = run(&[
        "run",
        "forced-exposure-dog",
        "--subjects",
        "3",
        "--out",
        "r",
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = std::fs::read_to_string(dir.path().join("r/report.md")).unwrap();
    let o = run(&[
        "plot", "r", "--width", "640", "--height", "400", "--dpi", "192", "--phase", "test-2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let figures = dir.path().join("r/figures");
    // test-2's figures at 1280 x 800 pixels; test-1's as they were; the report kept.
    assert_eq!(decode(&figures.join("failing-test-2.png")).0, 1280);
    assert_eq!(decode(&figures.join("failing-test-2.png")).1, 800);
    assert_eq!(
        (
            decode(&figures.join("failing-test-1.png")).0,
            decode(&figures.join("failing-test-1.png")).1
        ),
        plot::SIZE
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("r/report.md")).unwrap(),
        report
    );
    // A phase without figures, or a size out of range, is refused with exit status 2.
    let o = run(&["plot", "r", "--phase", "therapy"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("test-1, test-2"));
    let o = run(&["plot", "r", "--dpi", "5000"]);
    assert_eq!(o.status.code(), Some(2));
}
