//! `vtl convert json2xml|xml2json`: the JSON↔XML mapping of `$vtl.toXml` and `$vtl.parseXml`
//! (see docs/xml.md).

use crate::failure::Failure;
use crate::io::{self, Color};

/// Arguments of `vtl convert`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "The mapping is the one $vtl.toXml and $vtl.parseXml use (docs/xml.md): \
attributes are @name keys, text is #text, repeated elements are lists.

Examples:
  vtl convert json2xml order.json --root Order
  curl -s https://example.com/feed.xml | vtl convert xml2json --pretty

Exit status: 0 success; 2 the input cannot be read or does not parse."
)]
pub struct Args {
    /// Direction.
    #[arg(value_enum)]
    direction: Direction,

    /// Input file (standard input when absent or `-`).
    #[arg(value_name = "FILE", default_value = "-")]
    input: String,

    /// Root element name for json2xml (default: the single top-level key, else `root`).
    #[arg(long, value_name = "NAME")]
    root: Option<String>,

    /// Indent the output.
    #[arg(long)]
    pretty: bool,

    /// When to colour messages.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: Color,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Direction {
    /// JSON to XML.
    Json2xml,
    /// XML to JSON.
    Xml2json,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let name = io::display_name(&args.input);
    let mut text = match args.direction {
        Direction::Json2xml => {
            if args.root.as_deref().is_some_and(|r| !vtl::xml::is_qname(r)) {
                return Err(Failure::usage(format!(
                    "--root: '{}' is not an XML element name",
                    args.root.as_deref().unwrap_or_default()
                )));
            }
            let json = io::read_json(&args.input)?;
            let xml = vtl::xml::to_xml(&vtl::Value::from_json(&json), args.root.as_deref())
                .map_err(|e| Failure::usage(format!("{name}: {e}")))?;
            if args.pretty {
                vtl::pretty_xml(&xml).unwrap_or(xml)
            } else {
                xml
            }
        }
        Direction::Xml2json => {
            if args.root.is_some() {
                return Err(Failure::usage("--root only applies to json2xml"));
            }
            let source = io::read_text(&args.input)?;
            let value = vtl::xml::parse(&source).map_err(|e| {
                let line_text = source.split('\n').nth(e.line - 1).unwrap_or("");
                let report = format!(
                    "error: {name}: invalid XML: {}\n{}",
                    e.message,
                    io::snippet(name, e.line, e.column, line_text, 1)
                );
                Failure {
                    code: crate::failure::EXIT_USAGE,
                    message: io::paint(report.trim_end(), args.color.enabled()),
                }
            })?;
            let json = value.to_json();
            if args.pretty {
                serde_json::to_string_pretty(&json)
            } else {
                serde_json::to_string(&json)
            }
            .expect("JSON values serialize")
        }
    };
    text.push('\n');
    io::write_output(None, &text)
}
