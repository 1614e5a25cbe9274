//! `vtl render`: compile a template and render it once with variables from a JSON file.

use std::path::PathBuf;

use vtl::{Engine, Profile};

use crate::io::{self, STDIN};
use crate::{Failure, EXIT_COMPILE, EXIT_RENDER};

/// Arguments of `vtl render`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  vtl render examples/hello/template.vtl --profile velocity --vars examples/hello/vars.json
  echo 'Hello $name' | vtl render - --profile velocity --vars vars.json -o out.txt")]
pub struct Args {
    /// Template file, or `-` to read it from standard input.
    #[arg(value_name = "TEMPLATE")]
    template: String,

    /// Which engine behaviour to reproduce: `aws` (API Gateway) or `velocity` (Apache Velocity 1.7).
    #[arg(long, value_name = "PROFILE", default_value = "aws", value_parser = parse_profile)]
    profile: Profile,

    /// JSON file whose top-level object holds the template's variables (`-` for standard input).
    #[arg(long, value_name = "FILE.json")]
    vars: Option<String>,

    /// Write the output to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    s.parse()
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    if args.template == STDIN && args.vars.as_deref() == Some(STDIN) {
        return Err(Failure::usage(
            "the template and --vars cannot both be read from standard input",
        ));
    }
    let source = io::read_text(&args.template)?;
    let vars = match &args.vars {
        Some(path) => {
            let value = io::read_json(path)?;
            if !value.is_object() {
                return Err(Failure::usage(format!(
                    "{}: the variables must be a JSON object",
                    io::display_name(path)
                )));
            }
            value
        }
        None => serde_json::Value::Object(Default::default()),
    };
    let name = io::display_name(&args.template);
    let engine = Engine::new(args.profile);
    // Everything `compile` rejects is a fault of the template itself (syntax, directives, the
    // profile's compile-time limits), so it shares one exit status.
    let template = engine.compile(&source).map_err(|e| Failure {
        code: EXIT_COMPILE,
        message: format!("{:#}", e.with_name(name)),
    })?;
    let output = template.render(&vars).map_err(|e| Failure {
        code: EXIT_RENDER,
        message: format!("{:#}", e.with_name(name)),
    })?;
    io::write_output(args.output.as_deref(), &output)
}
