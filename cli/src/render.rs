//! `vtl render`: compile a template and render it once, for an API Gateway request or with
//! plain variables.

use std::path::PathBuf;

use vtl::{Engine, Limits, Profile, Request};

use crate::failure::{Failure, EXIT_COMPILE, EXIT_RENDER};
use crate::io::{self, Color, ErrorFormat, STDIN};

/// Exit status when `--expect` finds the output malformed.
pub const EXIT_EXPECT: u8 = 1;

/// Arguments of `vtl render`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Request options (--request, --body, --content-type, --path, --query, \
--header, --stage-var, --context) build the request the template sees as $input, $context and \
$stageVariables. In the aws profile a template is always rendered for a request (an empty one \
when none is given). --path/--query/--header replace the request file's values of the same \
name; repeating a name keeps every value (templates see the last).

Examples:
  vtl render template.vtl --request request.json
  vtl render template.vtl --body body.json --query limit=10 --header 'Accept=application/json'
  vtl render template.vtl --request event.json --emit json      # also show the overrides
  vtl render template.vtl --request request.json --expect json --pretty
  echo 'Hello $name' | vtl render - --profile velocity --vars vars.json -o out.txt

Exit status: 0 success; 1 --expect failed; 2 usage or input error (missing file, bad JSON);
3 the template does not compile; 4 render error (limit exceeded, runtime error)."
)]
pub struct Args {
    /// Template file, or `-` to read it from standard input.
    #[arg(value_name = "TEMPLATE")]
    template: String,

    /// Request file: `{"body", "contentType", "params": {"path", "querystring", "header"},
    /// "stageVariables", "context"}`, a Lambda-proxy event or a TestInvokeMethod request.
    #[arg(long, value_name = "FILE", help_heading = "Request")]
    request: Option<String>,

    /// Request body, read from a file (`-` for standard input).
    #[arg(long, value_name = "FILE", help_heading = "Request")]
    body: Option<String>,

    /// Content-Type of the request.
    #[arg(long, value_name = "TYPE", help_heading = "Request")]
    content_type: Option<String>,

    /// Path parameter (repeatable).
    #[arg(long = "path", value_name = "K=V", value_parser = parse_kv, help_heading = "Request")]
    path: Vec<(String, String)>,

    /// Query-string parameter (repeatable; a repeated name keeps every value).
    #[arg(long = "query", value_name = "K=V", value_parser = parse_kv, help_heading = "Request")]
    query: Vec<(String, String)>,

    /// Header (repeatable; a repeated name keeps every value).
    #[arg(long = "header", value_name = "K=V", value_parser = parse_kv, help_heading = "Request")]
    header: Vec<(String, String)>,

    /// Stage variable (repeatable).
    #[arg(long = "stage-var", value_name = "K=V", value_parser = parse_kv, help_heading = "Request")]
    stage_var: Vec<(String, String)>,

    /// JSON object deep-merged over `$context` (and over the request file's `context`).
    #[arg(long, value_name = "FILE", help_heading = "Request")]
    context: Option<String>,

    /// JSON file whose top-level object holds extra variables (all of them in the velocity
    /// profile); `-` for standard input.
    #[arg(long, value_name = "FILE.json")]
    vars: Option<String>,

    /// Which engine behaviour to reproduce: `aws` (API Gateway) or `velocity` (Apache Velocity 1.7).
    #[arg(long, value_name = "PROFILE", default_value = "aws", value_parser = parse_profile)]
    profile: Profile,

    /// Turn on this project's extensions (`$vtl`: XML and JSON helpers; not on API Gateway).
    #[arg(long)]
    extensions: bool,

    /// `text` prints the output; `json` prints {"output", "requestOverride",
    /// "responseOverride", "warnings"}.
    #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
    emit: Emit,

    /// Write the result to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,

    /// Fail (exit 1) unless the output is well-formed JSON or XML, showing the first error.
    #[arg(long, value_enum, value_name = "FORMAT")]
    expect: Option<Expect>,

    /// Pretty-print the output when it is JSON or XML (as named by --expect, else detected).
    #[arg(long)]
    pretty: bool,

    /// Evaluation budget (roughly one unit per node evaluated).
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,

    /// Largest output, in bytes.
    #[arg(long, value_name = "BYTES")]
    max_output: Option<usize>,

    /// Largest --body file, in bytes (API Gateway accepts payloads up to 10 MB).
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    max_body: usize,

    /// Bytes of values one render may create (default: 128 MiB for aws, 256 MiB for velocity).
    #[arg(long, value_name = "BYTES")]
    max_memory: Option<usize>,

    /// Print render warnings (undefined references, unknown methods, …) on standard error.
    #[arg(long)]
    warnings: bool,

    /// How to print errors.
    #[arg(long, value_enum, default_value = "human", value_name = "FORMAT")]
    error_format: ErrorFormat,

    /// When to colour messages.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: Color,
}

/// `--emit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Emit {
    Text,
    Json,
}

/// `--expect`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Expect {
    Json,
    Xml,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    s.parse()
}

fn parse_kv(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got '{s}'")),
    }
}

/// `k=v` pairs grouped by name, in first-seen order.
fn group(pairs: &[(String, String)]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in pairs {
        match out.iter_mut().find(|(name, _)| name == k) {
            Some((_, values)) => values.push(v.clone()),
            None => out.push((k.clone(), vec![v.clone()])),
        }
    }
    out
}

impl Args {
    fn has_request_options(&self) -> bool {
        self.request.is_some()
            || self.body.is_some()
            || self.content_type.is_some()
            || !self.path.is_empty()
            || !self.query.is_empty()
            || !self.header.is_empty()
            || !self.stage_var.is_empty()
            || self.context.is_some()
    }

    fn check_stdin(&self) -> Result<(), Failure> {
        let readers = [
            ("the template", Some(self.template.as_str())),
            ("--request", self.request.as_deref()),
            ("--body", self.body.as_deref()),
            ("--context", self.context.as_deref()),
            ("--vars", self.vars.as_deref()),
        ];
        let from_stdin: Vec<&str> = readers
            .iter()
            .filter(|(_, p)| *p == Some(STDIN))
            .map(|(what, _)| *what)
            .collect();
        if from_stdin.len() > 1 {
            return Err(Failure::usage(format!(
                "only one input can be read from standard input (got {})",
                from_stdin.join(" and ")
            )));
        }
        Ok(())
    }

    /// The request described by the request options.
    fn request(&self) -> Result<Request, Failure> {
        let mut req = match &self.request {
            Some(path) => {
                let json = io::read_json(path)?;
                Request::from_json(&json).map_err(|e| {
                    Failure::usage(format!("{}: {}", io::display_name(path), e.message()))
                })?
            }
            None => Request::default(),
        };
        if let Some(path) = &self.body {
            req.body = io::read_text_limited(path, self.max_body, "body")?;
        }
        for (pairs, target) in [
            (&self.path, &mut req.params.path),
            (&self.query, &mut req.params.querystring),
            (&self.header, &mut req.params.header),
        ] {
            for (k, v) in group(pairs) {
                target.insert(k, v);
            }
        }
        for (k, v) in &self.stage_var {
            req.stage_variables.insert(k.clone(), v.clone());
        }
        if let Some(path) = &self.context {
            let json = io::read_json(path)?;
            let serde_json::Value::Object(map) = json else {
                return Err(Failure::usage(format!(
                    "{}: the context must be a JSON object",
                    io::display_name(path)
                )));
            };
            req.merge_context(&map);
        }
        if self.content_type.is_some() {
            req.content_type = self.content_type.clone();
        } else if req.content_type.is_none() {
            req.content_type = req.header("content-type").map(str::to_string);
        }
        Ok(req)
    }
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    args.check_stdin()?;
    let color = args.color.enabled();
    // Reading one byte past the profile's size limit is enough to refuse the template.
    let template_max = Limits::for_profile(args.profile)
        .max_template_size
        .unwrap_or(io::MAX_INPUT);
    let source = io::read_text_limited(&args.template, template_max, "template")?;
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
    let request = if args.has_request_options() || args.profile == Profile::Aws {
        Some(args.request()?)
    } else {
        None
    };
    let name = io::display_name(&args.template);
    let mut limits = Limits::for_profile(args.profile);
    if let Some(fuel) = args.fuel {
        limits.fuel = fuel;
    }
    if let Some(max) = args.max_memory {
        limits.max_memory = max;
    }
    if let Some(max) = args.max_output {
        limits.max_output = max;
    }
    let engine = Engine::new(args.profile)
        .with_limits(limits)
        .with_extensions(args.extensions);
    let fail = |code: u8, e: vtl::Error| Failure {
        code,
        message: match args.error_format {
            ErrorFormat::Json => e.to_json().to_string(),
            ErrorFormat::Human => io::paint(&format!("{:#}", e.with_name(name)), color),
        },
    };
    // Everything `compile` rejects is a fault of the template itself (syntax, directives, the
    // profile's compile-time limits), so it shares one exit status.
    let template = engine.compile(&source).map_err(|e| fail(EXIT_COMPILE, e))?;
    let rendered = match &request {
        Some(req) => template.render_request(req, &vars),
        None => template.render_full(&vars),
    }
    .map_err(|e| fail(EXIT_RENDER, e))?;

    if args.warnings {
        for w in &rendered.warnings {
            let text = match args.error_format {
                ErrorFormat::Json => w.to_json(&source).to_string(),
                ErrorFormat::Human => {
                    let loc = vtl::Location::resolve(&source, w.span.clone());
                    let report = io::report("warning", &w.message, name, Some(&loc), None);
                    io::paint(report.trim_end(), color)
                }
            };
            eprintln!("{text}");
        }
    }

    let kind = args.expect.or_else(|| {
        if !args.pretty {
            None
        } else if vtl::check_json(&rendered.output).is_ok() {
            Some(Expect::Json)
        } else if vtl::check_xml(&rendered.output).is_ok() {
            Some(Expect::Xml)
        } else {
            None
        }
    });
    let checked = kind.map(|k| match k {
        Expect::Json => vtl::check_json(&rendered.output).map(|()| k),
        Expect::Xml => vtl::check_xml(&rendered.output).map(|()| k),
    });
    let mut output = rendered.output.clone();
    if let (true, Some(Ok(k))) = (args.pretty, &checked) {
        // Indentation grows with nesting: the pretty text is held to the output limit.
        let max = engine.limits().max_output;
        let pretty = match k {
            Expect::Json => vtl::pretty_json_within(&output, max),
            Expect::Xml => vtl::pretty_xml_within(&output, max),
        };
        match pretty {
            Ok(p) => {
                output = p;
                output.push('\n');
            }
            // The output is well-formed, so only the size limit can refuse it.
            Err(e) => eprintln!(
                "warning: --pretty: {}; printing the output as is",
                e.message
            ),
        }
    }
    let text = match args.emit {
        Emit::Text => output,
        Emit::Json => {
            let warnings: Vec<serde_json::Value> = rendered
                .warnings
                .iter()
                .map(|w| w.to_json(&source))
                .collect();
            let doc = serde_json::json!({
                "output": output,
                "requestOverride": rendered.request_override,
                "responseOverride": rendered.response_override,
                "warnings": warnings,
            });
            let mut s = if args.pretty {
                serde_json::to_string_pretty(&doc)
            } else {
                serde_json::to_string(&doc)
            }
            .expect("JSON values serialize");
            s.push('\n');
            s
        }
    };
    io::write_output(args.output.as_deref(), &text)?;

    if let Some(Err(e)) = checked {
        let what = match args.expect {
            Some(Expect::Xml) => "XML",
            _ => "JSON",
        };
        let message = format!("the output is not well-formed {what}: {}", e.message);
        return Err(Failure {
            code: EXIT_EXPECT,
            message: match args.error_format {
                ErrorFormat::Json => serde_json::json!({
                    "kind": "expect",
                    "message": message,
                    "line": e.line,
                    "column": e.column,
                })
                .to_string(),
                ErrorFormat::Human => {
                    let line_text = rendered.output.split('\n').nth(e.line - 1).unwrap_or("");
                    let mut s = format!("error: {message}\n");
                    s.push_str(&io::snippet("<output>", e.line, e.column, line_text, 1));
                    io::paint(s.trim_end(), color)
                }
            },
        });
    }
    Ok(())
}
