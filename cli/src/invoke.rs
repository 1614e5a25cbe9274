//! `vtl invoke`: run one request through a whole method of an OpenAPI export or
//! CloudFormation/SAM template, as the console's Test button (TestInvokeMethod) does, with the
//! backend's answer read from a file. The pipeline itself is `vtl_gateway`.

use std::fmt::Write as _;

use serde_json::{Map, Value as Json};
use vtl_gateway::authorizer::AuthorizerKind;
use vtl_gateway::{Api, EndpointResponse, ErrorKind, Invocation, MethodRequest, Options};

use crate::failure::{Failure, EXIT_COMPILE, EXIT_RENDER};
use crate::front_door::FrontArgs;
use crate::io::{self, Color};

/// Arguments of `vtl invoke`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  vtl invoke examples/pets/openapi.yaml OPTIONS /pets --log
  vtl invoke api.yaml GET '/pets/7?verbose=1' --header Accept=application/xml \\
      --endpoint-response backend.json --format json
  vtl invoke template.yaml POST /orders --body order.json --stage-var env=prod --log

--endpoint-response FILE is the backend's answer: {\"status\": 200, \"headers\": {...}, \"body\":
\"text\" or a JSON value}. For a Lambda integration the body is the function's result or error
payload ({\"errorMessage\": ...}); text that is not JSON is the function's string result. A MOCK
integration needs none; without one, any other backend answers 200 with an empty body.

--format json prints {status, body, headers, multiValueHeaders, log, latency, endpointRequest}
(TestInvokeMethod's fields, plus what the backend was sent, null for MOCK or a rejected request).

Exit status: 0 whatever the method's status; 2 usage or input error (unreadable or malformed
spec, with the JSON pointer of the part at fault); 3 a template does not compile; 4 a template
failed while rendering (the 500 it causes is still printed).")]
pub struct Args {
    /// OpenAPI 2/3 export or CloudFormation/SAM template (JSON or YAML; `-` for standard input).
    #[arg(value_name = "SPEC")]
    spec: String,

    /// HTTP method (`GET`, `POST`, …).
    #[arg(value_name = "METHOD")]
    method: String,

    /// Request path, with an optional query string (`/pets/7?limit=2`).
    #[arg(value_name = "PATH")]
    path: String,

    /// Header (repeatable; a repeated name keeps every value).
    #[arg(long = "header", short = 'H', value_name = "K=V", value_parser = parse_header, help_heading = "Request")]
    header: Vec<(String, String)>,

    /// Query-string parameter (repeatable).
    #[arg(long = "query", value_name = "K=V", value_parser = parse_kv, help_heading = "Request")]
    query: Vec<(String, String)>,

    /// Request body, read from a file (`-` for standard input).
    #[arg(long, value_name = "FILE", help_heading = "Request")]
    body: Option<String>,

    /// Stage variable (repeatable).
    #[arg(long = "stage-var", value_name = "K=V", value_parser = parse_kv, help_heading = "Request")]
    stage_var: Vec<(String, String)>,

    /// Stage name (`$context.stage`; default `test`).
    #[arg(long, value_name = "NAME", help_heading = "Request")]
    stage: Option<String>,

    /// JSON object deep-merged over `$context` (e.g. an authorizer's `{"authorizer": {...}}`).
    #[arg(long, value_name = "FILE", help_heading = "Request")]
    context: Option<String>,

    /// Request file: the request-file shape, a TestInvokeMethod request or a Lambda-proxy
    /// event (its headers, query string, body, stage variables and context).
    #[arg(long, value_name = "FILE", help_heading = "Request")]
    request: Option<String>,

    /// The backend's answer: `{"status", "headers", "body"}`.
    #[arg(long, value_name = "FILE", help_heading = "Backend")]
    endpoint_response: Option<String>,

    /// Also print the TestInvokeMethod execution log.
    #[arg(long)]
    log: bool,

    /// Output format.
    #[arg(long, value_enum, default_value = "human", value_name = "FORMAT")]
    format: Format,

    /// Turn on this project's `$vtl` extensions in every template.
    #[arg(long)]
    extensions: bool,

    /// Choose the request template for `application/json` whatever the Content-Type, as the
    /// console's Test button does (a live call uses the Content-Type).
    #[arg(long)]
    force_json_content_type: bool,

    /// When to colour messages.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: Color,

    #[command(flatten)]
    front: FrontArgs,

    /// Send VALUE in the header the method's TOKEN or Cognito authorizer reads (its identity
    /// source, e.g. `Authorization`).
    #[arg(long, value_name = "VALUE", help_heading = "Front door")]
    token: Option<String>,

    /// Send a JWT in the header the method's Cognito authorizer reads: a token as is, or its
    /// claims (a JSON object, inline or in a file) made into an unsigned token that expires in
    /// an hour unless the claims give `exp`.
    #[arg(long, value_name = "TOKEN|CLAIMS", help_heading = "Front door")]
    jwt: Option<String>,
}

/// How the result is printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// The status line, headers and body (and the log with --log).
    Human,
    /// TestInvokeMethod's response fields plus `endpointRequest`, as JSON.
    Json,
}

fn parse_kv(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got '{s}'")),
    }
}

/// `Name=value`, or curl's `Name: value`.
fn parse_header(s: &str) -> Result<(String, String), String> {
    let eq = s.find('=');
    let colon = s.find(':');
    let split = match (eq, colon) {
        (Some(e), Some(c)) => e.min(c),
        (Some(i), None) | (None, Some(i)) => i,
        (None, None) => return Err(format!("expected NAME=VALUE or 'NAME: VALUE', got '{s}'")),
    };
    let (k, v) = (s[..split].trim(), s[split + 1..].trim_start());
    if k.is_empty() {
        return Err(format!("expected NAME=VALUE, got '{s}'"));
    }
    Ok((k.to_string(), v.to_string()))
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let color = args.color.enabled();
    let name = io::display_name(&args.spec).to_string();
    let text = io::read_text(&args.spec)?;
    let enforce = args.front.any() || args.token.is_some() || args.jwt.is_some();
    let mut options = Options {
        stage: args.stage.clone().unwrap_or_default(),
        extensions: args.extensions,
        force_json_content_type: args.force_json_content_type,
        ..Options::default()
    };
    let mut warnings = Vec::new();
    if enforce {
        let (front, w) = args.front.options()?;
        options.front = front;
        warnings = w;
    }
    let api = Api::load(&text)
        .and_then(|a| a.with_options(options))
        .map_err(|e| load_failure(&name, &e, color))?;
    let mut request = build_request(&args)?;
    if enforce {
        front_request(&api, &args, &mut request)?;
        let cognito = api
            .spec()
            .front
            .authorizers
            .iter()
            .any(|a| a.kind == AuthorizerKind::CognitoUserPools);
        for w in warnings.iter().filter(|_| cognito) {
            eprintln!("{}", io::paint(w, color));
        }
    }
    let answer = match &args.endpoint_response {
        Some(path) => {
            let v = io::read_json(path)?;
            Some(
                EndpointResponse::from_json(&v)
                    .map_err(|m| Failure::usage(format!("{}: {m}", io::display_name(path))))?,
            )
        }
        None => None,
    };
    let mut defaulted = false;
    let invocation = api.invoke(&request, |endpoint| match answer {
        Some(a) if endpoint.is_lambda() => a.as_lambda_payload(),
        Some(a) => a,
        None => {
            defaulted = true;
            EndpointResponse::new(200)
        }
    });
    if defaulted {
        eprintln!(
            "{}",
            io::paint(
                "note: no --endpoint-response given; the backend answered 200 with an empty body",
                color
            )
        );
    }
    let out = match args.format {
        Format::Human => human(&invocation, args.log),
        Format::Json => {
            serde_json::to_string_pretty(&invocation.to_json()).unwrap_or_default() + "\n"
        }
    };
    io::write_output(None, &out)?;
    if let Some(e) = &invocation.template_error {
        return Err(Failure {
            code: EXIT_RENDER,
            message: template_message(&name, e, color),
        });
    }
    Ok(())
}

fn template_message(spec_name: &str, e: &vtl_gateway::Error, color: bool) -> String {
    match (e.template_error(), e.pointer()) {
        (Some(t), Some(pointer)) => io::paint(
            &format!(
                "{:#}",
                t.clone().with_name(format!("{spec_name}#{pointer}"))
            ),
            color,
        ),
        _ => io::paint(&format!("error: {spec_name}: {e}"), color),
    }
}

fn load_failure(spec_name: &str, e: &vtl_gateway::Error, color: bool) -> Failure {
    match e.kind() {
        ErrorKind::TemplateCompile => Failure {
            code: EXIT_COMPILE,
            message: template_message(spec_name, e, color),
        },
        ErrorKind::TemplateRender => Failure {
            code: EXIT_RENDER,
            message: template_message(spec_name, e, color),
        },
        _ => Failure::usage(format!("{spec_name}: {e}")),
    }
}

fn build_request(args: &Args) -> Result<MethodRequest, Failure> {
    let mut request = match &args.request {
        Some(path) => {
            let v = io::read_json(path)?;
            let r = vtl::Request::from_json(&v).map_err(|e| {
                Failure::usage(format!("{}: {}", io::display_name(path), e.message()))
            })?;
            MethodRequest::from_request(&args.method, &args.path, &r)
        }
        None => MethodRequest::new(&args.method, &args.path),
    };
    for (k, v) in &args.header {
        request.headers.push((k.clone(), v.clone()));
    }
    for (k, v) in &args.query {
        request.query.push((k.clone(), v.clone()));
    }
    for (k, v) in &args.stage_var {
        request.stage_variables.retain(|(n, _)| n != k);
        request.stage_variables.push((k.clone(), v.clone()));
    }
    if let Some(body) = &args.body {
        request.body = read_bytes(body)?;
    }
    if let Some(path) = &args.context {
        match io::read_json(path)? {
            Json::Object(m) => merge(&mut request.context, &m),
            _ => {
                return Err(Failure::usage(format!(
                    "{}: the context must be a JSON object",
                    io::display_name(path)
                )))
            }
        }
    }
    Ok(request)
}

/// The front door's parts of the request: the API key, the token or JWT in the header the
/// method's authorizer reads, and the real time (so a token's expiry counts).
fn front_request(api: &Api, args: &Args, request: &mut MethodRequest) -> Result<(), Failure> {
    if !request.context.contains_key("requestTimeEpoch") {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or_default();
        request
            .context
            .insert("requestTimeEpoch".into(), Json::from(now));
    }
    if let Some(key) = args.front.api_key.first() {
        if request.header("x-api-key").is_none() {
            request.headers.push(("x-api-key".into(), key.clone()));
        }
    }
    let (flag, value) = match (&args.token, &args.jwt) {
        (Some(_), Some(_)) => {
            return Err(Failure::usage("give --token or --jwt, not both"));
        }
        (Some(t), None) => ("--token", t.clone()),
        (None, Some(j)) => ("--jwt", jwt(j)?),
        (None, None) => return Ok(()),
    };
    let path = request
        .path
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let header = api
        .method_for(&request.http_method, &path)
        .and_then(|(_, m)| m.security.authorizer.as_deref())
        .and_then(|n| api.spec().front.authorizer(n))
        .and_then(|a| {
            a.identity_source
                .iter()
                .find_map(|s| s.strip_prefix("method.request.header."))
        })
        .ok_or_else(|| {
            Failure::usage(format!(
                "{flag}: {} {path} has no authorizer reading a header",
                request.http_method
            ))
        })?
        .to_string();
    request
        .headers
        .retain(|(k, _)| !k.eq_ignore_ascii_case(&header));
    request.headers.push((header, value));
    Ok(())
}

/// `--jwt`: a token as given, or an unsigned token made of claims.
fn jwt(value: &str) -> Result<String, Failure> {
    use base64::Engine as _;
    if value.split('.').count() == 3 && !value.trim_start().starts_with('{') {
        return Ok(value.to_string());
    }
    let claims = if value.trim_start().starts_with('{') {
        serde_json::from_str::<Json>(value).map_err(|e| Failure::usage(format!("--jwt: {e}")))?
    } else {
        io::read_json(value)?
    };
    let Json::Object(mut claims) = claims else {
        return Err(Failure::usage("--jwt: the claims must be a JSON object"));
    };
    if !claims.contains_key("exp") {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        claims.insert("exp".into(), Json::from(now + 3600));
    }
    let b64 = |v: &Json| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string().as_bytes())
    };
    Ok(format!(
        "{}.{}.",
        b64(&serde_json::json!({"alg": "none", "typ": "JWT"})),
        b64(&Json::Object(claims))
    ))
}

fn read_bytes(path: &str) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    if path == io::STDIN {
        let mut out = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut out)
            .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
        return Ok(out);
    }
    std::fs::read(path).map_err(|e| Failure::usage(format!("{path}: {e}")))
}

fn merge(base: &mut Map<String, Json>, over: &Map<String, Json>) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(Json::Object(b)), Json::Object(o)) => merge(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// The reason phrase of a status.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

fn human(inv: &Invocation, with_log: bool) -> String {
    let r = &inv.response;
    let mut out = String::new();
    match reason(r.status) {
        "" => {
            let _ = writeln!(out, "HTTP/1.1 {}", r.status);
        }
        phrase => {
            let _ = writeln!(out, "HTTP/1.1 {} {phrase}", r.status);
        }
    }
    for (k, v) in &r.headers {
        let _ = writeln!(out, "{k}: {v}");
    }
    out.push('\n');
    let body = r.body_text();
    out.push_str(&body);
    if !body.is_empty() && !body.ends_with('\n') {
        out.push('\n');
    }
    if with_log {
        if !body.is_empty() {
            out.push('\n');
        }
        out.push_str(&inv.log);
    }
    out
}
