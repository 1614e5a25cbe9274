//! The host objects templates call: `$input` and `$util`.

use std::cell::{Cell, OnceCell};
use std::sync::Arc;

use super::jsonpath;
use super::request::Request;
use super::util;
use crate::java::JavaException;
use crate::json;
use crate::value::{Entries, Key, Object, Value};

/// `$input`: the request body and parameters.
pub struct Input {
    body: Arc<str>,
    /// The parameters as text, until a template asks for their maps.
    param_text: ParamText,
    /// `params()`: the maps, made on first use (then templates may change them).
    params: OnceCell<Value>,
    /// Parse the body as XML (`$vtl` extensions on and an XML content type).
    xml: bool,
    document: OnceCell<Option<Value>>,
    /// The parts of a JSON body the template can read (`None`: all).
    selection: Option<Arc<json::Selection>>,
    /// Set once `json('$')` has written the body as it read it, charging the memory its
    /// values take: parsing it afterwards charges only the fuel.
    streamed: Cell<bool>,
}

impl Input {
    /// `$input` for a request. The body is parsed lazily, once, on the first `path`/`json`.
    #[cfg(test)]
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
        Input {
            body,
            param_text: ParamText::new(&request.params),
            params: OnceCell::new(),
            xml: extensions
                && request
                    .content_type
                    .as_deref()
                    .is_some_and(crate::xml::is_xml_content_type),
            document: OnceCell::new(),
            selection: None,
            streamed: Cell::new(false),
        }
    }

    /// Parses a JSON body into only the parts `selection` names: what the compiled template
    /// can read of it.
    pub(crate) fn select(&mut self, selection: Option<Arc<json::Selection>>) {
        self.selection = selection;
    }

    /// The parsed body (json-smart's permissive parser, or the XML mapping for XML bodies with
    /// extensions on), or `None` if it does not parse.
    fn document(&self) -> Option<&Value> {
        self.document
            .get_or_init(|| {
                if self.xml {
                    crate::xml::parse(&self.body).ok()
                } else {
                    json::parse_json_smart_selected(
                        &self.body,
                        !self.streamed.get(),
                        self.selection.as_deref(),
                    )
                    .ok()
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
        if !self.xml
            && self.document.get().is_none()
            && jsonpath::cached(p).is_ok_and(|p| p.is_root())
        {
            return self.body_json();
        }
        let (Some(doc), Ok(path)) = (self.document(), jsonpath::cached(p)) else {
            return Value::str("\"\"");
        };
        crate::value::string_built(|out| jsonpath::write_input_json(doc, &path, out))
    }

    /// `json('$')` before anything parsed the body: the body written as it is read, without
    /// building its values (what writing the parsed body would write).
    fn body_json(&self) -> Value {
        crate::value::string_built(
            |out| match json::write_json_smart_of_text(&self.body, out) {
                Ok(top_null) => {
                    self.streamed.set(true);
                    if !top_null && !jsonpath::JsonPath::charge_root_read() {
                        out.clear();
                        out.push_str("\"\"");
                    }
                }
                Err(_) => {
                    // What parsing it again would find.
                    let _ = self.document.set(None);
                    out.push_str("\"\"");
                }
            },
        )
    }

    /// `params()`: path, query-string and header parameters, one value a name.
    fn params(&self) -> &Value {
        self.params.get_or_init(|| self.param_text.maps())
    }

    /// `params(name)`: the value in the first location that has the name, else `""`.
    fn param(&self, name: &str) -> Value {
        let Some(Value::Map(m)) = self.params.get() else {
            // The maps were not made (so not changed): the text has the answer.
            return Value::str(self.param_text.find(name).unwrap_or(""));
        };
        for loc in ["path", "querystring", "header"] {
            if let Some(Value::Map(inner)) = m.get_str(loc) {
                if let Some(v) = inner.get_str(name) {
                    return v;
                }
            }
        }
        Value::str("")
    }
}

/// The method-request parameters (the last value of each name) copied into one string, so
/// that a render that does not read them all pays for no map.
struct ParamText {
    text: String,
    /// Name and value ends in `text` (each name starts where the entry before ended).
    entries: Vec<(usize, usize)>,
    /// Where each location's entries end in `entries`: path, querystring, header.
    ends: [usize; 3],
}

impl ParamText {
    fn new(params: &super::request::Params) -> ParamText {
        let locations = [&params.path, &params.querystring, &params.header];
        fn last<'a>((k, v): (&'a String, &'a Vec<String>)) -> Option<(&'a str, &'a str)> {
            v.last().map(|v| (k.as_str(), v.as_str()))
        }
        let (mut len, mut count) = (0, 0);
        for (k, v) in locations.iter().flat_map(|m| m.iter().filter_map(last)) {
            len += k.len() + v.len();
            count += 1;
        }
        let mut text = String::with_capacity(len);
        let mut entries = Vec::with_capacity(count);
        let mut ends = [0; 3];
        for (i, m) in locations.iter().enumerate() {
            for (k, v) in m.iter().filter_map(last) {
                text.push_str(k);
                let name_end = text.len();
                text.push_str(v);
                entries.push((name_end, text.len()));
            }
            ends[i] = entries.len();
        }
        ParamText {
            text,
            entries,
            ends,
        }
    }

    /// The (name, value) pairs of location `i` (0: path, 1: querystring, 2: header).
    fn location(&self, i: usize) -> impl Iterator<Item = (&str, &str)> {
        let from = if i == 0 { 0 } else { self.ends[i - 1] };
        let start = |j: usize| if j == 0 { 0 } else { self.entries[j - 1].1 };
        (from..self.ends[i]).map(move |j| {
            let (name_end, value_end) = self.entries[j];
            (
                &self.text[start(j)..name_end],
                &self.text[name_end..value_end],
            )
        })
    }

    /// The value of the first location that has `name`.
    fn find(&self, name: &str) -> Option<&str> {
        (0..3).find_map(|i| self.location(i).find(|(k, _)| *k == name).map(|(_, v)| v))
    }

    /// `{path={..}, querystring={..}, header={..}}` as maps.
    fn maps(&self) -> Value {
        let mut params = Entries::with_capacity_and_hasher(3, Default::default());
        for (i, loc) in ["path", "querystring", "header"].into_iter().enumerate() {
            let from = if i == 0 { 0 } else { self.ends[i - 1] };
            let mut entries =
                Entries::with_capacity_and_hasher(self.ends[i] - from, Default::default());
            for (k, v) in self.location(i) {
                entries.insert(Key(Value::str(k)), Value::str(v));
            }
            params.insert(Key::from(loc), Value::map(entries));
        }
        Value::map(params)
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
            ("params", []) => self.params().clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        let mut r = Request::with_body("{}");
        let p = &mut r.params;
        p.path.insert("id".into(), vec!["7".into()]);
        p.path.insert("none".into(), vec![]);
        p.querystring.insert("id".into(), vec!["from-query".into()]);
        p.querystring
            .insert("q".into(), vec!["a".into(), "é b".into()]);
        p.header.insert("Accept".into(), vec!["*/*".into()]);
        p.header.insert("".into(), vec!["".into()]);
        r
    }

    fn call(input: &Input, name: &str, args: &[Value]) -> Value {
        input.call_method(name, args).unwrap().unwrap()
    }

    /// `params(name)` answers from the text exactly as from the maps of `params()`.
    #[test]
    fn params_by_name_equal_the_maps() {
        let names = ["id", "q", "Accept", "accept", "none", "", "missing"];
        let from_text: Vec<Value> = {
            let input = Input::new(&request());
            names
                .iter()
                .map(|n| call(&input, "params", &[Value::str(n)]))
                .collect()
        };
        let input = Input::new(&request());
        let maps = call(&input, "params", &[]);
        assert_eq!(
            maps.to_java_string().unwrap(),
            "{path={id=7}, querystring={id=from-query, q=é b}, header={Accept=*/*, =}}"
        );
        for (name, text_value) in names.iter().zip(&from_text) {
            let v = call(&input, "params", &[Value::str(name)]);
            assert!(crate::value::java_equals(&v, text_value), "{name}: {v:?}");
        }
        assert_eq!(from_text[0].as_str(), Some("7"));
        assert_eq!(from_text[1].as_str(), Some("é b"));
        assert_eq!(from_text[6].as_str(), Some(""));
    }

    /// Once a template has the maps, what it puts in them is what `params(name)` finds.
    #[test]
    fn params_by_name_see_changes_to_the_maps() {
        let input = Input::new(&request());
        let Value::Map(m) = call(&input, "params", &[]) else {
            panic!("params() is a map")
        };
        let Some(Value::Map(header)) = m.get_str("header") else {
            panic!("params().header is a map")
        };
        header
            .entries
            .borrow_mut()
            .insert(Key::from("X-New"), Value::str("v"));
        assert_eq!(
            call(&input, "params", &[Value::str("X-New")]).as_str(),
            Some("v")
        );
        // The same maps every time.
        let Value::Map(again) = call(&input, "params", &[]) else {
            panic!("params() is a map")
        };
        assert!(std::rc::Rc::ptr_eq(&m, &again));
    }

    /// `json('$')` written while the body is read equals `json('$')` of the parsed body, and
    /// the body parsed afterwards reads the same.
    #[test]
    fn json_of_the_whole_body_equals_the_parsed_form() {
        let bodies = [
            "",
            "null",
            "{\"a\": {\"b\": [1, 2.50, \"x/y\"]}, \"a\": {\"c\": null}}",
            "[1, {\"k\": true}]",
            "plain text",
            "{\"a\": ",
            "\"just a string\"",
            "{'a': NaN, b: 123456789012345678901}",
        ];
        for body in bodies {
            let streamed = Input::new(&Request::with_body(body));
            let parsed = Input::new(&Request::with_body(body));
            // Parsing first makes `json` write the parsed values.
            let before = call(&parsed, "path", &[Value::str("$.a")]);
            let want = call(&parsed, "json", &[Value::str("$")]);
            let got = call(&streamed, "json", &[Value::str("$")]);
            assert_eq!(got.as_str(), want.as_str(), "body {body:?}");
            let after = call(&streamed, "path", &[Value::str("$.a")]);
            assert_eq!(
                after.to_java_string(),
                before.to_java_string(),
                "body {body:?}"
            );
            assert_eq!(
                call(&streamed, "json", &[Value::str("$")]).as_str(),
                want.as_str()
            );
        }
    }
}
