//! The practical limit: each reference case's transform written directly in Rust with
//! serde_json, producing byte for byte what the template produces (a test checks it).
//!
//! Nothing here is general: each function knows its case's template by heart, reads the
//! fields it needs from a parsed document and writes into one pre-sized string. The `.apigw`
//! form parses the raw body first ([`parse_body`]); the `.core` form starts from the parsed
//! variables, as the engines' core form does.

use std::fmt::Write as _;

use serde_json::Value;

/// What a case's transform reads besides the body: the API Gateway request.
pub struct Request<'a> {
    /// `$context`.
    pub context: &'a Value,
    /// `$stageVariables`.
    pub stage_variables: &'a Value,
    /// `$input.params()`: `path`, `querystring`, `header`.
    pub params: &'a Value,
}

/// Parses a raw request body, as a gateway does for each request.
pub fn parse_body(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or(Value::Null)
}

/// Commons Lang 2 `escapeJavaScript`, as `$util.escapeJavaScript` applies it.
fn escape_js(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c if (c as u32) < 0x7f => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{:04X}", u);
                }
            }
        }
    }
}

/// A scalar as the template prints it (strings bare, numbers and booleans as JSON).
fn text(out: &mut String, v: &Value) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Null => {}
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// `a_small_mapping`: five fields of the body into a new JSON object.
pub fn a_small_mapping(body: &Value) -> String {
    let mut out = String::with_capacity(256);
    let customer = &body["customer"];
    let order = &body["order"];
    out.push_str("{\n  \"customerId\": \"");
    text(&mut out, &customer["id"]);
    out.push_str("\",\n  \"fullName\": \"");
    escape_js(&mut out, str_of(&customer["name"]));
    out.push_str("\",\n  \"email\": \"");
    text(&mut out, &customer["email"]);
    out.push_str("\",\n  \"amountCents\": ");
    text(&mut out, &order["amountCents"]);
    out.push_str(",\n  \"currency\": \"");
    text(&mut out, &order["currency"]);
    out.push_str("\"\n}\n");
    out
}

/// `b_foreach_1000`: 1000 items into JSON, with a price tier and their tags.
pub fn b_foreach_1000(body: &Value) -> String {
    let empty = Vec::new();
    let items = body["items"].as_array().unwrap_or(&empty);
    let mut out = String::with_capacity(items.len() * 160 + 64);
    let _ = write!(out, "{{\n  \"count\": {},\n  \"items\": [\n", items.len());
    for (i, it) in items.iter().enumerate() {
        out.push_str("    {\n      \"id\": ");
        text(&mut out, &it["id"]);
        out.push_str(",\n      \"name\": \"");
        escape_js(&mut out, str_of(&it["name"]));
        out.push_str("\",\n");
        let price = it["priceCents"].as_i64().unwrap_or(0);
        out.push_str(if price > 10000 {
            "      \"tier\": \"premium\",\n"
        } else if price > 1000 {
            "      \"tier\": \"standard\",\n"
        } else {
            "      \"tier\": \"budget\",\n"
        });
        out.push_str("      \"active\": ");
        out.push_str(if it["active"].as_bool().unwrap_or(false) {
            "true"
        } else {
            "false"
        });
        out.push_str(",\n      \"tags\": [");
        let tags = it["tags"].as_array().unwrap_or(&empty);
        for (j, t) in tags.iter().enumerate() {
            out.push('"');
            text(&mut out, t);
            out.push('"');
            if j + 1 < tags.len() {
                out.push(',');
            }
        }
        out.push_str("]\n    }");
        if i + 1 < items.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str("  ]\n}\n");
    out
}

fn push_replaced(out: &mut String, s: &str, pairs: &[(char, &str)]) {
    for c in s.chars() {
        match pairs.iter().find(|(from, _)| *from == c) {
            Some((_, to)) => out.push_str(to),
            None => out.push(c),
        }
    }
}

/// `c_soap_envelope`: an order with its lines into a SOAP 1.1 envelope, with totals.
pub fn c_soap_envelope(body: &Value, request: &Request) -> String {
    let o = &body["order"];
    let c = &o["customer"];
    let empty = Vec::new();
    let lines = o["lines"].as_array().unwrap_or(&empty);
    let mut out = String::with_capacity(lines.len() * 420 + 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ord=\"urn:example:orders:v2\">\n  <soapenv:Header>\n    <ord:RequestId>");
    text(&mut out, &request.context["requestId"]);
    out.push_str("</ord:RequestId>\n    <ord:Channel>");
    out.push_str(&str_of(&o["channel"]).to_uppercase());
    out.push_str("</ord:Channel>\n  </soapenv:Header>\n  <soapenv:Body>\n    <ord:SubmitOrder>\n      <ord:OrderId>");
    text(&mut out, &o["id"]);
    out.push_str("</ord:OrderId>\n      <ord:CreatedAt>");
    text(&mut out, &o["createdAt"]);
    out.push_str("</ord:CreatedAt>\n      <ord:Customer id=\"");
    text(&mut out, &c["id"]);
    out.push_str("\">\n        <ord:Name>");
    push_replaced(&mut out, str_of(&c["name"]), &[('&', "&amp;")]);
    out.push_str("</ord:Name>\n        <ord:Email>");
    text(&mut out, &c["email"]);
    out.push_str("</ord:Email>\n");
    if c["vip"].as_bool().unwrap_or(false) {
        out.push_str("        <ord:Vip>true</ord:Vip>\n");
    }
    let a = &c["address"];
    out.push_str("        <ord:Address>\n          <ord:Street>");
    text(&mut out, &a["street"]);
    out.push_str("</ord:Street>\n          <ord:City>");
    text(&mut out, &a["city"]);
    out.push_str("</ord:City>\n          <ord:Zip>");
    text(&mut out, &a["zip"]);
    out.push_str("</ord:Zip>\n          <ord:Country>");
    text(&mut out, &a["country"]);
    out.push_str("</ord:Country>\n        </ord:Address>\n      </ord:Customer>\n");
    let _ = writeln!(out, "      <ord:Lines count=\"{}\">", lines.len());
    let mut total: i64 = 0;
    for (n, line) in lines.iter().enumerate() {
        let qty = line["qty"].as_i64().unwrap_or(0);
        let price = line["unitPriceCents"].as_i64().unwrap_or(0);
        let line_total = qty.wrapping_mul(price);
        total = total.wrapping_add(line_total);
        let _ = write!(
            out,
            "        <ord:Line number=\"{}\">\n          <ord:Sku>",
            n + 1
        );
        text(&mut out, &line["sku"]);
        out.push_str("</ord:Sku>\n          <ord:Description>");
        push_replaced(
            &mut out,
            str_of(&line["description"]),
            &[('&', "&amp;"), ('<', "&lt;")],
        );
        let _ = write!(
            out,
            "</ord:Description>\n          <ord:Quantity>{qty}</ord:Quantity>\n          <ord:UnitPriceCents>{price}</ord:UnitPriceCents>\n          <ord:LineTotalCents>{line_total}</ord:LineTotalCents>\n"
        );
        let discounts = line["discounts"].as_array().unwrap_or(&empty);
        if !discounts.is_empty() {
            out.push_str("          <ord:Discounts>\n");
            for d in discounts {
                out.push_str("            <ord:Discount code=\"");
                text(&mut out, &d["code"]);
                out.push_str("\" pct=\"");
                text(&mut out, &d["pct"]);
                out.push_str("\"/>\n");
            }
            out.push_str("          </ord:Discounts>\n");
        }
        out.push_str("        </ord:Line>\n");
    }
    let _ = write!(
        out,
        "      </ord:Lines>\n      <ord:TotalCents>{total}</ord:TotalCents>\n    </ord:SubmitOrder>\n  </soapenv:Body>\n</soapenv:Envelope>\n"
    );
    out
}

/// `d_method_request_passthrough`: the console's passthrough template, given the body
/// already written as JSON (`$input.json('$')`).
pub fn d_method_request_passthrough(body_json: &str, request: &Request) -> String {
    let mut out = String::with_capacity(body_json.len() + 4096);
    out.push_str("{\n\"body-json\" : ");
    out.push_str(body_json);
    out.push_str(",\n\"params\" : {\n");
    let empty = serde_json::Map::new();
    let all = request.params.as_object().unwrap_or(&empty);
    for (i, (kind, params)) in all.iter().enumerate() {
        let _ = write!(out, "\"{kind}\" : {{\n    ");
        let params = params.as_object().unwrap_or(&empty);
        for (j, (name, value)) in params.iter().enumerate() {
            let _ = write!(out, "    \"{name}\" : \"");
            escape_js(&mut out, str_of(value));
            out.push_str("\"\n        ");
            if j + 1 < params.len() {
                out.push(',');
            }
            out.push_str("    ");
        }
        out.push_str("}\n    ");
        if i + 1 < all.len() {
            out.push(',');
        }
    }
    out.push_str("},\n\"stage-variables\" : {\n");
    let vars = request.stage_variables.as_object().unwrap_or(&empty);
    for (i, (key, value)) in vars.iter().enumerate() {
        let _ = write!(out, "\"{key}\" : \"");
        escape_js(&mut out, str_of(value));
        out.push_str("\"\n    ");
        if i + 1 < vars.len() {
            out.push(',');
        }
    }
    let ctx = request.context;
    let id = &ctx["identity"];
    out.push_str("},\n\"context\" : {\n");
    let fields: [(&str, &Value); 18] = [
        ("account-id", &id["accountId"]),
        ("api-id", &ctx["apiId"]),
        ("api-key", &id["apiKey"]),
        ("authorizer-principal-id", &ctx["authorizer"]["principalId"]),
        ("caller", &id["caller"]),
        (
            "cognito-authentication-provider",
            &id["cognitoAuthenticationProvider"],
        ),
        (
            "cognito-authentication-type",
            &id["cognitoAuthenticationType"],
        ),
        ("cognito-identity-id", &id["cognitoIdentityId"]),
        ("cognito-identity-pool-id", &id["cognitoIdentityPoolId"]),
        ("http-method", &ctx["httpMethod"]),
        ("stage", &ctx["stage"]),
        ("source-ip", &id["sourceIp"]),
        ("user", &id["user"]),
        ("user-agent", &id["userAgent"]),
        ("user-arn", &id["userArn"]),
        ("request-id", &ctx["requestId"]),
        ("resource-id", &ctx["resourceId"]),
        ("resource-path", &ctx["resourcePath"]),
    ];
    for (i, (name, value)) in fields.iter().enumerate() {
        let _ = write!(out, "    \"{name}\" : \"");
        text(&mut out, value);
        out.push('"');
        if i + 1 < fields.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str("    }\n}\n");
    out
}

/// Runs a case's baseline: `.core` when `raw_body` is `None` (variables already parsed),
/// `.apigw` (parse the raw body first) otherwise.
pub fn run(name: &str, vars: &Value, raw_body: Option<&str>, request: &Request) -> String {
    let parsed;
    let body = match raw_body {
        Some(raw) => {
            parsed = parse_body(raw);
            &parsed
        }
        None => &vars["body"],
    };
    match name {
        "a_small_mapping" => a_small_mapping(body),
        "b_foreach_1000" => b_foreach_1000(body),
        "c_soap_envelope" => c_soap_envelope(body, request),
        "d_method_request_passthrough" => match raw_body {
            Some(_) => d_method_request_passthrough(&body.to_string(), request),
            None => d_method_request_passthrough(str_of(&vars["bodyJson"]), request),
        },
        other => panic!("no baseline for {other}"),
    }
}
