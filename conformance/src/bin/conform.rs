//! `conform [PROFILE] [FILTER]`: runs conformance cases and lists failures (for development).
//! `conform pipeline [FILTER]` runs the method-level pipeline cases.

use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let profile = args.next().unwrap_or_else(|| "velocity".into());
    let filter = args.next().unwrap_or_default();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    if profile.starts_with("pipeline") {
        let files = vtl_conformance::case_files(&dir, &profile);
        let report = vtl_conformance::run_pipeline(&files, &filter);
        print!("{}", vtl_conformance::describe(&report.report));
        println!("{}", report.summary());
        if !report.report.failures.is_empty() {
            std::process::exit(1);
        }
        return;
    }
    let report = vtl_conformance::run(&vtl_conformance::case_files(&dir, &profile), &filter);
    print!("{}", vtl_conformance::describe(&report));
    println!("{}", report.summary());
    if !report.failures.is_empty() {
        std::process::exit(1);
    }
}
