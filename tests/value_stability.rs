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
    state: [f64; 8],
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
    let s = r.state;
    assert_eq!([s.c, s.m, s.d, s.h, s.s, s.w, s.g, s.q], state, "{at}");
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
            0.3502837134556817,
            1.074518461336487,
            1.000058340518355,
            0.0,
            0.1793920936583755,
            -1.0,
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
            2.456406627859105,
            53.91838646089365,
            3.9973836243826244,
            0.0,
            0.22433571056152735,
            -1.0,
        ],
    );
    check(
        &triadic_dog,
        ("no-shock", 1, "test", 1),
        [74.68807924207353, 16.245837370838533, 16.245837370838533],
        true,
        1,
        [
            0.5110661497247437,
            0.9476479633653003,
            0.07496219293936617,
            0.12483175840345333,
            1.0,
            0.10072079175719259,
            0.3698238812167682,
            -0.7157056109904099,
        ],
    );
    check(
        &triadic_dog,
        ("escapable", 1, "test", 5),
        [487.6132900485459, 10.50786922235109, 10.50786922235109],
        true,
        1,
        [
            0.6842866936707954,
            0.9999408136602921,
            0.03754224508190813,
            0.10230526870494931,
            1.0,
            4.563769725894151,
            0.6572924142500416,
            0.11252576309636367,
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
            0.03989730241047255,
            0.1793920936583755,
            -0.8101026975895275,
        ],
    );
    check(
        &triadic_rat,
        ("inescapable", 1, "test", 10),
        [717.075060218111, 30.0, 30.0],
        false,
        0,
        [
            0.2807421593136696,
            0.8602109429456448,
            1.1929337601484444,
            9.846750426572221,
            2.8067317159040517,
            0.2948910624804631,
            0.19830485377959176,
            0.12185709865995073,
        ],
    );
    check(
        &triadic_rat,
        ("no-shock", 1, "test", 1),
        [63.079587561746735, 0.4020456190630305, 0.4020456190630305],
        true,
        1,
        [
            0.47106614972474375,
            0.9180386912655072,
            0.04238709418369946,
            0.0009648275579038159,
            1.0,
            0.0752469644277913,
            0.3698238812167682,
            -0.7245883926203478,
        ],
    );
    check(
        &triadic_rat,
        ("escapable", 1, "test", 5),
        [318.0749935854951, 1.8109195248697383, 1.8109195248697383],
        true,
        2,
        [
            0.3646768207618559,
            0.9963922336433106,
            0.031204127295375608,
            0.016376970553151415,
            1.0,
            5.346457347102525,
            0.3135439115464816,
            0.10858696509768209,
        ],
    );
}
