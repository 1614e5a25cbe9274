//! Runs every case file; any failing case fails the test.

use std::path::Path;

fn run_profile(profile: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let files = vtl_conformance::case_files(&dir, profile);
    assert!(!files.is_empty(), "no case files for {profile}");
    let report = vtl_conformance::run(&files, "");
    print!("{}", vtl_conformance::describe(&report));
    println!("{profile}: {}", report.summary());
    assert!(report.passed > 0, "no case ran");
    assert!(
        report.failures.is_empty(),
        "{profile}: {}",
        report.summary()
    );
}

#[test]
fn velocity_profile() {
    run_profile("velocity");
}

#[test]
fn aws_profile() {
    run_profile("aws");
}

#[test]
fn pipeline_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let files = vtl_conformance::case_files(&dir, "pipeline");
    assert!(!files.is_empty(), "no pipeline case files");
    let report = vtl_conformance::run_pipeline(&files, "");
    print!("{}", vtl_conformance::describe(&report.report));
    println!("pipeline: {}", report.summary());
    assert!(report.report.passed > 0, "no case ran");
    assert!(report
        .by_evidence
        .iter()
        .any(|(level, _, _)| level == "SNAP"));
    assert!(
        report.report.failures.is_empty(),
        "pipeline: {}",
        report.summary()
    );
}
