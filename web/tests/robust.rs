//! No request panics the page's entry point: whatever the page (or a user's console)
//! sends, the answer is `{"ok": ...}` or `{"error": ...}`.

use helplessness_web::handle;
use proptest::prelude::*;
use serde_json::{Value, json};

fn is_answer(text: &str) -> bool {
    let v: Value = serde_json::from_str(text).unwrap();
    v.get("ok").is_some() ^ v.get("error").is_some()
}

fn knob_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-10.0f64..300.0).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-z0-9-]{0,12}".prop_map(Value::from),
        Just(json!([1, 2])),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn any_text_gets_an_answer(text in ".{0,200}") {
        prop_assert!(is_answer(&handle(&text)));
    }

    #[test]
    fn any_request_gets_an_answer(
        op in prop_oneof![Just("run"), Just("step"), Just("export"), Just("scenarios"), Just("x")],
        scenario in prop_oneof![
            Just("rat-triad"), Just("dog-triad"), Just("immunization"), Just("noise-anagrams"),
            Just("life-situational"), Just("nope"),
        ],
        seed in any::<u64>(),
        subjects in prop_oneof![Just(0u32), 1u32..4, Just(501)],
        knob in prop_oneof![
            Just("p"), Just("shocks"), Just("intensity"), Just("mpfc"), Just("drug"),
            Just("theory"), Just("globality"), Just("stability"), Just("other"),
        ],
        value in knob_value(),
        phase in prop_oneof![Just("pretreatment"), Just("test"), Just("pre-tone"), Just("")],
        trial in 0u32..120,
    ) {
        let request = json!({
            "op": op, "scenario": scenario, "seed": seed, "subjects": subjects,
            "knobs": { knob: value }, "phase": phase, "trial": trial,
        });
        prop_assert!(is_answer(&handle(&request.to_string())), "{}", request);
    }
}
