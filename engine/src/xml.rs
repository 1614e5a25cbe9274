//! XML for the `$vtl` extension: parse XML text into a navigable [`Value`], write a value as
//! XML, escape text for XML, and the SOAP helpers. The mapping is described in `docs/xml.md`.
//!
//! In short (the *friendly* mapping, the default):
//! * the document is a map with one entry, the root element's local name → its value;
//! * an element with neither attributes nor child elements is a `String` (its text, verbatim);
//! * any other element is a map: attributes as `@name` (in document order), then child elements
//!   by local name and the text as `#text`, in order of first appearance; repeated child
//!   elements become a list; whitespace-only text between child elements is dropped;
//! * `xsi:nil="true"` on an otherwise empty element is `null`;
//! * namespace prefixes are dropped and `xmlns` declarations are not kept, unless
//!   [`ParseOptions::namespaces`] is set (then names are kept as written, declarations included).
//!
//! Safety: entity references other than the five predefined ones and character references are
//! errors (nothing declared in a DTD is ever expanded, nothing external is ever read), a DOCTYPE
//! is skipped, nesting is bounded by [`MAX_DEPTH`], and errors carry a line and column.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::hash::BuildHasherDefault;
use std::rc::Rc;
use std::sync::Arc;

use quick_xml::escape::EscapeError;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use quick_xml::XmlVersion;

use crate::fxhash::FxHasher;
use crate::value::{Entries, Key, ListKind, Value};

/// The deepest element nesting [`parse`] accepts.
pub const MAX_DEPTH: usize = 128;

/// The deepest value nesting [`to_xml`] follows (a deeper structure is an error).
pub const MAX_WRITE_DEPTH: usize = 512;

/// The largest text [`to_xml`] (and the extension's `toJson`) produces before failing.
pub const MAX_WRITE_SIZE: usize = 64 * 1024 * 1024;

/// The XML Schema instance namespace (`xsi:nil`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The SOAP 1.1 envelope namespace.
pub const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// The SOAP 1.2 envelope namespace.
pub const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// XML that does not parse: what is wrong, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    /// What is wrong.
    pub message: String,
    /// Byte offset in the input.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl XmlError {
    fn at(text: &str, offset: usize, message: impl Into<String>) -> XmlError {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        XmlError {
            message: message.into(),
            offset,
            line,
            column,
        }
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (XML line {}, column {})",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for XmlError {}

/// A value that cannot be written as XML or JSON (a cycle, a map in an attribute, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteError {
    /// What is wrong.
    pub message: String,
}

impl WriteError {
    pub(crate) fn new(message: impl Into<String>) -> WriteError {
        WriteError {
            message: message.into(),
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WriteError {}

// ---------------------------------------------------------------------------------------------
// Content types
// ---------------------------------------------------------------------------------------------

/// True for XML media types: `text/xml`, `application/xml` and any `type/subtype+xml`
/// (`application/soap+xml`, `application/atom+xml`, …), parameters and case ignored.
pub fn is_xml_content_type(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.split_once('/') {
        Some((ty, sub)) => {
            !ty.is_empty()
                && (sub == "xml" && (ty == "text" || ty == "application")
                    || (sub.len() > 4 && sub.ends_with("+xml")))
        }
        None => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Escaping
// ---------------------------------------------------------------------------------------------

/// Where escaped text goes; decides which characters need a reference.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Element content: `& < >` and `\r`.
    Text,
    /// A double-quoted attribute value: also `"`, `\t` and `\n` (attribute values are
    /// whitespace-normalized by parsers).
    Attr,
    /// Either, quoted either way: also `'`.
    Any,
}

/// True for characters XML 1.0 allows in a document (the `Char` production).
pub fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\u{9}' | '\u{A}' | '\u{D}'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

fn escape_into(s: &str, out: &mut String, ctx: Ctx) {
    out.reserve(s.len());
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let rep: &str = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '\r' => "&#13;",
            '"' if ctx != Ctx::Text => "&quot;",
            '\'' if ctx == Ctx::Any => "&apos;",
            '\n' if ctx != Ctx::Text => "&#10;",
            '\t' if ctx != Ctx::Text => "&#9;",
            c if !is_xml_char(c) => "\u{FFFD}",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
}

/// Escapes `s` for use anywhere in XML: element text and attribute values in either quote.
///
/// `& < > " '` become `&amp; &lt; &gt; &quot; &apos;`; tab, line feed and carriage return
/// become `&#9; &#10; &#13;` (so they survive attribute-value normalization and line-end
/// normalization); characters XML 1.0 forbids even as references (U+0000–U+0008, U+000B,
/// U+000C, U+000E–U+001F, U+FFFE, U+FFFF) become U+FFFD. Parsing the result back (as text or
/// as an attribute value) gives `s` with only that last replacement applied.
pub fn escape(s: &str) -> String {
    let mut out = String::new();
    escape_into(s, &mut out, Ctx::Any);
    out
}

/// `s` with every character XML 1.0 forbids replaced by U+FFFD: what [`escape`] then parsing
/// gives back.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(
            s.chars()
                .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
                .collect(),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// True for an XML name without a colon (an `NCName`: what the mapping round-trips).
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// True for a qualified name: an `NCName`, or `prefix:local` with two `NCName`s.
pub fn is_qname(s: &str) -> bool {
    match s.split_once(':') {
        Some((p, l)) => is_ncname(p) && is_ncname(l),
        None => is_ncname(s),
    }
}

/// `name` as an XML element or attribute name: a qualified name is kept; otherwise each
/// character that may not appear where it is becomes `_xHHHH_` (the .NET `XmlConvert`
/// convention: `first name` → `first_x0020_name`, `2024` → `_x0032_024`); empty → `_`.
pub fn encode_name(name: &str) -> Cow<'_, str> {
    if is_qname(name) {
        return Cow::Borrowed(name);
    }
    if name.is_empty() {
        return Cow::Borrowed("_");
    }
    let mut out = String::with_capacity(name.len() + 8);
    for (i, c) in name.chars().enumerate() {
        let ok = if i == 0 {
            is_name_start(c)
        } else {
            is_name_char(c)
        };
        if ok {
            out.push(c);
        } else if (c as u32) <= 0xFFFF {
            let _ = write!(out, "_x{:04X}_", c as u32);
        } else {
            let _ = write!(out, "_x{:08X}_", c as u32);
        }
    }
    Cow::Owned(out)
}

// ---------------------------------------------------------------------------------------------
// XML → value
// ---------------------------------------------------------------------------------------------

/// How [`parse_with`] maps names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Keep names as written (`soap:Envelope`, `@xsi:type`) and keep namespace declarations as
    /// attributes (`@xmlns`, `@xmlns:soap`). Off: local names only, declarations dropped.
    pub namespaces: bool,
}

/// One open element while parsing.
struct Frame {
    /// Its key in the parent.
    key: Arc<str>,
    /// Attributes, then children and `#text` in order of first appearance.
    entries: Entries,
    /// How many attributes went into `entries`.
    attrs: usize,
    /// Whether the only attribute is a true `xsi:nil`.
    nil: bool,
    /// Whether a child element was seen.
    children: bool,
    /// Text kept so far (segments between children that are not whitespace-only).
    text: String,
    /// Whether `#text` holds a place in `entries`.
    text_slot: bool,
}

const TEXT_KEY: &str = "#text";

fn is_xml_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl Frame {
    /// Ends the current text segment `seg` because a child element starts (or the element
    /// ends): whitespace-only segments are dropped, others kept as `#text`.
    fn flush_segment(&mut self, seg: &mut String) {
        if seg.is_empty() {
            return;
        }
        if !seg.bytes().all(is_xml_ws) {
            if !self.text_slot {
                self.entries.insert(Key::from(TEXT_KEY), Value::Null);
                self.text_slot = true;
            }
            self.text.push_str(seg);
        }
        seg.clear();
    }

    fn add_child(&mut self, key: Arc<str>, value: Value) {
        self.children = true;
        match self.entries.entry(Key(Value::Str(key))) {
            indexmap::map::Entry::Vacant(v) => {
                v.insert(value);
            }
            indexmap::map::Entry::Occupied(mut o) => match o.get_mut() {
                Value::List(l) => l.items.borrow_mut().push(value),
                first => {
                    let first = std::mem::take(first);
                    *o.get_mut() = Value::list(ListKind::JsonArray, vec![first, value]);
                }
            },
        }
    }

    /// The element's value; `seg` is its text since the last child element (then cleared).
    fn finish(mut self, seg: &mut String) -> (Arc<str>, Value) {
        if self.children {
            self.flush_segment(seg);
            if self.text_slot {
                let text = std::mem::take(&mut self.text);
                self.entries
                    .insert(Key::from(TEXT_KEY), Value::string(text));
            }
            return (self.key, Value::map(self.entries));
        }
        let text = Value::str(seg);
        let empty = seg.is_empty();
        seg.clear();
        if self.attrs == 0 {
            return (self.key, text);
        }
        if self.nil && self.attrs == 1 && empty {
            return (self.key, Value::Null);
        }
        if !empty {
            self.entries.insert(Key::from(TEXT_KEY), text);
        }
        (self.key, Value::map(self.entries))
    }
}

/// Parses XML text with the friendly mapping (see the module docs and `docs/xml.md`).
///
/// ```
/// let v = vtl::xml::parse(r#"<a:Order xmlns:a="urn:x" id="7"><a:Line>1</a:Line><a:Line>2</a:Line></a:Order>"#)?;
/// assert_eq!(v.to_json(), serde_json::json!({"Order": {"@id": "7", "Line": ["1", "2"]}}));
/// # Ok::<(), vtl::xml::XmlError>(())
/// ```
pub fn parse(text: &str) -> Result<Value, XmlError> {
    parse_with(text, ParseOptions::default())
}

/// The state of one parse.
struct Parser<'a> {
    /// The text being parsed (after any byte-order mark).
    input: &'a str,
    reader: NsReader<&'a [u8]>,
    options: ParseOptions,
    /// Open elements, innermost last.
    stack: Vec<Frame>,
    /// The closed root element.
    root: Option<(Arc<str>, Value)>,
    /// The innermost open element's current text segment (an element's segment is flushed
    /// when a child starts, so only the innermost one is ever non-empty).
    seg: String,
    /// Names seen so far, shared between elements (`@`-prefixed for attributes).
    names: HashMap<Box<str>, Arc<str>, BuildHasherDefault<FxHasher>>,
    /// Scratch space for attribute keys.
    scratch: String,
}

impl Parser<'_> {
    /// Where `part` (a slice borrowed from the input) starts in the input.
    fn offset_of(&self, part: &str) -> Option<u64> {
        let base = self.input.as_ptr() as usize;
        let at = (part.as_ptr() as usize).checked_sub(base)?;
        (at <= self.input.len()).then_some(at as u64)
    }

    fn name(&mut self, name: &str) -> Arc<str> {
        if let Some(n) = self.names.get(name) {
            return n.clone();
        }
        let n: Arc<str> = Arc::from(name);
        self.names.insert(Box::from(name), n.clone());
        n
    }

    /// Opens an element whose tag starts at byte `start`; errors carry their own offset.
    fn open(&mut self, e: &BytesStart<'_>, start: u64) -> Result<Frame, (u64, String)> {
        let qname = e.name();
        let key = if self.options.namespaces {
            self.name(qname.0)
        } else {
            self.name(qname.local_name().into_inner())
        };
        let mut frame = Frame {
            key,
            entries: Entries::default(),
            attrs: 0,
            nil: false,
            children: false,
            text: String::new(),
            text_slot: false,
        };
        for attr in e.attributes() {
            let attr = attr.map_err(|x| {
                // Attribute positions count from the byte after `<`.
                let (at, msg) = match x {
                    AttrError::ExpectedEq(at) => {
                        (at, "expected '=' after an attribute name".into())
                    }
                    AttrError::ExpectedValue(at) => (at, "expected an attribute value".into()),
                    AttrError::UnquotedValue(at) => (at, "attribute values must be quoted".into()),
                    AttrError::ExpectedQuote(at, q) => (
                        at,
                        format!("attribute value not closed by {}", char::from(q)),
                    ),
                    AttrError::Duplicated(at, _) => (at, "duplicate attribute".into()),
                };
                (start + 1 + at as u64, msg)
            })?;
            let is_decl = attr.key.as_namespace_binding().is_some();
            if is_decl && !self.options.namespaces {
                continue;
            }
            let value = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|x| {
                    let name = attr.key.0;
                    let msg = match x {
                        quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(_, e)) => {
                            format!("undefined entity '&{e};' in attribute '{name}' (only &lt; &gt; &amp; &apos; &quot; and character references are expanded)")
                        }
                        other => format!("bad value for attribute '{name}': {other}"),
                    };
                    (self.offset_of(name).unwrap_or(start), msg)
                })?;
            let (ns, local) = self.reader.resolver().resolve_attribute(attr.key);
            let local = local.into_inner();
            if !is_decl && local == "nil" && (value == "true" || value == "1") {
                let xsi = match ns {
                    ResolveResult::Bound(n) => n.0 == XSI_NS,
                    ResolveResult::Unknown(p) => p == "xsi",
                    ResolveResult::Unbound => false,
                };
                if xsi && frame.attrs == 0 {
                    frame.nil = true;
                }
            }
            let mut k = std::mem::take(&mut self.scratch);
            k.clear();
            k.push('@');
            k.push_str(if self.options.namespaces {
                attr.key.0
            } else {
                local
            });
            let k_arc = self.name(&k);
            self.scratch = k;
            // Two prefixed attributes with one local name: the first one stays.
            if let indexmap::map::Entry::Vacant(v) = frame.entries.entry(Key(Value::Str(k_arc))) {
                v.insert(Value::str(&value));
                frame.attrs += 1;
            }
        }
        Ok(frame)
    }

    fn close(&mut self, frame: Frame) {
        let (key, value) = frame.finish(&mut self.seg);
        match self.stack.last_mut() {
            Some(parent) => parent.add_child(key, value),
            None => self.root = Some((key, value)),
        }
    }

    /// Reads events until the end; errors are a message and a byte offset.
    fn run(&mut self) -> Result<(), (u64, String)> {
        loop {
            let start = self.reader.buffer_position();
            let event = match self.reader.read_event() {
                Ok(e) => e,
                Err(e) => return Err((self.reader.error_position(), e.to_string())),
            };
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    if self.root.is_some() {
                        return Err((start, "more than one root element".into()));
                    }
                    if self.stack.len() >= MAX_DEPTH {
                        return Err((
                            start,
                            format!("elements nested deeper than {MAX_DEPTH} levels"),
                        ));
                    }
                    if let Some(parent) = self.stack.last_mut() {
                        parent.flush_segment(&mut self.seg);
                    }
                    // Each element becomes a map in its parent: charged as it is read.
                    if !crate::budget::spend(1)
                        || !crate::budget::alloc(crate::budget::MAP_ENTRY + crate::budget::OBJECT)
                    {
                        return Err((start, "the render's budget ran out".into()));
                    }
                    let frame = self.open(e, start)?;
                    if matches!(event, Event::Empty(_)) {
                        self.close(frame);
                    } else {
                        self.stack.push(frame);
                    }
                }
                Event::End(_) => match self.stack.pop() {
                    Some(frame) => self.close(frame),
                    None => return Err((start, "end tag without a start tag".into())),
                },
                Event::Text(t) => {
                    let content = t.xml10_content();
                    if !self.stack.is_empty() {
                        self.seg.push_str(&content);
                    } else if !content.bytes().all(is_xml_ws) {
                        return Err((start, "text outside the root element".into()));
                    }
                }
                Event::CData(t) => {
                    if self.stack.is_empty() {
                        return Err((start, "CDATA outside the root element".into()));
                    }
                    self.seg.push_str(&t.xml10_content());
                }
                Event::GeneralRef(r) => {
                    if self.stack.is_empty() {
                        return Err((start, "entity reference outside the root element".into()));
                    }
                    let c = if r.is_char_ref() {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => c,
                            _ => {
                                return Err((
                                    start,
                                    format!("invalid character reference '&{};'", &*r),
                                ))
                            }
                        }
                    } else {
                        match predefined_entity(&r) {
                            Some(c) => c,
                            None => {
                                return Err((
                                    start,
                                    format!(
                                        "undefined entity '&{};' (only &lt; &gt; &amp; &apos; &quot; and character references are expanded)",
                                        &*r
                                    ),
                                ))
                            }
                        }
                    };
                    self.seg.push(c);
                }
                Event::DocType(_) => {
                    // Skipped, never interpreted: its entities are not expanded (see GeneralRef).
                    if self.root.is_some() || !self.stack.is_empty() {
                        return Err((start, "DOCTYPE after the root element started".into()));
                    }
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
                Event::Eof => return Ok(()),
            }
        }
    }
}

/// Parses XML text into a value with the given options.
pub fn parse_with(text: &str, options: ParseOptions) -> Result<Value, XmlError> {
    // A byte-order mark is not part of the document.
    let skip = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let body = &text[skip..];
    // The text is scanned once and its character data copied: charged up front.
    if !crate::budget::spend(text.len() as u64 / 64) || !crate::budget::alloc(text.len()) {
        return Err(XmlError::at(text, 0, "the render's budget ran out"));
    }
    let err = |offset: u64, msg: String| {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        XmlError::at(text, offset.saturating_add(skip), msg)
    };
    let mut p = Parser {
        input: body,
        reader: NsReader::from_str(body),
        options,
        stack: Vec::new(),
        root: None,
        seg: String::new(),
        names: HashMap::default(),
        scratch: String::new(),
    };
    p.run().map_err(|(at, msg)| err(at, msg))?;
    if let Some(open) = p.stack.last() {
        return Err(err(
            body.len() as u64,
            format!("unexpected end of input: <{}> is not closed", open.key),
        ));
    }
    match p.root {
        Some((key, value)) => {
            let mut doc = Entries::with_capacity_and_hasher(1, Default::default());
            doc.insert(Key(Value::Str(key)), value);
            Ok(Value::map(doc))
        }
        None => Err(err(body.len() as u64, "no root element".into())),
    }
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// value → XML
// ---------------------------------------------------------------------------------------------

struct XmlWriter {
    out: String,
    nil_used: bool,
    /// Containers being written (cycle detection).
    open: Vec<usize>,
}

fn container_id(v: &Value) -> Option<usize> {
    match v {
        Value::List(l) => Some(Rc::as_ptr(l) as *const u8 as usize),
        Value::Map(m) => Some(Rc::as_ptr(m) as *const u8 as usize),
        _ => None,
    }
}

/// A scalar's text (Java `toString()`); `None` for null, lists and maps.
fn scalar_text(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::Null | Value::List(_) | Value::Map(_) => None,
        Value::Str(s) => Some(Cow::Borrowed(s)),
        other => Some(Cow::Owned(other.to_java_string().unwrap_or_default())),
    }
}

fn key_text(k: &Key) -> Cow<'_, str> {
    match &k.0 {
        Value::Str(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_java_string().unwrap_or_else(|| "null".into())),
    }
}

impl XmlWriter {
    fn enter(&mut self, v: &Value) -> Result<(), WriteError> {
        if self.out.len() > MAX_WRITE_SIZE {
            return Err(WriteError::new(format!(
                "the XML would be larger than {MAX_WRITE_SIZE} bytes"
            )));
        }
        if self.open.len() >= MAX_WRITE_DEPTH {
            return Err(WriteError::new(format!(
                "the value is nested deeper than {MAX_WRITE_DEPTH} levels"
            )));
        }
        if let Some(id) = container_id(v) {
            if self.open.contains(&id) {
                return Err(WriteError::new("the value contains itself (a cycle)"));
            }
            self.open.push(id);
        }
        Ok(())
    }

    fn leave(&mut self, v: &Value) {
        if container_id(v).is_some() {
            self.open.pop();
        }
    }

    /// Writes `value` as the element(s) named `name` (a list repeats the element).
    fn element(&mut self, name: &str, value: &Value) -> Result<(), WriteError> {
        self.enter(value)?;
        match value {
            Value::List(l) => {
                for item in l.items.borrow().iter() {
                    if matches!(item, Value::List(_)) {
                        self.enter(item)?;
                        self.open_tag(name);
                        self.out.push('>');
                        self.list_items(item)?;
                        self.close_tag(name);
                        self.leave(item);
                    } else {
                        self.element(name, item)?;
                    }
                }
            }
            Value::Null => {
                self.open_tag(name);
                self.out.push_str(" xsi:nil=\"true\"/>");
                self.nil_used = true;
            }
            Value::Map(m) => {
                self.open_tag(name);
                let entries = m.entries.borrow();
                let mut seen: Vec<Cow<'_, str>> = Vec::new();
                for (k, v) in entries.iter() {
                    let key = key_text(k);
                    let Some(attr) = key.strip_prefix('@') else {
                        continue;
                    };
                    let attr = encode_name(attr).into_owned();
                    if seen.iter().any(|s| *s == attr) {
                        return Err(WriteError::new(format!(
                            "two keys write the attribute '{attr}'"
                        )));
                    }
                    match v {
                        Value::Null => {}
                        Value::List(_) | Value::Map(_) => {
                            return Err(WriteError::new(format!(
                            "the attribute '{key}' must be a string, number or boolean, not a {}",
                            if matches!(v, Value::List(_)) {
                                "list"
                            } else {
                                "map"
                            }
                        )))
                        }
                        _ => {
                            let text = scalar_text(v).unwrap_or_default();
                            self.out.push(' ');
                            self.out.push_str(&attr);
                            self.out.push_str("=\"");
                            escape_into(&text, &mut self.out, Ctx::Attr);
                            self.out.push('"');
                        }
                    }
                    seen.push(Cow::Owned(attr));
                }
                let has_content = entries.iter().any(|(k, v)| {
                    let key = key_text(k);
                    !(key.starts_with('@') || key == TEXT_KEY && v.is_null())
                });
                if !has_content {
                    self.out.push_str("/>");
                } else {
                    self.out.push('>');
                    for (k, v) in entries.iter() {
                        let key = key_text(k);
                        if key.starts_with('@') {
                            continue;
                        }
                        if key == TEXT_KEY {
                            match v {
                                Value::List(_) | Value::Map(_) => {
                                    return Err(WriteError::new(
                                        "'#text' must be a string, number or boolean",
                                    ))
                                }
                                _ => {
                                    if let Some(t) = scalar_text(v) {
                                        escape_into(&t, &mut self.out, Ctx::Text);
                                    }
                                }
                            }
                            continue;
                        }
                        self.element(&encode_name(&key), v)?;
                    }
                    self.close_tag(name);
                }
            }
            other => {
                let text = scalar_text(other).unwrap_or_default();
                self.open_tag(name);
                self.out.push('>');
                escape_into(&text, &mut self.out, Ctx::Text);
                self.close_tag(name);
            }
        }
        self.leave(value);
        Ok(())
    }

    /// Writes a list that has no name of its own (at the top, or inside a list) as `<item>`s.
    fn list_items(&mut self, list: &Value) -> Result<(), WriteError> {
        if let Value::List(l) = list {
            for item in l.items.borrow().iter() {
                if matches!(item, Value::List(_)) {
                    self.enter(item)?;
                    self.out.push_str("<item>");
                    self.list_items(item)?;
                    self.out.push_str("</item>");
                    self.leave(item);
                } else {
                    self.element("item", item)?;
                }
            }
        }
        Ok(())
    }

    fn open_tag(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
    }

    fn close_tag(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }
}

/// Writes `value` as an XML document (no declaration, no indentation), the inverse of
/// [`parse`] under the documented mapping.
///
/// * `root` names the root element. Without it, a map with exactly one entry whose key is an
///   element name and whose value is not a list is the document itself (so
///   `to_xml(parse(x))` gives back `x`'s elements); anything else goes into `<root>`.
/// * Map keys `@name` are attributes, `#text` is text, other keys are child elements; a list is
///   the element repeated; a list with no name (at the top or inside a list) is written as
///   `<item>` children; `null` is `<name xsi:nil="true"/>` (with `xmlns:xsi` declared on the
///   root); numbers and booleans are written as Java prints them.
/// * Keys that are not XML names are encoded with [`encode_name`].
///
/// Fails on cycles, on maps or lists in attributes or `#text`, past [`MAX_WRITE_DEPTH`] and
/// past [`MAX_WRITE_SIZE`].
pub fn to_xml(value: &Value, root: Option<&str>) -> Result<String, WriteError> {
    let mut w = XmlWriter {
        out: String::new(),
        nil_used: false,
        open: Vec::new(),
    };
    let single = match (root, value) {
        (None, Value::Map(m)) => {
            let entries = m.entries.borrow();
            match entries.iter().next() {
                Some((k, v)) if entries.len() == 1 && !matches!(v, Value::List(_)) => {
                    let key = key_text(k);
                    (!key.starts_with('@') && key != TEXT_KEY)
                        .then(|| (key.into_owned(), v.clone()))
                }
                _ => None,
            }
        }
        _ => None,
    };
    let wrapped = single.is_none();
    let (name, content) = match single {
        Some((k, v)) => (encode_name(&k).into_owned(), v),
        None => (
            encode_name(root.unwrap_or("root")).into_owned(),
            value.clone(),
        ),
    };
    if wrapped && matches!(content, Value::List(_)) {
        w.enter(&content)?;
        w.open_tag(&name);
        w.out.push('>');
        w.list_items(&content)?;
        w.close_tag(&name);
        w.leave(&content);
    } else {
        w.element(&name, &content)?;
    }
    if w.out.len() > MAX_WRITE_SIZE {
        return Err(WriteError::new(format!(
            "the XML would be larger than {MAX_WRITE_SIZE} bytes"
        )));
    }
    if w.nil_used {
        let declared = matches!(&content, Value::Map(m)
            if m.entries.borrow().contains_key(&Key::from("@xmlns:xsi")));
        if !declared {
            let at = 1 + name.len();
            w.out.insert_str(at, &format!(" xmlns:xsi=\"{XSI_NS}\""));
        }
    }
    Ok(w.out)
}

/// Writes the entries of a map as sibling elements (an XML fragment, e.g. a SOAP body's
/// content); a string is taken as XML already; null is empty. Attribute keys (`@…`) have no
/// element to go on and are an error. Elements written for `null` declare `xmlns:xsi` themselves.
pub fn to_xml_fragment(value: &Value) -> Result<String, WriteError> {
    match value {
        Value::Null => Ok(String::new()),
        Value::Str(s) => Ok(s.to_string()),
        Value::Map(m) => {
            let mut out = String::new();
            for (k, v) in m.entries.borrow().iter() {
                let key = key_text(k);
                if key.starts_with('@') || key == TEXT_KEY {
                    return Err(WriteError::new(format!(
                        "'{key}' has no element to go on in an XML fragment"
                    )));
                }
                let mut one = Entries::with_capacity_and_hasher(1, Default::default());
                one.insert(Key(Value::string(key.into_owned())), v.clone());
                out.push_str(&to_xml(&Value::map(one), None)?);
            }
            Ok(out)
        }
        other => Err(WriteError::new(format!(
            "an XML fragment must be a string (XML) or a map, not a {}",
            other.class_name()
        ))),
    }
}

// ---------------------------------------------------------------------------------------------
// SOAP
// ---------------------------------------------------------------------------------------------

/// A SOAP version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SoapVersion {
    /// SOAP 1.1 (`text/xml`, namespace [`SOAP11_NS`]).
    #[default]
    V1_1,
    /// SOAP 1.2 (`application/soap+xml`, namespace [`SOAP12_NS`]).
    V1_2,
}

impl SoapVersion {
    /// `"1.1"` or `"1.2"` (also `"11"`, `"12"`, `"soap11"`, `"soap12"`).
    pub fn parse(s: &str) -> Option<SoapVersion> {
        match s.trim().to_ascii_lowercase().as_str() {
            "1.1" | "11" | "soap11" | "soap1.1" => Some(SoapVersion::V1_1),
            "1.2" | "12" | "soap12" | "soap1.2" => Some(SoapVersion::V1_2),
            _ => None,
        }
    }

    /// The envelope namespace.
    pub fn namespace(self) -> &'static str {
        match self {
            SoapVersion::V1_1 => SOAP11_NS,
            SoapVersion::V1_2 => SOAP12_NS,
        }
    }
}

/// A SOAP envelope (prefix `soapenv`) around `body` and, when given, `header`; both are XML
/// inserted as they are.
pub fn soap_envelope(body: &str, header: Option<&str>, version: SoapVersion) -> String {
    let mut out = String::with_capacity(body.len() + 200);
    out.push_str("<soapenv:Envelope xmlns:soapenv=\"");
    out.push_str(version.namespace());
    out.push_str("\">");
    if let Some(h) = header {
        out.push_str("<soapenv:Header>");
        out.push_str(h);
        out.push_str("</soapenv:Header>");
    }
    out.push_str("<soapenv:Body>");
    out.push_str(body);
    out.push_str("</soapenv:Body></soapenv:Envelope>");
    out
}

fn get(v: &Value, key: &str) -> Option<Value> {
    let lookup = |v: &Value| match v {
        Value::Map(m) => m.entries.borrow().get(&Key::from(key)).cloned(),
        _ => None,
    };
    match v {
        // A repeated element: its first occurrence.
        Value::List(l) => l.items.borrow().first().and_then(lookup),
        other => lookup(other),
    }
}

/// The text of an element value: a string, a map's `#text`, a list's first item's text.
fn text_of(v: Option<Value>) -> Value {
    match v {
        Some(Value::Str(s)) => Value::Str(s),
        Some(m @ Value::Map(_)) => match get(&m, TEXT_KEY) {
            Some(Value::Str(s)) => Value::Str(s),
            _ => Value::Null,
        },
        Some(Value::List(l)) => match l.items.borrow().first() {
            Some(Value::Str(s)) => Value::Str(s.clone()),
            Some(m @ Value::Map(_)) => match get(m, TEXT_KEY) {
                Some(Value::Str(s)) => Value::Str(s),
                _ => Value::Null,
            },
            _ => Value::Null,
        },
        _ => Value::Null,
    }
}

/// The SOAP fault in `doc` (a parsed document, its `Envelope`, its `Body`, or the `Fault`
/// itself, under the friendly mapping), normalized to one shape for SOAP 1.1 and 1.2; `None`
/// when there is no fault.
///
/// The map has `version` (`"1.1"`/`"1.2"`), `code` (`faultcode`, or `Code/Value`, as written,
/// e.g. `soap:Client`), `subcode` (`Code/Subcode/Value`, 1.2 only), `message` (`faultstring`,
/// or the first `Reason/Text`), `actor` (`faultactor`, or `Role`) and `detail` (the `detail`
/// / `Detail` subtree); missing parts are null.
pub fn soap_fault(doc: &Value) -> Option<Value> {
    let mut v = doc.clone();
    for step in ["Envelope", "Body"] {
        if let Some(inner) = get(&v, step) {
            v = inner;
        }
    }
    let fault = get(&v, "Fault")?;
    if !matches!(fault, Value::Map(_) | Value::List(_)) {
        return None;
    }
    let mut out = Entries::with_capacity_and_hasher(6, Default::default());
    let mut put = |k: &str, v: Value| {
        out.insert(Key::from(k), v);
    };
    if get(&fault, "Code").is_some() || get(&fault, "Reason").is_some() {
        let code = get(&fault, "Code");
        put("version", Value::str("1.2"));
        put("code", text_of(code.as_ref().and_then(|c| get(c, "Value"))));
        put(
            "subcode",
            text_of(
                code.as_ref()
                    .and_then(|c| get(c, "Subcode"))
                    .and_then(|s| get(&s, "Value")),
            ),
        );
        put(
            "message",
            text_of(get(&fault, "Reason").and_then(|r| get(&r, "Text"))),
        );
        put("actor", text_of(get(&fault, "Role")));
        put("detail", get(&fault, "Detail").unwrap_or_default());
    } else {
        put("version", Value::str("1.1"));
        put("code", text_of(get(&fault, "faultcode")));
        put("subcode", Value::Null);
        put("message", text_of(get(&fault, "faultstring")));
        put("actor", text_of(get(&fault, "faultactor")));
        put("detail", get(&fault, "detail").unwrap_or_default());
    }
    Some(Value::map(out))
}

#[cfg(test)]
mod tests;
