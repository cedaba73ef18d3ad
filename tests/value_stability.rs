//! Value stability: exact outputs for a fixed seed. A change that alters any of these
//! numbers changes every result the crate produces; make it on purpose and call it out
//! as a value-breaking change in the changelog.

use helplessness::{TrialRecord, protocol};

type Key<'a> = (&'a str, u32, &'a str, u32);

fn check(
    records: &[TrialRecord],
    (group, subject, phase, trial): Key<'_>,
    times: [f64; 3],
    escaped: bool,
    responses: u32,
    state: [f64; 9],
) {
    let r = records
        .iter()
        .find(|r| {
            &*r.group == group && r.subject == subject && &*r.phase == phase && r.trial == trial
        })
        .expect("record exists");
    let at = format!("{group}[{subject}] {phase} trial {trial}");
    assert_eq!([r.onset_s, r.shock_s, r.latency_s.unwrap()], times, "{at}");
    assert_eq!((r.escaped, r.responses), (escaped, responses), "{at}");
    assert_eq!(r.state.values(), state, "{at}");
}

#[test]
fn pinned_records_for_seed_42() {
    let triadic_dog = protocol::triadic_dog(2).run(42).unwrap();
    let triadic_rat = protocol::triadic_rat(2).run(42).unwrap();
    check(
        &triadic_dog,
        ("escapable", 0, "pretreatment", 1),
        [65.50236673924472, 30.0, 30.0],
        false,
        0,
        [
            0.18613677468974246,
            0.6840274260755118,
            0.3502837133992933,
            1.0745184613337013,
            1.000058340410889,
            0.0,
            0.1793920936583755,
            -1.0,
            0.03839286326148572,
        ],
    );
    check(
        &triadic_dog,
        ("inescapable", 1, "test", 10),
        [1442.6054222552689, 60.0, 60.0],
        false,
        0,
        [
            0.2446573865719125,
            0.7601903532637294,
            2.455817776309625,
            53.16621114205281,
            3.9965996738306178,
            0.0,
            0.22433571056152735,
            -1.0,
            0.9999994957241606,
        ],
    );
    check(
        &triadic_dog,
        ("no-shock", 1, "test", 1),
        [104.21543975629768, 25.96568790469433, 25.96568790469433],
        true,
        1,
        [
            0.5141695980006058,
            0.9494650538656624,
            0.07352331869021447,
            0.19430366280001013,
            1.0,
            0.0,
            0.3698238812167682,
            -0.7151604838403013,
            0.007730900518133632,
        ],
    );
    check(
        &triadic_dog,
        ("escapable", 1, "test", 5),
        [487.61301021825034, 10.50776787377135, 10.50776787377135],
        true,
        1,
        [
            0.6842866936707954,
            0.9999978901157968,
            0.037501507814501754,
            0.10215172430499571,
            1.0,
            8.98183922398841,
            0.6572924142500416,
            0.11258713214776297,
            0.22118854149785364,
        ],
    );
    check(
        &triadic_rat,
        ("escapable", 0, "pretreatment", 1),
        [47.11299587811605, 4.143984988306427, 4.143984988306427],
        true,
        1,
        [
            0.35133799118036535,
            0.6329910080349085,
            0.40727725608656334,
            0.15842347615613764,
            1.0,
            0.0,
            0.1793920936583755,
            -0.8101026975895275,
            0.0014321360496457602,
        ],
    );
    check(
        &triadic_rat,
        ("inescapable", 1, "test", 10),
        [656.8193312312853, 0.411593567896352, 0.411593567896352],
        true,
        2,
        [
            0.3175997222075801,
            0.8789746440439904,
            0.4583025461565428,
            1.7822113423189592,
            2.1965541179831476,
            0.18954322781509703,
            0.19830485377959176,
            0.412331896717683,
            0.48346806700021083,
        ],
    );
    check(
        &triadic_rat,
        ("no-shock", 1, "test", 1),
        [66.91907912961545, 2.7221050131820963, 2.7221050131820963],
        true,
        1,
        [
            0.4877328163914104,
            0.9318837484189381,
            0.06935801144405675,
            0.016323786128374172,
            1.0,
            0.0,
            0.3698238812167682,
            -0.7204348754743186,
            0.00034989669271434654,
        ],
    );
    check(
        &triadic_rat,
        ("escapable", 1, "test", 5),
        [318.073031576006, 1.809992247120468, 1.809992247120468],
        true,
        2,
        [
            0.3646768207618559,
            0.9993623620050435,
            0.029551498232103523,
            0.015358293899207225,
            1.0,
            8.230036413544891,
            0.3135439115464816,
            0.11188473443891803,
            0.15740349520734723,
        ],
    );
}
