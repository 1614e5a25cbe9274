//! The host objects templates call: `$input` and `$util`.

use std::cell::OnceCell;
use std::sync::Arc;

use indexmap::IndexMap;

use super::jsonpath;
use super::request::Request;
use super::util;
use crate::java::JavaException;
use crate::json;
use crate::value::{Entries, Key, Object, Value};

/// `$input`: the request body and parameters.
pub struct Input {
    body: Arc<str>,
    params: Value,
    /// Parse the body as XML (`$vtl` extensions on and an XML content type).
    xml: bool,
    document: OnceCell<Option<Value>>,
}

impl Input {
    /// `$input` for a request. The body is parsed lazily, once, on the first `path`/`json`.
    pub fn new(request: &Request) -> Input {
        Input::with_extensions(request, false)
    }

    /// `$input` with this project's extensions on or off. With them on and an XML content type
    /// (`text/xml`, `application/xml`, `*+xml`), `path` and `json` read the body through the
    /// XML mapping of [`crate::xml::parse`] instead of json-smart.
    pub fn with_extensions(request: &Request, extensions: bool) -> Input {
        // API Gateway hands templates `{}` for an empty body.
        let body: Arc<str> = if request.body.is_empty() {
            Arc::from("{}")
        } else {
            Arc::from(request.body.as_str())
        };
        let single = |m: &IndexMap<String, Vec<String>>| -> Value {
            let mut entries = Entries::with_capacity_and_hasher(m.len(), Default::default());
            for (k, v) in m {
                if let Some(v) = v.last() {
                    entries.insert(Key(Value::str(k)), Value::str(v));
                }
            }
            Value::map(entries)
        };
        let mut params = Entries::with_capacity_and_hasher(3, Default::default());
        params.insert(Key::from("path"), single(&request.params.path));
        params.insert(
            Key::from("querystring"),
            single(&request.params.querystring),
        );
        params.insert(Key::from("header"), single(&request.params.header));
        Input {
            body,
            params: Value::map(params),
            xml: extensions
                && request
                    .content_type
                    .as_deref()
                    .is_some_and(crate::xml::is_xml_content_type),
            document: OnceCell::new(),
        }
    }

    /// The parsed body (json-smart's permissive parser, or the XML mapping for XML bodies with
    /// extensions on), or `None` if it does not parse.
    fn document(&self) -> Option<&Value> {
        self.document
            .get_or_init(|| {
                if self.xml {
                    crate::xml::parse(&self.body).ok()
                } else {
                    json::parse_json_smart(&self.body).ok()
                }
            })
            .as_ref()
    }

    fn path(&self, p: &str) -> Value {
        let (Some(doc), Ok(path)) = (self.document(), jsonpath::cached(p)) else {
            return Value::Null;
        };
        path.read_or_null(doc)
    }

    fn json(&self, p: &str) -> Value {
        let (Some(doc), Ok(path)) = (self.document(), jsonpath::cached(p)) else {
            return Value::str("\"\"");
        };
        crate::value::string_built(|out| jsonpath::write_input_json(doc, &path, out))
    }

    fn param(&self, name: &str) -> Value {
        if let Value::Map(m) = &self.params {
            for loc in ["path", "querystring", "header"] {
                if let Some(Value::Map(inner)) = m.entries.borrow().get(&Key::from(loc)) {
                    if let Some(v) = inner.entries.borrow().get(&Key::from(name)) {
                        return v.clone();
                    }
                }
            }
        }
        Value::str("")
    }
}

impl Object for Input {
    fn class_name(&self) -> &str {
        "com.amazonaws.apigateway.Input"
    }
    fn to_java_string(&self) -> Option<String> {
        None
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn get_property(&self, name: &str) -> Option<Value> {
        match name {
            "body" => Some(Value::Str(self.body.clone())),
            _ => None,
        }
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, JavaException>> {
        let value = match (name, args) {
            ("getBody", []) => Value::Str(self.body.clone()),
            ("path", [Value::Str(p)]) => self.path(p),
            ("json", [Value::Str(p)]) => self.json(p),
            ("params", []) => self.params.clone(),
            ("params", [Value::Str(n)]) => self.param(n),
            _ => return None,
        };
        Some(Ok(value))
    }
}

/// `$util`: the six functions API Gateway provides.
pub struct Util;

impl Object for Util {
    fn class_name(&self) -> &str {
        "com.amazonaws.apigateway.Util"
    }
    fn to_java_string(&self) -> Option<String> {
        None
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, JavaException>> {
        // Each takes one String: Velocity finds no method for another argument type.
        let [Value::Str(s)] = args else {
            return None;
        };
        // The result is charged before it is built: its exact size where that is cheap to
        // know, else a bound, settled once the result is there. With the budget spent, the
        // call returns a null the renderer reports as the limit.
        let bound = match name {
            "escapeJavaScript" => util::escape_javascript_len(s),
            "urlEncode" => util::url_encode_len(s),
            // `%XX` and `+` decode to fewer bytes; a malformed byte to U+FFFD, no longer
            // than its `%XX`.
            "urlDecode" => s.len(),
            "base64Encode" => s.len().div_ceil(3) * 4,
            // Three bytes for every four digits, each byte at most a 3-byte U+FFFD.
            "base64Decode" => s.len().div_ceil(4) * 9,
            "parseJson" => 0,
            _ => return None,
        };
        if !crate::budget::reserve(bound) {
            return Some(Ok(Value::Null));
        }
        let result = match name {
            // Nothing to escape: the result is the argument's text.
            "escapeJavaScript" if bound == s.len() => Ok(Value::Str(s.clone())),
            "escapeJavaScript" => Ok(crate::value::string_built(|out| {
                util::escape_javascript_into(s, out)
            })),
            "urlEncode" => Ok(Value::string(util::url_encode(s))),
            "urlDecode" => util::url_decode(s).map(Value::string),
            "base64Encode" => Ok(Value::string(util::base64_encode(s))),
            "base64Decode" => util::base64_decode(s).map(Value::string),
            _ => util::parse_json(s),
        };
        let used = match &result {
            Ok(Value::Str(out)) => out.len(),
            _ => 0,
        };
        crate::budget::settle(bound, used);
        Some(result)
    }
}
