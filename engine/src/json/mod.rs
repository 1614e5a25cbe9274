//! JSON the way API Gateway's Java stack reads and writes it: json-smart 2.2.
//!
//! Hand-written: no Rust library parses with json-smart 2.2's permissive rules or picks its
//! number classes (`serde_json` is strict and has no Java number types).
//!
//! * [`parse_json_smart`] is json-smart's *permissive* parser (`JSONParser.MODE_PERMISSIVE`, the
//!   mode Jayway JsonPath 2.0's `JsonSmartJsonProvider` uses), with its ordered mapper: objects
//!   become `LinkedHashMap`s, arrays `JSONArray`s. It accepts single quotes, unquoted keys and
//!   values, bare text (one `String`), useless commas and trailing data, and picks number classes
//!   the way json-smart does (`Integer`/`Long`/`BigInteger`, `Double`, and `BigDecimal` for
//!   decimals written with more than 18 characters).
//! * `write_json_smart` (in `print.rs`, beside Java's `toString()`) is `JSONValue.toJSONString` (`JSONStyle.NO_COMPRESS`): compact, keys and
//!   strings always quoted, `/` written as `\/`, `Infinity` written as `null`.
//!
//! Java `BigDecimal` and `Float` have no [`Value`] variant; the parser returns them as the
//! [`crate::java::decimal`] host objects (`BigDecimal`, `JavaFloat`), so templates can do
//! arithmetic and comparisons on them.
//!
//! Deviations from the Java library, all deliberate:
//! * nesting is limited to [`error::MAX_DEPTH`] levels as in json-smart ≥ 2.4.9. Debian's 2.2 backport
//!   of that limit never decrements the depth when a non-empty object closes, so it rejects any
//!   document holding more than ~400 non-empty objects; that bug is not reproduced.
//! * a `\uXXXX` escape that leaves a lone UTF-16 surrogate becomes U+FFFD (Rust strings cannot
//!   hold one).
//! * error positions are byte offsets, not UTF-16 indexes.
//!
//! Files: `parse.rs` (the parser, generic over a sink, and the sink that builds values),
//! `select.rs` and `rewrite.rs` (its other sinks), `number.rs` (number text), `jackson.rs` (values ↔ `serde_json`,
//! Jackson's mapping), `error.rs`; the writer (`toJSONString`) is in `crate::print`, beside
//! Java's `toString()`, since each calls the other.

pub(crate) mod error;
mod jackson;
pub(crate) mod number;
pub(crate) mod parse;
mod rewrite;
pub(crate) mod select;

pub use error::JsonError;
pub use number::{parse_big_decimal, JavaNumber};
pub(crate) use select::Selection;

use parse::{KeyTable, Parser, Values};
use rewrite::{Writer, Written};
use select::Select;

use crate::value::{Key, Value};

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

/// Parses `text` with json-smart 2.2's permissive parser, as Jayway JsonPath 2.0 does.
///
/// Highlights of the permissive grammar (all confirmed against the Java library):
/// * empty or blank input, and any text that does not start like JSON, is one `String` (trimmed
///   of characters ≤ U+0020): `abc def` → `"abc def"`, `<a>x</a>` → `"<a>x</a>"`, `` → `""`;
/// * after a complete top-level value anything is ignored: `{"a":1} x` → `{a=1}`;
/// * `'single'` quotes, unquoted keys (`{a b:1}` → key `a b`) and unquoted values
///   (`[abc, def]`), useless commas (`[1,,2]`, `{,}`), a missing value (`{"a":,}` → `""`);
/// * numbers: `-0` → Integer 0, a lone `-` → Integer 0, `1.50` → Double 1.5, `1e400` → Double
///   Infinity, `1.0000000000000000001` → BigDecimal, `9223372036854775808` → BigInteger,
///   `NaN` → Float NaN, `1e`, `+1`, `.5`, `0x10`, `Infinity` → Strings, `1e+` → error;
/// * escapes: `\x41` is accepted, an unknown escape like `\q` is dropped; raw control characters
///   are kept in strings without escapes but dropped from strings that contain one.
pub fn parse_json_smart(text: &str) -> Result<Value, JsonError> {
    parse_json_smart_charged(text, true)
}

/// [`parse_json_smart`], charging the values' memory or (when an earlier pass over `text` did,
/// see [`write_json_smart_of_text`]) only the fuel.
pub(crate) fn parse_json_smart_charged(
    text: &str,
    charge_memory: bool,
) -> Result<Value, JsonError> {
    parse_json_smart_selected(text, charge_memory, None)
}

/// [`parse_json_smart_charged`] that builds, of the objects on the way to the paths of
/// `selection`, only the entries those paths name (see [`Selection`]); `None` builds all.
/// The errors, fuel and memory are those of the whole parse.
pub(crate) fn parse_json_smart_selected(
    text: &str,
    charge_memory: bool,
    selection: Option<&Selection>,
) -> Result<Value, JsonError> {
    let (items, entries) = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let mut values = Values {
        items,
        entries,
        keys: KeyTable::default(),
        arrays: 0,
    };
    // The WebAssembly build parses whole documents: its download budget has no room for a
    // second parser (which the optimizer drops when nothing can reach it).
    let selection = selection.filter(|_| !cfg!(target_arch = "wasm32"));
    let (result, values) = match selection {
        None => {
            // Lent, as [`Select`] lends its values: one parser for both.
            let mut p = Parser::new(text, &mut values);
            p.charge_memory = charge_memory;
            (p.parse(), values)
        }
        Some(selection) => {
            let mut p = Parser::new(
                text,
                Select {
                    values,
                    selection,
                    picks: Vec::new(),
                    skip: 0,
                    next: selection.mode(0),
                },
            );
            p.charge_memory = charge_memory;
            (p.parse(), p.sink.values)
        }
    };
    // The stacks go back for the next parse on this thread (empty; small ones only).
    let Values {
        mut items,
        mut entries,
        ..
    } = values;
    if items.capacity() <= SCRATCH_KEPT && entries.capacity() <= SCRATCH_KEPT {
        items.clear();
        entries.clear();
        SCRATCH.with(|s| *s.borrow_mut() = (items, entries));
    }
    result
}

/// Appends `JSONValue.toJSONString` of what [`parse_json_smart`] makes of `text` to `out`,
/// without building the values: each value is written as it is read. The output, the errors
/// and the fuel and memory charged are those of parsing and then writing, except that a
/// document whose objects repeat a key is also charged fuel for the values the repeats
/// replace, and that when the output outgrows its room the memory budget trips as soon as
/// that is seen rather than once the whole document is read. A top-level `null` is written
/// as `""` (what `$input.json('$')` writes for it), and `Ok(true)` says it was one.
///
/// On a parse error `out` is left as it was.
pub(crate) fn write_json_smart_of_text(text: &str, out: &mut String) -> Result<bool, JsonError> {
    let start = out.len();
    let objects = WRITE_SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let mut p = Parser::new(
        text,
        Writer {
            out: std::mem::take(out),
            start,
            objects,
            depth: 0,
            top_null: false,
        },
    );
    let result = p.parse();
    let Writer {
        out: written,
        mut objects,
        top_null,
        ..
    } = p.sink;
    *out = written;
    if objects.capacity() <= SCRATCH_KEPT {
        objects.clear();
        WRITE_SCRATCH.with(|s| *s.borrow_mut() = objects);
    }
    if result.is_err() {
        out.truncate(start);
    } else if out.len() - start > crate::budget::memory_left() / 2 {
        crate::budget::alloc(usize::MAX);
    }
    result.map(|()| top_null)
}

/// The most elements of [`Parser::items`] and [`Parser::entries`] kept between parses.
const SCRATCH_KEPT: usize = 4096;

/// The parser's stacks: array elements and object entries.
type Stacks = (Vec<Value>, Vec<(Key, Value)>);

thread_local! {
    /// The parser's stacks, kept between the parses of a thread so that they are allocated
    /// once rather than grown in every parse.
    static SCRATCH: std::cell::RefCell<Stacks> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    /// The same for the writer's entries.
    static WRITE_SCRATCH: std::cell::RefCell<Written> = const { std::cell::RefCell::new(Vec::new()) };
}

#[cfg(test)]
mod tests;
