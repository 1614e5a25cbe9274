//! `vtl convert json2xml|xml2json`.

use crate::Failure;

/// Arguments.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> Result<(), Failure> {
    Err(Failure::usage("this command is not implemented yet"))
}
