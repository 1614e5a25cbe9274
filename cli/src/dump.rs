//! `vtl dump tokens|ast`: a template's tokens or syntax tree, for debugging the grammar.

use crate::failure::{Failure, EXIT_COMPILE};
use crate::io::{self, Color, ErrorFormat};

/// Arguments of `vtl dump`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  vtl dump tokens template.vtl            # kind start..end \"text\", one per line
  vtl dump tokens --format json template.vtl
  echo '#if($a)x#end' | vtl dump ast -

Exit status: 0 success; 2 usage or input error; 3 the template does not parse.")]
pub struct Args {
    /// What to show.
    #[arg(value_enum)]
    what: What,

    /// Template file, or `-` for standard input.
    #[arg(value_name = "TEMPLATE")]
    template: String,

    /// `text`, or `json` (tokens: an array of {kind, start, end, text}; ast: {"ast": TEXT}).
    #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
    format: Format,

    /// How to print errors.
    #[arg(long, value_enum, default_value = "human", value_name = "FORMAT")]
    error_format: ErrorFormat,

    /// When to colour messages.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: Color,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum What {
    /// The lexer's tokens.
    Tokens,
    /// The syntax tree.
    Ast,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let source = io::read_text(&args.template)?;
    let name = io::display_name(&args.template);
    let fail = |e: vtl::Error| Failure {
        code: EXIT_COMPILE,
        message: match args.error_format {
            ErrorFormat::Json => e.to_json().to_string(),
            ErrorFormat::Human => {
                io::paint(&format!("{:#}", e.with_name(name)), args.color.enabled())
            }
        },
    };
    let text = match args.what {
        What::Tokens => {
            let tokens = vtl::dump_tokens(&source).map_err(fail)?;
            match args.format {
                Format::Text => tokens
                    .iter()
                    .map(|t| format!("{} {}..{} {:?}\n", t.kind, t.start, t.end, t.text))
                    .collect(),
                Format::Json => {
                    let list: Vec<_> = tokens.iter().map(|t| t.to_json()).collect();
                    format!("{}\n", serde_json::Value::Array(list))
                }
            }
        }
        What::Ast => {
            let tree = vtl::dump_ast(&source).map_err(fail)?;
            match args.format {
                Format::Text => tree,
                Format::Json => format!("{}\n", serde_json::json!({ "ast": tree })),
            }
        }
    };
    io::write_output(None, &text)
}
