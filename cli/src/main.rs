//! `vtl`: render and check AWS API Gateway mapping templates from the command line.
//!
//! This file only parses arguments and maps failures to exit codes; each command lives in its
//! own module (`render.rs`, …) and shared input/output helpers in `io.rs`.

mod check;
mod convert;
mod dump;
mod extract;
mod failure;
mod front_door;
mod invoke;
mod io;
mod method_cases;
mod render;
mod serve;
mod test_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use failure::EXIT_OK;

#[derive(Parser, Debug)]
#[command(
    name = "vtl",
    version,
    about = "AWS API Gateway mapping templates (Velocity Template Language), rendered the way API Gateway or Apache Velocity 1.7 renders them",
    after_help = "Examples:\n  vtl render template.vtl --request request.json --emit json\n  vtl check templates/*.vtl\n  vtl render examples/hello/template.vtl --profile velocity --vars examples/hello/vars.json\n\nExit status: 0 success, 1 test or --expect failure, 2 usage or input error, 3 template does not compile, 4 render error.",
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Render a template for an API Gateway request or with variables from a JSON file.
    Render(Box<render::Args>),
    /// Check templates for errors and API Gateway pitfalls without rendering them.
    Check(check::Args),
    /// Run golden test cases (folders or single-file case documents).
    Test(test_cmd::Args),
    /// Run a request through a whole method of an OpenAPI or CloudFormation spec, as the console's Test does.
    Invoke(Box<invoke::Args>),
    /// Extract mapping templates from an OpenAPI export or a CloudFormation/SAM template.
    Extract(extract::Args),
    /// Show a template's tokens or syntax tree.
    Dump(dump::Args),
    /// Convert between JSON and XML with the mapping `$vtl` uses.
    Convert(convert::Args),
    /// Serve an OpenAPI export or SAM template as a local REST API.
    Serve(Box<serve::Args>),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

/// Arguments of `vtl completions`.
#[derive(clap::Args, Debug)]
struct CompletionsArgs {
    /// The shell.
    shell: clap_complete::Shell,
}

/// mimalloc: templates build and drop many small values, which it serves faster than the
/// system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Render(args) => render::run(*args),
        Command::Check(args) => check::run(args),
        Command::Test(args) => test_cmd::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Invoke(args) => invoke::run(*args),
        Command::Dump(args) => dump::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Serve(args) => serve::run(*args),
        Command::Completions(args) => {
            use clap::CommandFactory;
            clap_complete::generate(
                args.shell,
                &mut Cli::command(),
                "vtl",
                &mut std::io::stdout(),
            );
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("{}", failure.message.trim_end_matches('\n'));
            }
            ExitCode::from(failure.code)
        }
    }
}
