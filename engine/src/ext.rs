//! `$vtl`: this project's extensions beyond API Gateway (XML for SOAP backends, JSON output).
//! Off unless enabled with [`crate::Engine::with_extensions`]; never part of the aws profile's
//! defaults. Documented in `docs/xml.md`.
//!
//! | method | result |
//! | --- | --- |
//! | `escapeXml(x)` | `x` as text safe in XML element content and attribute values |
//! | `parseXml(s[, options])` | XML text → value (the friendly mapping; `{"namespaces": true}` keeps prefixes) |
//! | `toXml(v[, rootName])` | value → XML text |
//! | `toJson(v)` | value → strict JSON text (RFC 8259) |
//! | `soapEnvelope(body[, version[, header]])` | a SOAP 1.1 (or `"1.2"`) envelope |
//! | `soapFault(x)` | the SOAP fault in an XML text or parsed document, normalized; or `false` |
//! | `asList(x)` | `x` if it is a list, `[]` for null, else `[x]` (an element that may repeat) |
//!
//! Failures (malformed XML, a value XML cannot hold) throw `vtl.XmlException`, which fails the
//! render like any Java exception. A call with arguments of the wrong kind finds no method, as
//! in Velocity.

use std::fmt::Write as _;
use std::rc::Rc;

use crate::java::{self, JavaException};
use crate::json::JavaNumber;
use crate::value::{Key, ListKind, Object, Value};
use crate::xml::{self, ParseOptions, SoapVersion, WriteError};

/// The class of the exceptions `$vtl` methods throw.
pub const EXCEPTION_CLASS: &str = "vtl.XmlException";

/// The `$vtl` object.
pub struct Extensions;

fn exception(message: impl Into<String>) -> JavaException {
    JavaException::new(EXCEPTION_CLASS, message)
}

fn parse_options(v: &Value) -> ParseOptions {
    let mut o = ParseOptions::default();
    if let Value::Map(m) = v {
        if let Some(ns) = m.entries.borrow().get(&Key::from("namespaces")) {
            o.namespaces = ns.is_truthy();
        }
    }
    o
}

fn soap_version(v: Option<&Value>) -> Result<SoapVersion, JavaException> {
    match v {
        None | Some(Value::Null) => Ok(SoapVersion::V1_1),
        Some(other) => {
            let text = other.to_java_string().unwrap_or_default();
            SoapVersion::parse(&text).ok_or_else(|| {
                JavaException::new(
                    "java.lang.IllegalArgumentException",
                    format!("unknown SOAP version '{text}' (expected 1.1 or 1.2)"),
                )
            })
        }
    }
}

fn fragment(v: &Value) -> Result<String, JavaException> {
    xml::to_xml_fragment(v).map_err(|e| exception(e.message))
}

impl Object for Extensions {
    fn class_name(&self) -> &str {
        "vtl.Extensions"
    }
    fn to_java_string(&self) -> Option<String> {
        None
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, JavaException>> {
        Some(match (name, args) {
            ("escapeXml", [x]) => Ok(Value::string(
                x.to_java_string()
                    .map(|s| xml::escape(&s))
                    .unwrap_or_default(),
            )),
            ("parseXml", [Value::Null] | [Value::Null, _]) => Ok(Value::Null),
            ("parseXml", [Value::Str(s)]) => xml::parse(s).map_err(|e| exception(e.to_string())),
            ("parseXml", [Value::Str(s), opts]) => {
                xml::parse_with(s, parse_options(opts)).map_err(|e| exception(e.to_string()))
            }
            ("toXml", [v]) => xml::to_xml(v, None)
                .map(Value::string)
                .map_err(|e| exception(e.message)),
            ("toXml", [v, Value::Str(root)]) => xml::to_xml(v, Some(root))
                .map(Value::string)
                .map_err(|e| exception(e.message)),
            ("toJson", [v]) => to_json(v)
                .map(Value::string)
                .map_err(|e| exception(e.message)),
            ("soapEnvelope", [body, rest @ ..]) if rest.len() <= 2 => (|| {
                let version = soap_version(rest.first())?;
                let body = fragment(body)?;
                let header = match rest.get(1) {
                    None | Some(Value::Null) => None,
                    Some(h) => Some(fragment(h)?),
                };
                Ok(Value::string(xml::soap_envelope(
                    &body,
                    header.as_deref(),
                    version,
                )))
            })(),
            // `false`, not null, when there is no fault: the aws profile turns null into "",
            // which `#if` takes as true.
            ("soapFault", [Value::Str(s)]) => Ok(xml::parse(s)
                .ok()
                .and_then(|doc| xml::soap_fault(&doc))
                .unwrap_or(Value::Bool(false))),
            ("soapFault", [v]) => Ok(xml::soap_fault(v).unwrap_or(Value::Bool(false))),
            ("asList", [v]) => Ok(match v {
                Value::List(_) => v.clone(),
                Value::Null => Value::list(ListKind::JsonArray, Vec::new()),
                other => Value::list(ListKind::JsonArray, vec![other.clone()]),
            }),
            _ => return None,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Strict JSON
// ---------------------------------------------------------------------------------------------

/// `value` as strict JSON (RFC 8259), compact.
///
/// Maps are objects (keys by Java `toString()`, `null` keys as `"null"`), lists are arrays,
/// strings are escaped minimally (`"` `\` and U+0000–U+001F only; `\b \f \n \r \t` short
/// forms, others `\u00xx`), integers are written in full, doubles as Java prints them
/// (`1.0E10` is valid JSON), NaN and ±Infinity as `null`. Other host objects are written as
/// their `toString()` string, or `null` when they have none. Fails on cycles, past
/// [`xml::MAX_WRITE_DEPTH`] levels and past [`xml::MAX_WRITE_SIZE`] bytes.
pub fn to_json(value: &Value) -> Result<String, WriteError> {
    let mut w = JsonWriter {
        out: String::new(),
        open: Vec::new(),
    };
    w.value(value)?;
    Ok(w.out)
}

/// Appends `s` as a JSON string literal, escaping only what JSON requires.
pub fn write_json_string(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0x00..=0x1F => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if short.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(short);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

struct JsonWriter {
    out: String,
    open: Vec<usize>,
}

impl JsonWriter {
    fn value(&mut self, v: &Value) -> Result<(), WriteError> {
        if self.out.len() > xml::MAX_WRITE_SIZE {
            return Err(WriteError::new(format!(
                "the JSON would be larger than {} bytes",
                xml::MAX_WRITE_SIZE
            )));
        }
        match v {
            Value::Null => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(self.out, "{i}");
            }
            Value::Long(l) => {
                let _ = write!(self.out, "{l}");
            }
            Value::BigInt(b) => {
                let _ = write!(self.out, "{b}");
            }
            Value::Double(d) => self.double(*d),
            Value::Str(s) => write_json_string(s, &mut self.out),
            Value::List(l) => {
                self.enter(Rc::as_ptr(l) as *const u8 as usize)?;
                self.out.push('[');
                for (i, item) in l.items.borrow().iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.value(item)?;
                }
                self.out.push(']');
                self.open.pop();
            }
            Value::Map(m) => {
                self.enter(Rc::as_ptr(m) as *const u8 as usize)?;
                self.out.push('{');
                for (i, (k, item)) in m.entries.borrow().iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    match &k.0 {
                        Value::Str(s) => write_json_string(s, &mut self.out),
                        other => write_json_string(
                            &other.to_java_string().unwrap_or_else(|| "null".into()),
                            &mut self.out,
                        ),
                    }
                    self.out.push(':');
                    self.value(item)?;
                }
                self.out.push('}');
                self.open.pop();
            }
            Value::Object(o) => match JavaNumber::from_value(v) {
                Some(JavaNumber::Float(f)) => self.double(f64::from(*f)),
                Some(n @ JavaNumber::BigDecimal(_)) => self.out.push_str(&n.to_java_string()),
                None => match o.to_java_string() {
                    Some(s) => write_json_string(&s, &mut self.out),
                    None => self.out.push_str("null"),
                },
            },
        }
        Ok(())
    }

    fn double(&mut self, d: f64) {
        if d.is_finite() {
            java::write_double(d, &mut self.out);
        } else {
            self.out.push_str("null");
        }
    }

    fn enter(&mut self, id: usize) -> Result<(), WriteError> {
        if self.open.len() >= xml::MAX_WRITE_DEPTH {
            return Err(WriteError::new(format!(
                "the value is nested deeper than {} levels",
                xml::MAX_WRITE_DEPTH
            )));
        }
        if self.open.contains(&id) {
            return Err(WriteError::new("the value contains itself (a cycle)"));
        }
        self.open.push(id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strict_json() {
        let v = Value::from_json(&json!({"a": [1, 2.5, "x\"\\/\u{1}\n", null, true], "b": {}}));
        assert_eq!(
            to_json(&v).unwrap(),
            r#"{"a":[1,2.5,"x\"\\/\u0001\n",null,true],"b":{}}"#
        );
        assert_eq!(to_json(&Value::Double(f64::NAN)).unwrap(), "null");
        assert_eq!(to_json(&Value::Double(1e10)).unwrap(), "1.0E10");
        assert_eq!(to_json(&Value::Double(-0.0)).unwrap(), "-0.0");
    }

    #[test]
    fn methods() {
        let x = Extensions;
        let call = |n: &str, a: &[Value]| x.call_method(n, a);
        let s = |v: Option<Result<Value, JavaException>>| v.unwrap().unwrap().to_java_string();
        assert_eq!(
            s(call("escapeXml", &[Value::str("<&>")])),
            Some("&lt;&amp;&gt;".into())
        );
        assert_eq!(s(call("escapeXml", &[Value::Null])), Some(String::new()));
        assert_eq!(s(call("escapeXml", &[Value::Int(3)])), Some("3".into()));
        assert!(call("parseXml", &[Value::str("<a>")]).unwrap().is_err());
        assert!(call("parseXml", &[Value::Int(1)]).is_none());
        assert!(call("nope", &[]).is_none());
        assert_eq!(
            s(call("soapEnvelope", &[Value::str("<x/>"), Value::str("1.2")])),
            Some(format!(
                "<soapenv:Envelope xmlns:soapenv=\"{}\"><soapenv:Body><x/></soapenv:Body></soapenv:Envelope>",
                xml::SOAP12_NS
            ))
        );
        assert!(call("soapEnvelope", &[Value::str(""), Value::str("9")])
            .unwrap()
            .is_err());
        assert!(!call("soapFault", &[Value::str("not xml")])
            .unwrap()
            .unwrap()
            .is_truthy());
    }
}
