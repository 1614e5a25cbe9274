//! The front-door options shared by `vtl invoke` and `vtl serve`: the API keys the API
//! accepts, Lambda authorizers run as a local command or an HTTP URL, Cognito signature
//! checking against a JWKS file, and the caller identity of `AWS_IAM` methods. The checks
//! themselves are `vtl_gateway`'s; this file only turns options into its `FrontOptions`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
use serde_json::{Map, Value as Json};
use sha2::{Digest, Sha256};
use vtl_gateway::{AuthorizerCache, FrontOptions, JwtVerifierFn};

use crate::failure::Failure;
use crate::io;

/// How long a Lambda authorizer may take (API Gateway's integration limit).
pub const AUTHORIZER_TIMEOUT: Duration = Duration::from_secs(29);

/// The most an authorizer may print or answer.
const MAX_RESULT: usize = 1 << 20;

/// Front-door options (flattened into `vtl invoke` and `vtl serve`).
#[derive(clap::Args, Debug, Default)]
pub struct FrontArgs {
    /// An API key the API accepts (repeatable). `vtl invoke` also sends the first as `x-api-key`.
    #[arg(long = "api-key", value_name = "KEY", help_heading = "Front door")]
    pub api_key: Vec<String>,

    /// The API keys the API accepts: one per line (`#` comments) or a JSON list of strings.
    #[arg(long = "api-keys", value_name = "FILE", help_heading = "Front door")]
    pub api_keys: Option<String>,

    /// Run the Lambda authorizer NAME (its security scheme's name, or its CloudFormation
    /// `Name` / logical id) as a shell command (the event JSON on stdin, the result JSON on
    /// stdout) or an `http://` URL the event is POSTed to (repeatable).
    #[arg(long = "authorizer", value_name = "NAME=COMMAND|URL", value_parser = parse_kv, help_heading = "Front door")]
    pub authorizer: Vec<(String, String)>,

    /// Check Cognito tokens' RS256 signatures against this JWKS file (the user pool's
    /// `/.well-known/jwks.json`). Without it signatures are NOT checked.
    #[arg(long, value_name = "FILE", help_heading = "Front door")]
    pub jwks: Option<String>,

    /// The caller of `AWS_IAM` methods as `$context.identity` fields: a JSON object, inline
    /// or in a file (`{"caller": "AIDA…", "user": "AIDA…", "userArn": "arn:aws:iam::…",
    /// "accountId": "123456789012", "accessKey": "AKIA…"}`).
    #[arg(
        long = "caller-identity",
        value_name = "JSON|FILE",
        help_heading = "Front door"
    )]
    pub caller_identity: Option<String>,
}

impl FrontArgs {
    /// Whether any option was given.
    pub fn any(&self) -> bool {
        !self.api_key.is_empty()
            || self.api_keys.is_some()
            || !self.authorizer.is_empty()
            || self.jwks.is_some()
            || self.caller_identity.is_some()
    }

    /// The gateway's front-door options (enforced), and the warnings to print.
    pub fn options(&self) -> Result<(FrontOptions, Vec<String>), Failure> {
        let mut warnings = Vec::new();
        let mut api_keys = self.api_key.clone();
        if let Some(path) = &self.api_keys {
            api_keys.extend(read_api_keys(path)?);
        }
        let mut targets = Vec::new();
        for (name, target) in &self.authorizer {
            targets.push((name.clone(), Target::parse(target).map_err(Failure::usage)?));
        }
        let authorizer: Option<vtl_gateway::AuthorizerFn> = if targets.is_empty() {
            None
        } else {
            let targets = Arc::new(targets);
            Some(Arc::new(move |name: &str, event: &Json| {
                let Some((_, target)) = targets.iter().find(|(n, _)| n == name) else {
                    return Err(format!(
                        "no --authorizer {name}=COMMAND|URL was given for this authorizer"
                    ));
                };
                blocking(|| target.call(event))
            }))
        };
        let jwt_verifier = match &self.jwks {
            Some(path) => Some(jwks_verifier(path)?),
            None => {
                warnings.push(
                    "warning: no --jwks given: Cognito tokens are decoded and their expiry checked, but their signatures are NOT checked"
                        .to_string(),
                );
                None
            }
        };
        let iam_identity = match &self.caller_identity {
            Some(v) => caller_identity(v)?,
            None => Map::new(),
        };
        Ok((
            FrontOptions {
                enforce: true,
                api_keys,
                authorizer,
                cache: Some(Arc::new(AuthorizerCache::new())),
                iam_identity,
                jwt_verifier,
                ..FrontOptions::default()
            },
            warnings,
        ))
    }
}

fn parse_kv(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() && !v.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got '{s}'")),
    }
}

/// Runs `f`, letting a multi-threaded tokio runtime move its other tasks off this thread
/// while it blocks (`vtl serve` calls authorizers from inside a request).
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// `--api-keys FILE`: a JSON list of strings, or one key per line.
pub fn read_api_keys(path: &str) -> Result<Vec<String>, Failure> {
    let text = io::read_text(path)?;
    let name = io::display_name(path);
    if text.trim_start().starts_with('[') {
        let v: Json =
            serde_json::from_str(&text).map_err(|e| Failure::usage(format!("{name}: {e}")))?;
        let Json::Array(items) = v else {
            unreachable!("starts with [")
        };
        return items
            .into_iter()
            .enumerate()
            .map(|(i, k)| match k {
                Json::String(s) if !s.is_empty() => Ok(s),
                _ => Err(Failure::usage(format!(
                    "{name}: item {i} of the key list is not a non-empty string"
                ))),
            })
            .collect();
    }
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// `--caller-identity`: inline JSON, else a file holding it.
fn caller_identity(v: &str) -> Result<Map<String, Json>, Failure> {
    let (value, name) = if v.trim_start().starts_with('{') {
        (
            serde_json::from_str::<Json>(v)
                .map_err(|e| Failure::usage(format!("--caller-identity: {e}")))?,
            "--caller-identity".to_string(),
        )
    } else {
        (io::read_json(v)?, io::display_name(v).to_string())
    };
    match value {
        Json::Object(m) => Ok(m),
        _ => Err(Failure::usage(format!(
            "{name}: the caller identity must be a JSON object"
        ))),
    }
}

/// Where a Lambda authorizer runs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// A shell command.
    Command(String),
    /// An `http://host:port/path` URL.
    Url {
        host: String,
        port: u16,
        path: String,
    },
}

impl Target {
    fn parse(text: &str) -> Result<Target, String> {
        if text.starts_with("https://") {
            return Err(format!(
                "--authorizer {text}: only http:// URLs are supported (a local function)"
            ));
        }
        let Some(rest) = text.strip_prefix("http://") else {
            return Ok(Target::Command(text.to_string()));
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| format!("--authorizer {text}: bad port {p:?}"))?,
            ),
            None => (authority, 80),
        };
        if host.is_empty() {
            return Err(format!("--authorizer {text}: no host"));
        }
        Ok(Target::Url {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string(),
            port,
            path: path.to_string(),
        })
    }

    /// The function's result, `Err("Unauthorized")` for a refusal, `Err(why)` for a failure.
    fn call(&self, event: &Json) -> Result<Json, String> {
        let payload = serde_json::to_vec(event).unwrap_or_default();
        let (out, failed) = match self {
            Target::Command(c) => run_command(c, &payload)?,
            Target::Url { host, port, path } => post(host, *port, path, &payload)?,
        };
        result(&out, failed)
    }
}

/// Reads a function's output as Lambda hands it to API Gateway: a JSON result, or an error
/// (`{"errorMessage": "Unauthorized"}` or the bare text `Unauthorized` is a refusal).
fn result(out: &[u8], failed: bool) -> Result<Json, String> {
    let text = String::from_utf8_lossy(out);
    let text = text.trim();
    if text == "Unauthorized" || text == "\"Unauthorized\"" {
        return Err("Unauthorized".into());
    }
    let parsed: Option<Json> = serde_json::from_str(text).ok();
    if let Some(m) = parsed
        .as_ref()
        .and_then(|v| v.get("errorMessage"))
        .and_then(Json::as_str)
    {
        return Err(m.to_string());
    }
    match parsed {
        Some(v) if !failed => Ok(v),
        _ if failed => Err(if text.is_empty() {
            "the function failed".into()
        } else {
            format!("the function failed: {}", cut(text))
        }),
        _ => Err(format!("the result is not JSON: {}", cut(text))),
    }
}

fn cut(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Runs `command` with `payload` on stdin, within [`AUTHORIZER_TIMEOUT`].
fn run_command(command: &str, payload: &[u8]) -> Result<(Vec<u8>, bool), String> {
    let mut child = shell(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped");
    let payload = payload.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&payload);
    });
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stdout)
            .take(MAX_RESULT as u64 + 1)
            .read_to_end(&mut out);
        out
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() < AUTHORIZER_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the authorizer command did not answer within {} s",
                    AUTHORIZER_TIMEOUT.as_secs()
                ));
            }
            Err(e) => return Err(format!("cannot wait for {command:?}: {e}")),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    if out.len() > MAX_RESULT {
        return Err("the authorizer printed more than 1 MiB".into());
    }
    Ok((out, !status.success()))
}

#[cfg(unix)]
fn shell(command: &str) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c").arg(command);
    c
}

#[cfg(not(unix))]
fn shell(command: &str) -> Command {
    let mut c = Command::new("cmd");
    c.arg("/C").arg(command);
    c
}

/// POSTs `payload` to `http://host:port/path` (HTTP/1.1, `Connection: close`).
fn post(host: &str, port: u16, path: &str, payload: &[u8]) -> Result<(Vec<u8>, bool), String> {
    use std::net::ToSocketAddrs;
    let addr = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot resolve {host}"))?;
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .map_err(|e| format!("cannot connect to {host}:{port}: {e}"))?;
    let _ = s.set_read_timeout(Some(AUTHORIZER_TIMEOUT));
    let _ = s.set_write_timeout(Some(AUTHORIZER_TIMEOUT));
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        payload.len()
    );
    s.write_all(head.as_bytes())
        .and_then(|_| s.write_all(payload))
        .map_err(|e| format!("cannot send to {host}:{port}: {e}"))?;
    let mut raw = Vec::new();
    s.take(MAX_RESULT as u64 + 64 * 1024)
        .read_to_end(&mut raw)
        .map_err(|e| format!("no answer from {host}:{port}: {e}"))?;
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Err(format!("{host}:{port} did not answer HTTP"));
    };
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut body = raw[end + 4..].to_vec();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("{host}:{port} did not answer HTTP"))?;
    let chunked = head.lines().any(|l| {
        l.split_once(':').is_some_and(|(k, v)| {
            k.trim().eq_ignore_ascii_case("transfer-encoding")
                && v.to_ascii_lowercase().contains("chunked")
        })
    });
    if chunked {
        body = dechunk(&body).ok_or_else(|| format!("{host}:{port}: a bad chunked body"))?;
    }
    Ok((body, !(200..300).contains(&status)))
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = b.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&b[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        b = &b[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size + 2..)?;
    }
}

/// A verifier of RS256 tokens against the keys of a JWKS file.
fn jwks_verifier(path: &str) -> Result<JwtVerifierFn, Failure> {
    let name = io::display_name(path).to_string();
    let v = io::read_json(path)?;
    let keys = parse_jwks(&v).map_err(|m| Failure::usage(format!("{name}: {m}")))?;
    let keys = Arc::new(keys);
    Ok(Arc::new(move |token: &str| verify(&keys, token)))
}

/// The RSA keys of a JWKS document, by `kid`.
fn parse_jwks(v: &Json) -> Result<Vec<(Option<String>, RsaPublicKey)>, String> {
    let Some(Json::Array(keys)) = v.get("keys") else {
        return Err("a JWKS is an object with a \"keys\" list".into());
    };
    let mut out = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        if k.get("kty").and_then(Json::as_str) != Some("RSA") {
            continue;
        }
        let part = |f: &str| -> Result<BigUint, String> {
            let text = k
                .get(f)
                .and_then(Json::as_str)
                .ok_or_else(|| format!("key {i} has no {f:?}"))?;
            let bytes =
                b64url(text).map_err(|e| format!("key {i}: {f:?} is not base64url: {e}"))?;
            Ok(BigUint::from_bytes_be(&bytes))
        };
        let key = RsaPublicKey::new(part("n")?, part("e")?)
            .map_err(|e| format!("key {i} is not a usable RSA key: {e}"))?;
        let kid = k.get("kid").and_then(Json::as_str).map(str::to_string);
        out.push((kid, key));
    }
    if out.is_empty() {
        return Err("the JWKS has no RSA key".into());
    }
    Ok(out)
}

fn b64url(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text.trim_end_matches('='))
}

/// Checks `token`'s RS256 signature with the key its header's `kid` names.
fn verify(keys: &[(Option<String>, RsaPublicKey)], token: &str) -> Result<(), String> {
    let mut parts = token.splitn(3, '.');
    let (Some(h), Some(p), Some(sig)) = (parts.next(), parts.next(), parts.next()) else {
        return Err("the token is not header.payload.signature".into());
    };
    let header: Json = b64url(h)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or("the token's header is not base64url JSON")?;
    let alg = header.get("alg").and_then(Json::as_str).unwrap_or("none");
    if alg != "RS256" {
        return Err(format!("alg {alg} is not RS256"));
    }
    let kid = header.get("kid").and_then(Json::as_str);
    let key = match kid {
        Some(kid) => keys
            .iter()
            .find(|(k, _)| k.as_deref() == Some(kid))
            .ok_or_else(|| format!("no key with kid {kid} in the JWKS"))?,
        None if keys.len() == 1 => &keys[0],
        None => return Err("the token has no kid and the JWKS has several keys".into()),
    };
    let signature = b64url(sig).map_err(|_| "the signature is not base64url")?;
    let digest = Sha256::digest(format!("{h}.{p}").as_bytes());
    key.1
        .verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &signature)
        .map_err(|_| "the signature does not match the JWKS key".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            Target::parse("python3 auth.py").unwrap(),
            Target::Command("python3 auth.py".into())
        );
        assert_eq!(
            Target::parse("http://127.0.0.1:9000/auth").unwrap(),
            Target::Url {
                host: "127.0.0.1".into(),
                port: 9000,
                path: "/auth".into()
            }
        );
        assert!(Target::parse("https://x.example/a").is_err());
        assert!(Target::parse("http://h:notaport/").is_err());
    }

    #[test]
    fn results() {
        assert_eq!(result(b"Unauthorized\n", true), Err("Unauthorized".into()));
        assert_eq!(
            result(br#"{"errorMessage": "Unauthorized"}"#, false),
            Err("Unauthorized".into())
        );
        assert_eq!(
            result(br#"{"principalId": "u"}"#, false),
            Ok(serde_json::json!({"principalId": "u"}))
        );
        assert!(result(b"oops", false).unwrap_err().contains("not JSON"));
        assert!(result(b"", true).unwrap_err().contains("failed"));
    }

    #[test]
    fn chunks() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").unwrap(),
            b"abcde"
        );
        assert!(dechunk(b"9\r\nab").is_none());
    }

    #[test]
    fn jwks_errors() {
        assert!(parse_jwks(&serde_json::json!({})).is_err());
        assert!(parse_jwks(&serde_json::json!({"keys": [{"kty": "EC"}]}))
            .unwrap_err()
            .contains("no RSA key"));
        assert!(
            parse_jwks(&serde_json::json!({"keys": [{"kty": "RSA", "n": "!!", "e": "AQAB"}]}))
                .unwrap_err()
                .contains("base64url")
        );
    }
}
