//! What a template reads of the request body, worked out when it is compiled: the property
//! chains its literal `$input.path('…')` and `$input.json('…')` paths start with, so that a
//! render parses the body into only those parts (see [`crate::json::Selection`]).
//!
//! Conservative: any other use of `$input` (passed on, assigned, a path that is not a literal,
//! a method this module does not know), `#evaluate`, or any `$input` in the source that the
//! walk ([`visit_refs`]) did not account for, and the whole body is built.

use std::sync::Arc;

use crate::compile::{visit_refs, CExpr, CExprKind, CNode, CPart, CRef, Const, MacroDef, Mentions};
use crate::json::Selection;

use super::jsonpath;

/// The selection of the body that `nodes` and `macros` (compiled from `source`) can read, or
/// `None` when they may read all of it (or never read it).
pub(crate) fn selection<'p>(
    nodes: &'p [CNode],
    macros: impl IntoIterator<Item = &'p Arc<MacroDef>>,
    source: &str,
    mentions: &Mentions,
) -> Option<Arc<Selection>> {
    // The WebAssembly build parses whole bodies (see `json::parse_json_smart_selected`).
    if cfg!(target_arch = "wasm32") || mentions.hidden {
        return None;
    }
    // A template that never names `$input` never parses the body: nothing to select.
    let written = written_references(source);
    if written == 0 {
        return None;
    }
    let mut paths: Vec<&'p str> = Vec::new();
    let (mut accepted, mut whole) = (0, false);
    let mut read = |r: &'p CRef| {
        if &*r.root.text != "input" {
            return;
        }
        match r.parts.first() {
            Some(CPart::Method(m, args, _)) if &**m == "path" || &**m == "json" => {
                match &args[..] {
                    [CExpr {
                        kind: CExprKind::Const(Const::Str(p)),
                        ..
                    }] => {
                        paths.push(p);
                        accepted += 1;
                    }
                    _ => whole = true,
                }
            }
            Some(CPart::Method(m, _, _)) if &**m == "params" || &**m == "getBody" => accepted += 1,
            Some(CPart::Property(name, _)) if &*name.text == "body" => accepted += 1,
            _ => whole = true,
        }
    };
    visit_refs(nodes, &mut read);
    for m in macros {
        visit_refs(&m.body, &mut read);
    }
    // Every `$input` of the source must be one of those accepted (so one the walk does not
    // reach, in a block-macro body say, makes the whole body read).
    if whole || written != accepted {
        return None;
    }
    let paths: Vec<_> = paths
        .iter()
        .filter_map(|p| jsonpath::cached(p).ok())
        .collect();
    let mut chains = Vec::with_capacity(paths.len());
    for p in &paths {
        chains.push(p.selected_chain()?);
    }
    Selection::new(chains).map(Arc::new)
}

/// How many times `source` writes a reference to `input` (`$input`, `$!input`, `${input}`,
/// `$!{input}`), escaped or not.
fn written_references(source: &str) -> usize {
    let b = source.as_bytes();
    let mut n = 0;
    for i in memchr::memmem::find_iter(b, b"input") {
        let mut j = i;
        if j > 0 && b[j - 1] == b'{' {
            j -= 1;
        }
        if j > 0 && b[j - 1] == b'!' {
            j -= 1;
        }
        if j > 0 && b[j - 1] == b'$' {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use crate::{Engine, Profile, Request};

    /// Whether the compiled template parses bodies with a selection.
    fn selects(source: &str) -> bool {
        let t = Engine::new(Profile::Aws).compile(source).unwrap();
        t.program.body_selection.is_some()
    }

    #[test]
    fn literal_paths_select_and_other_uses_of_input_do_not() {
        assert!(selects(
            "$input.path('$.a.b') $input.json('$.c[0]') $input.params('x')"
        ));
        assert!(selects("#macro(m)$input.path('$.a')#end#m() $input.body"));
        assert!(selects("#set($x = \"$input.path('$.a')\")$x"));
        for whole in [
            "$input.json('$')",
            "$input.path('$..a')",
            "$input.path('$.a[?(@.b == $.c)]')",
            "#set($p = '$.a')$input.path($p)",
            "#set($i = $input)$i.path('$.a')",
            "#macro(m $x)$x.path('$.a')#end#m($input)",
            "$input.path('$.a') #evaluate('$input.path(\"$.b\")')",
            "$input.path('$.a') $input.keySet()",
            "$input.path('$.a') \\u0024input.path('$.b')",
            // No `$input` at all: the body is never parsed, so there is nothing to select.
            "$context.stage $util.escapeJavaScript('input')",
        ] {
            assert!(!selects(whole), "{whole}");
        }
    }

    #[test]
    fn a_selected_render_gives_what_the_whole_one_does() {
        let body = r#"{"a":{"b":[1,{"c":2}],"d":"x"},"e":{"f":true},"g":"no"}"#;
        let request = Request::with_body(body);
        let engine = Engine::new(Profile::Aws);
        let selected = "$input.path('$.a.b')|$input.json('$.a.b[1]')|$input.path('$.e.f')|$input.path('$.a.q')|$input.json('$.a.d')";
        // The same reads, but the whole body is parsed (the path in a variable).
        let whole = format!(
            "#set($p = '$.a.b')$input.path($p)|{}",
            &selected["$input.path('$.a.b')|".len()..]
        );
        let (s, w) = (
            engine.compile(selected).unwrap(),
            engine.compile(&whole).unwrap(),
        );
        assert!(s.program.body_selection.is_some() && w.program.body_selection.is_none());
        let out = |t: &crate::Template| {
            t.render_request(&request, &serde_json::Value::Null)
                .unwrap()
                .output
        };
        assert_eq!(out(&s), out(&w));
    }
}
