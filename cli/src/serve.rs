//! `vtl serve`: a local REST API from an OpenAPI export or a CloudFormation/SAM template. This
//! file only reads the options; the server is `vtl_tower::serve`.

use std::sync::Arc;

use vtl_gateway::Options;
use vtl_tower::serve::{self, Backends, Config, Function};

use crate::failure::Failure;
use crate::front_door::FrontArgs;

/// Arguments of `vtl serve`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  vtl serve examples/pets/openapi.yaml --extensions --stage prod \\\n      --stage-var registryHost=registry.local --backend registry.local=http://127.0.0.1:8081 \\\n      --lambda pets='node pets.js'\n  curl -i localhost:3000/pets/1"
)]
pub struct Args {
    /// The OpenAPI export or CloudFormation/SAM template to serve.
    spec: String,

    /// The port to listen on (0 picks a free one; the address is printed).
    #[arg(long, default_value_t = 3000)]
    port: u16,

    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,

    /// The stage name (`$context.stage`).
    #[arg(long, value_name = "NAME")]
    stage: Option<String>,

    /// A stage variable (repeatable).
    #[arg(long = "stage-var", value_name = "K=V", value_parser = parse_kv)]
    stage_var: Vec<(String, String)>,

    /// Send the integrations whose URI has this host (or, for AWS service integrations, this
    /// service name, e.g. `sqs`) to URL instead (repeatable).
    #[arg(long = "backend", value_name = "NAME=URL", value_parser = parse_kv)]
    backend: Vec<(String, String)>,

    /// Run this Lambda function locally: a shell command (the payload on stdin, the result on
    /// stdout; a non-zero exit or an `errorMessage` payload is a function error) or an HTTP URL
    /// the payload is POSTed to (repeatable).
    #[arg(long = "lambda", value_name = "FUNCTION=COMMAND|URL", value_parser = parse_kv)]
    lambda: Vec<(String, String)>,

    /// Reload the spec when the file changes (a version that fails to load is reported and
    /// the last good one keeps serving).
    #[arg(long)]
    watch: bool,

    /// Print each request's execution log (as the console's Test or CloudWatch show it) on
    /// standard error.
    #[arg(long)]
    log: bool,

    /// Seconds a client may take to send a request's headers before the connection is closed
    /// (slow clients).
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    header_timeout: u64,

    /// Turn on this project's extensions (`$vtl`: XML and JSON helpers; not on API Gateway).
    #[arg(long)]
    extensions: bool,

    #[command(flatten)]
    front: FrontArgs,
}

fn parse_kv(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got '{s}'")),
    }
}

/// Runs the command until Ctrl-C.
pub fn run(args: Args) -> Result<(), Failure> {
    let mut config = Config::new(&args.spec);
    let (front, warnings) = args.front.options()?;
    config.options = Options {
        stage: args.stage.unwrap_or_default(),
        stage_variables: args.stage_var,
        extensions: args.extensions,
        front,
        ..Options::default()
    };
    if let Ok(api) = serve::load(&config.spec, &config.options) {
        for line in front_notices(&api, &args.front, &warnings) {
            eprintln!("{line}");
        }
    }
    config.backends = Backends {
        overrides: args.backend,
        functions: args
            .lambda
            .into_iter()
            .map(|(name, target)| (name, Function::parse(&target)))
            .collect(),
        ..Backends::default()
    };
    config.watch = args.watch;
    config.header_read_timeout = std::time::Duration::from_secs(args.header_timeout.max(1));
    if args.log {
        config.execution_log = Some(Arc::new(|line| eprintln!("{line}")));
    }
    serve::run(config, &args.host, args.port).map_err(Failure::usage)
}

/// What the server cannot let in as configured: methods needing an API key when none is
/// accepted, Lambda authorizers without `--authorizer`, Cognito without `--jwks`.
fn front_notices(api: &vtl_gateway::Api, front: &FrontArgs, warnings: &[String]) -> Vec<String> {
    use vtl_gateway::authorizer::AuthorizerKind;
    let mut out = Vec::new();
    let spec = api.spec();
    let keyed = spec
        .resources
        .iter()
        .flat_map(|r| r.methods.iter())
        .any(|m| m.security.api_key_required);
    if keyed && front.api_key.is_empty() && front.api_keys.is_none() {
        out.push("warning: some methods require an API key and none is accepted (give --api-key KEY or --api-keys FILE): they answer 403".to_string());
    }
    let used = |name: &str| {
        spec.resources
            .iter()
            .flat_map(|r| r.methods.iter())
            .any(|m| m.security.authorizer.as_deref() == Some(name))
    };
    for a in spec.front.authorizers.iter().filter(|a| used(&a.name)) {
        match a.kind {
            AuthorizerKind::CognitoUserPools if front.jwks.is_none() => {
                out.extend(warnings.iter().cloned());
            }
            AuthorizerKind::CognitoUserPools => {}
            _ if !front.authorizer.iter().any(|(n, _)| n == &a.name) => out.push(format!(
                "warning: no --authorizer {}=COMMAND|URL: its methods answer 500 (authorizer configuration error)",
                a.name
            )),
            _ => {}
        }
    }
    out.dedup();
    out
}
