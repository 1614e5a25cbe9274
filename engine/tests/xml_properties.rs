//! Properties of the `$vtl` XML mapping (`vtl::xml`) and of strict JSON output (`vtl::to_strict_json`).
//!
//! 1. **Exact round trip** on the canonical class: `parse(to_xml(v, "root")) == {"root": v}`
//!    and `to_xml(parse(x)) == x` for every value `v` built from: strings of XML 1.0
//!    characters; `null`; non-empty maps whose keys are NCNames (other than `xmlns`) for child
//!    elements or `@`+NCName for attributes (string values, placed first), with at most one
//!    `#text` (a string containing a non-whitespace character when the map has children, any
//!    non-empty string when it has only attributes), and child values that are canonical
//!    values or lists of two or more canonical non-list values. (Maps with neither attributes
//!    nor children are leaves and not in the class: they read back as a string.)
//! 2. **Documented normalization** for any JSON value (keys without `:`): `to_xml` either fails
//!    exactly when the mapping says it must (a list or map in an attribute or `#text`, two keys
//!    writing one attribute), or writes well-formed XML that parses back to the value's image
//!    under the rules of `docs/xml.md` (modelled independently below).
//! 3. **escapeXml is injection-safe**: any string, escaped, inside an element or a single- or
//!    double-quoted attribute parses back to the same string (characters XML forbids → U+FFFD).
//! 4. **Malformed input fails cleanly**: truncated documents are errors with a valid position;
//!    mutated documents and random byte soup never panic.
//! 5. **toJson is strict JSON**: any JSON value written by `toJson` parses (with serde_json)
//!    back to the same value.

use proptest::prelude::*;
use serde_json::{json, Map, Value as Json};
use vtl::xml::{self, ParseOptions};
use vtl::Value;

fn parse_json(text: &str) -> Result<Json, String> {
    xml::parse(text)
        .map(|v| v.to_json())
        .map_err(|e| e.to_string())
}

fn to_xml(v: &Json, root: Option<&str>) -> Result<String, String> {
    xml::to_xml(&Value::from_json(v), root).map_err(|e| e.message)
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// Strings of XML 1.0 characters, biased towards markup and whitespace.
fn xml_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ a-z<>&\"'\t\n\r;#]{0,8}",
        any::<String>().prop_map(|s| s.chars().filter(|c| xml::is_xml_char(*c)).collect()),
        Just(String::new()),
        "[ \t\n\r]{1,3}",
    ]
}

fn non_ws(s: &str) -> bool {
    s.bytes()
        .any(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

fn ncname() -> impl Strategy<Value = String> {
    "[A-Za-z_][A-Za-z0-9_.-]{0,6}".prop_filter("xmlns is a declaration", |s| s != "xmlns")
}

fn canonical() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![4 => xml_string().prop_map(Json::String), 1 => Just(Json::Null)];
    leaf.prop_recursive(4, 40, 5, |inner| {
        let child = prop_oneof![
            3 => inner.clone(),
            1 => prop::collection::vec(inner.clone(), 2..4)
                .prop_filter("lists hold no lists", |v| !v.iter().any(Json::is_array))
                .prop_map(Json::Array),
        ];
        (
            prop::collection::vec((ncname(), xml_string()), 0..3),
            prop::collection::vec((ncname(), child), 0..4),
            prop::option::of(xml_string()),
            any::<prop::sample::Index>(),
        )
            .prop_filter_map(
                "a map with attributes or children",
                |(attrs, kids, text, at)| {
                    let mut m = Map::new();
                    for (k, v) in attrs {
                        m.insert(format!("@{k}"), Json::String(v));
                    }
                    let n_attrs = m.len();
                    let mut kids_map = Map::new();
                    for (k, v) in kids {
                        kids_map.insert(k, v);
                    }
                    if n_attrs == 0 && kids_map.is_empty() {
                        return None;
                    }
                    let text = text.filter(|t| {
                        if kids_map.is_empty() {
                            !t.is_empty()
                        } else {
                            non_ws(t)
                        }
                    });
                    let pos = if kids_map.is_empty() {
                        0
                    } else {
                        at.index(kids_map.len() + 1)
                    };
                    for (i, (k, v)) in kids_map.into_iter().enumerate() {
                        if i == pos {
                            if let Some(t) = &text {
                                m.insert("#text".into(), Json::String(t.clone()));
                            }
                        }
                        m.insert(k, v);
                    }
                    if let Some(t) = text {
                        if !m.contains_key("#text") {
                            m.insert("#text".into(), Json::String(t));
                        }
                    }
                    Some(Json::Object(m))
                },
            )
    })
}

/// Any JSON value; keys are anything but `:` (a colon makes a prefix, which the friendly
/// mapping drops).
fn any_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        (-1.0e9f64..1.0e9).prop_map(|f| json!(f)),
        any::<String>().prop_map(Json::String),
        xml_string().prop_map(Json::String),
    ];
    let key = prop_oneof![
        ncname(),
        "[^:]{0,5}",
        "@[a-z]{1,2}",
        "@[^:]{0,3}",
        Just("#text".to_string()),
        Just("@xmlns".to_string()),
        Just(String::new()),
    ];
    let scalar = leaf.clone();
    leaf.prop_recursive(4, 40, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            // Attributes and `#text` mostly get scalars (anything else is an error case).
            prop::collection::vec((key.clone(), inner, scalar.clone(), 0..10u8), 0..5).prop_map(
                |kv| {
                    Json::Object(
                        kv.into_iter()
                            .map(|(k, v, s, n)| {
                                let special = k.starts_with('@') || k == "#text";
                                (k, if special && n > 0 { s } else { v })
                            })
                            .collect(),
                    )
                }
            ),
        ]
    })
}

// ---------------------------------------------------------------------------------------------
// The documented mapping, modelled independently of the implementation
// ---------------------------------------------------------------------------------------------

fn is_ws(s: &str) -> bool {
    !non_ws(s)
}

/// Java `toString()` of a JSON scalar, as `toXml` writes it, then what XML can carry.
fn scalar_text(v: &Json) -> String {
    let s = match v {
        Json::String(s) => s.clone(),
        other => Value::from_json(other).to_java_string().unwrap_or_default(),
    };
    xml::sanitize(&s).into_owned()
}

enum Piece {
    Child(String, Json),
    Text(String),
}

/// What an element whose content is `v` parses to; `Err` when `toXml` must fail.
fn content(v: &Json) -> Result<Json, ()> {
    match v {
        Json::Null => Ok(Json::Null),
        Json::Array(items) => {
            let mut pieces = Vec::new();
            for item in items {
                pieces.push(Piece::Child("item".into(), item_content(item)?));
            }
            Ok(element(Vec::new(), pieces))
        }
        Json::Object(m) => {
            let mut attrs: Vec<(String, String)> = Vec::new();
            let mut pieces = Vec::new();
            for (k, v) in m {
                if let Some(a) = k.strip_prefix('@') {
                    let name = xml::encode_name(a).into_owned();
                    if attrs.iter().any(|(n, _)| *n == name) {
                        return Err(());
                    }
                    match v {
                        Json::Array(_) | Json::Object(_) => return Err(()),
                        Json::Null => {}
                        other => attrs.push((name, scalar_text(other))),
                    }
                } else if k == "#text" {
                    match v {
                        Json::Array(_) | Json::Object(_) => return Err(()),
                        Json::Null => {}
                        other => pieces.push(Piece::Text(scalar_text(other))),
                    }
                } else {
                    let name = xml::encode_name(k).into_owned();
                    match v {
                        Json::Array(items) => {
                            for item in items {
                                pieces.push(Piece::Child(name.clone(), item_content(item)?));
                            }
                        }
                        other => pieces.push(Piece::Child(name, content(other)?)),
                    }
                }
            }
            // A null-valued attribute is not written; `@xmlns` is a declaration, dropped.
            attrs.retain(|(n, _)| n != "xmlns");
            Ok(element(attrs, pieces))
        }
        other => Ok(Json::String(scalar_text(other))),
    }
}

/// The content of one item of a list: a nested list is wrapped, its items named `item`.
fn item_content(item: &Json) -> Result<Json, ()> {
    match item {
        Json::Array(_) => content(item),
        other => content(other),
    }
}

fn element(attrs: Vec<(String, String)>, pieces: Vec<Piece>) -> Json {
    let has_children = pieces.iter().any(|p| matches!(p, Piece::Child(..)));
    let text: String = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    if attrs.is_empty() && !has_children {
        return Json::String(text);
    }
    let mut m = Map::new();
    for (n, v) in attrs {
        m.insert(format!("@{n}"), Json::String(v));
    }
    if !has_children {
        if !text.is_empty() {
            m.insert("#text".into(), Json::String(text));
        }
        return Json::Object(m);
    }
    // Children in order of first appearance, repeated ones as lists; the text (segments
    // between children that are not whitespace-only) where its first kept segment was.
    let mut seg = String::new();
    let mut kept = String::new();
    let mut slot = false;
    let flush =
        |seg: &mut String, kept: &mut String, slot: &mut bool, m: &mut Map<String, Json>| {
            if !seg.is_empty() && !is_ws(seg) {
                if !*slot {
                    m.insert("#text".into(), Json::Null);
                    *slot = true;
                }
                kept.push_str(seg);
            }
            seg.clear();
        };
    for p in pieces {
        match p {
            Piece::Text(t) => seg.push_str(&t),
            Piece::Child(name, v) => {
                flush(&mut seg, &mut kept, &mut slot, &mut m);
                match m.get_mut(&name) {
                    Some(Json::Array(list)) => list.push(v),
                    Some(first) => *first = Json::Array(vec![first.take(), v]),
                    None => {
                        m.insert(name, v);
                    }
                }
            }
        }
    }
    flush(&mut seg, &mut kept, &mut slot, &mut m);
    if slot {
        m.insert("#text".into(), Json::String(kept));
    }
    Json::Object(m)
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

fn check_error_position(text: &str, e: &xml::XmlError) {
    assert!(
        e.offset <= text.len(),
        "offset {} > {}",
        e.offset,
        text.len()
    );
    let before = &text[..e.offset];
    assert_eq!(e.line, before.matches('\n').count() + 1, "line of {e}");
    assert!(e.column >= 1);
    assert!(!e.message.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn canonical_values_round_trip_exactly(v in canonical()) {
        let text = to_xml(&v, Some("root")).unwrap();
        let back = parse_json(&text).unwrap();
        prop_assert_eq!(back.to_string(), json!({"root": v}).to_string(), "xml: {}", text);
        // And back again: the parsed value writes the same document.
        let again = xml::to_xml(&xml::parse(&text).unwrap(), None).unwrap();
        prop_assert_eq!(again, text);
    }

    #[test]
    fn any_json_maps_as_documented(v in any_json()) {
        let expected = content(&v).map(|c| json!({"root": c}));
        match (to_xml(&v, Some("root")), expected) {
            (Ok(text), Ok(expected)) => {
                let back = parse_json(&text);
                prop_assert_eq!(back.map(|b| b.to_string()), Ok(expected.to_string()), "xml: {}", text);
            }
            (Err(_), Err(())) => {}
            (got, want) => prop_assert!(false, "to_xml gave {:?}, the model says {:?}", got, want),
        }
    }

    #[test]
    fn escaped_strings_parse_back(s in any::<String>(), t in xml_string()) {
        for s in [s, t] {
            let want = xml::sanitize(&s).into_owned();
            let e = xml::escape(&s);
            prop_assert_eq!(parse_json(&format!("<a>{e}</a>")), Ok(json!({"a": want})));
            prop_assert_eq!(parse_json(&format!("<a x=\"{e}\"/>")), Ok(json!({"a": {"@x": want}})));
            let both = if want.is_empty() {
                json!({"a": {"@x": ""}})
            } else {
                json!({"a": {"@x": want, "#text": want}})
            };
            prop_assert_eq!(parse_json(&format!("<a x='{e}'>{e}</a>")), Ok(both));
            // Nothing can close the element or the attribute early.
            prop_assert!(!e.contains(['<', '>', '"', '\'', '\r', '\n', '\t']));
        }
    }

    #[test]
    fn truncated_documents_are_errors(v in canonical(), cut in any::<prop::sample::Index>()) {
        let text = to_xml(&v, Some("root")).unwrap();
        let at = cut.index(text.len());
        if text.is_char_boundary(at) {
            let e = xml::parse(&text[..at]).unwrap_err();
            check_error_position(&text[..at], &e);
        }
    }

    #[test]
    fn mutated_documents_never_panic(
        v in canonical(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), "[<>&;/=\"'!?\\[\\]a: -]|<!DOCTYPE|<!\\[CDATA\\[|&#x;|&#0;|&lt;|]]>|xmlns:p=\"\"|p:"), 1..4),
    ) {
        let mut text = to_xml(&v, Some("root")).unwrap();
        for (at, ins) in edits {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            text.insert_str(i, &ins);
        }
        for options in [ParseOptions::default(), ParseOptions { namespaces: true }] {
            if let Err(e) = xml::parse_with(&text, options) {
                check_error_position(&text, &e);
            }
        }
    }

    #[test]
    fn byte_soup_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        for options in [ParseOptions::default(), ParseOptions { namespaces: true }] {
            if let Err(e) = xml::parse_with(&text, options) {
                check_error_position(&text, &e);
            }
        }
    }

    #[test]
    fn markup_soup_never_panics(s in "(<|>|/|&|;|a|b:|=|\"|'|!|\\?|\\[|CDATA|--| |xmlns|#|x|1|\\]){0,40}") {
        for options in [ParseOptions::default(), ParseOptions { namespaces: true }] {
            if let Err(e) = xml::parse_with(&s, options) {
                check_error_position(&s, &e);
            }
        }
    }

    #[test]
    fn to_json_is_strict_json(v in any_json()) {
        let text = vtl::to_strict_json(&Value::from_json(&v)).unwrap();
        let back: Json = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(normalize_numbers(&back), normalize_numbers(&v), "json: {}", text);
    }
}

/// Numbers compared by value (Java prints `1.0E10` where the input said `10000000000.0`).
fn normalize_numbers(v: &Json) -> Json {
    match v {
        Json::Number(n) => match n.as_i64() {
            Some(i) => json!(i),
            None => json!(n.as_f64().map(|f| f.to_string())),
        },
        Json::Array(a) => Json::Array(a.iter().map(normalize_numbers).collect()),
        Json::Object(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), normalize_numbers(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[test]
fn billion_laughs_and_external_entities_are_refused() {
    let lol = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<lolz>&lol2;</lolz>"#;
    let e = xml::parse(lol).unwrap_err();
    assert!(e.message.contains("undefined entity '&lol2;'"), "{e}");
    assert_eq!(e.line, 7);
    let xxe = r#"<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#;
    assert!(xml::parse(xxe)
        .unwrap_err()
        .message
        .contains("undefined entity"));
    let param = r#"<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1/x.dtd"> %p;]><r>ok</r>"#;
    assert_eq!(parse_json(param), Ok(json!({"r": "ok"})));
}
