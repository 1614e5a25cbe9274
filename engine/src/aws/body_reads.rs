//! What a template reads of the request body, worked out when it is compiled: the property
//! chains its literal `$input.path('…')` and `$input.json('…')` paths start with, so that a
//! render parses the body into only those parts (see [`crate::json::Selection`]).
//!
//! Conservative: any other use of `$input` (passed on, assigned, a path that is not a literal,
//! a method this module does not know), `#evaluate`, or any `$input` in the source that the
//! walk did not account for, and the whole body is built.

use std::sync::Arc;

use crate::compile::{CExpr, CExprKind, CNode, CPart, CRef, Const, MacroDef, RuntPiece};
use crate::json::Selection;

use super::jsonpath;

/// The selection of the body that `nodes` and `macros` (compiled from `source`) can read, or
/// `None` when they may read all of it.
pub(crate) fn selection<'m>(
    nodes: &[CNode],
    macros: impl IntoIterator<Item = &'m Arc<MacroDef>>,
    source: &str,
) -> Option<Arc<Selection>> {
    // The WebAssembly build parses whole bodies (see `json::parse_json_smart_selected`).
    if cfg!(target_arch = "wasm32") || source.contains("evaluate") || source.contains("\\u") {
        return None;
    }
    let mut reads = Reads {
        paths: Vec::new(),
        accepted: 0,
        whole: false,
    };
    reads.nodes(nodes);
    for m in macros {
        reads.nodes(&m.body);
    }
    // Every `$input` of the source must be one the walk accepted.
    if reads.whole || written_references(source) != reads.accepted {
        return None;
    }
    let paths: Vec<_> = reads
        .paths
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
    for (i, _) in source.match_indices("input") {
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

struct Reads<'p> {
    /// The literal paths of `$input.path`/`$input.json`.
    paths: Vec<&'p str>,
    /// The references to `$input` accounted for.
    accepted: usize,
    /// Some use may read anything.
    whole: bool,
}

impl<'p> Reads<'p> {
    fn nodes(&mut self, nodes: &'p [CNode]) {
        for n in nodes {
            match n {
                CNode::Print(r) => self.reference(r),
                CNode::Set(s) => {
                    self.reference(&s.target);
                    self.expr(&s.value);
                }
                CNode::If(i) => {
                    for (c, b) in &i.branches {
                        self.expr(c);
                        self.nodes(b);
                    }
                    if let Some(b) = &i.otherwise {
                        self.nodes(b);
                    }
                }
                CNode::Foreach(f) => {
                    self.expr(&f.iterable);
                    self.nodes(&f.body);
                }
                CNode::MacroCall(m) => {
                    m.args.iter().for_each(|a| self.expr(a));
                    if let Some(b) = &m.body {
                        self.nodes(b);
                    }
                }
                CNode::Define(r, b, _) => {
                    self.reference(r);
                    self.nodes(b);
                }
                CNode::Evaluate(..) => self.whole = true,
                CNode::Break(Some(e), _) => self.expr(e),
                CNode::Include(a, _) | CNode::Parse(a, _) => a.iter().for_each(|e| self.expr(e)),
                CNode::Text(..)
                | CNode::Break(None, _)
                | CNode::Literal(..)
                | CNode::Stop
                | CNode::Fail(..) => {}
            }
        }
    }

    fn expr(&mut self, e: &'p CExpr) {
        match &e.kind {
            CExprKind::Ref(r) => self.reference(r),
            CExprKind::Interpolated(n) => self.nodes(n),
            CExprKind::List(items) => items.iter().for_each(|i| self.expr(i)),
            CExprKind::Map(entries) => entries.iter().for_each(|(k, v)| {
                self.expr(k);
                self.expr(v);
            }),
            CExprKind::Range(a, b) | CExprKind::Binary(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            CExprKind::Not(a) => self.expr(a),
            CExprKind::Const(_) | CExprKind::Word(_) => {}
        }
    }

    fn reference(&mut self, r: &'p CRef) {
        if &*r.root.text == "input" {
            match r.parts.first() {
                Some(CPart::Method(m, args, _)) if &**m == "path" || &**m == "json" => {
                    match &args[..] {
                        [CExpr {
                            kind: CExprKind::Const(Const::Str(p)),
                            ..
                        }] => {
                            self.paths.push(&**p);
                            self.accepted += 1;
                        }
                        _ => self.whole = true,
                    }
                }
                Some(CPart::Method(m, _, _)) if &**m == "params" || &**m == "getBody" => {
                    self.accepted += 1;
                }
                Some(CPart::Property(name, _)) if &*name.text == "body" => self.accepted += 1,
                _ => self.whole = true,
            }
        }
        for p in &r.parts {
            match p {
                CPart::Method(_, args, _) => args.iter().for_each(|a| self.expr(a)),
                CPart::Index(e, _) => self.expr(e),
                CPart::Property(..) => {}
            }
        }
        for piece in &r.runt {
            match piece {
                RuntPiece::Ref(r) => self.reference(r),
                RuntPiece::Quoted(n) => self.nodes(n),
                RuntPiece::Text(_) => {}
            }
        }
    }
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
