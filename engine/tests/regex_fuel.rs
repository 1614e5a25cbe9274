//! Regular-expression work is charged to the template's fuel: a loop of expensive searches
//! ends with a fuel error at the call, though each search is well within its own bound.

#[test]
fn regex_work_is_charged_to_the_template_fuel() {
    use vtl::{Engine, Limits, Profile};
    let limits = Limits {
        fuel: 500_000,
        ..Limits::for_profile(Profile::Velocity)
    };
    let source = r#"#foreach($i in [1..1000])#set($x = $s.matches("(?:a|a){0,99}b"))#end"#;
    let t = Engine::new(Profile::Velocity)
        .with_limits(limits)
        .compile(source)
        .unwrap();
    // About a million matcher steps per call: well under one search's limit, but a thousand
    // of them would take long. The fuel ends the loop after a few calls.
    let vars = serde_json::json!({ "s": "a".repeat(20) });
    let err = t.render(&vars).unwrap_err();
    assert!(err.to_string().contains("fuel"), "{err}");
    let call = source.find("matches(").unwrap();
    assert_eq!(err.span().map(|r| r.start), Some(call));
}
