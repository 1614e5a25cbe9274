//! `vtl check`: parse and lint templates without rendering them (see `vtl::check`).

use vtl::Severity;
use vtl::{Engine, Profile};

use crate::failure::{Failure, EXIT_COMPILE, EXIT_USAGE};
use crate::io::{self, Color, ErrorFormat};

/// Exit status when `--deny-warnings` turns warnings into a failure.
const EXIT_WARNINGS: u8 = 1;

/// Arguments of `vtl check`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Reports syntax errors, #include/#parse (rejected by API Gateway), unknown \
$util and $input members (API Gateway renders them as nothing), $vtl extensions in the aws \
profile, templates over 300 KB, and $util.escapeJavaScript used to build JSON (it turns ' into \
\\', which is not valid JSON).

Examples:
  vtl check templates/*.vtl
  vtl check --error-format json request.vtl
  vtl check --deny-warnings response.vtl

Exit status: 0 no errors (warnings allowed); 1 warnings with --deny-warnings; 2 a file cannot be
read; 3 a template has errors."
)]
pub struct Args {
    /// Template files (`-` for standard input).
    #[arg(value_name = "TEMPLATE", required = true)]
    templates: Vec<String>,

    /// Which engine behaviour to check against: `aws` or `velocity`.
    #[arg(long, value_name = "PROFILE", default_value = "aws", value_parser = parse_profile)]
    profile: Profile,

    /// Allow this project's `$vtl` extensions.
    #[arg(long)]
    extensions: bool,

    /// Exit with status 1 when there are warnings.
    #[arg(long)]
    deny_warnings: bool,

    /// `human` (rustc-like, on standard error) or `json` (one object per line on standard
    /// output: {file, severity, code, message, line, column, start, end, hint}).
    #[arg(long, value_enum, default_value = "human", value_name = "FORMAT")]
    error_format: ErrorFormat,

    /// When to colour messages.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: Color,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    s.parse()
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let color = args.color.enabled();
    let engine = Engine::new(args.profile).with_extensions(args.extensions);
    let (mut errors, mut warnings, mut unreadable) = (0usize, 0usize, 0usize);
    for path in &args.templates {
        let name = io::display_name(path);
        let source = match io::read_text(path) {
            Ok(s) => s,
            Err(f) => {
                eprintln!("{}", io::paint(&f.message, color));
                unreadable += 1;
                continue;
            }
        };
        for d in vtl::check(&engine, &source) {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            match args.error_format {
                ErrorFormat::Json => {
                    let mut json = d.to_json();
                    json["file"] = serde_json::Value::String(name.to_string());
                    println!("{json}");
                }
                ErrorFormat::Human => {
                    let severity = match d.severity {
                        Severity::Error => format!("error[{}]", d.code),
                        Severity::Warning => format!("warning[{}]", d.code),
                    };
                    let report = io::report(
                        &severity,
                        &d.message,
                        name,
                        d.location.as_ref(),
                        d.hint.as_deref(),
                    );
                    eprintln!("{}", io::paint(&report, color));
                }
            }
        }
    }
    if args.error_format == ErrorFormat::Human && errors + warnings > 0 {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        eprintln!(
            "{}",
            plural(errors, "error") + ", " + &plural(warnings, "warning")
        );
    }
    let code = if unreadable > 0 {
        EXIT_USAGE
    } else if errors > 0 {
        EXIT_COMPILE
    } else if warnings > 0 && args.deny_warnings {
        EXIT_WARNINGS
    } else {
        return Ok(());
    };
    // Everything has been printed already.
    Err(Failure {
        code,
        message: String::new(),
    })
}
