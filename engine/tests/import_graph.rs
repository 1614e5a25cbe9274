//! The workspace's library crates import in layers: no file imports, directly or through
//! others, a file that imports it back, and the engine's files import only files of their
//! own layer or below (see `docs/architecture.md`).
//!
//! The check reads the source: each crate's module tree from its root (`lib.rs`, `main.rs`),
//! and in every file the paths it names (`use` trees, and `crate::…`, `super::…`, `self::…`
//! or child-module paths in code), each resolved to the file that defines the module it
//! reaches. Test modules (`#[cfg(test)]`) are left out: a test may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One file of a crate: its module path (`["aws", "jsonpath", "eval"]`), its text, and the
/// tokens of its code outside tests (read once).
#[derive(Debug)]
struct File {
    module: Vec<String>,
    text: String,
    toks: Vec<(Tok, usize)>,
}

/// A crate's files, by module path.
struct Crate {
    files: BTreeMap<Vec<String>, File>,
}

/// The source with comments, string and character literals blanked out (lengths and line
/// breaks kept, so positions still give line numbers).
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, c: u8| out.push(if c == b'\n' { b'\n' } else { b' ' });
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                out.push(b' ');
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
        } else if c == b'r'
            && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
            && (i == 0 || !is_ident(b[i - 1]))
        {
            // A raw string: r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let end = b[j + 1..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(b.len(), |p| j + 1 + p + close.len());
            for &x in &b[i..end] {
                blank(&mut out, x);
            }
            i = end;
        } else if c == b'"' {
            out.push(b' ');
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' && i + 1 < b.len() {
                    blank(&mut out, b[i]);
                    i += 1;
                }
                blank(&mut out, b[i]);
                i += 1;
            }
            out.push(b' ');
            i += 1;
        } else if c == b'\'' {
            // A character literal ('a', '\n', '\u{41}') or a lifetime ('a).
            let rest = &b[i + 1..];
            let len = if rest.first() == Some(&b'\\') {
                rest.iter().skip(1).position(|&x| x == b'\'').map(|p| p + 2)
            } else {
                let ch = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                (rest.get(ch) == Some(&b'\'')).then_some(ch)
            };
            match len {
                Some(n) => {
                    out.extend(std::iter::repeat_n(b' ', n + 2));
                    i += n + 2;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Sep,
    Open,
    Close,
    Comma,
    Semi,
    Star,
    Other(char),
}

/// The tokens of code (after [`code_only`]), each with its byte offset.
fn tokens(code: &str) -> Vec<(Tok, usize)> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if is_ident(c) || c >= 0x80 {
            let start = i;
            while i < b.len() && (is_ident(b[i]) || b[i] >= 0x80) {
                i += 1;
            }
            out.push((Tok::Ident(code[start..i].to_string()), start));
        } else if c == b':' && b.get(i + 1) == Some(&b':') {
            out.push((Tok::Sep, i));
            i += 2;
        } else {
            let t = match c {
                b'{' => Tok::Open,
                b'}' => Tok::Close,
                b',' => Tok::Comma,
                b';' => Tok::Semi,
                b'*' => Tok::Star,
                _ => Tok::Other(c as char),
            };
            out.push((t, i));
            i += 1;
        }
    }
    out
}

/// Removes the items under `#[cfg(test)]` (a `mod tests { … }` or `mod tests;`, or any
/// other item) from the token list.
fn without_tests(toks: Vec<(Tok, usize)>) -> Vec<(Tok, usize)> {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    let is = |i: usize, t: &Tok| toks.get(i).map(|(x, _)| x) == Some(t);
    while i < toks.len() {
        let cfg_test = is(i, &Tok::Other('#'))
            && is(i + 1, &Tok::Other('['))
            && is(i + 2, &Tok::Ident("cfg".into()))
            && is(i + 3, &Tok::Other('('))
            && is(i + 4, &Tok::Ident("test".into()))
            && is(i + 5, &Tok::Other(')'))
            && is(i + 6, &Tok::Other(']'));
        if !cfg_test {
            out.push(toks[i].clone());
            i += 1;
            continue;
        }
        // Skip the item: up to its `;` or its balanced `{ … }`.
        i += 7;
        let mut depth = 0;
        while i < toks.len() {
            match toks[i].0 {
                Tok::Open => depth += 1,
                Tok::Close => {
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                Tok::Semi if depth == 0 => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
    }
    out
}

/// The child modules a file declares (`mod x;`, not inline `mod x { … }`), each with the
/// file a `#[path = "…"]` attribute gives it (read from `text`, the original source).
fn declared_children(toks: &[(Tok, usize)], text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for (i, w) in toks.windows(3).enumerate() {
        if let [(Tok::Ident(m), _), (Tok::Ident(name), _), (Tok::Semi, _)] = w {
            if m != "mod" {
                continue;
            }
            // `# [ path = "…" ]` right before (`pub` may stand between).
            let mut j = i;
            if j > 0 && matches!(&toks[j - 1].0, Tok::Ident(p) if p == "pub") {
                j -= 1;
            }
            let path = (j >= 5
                && toks[j - 5].0 == Tok::Other('#')
                && toks[j - 4].0 == Tok::Other('[')
                && toks[j - 3].0 == Tok::Ident("path".into())
                && toks[j - 2].0 == Tok::Other('=')
                && toks[j - 1].0 == Tok::Other(']'))
            .then(|| {
                let literal = &text[toks[j - 2].1 + 1..toks[j - 1].1];
                literal.trim().trim_matches('"').to_string()
            });
            out.push((name.clone(), path));
        }
    }
    out
}

/// Reads a crate's module tree from its root file.
fn read_crate(root: &Path) -> Crate {
    let mut files = BTreeMap::new();
    let mut pending = vec![(Vec::<String>::new(), root.to_path_buf())];
    while let Some((module, path)) = pending.pop() {
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let toks = without_tests(tokens(&code_only(&text)));
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let dir = path.parent().unwrap_or(Path::new("."));
        let child_dir = if module.is_empty() || name == "mod" {
            dir.to_path_buf()
        } else {
            dir.join(name)
        };
        for (child, at) in declared_children(&toks, &text) {
            let flat = child_dir.join(format!("{child}.rs"));
            let nested = child_dir.join(&child).join("mod.rs");
            let file = match at {
                Some(p) => dir.join(p),
                None if flat.exists() => flat,
                None => nested,
            };
            let mut m = module.clone();
            m.push(child);
            pending.push((m, file));
        }
        files.insert(module.clone(), File { module, text, toks });
    }
    Crate { files }
}

/// An import from one file to another, with the line it is on.
#[derive(Debug, Clone)]
struct Edge {
    to: Vec<String>,
    line: usize,
    path: String,
}

/// The file that defines the module `path` reaches: its longest prefix that is a file.
fn resolve(krate: &Crate, path: &[String]) -> Vec<String> {
    let mut p = path.to_vec();
    while !p.is_empty() && !krate.files.contains_key(&p) {
        p.pop();
    }
    p
}

/// The paths a file names, made absolute (from the crate root), with their offsets.
fn named_paths(file: &File) -> Vec<(Vec<String>, usize)> {
    let toks = &file.toks;
    let children: Vec<String> = declared_children(toks, &file.text)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    // Where `super` points: the parent module.
    let parent: Vec<String> = file.module[..file.module.len().saturating_sub(1)].to_vec();
    let absolute = |segs: &[String]| -> Option<Vec<String>> {
        let first = segs.first()?;
        let mut base = match first.as_str() {
            "crate" => Vec::new(),
            "self" => file.module.clone(),
            "super" => parent.clone(),
            name if children.iter().any(|c| c == name) => {
                let mut m = file.module.clone();
                m.push(name.to_string());
                return Some(m.into_iter().chain(segs[1..].iter().cloned()).collect());
            }
            _ => return None,
        };
        let mut rest = &segs[1..];
        while rest.first().map(String::as_str) == Some("super") {
            base.pop();
            rest = &rest[1..];
        }
        base.extend(rest.iter().cloned());
        Some(base)
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].0 {
            Tok::Ident(u) if u == "use" => {
                // A use tree, up to its `;`.
                let start = i + 1;
                let mut end = start;
                while end < toks.len() && toks[end].0 != Tok::Semi {
                    end += 1;
                }
                let mut leaves = Vec::new();
                use_tree(&toks[start..end], &mut Vec::new(), &mut leaves);
                for (segs, at) in leaves {
                    if let Some(p) = absolute(&segs) {
                        out.push((p, at));
                    }
                }
                i = end + 1;
            }
            Tok::Ident(first) => {
                let preceded_by_sep = i > 0 && toks[i - 1].0 == Tok::Sep;
                let starts = first == "crate"
                    || first == "super"
                    || first == "self"
                    || children.iter().any(|c| c == first);
                if preceded_by_sep || !starts || toks.get(i + 1).map(|t| &t.0) != Some(&Tok::Sep) {
                    i += 1;
                    continue;
                }
                let at = toks[i].1;
                let mut segs = vec![first.clone()];
                let mut j = i + 1;
                while toks.get(j).map(|t| &t.0) == Some(&Tok::Sep) {
                    match toks.get(j + 1).map(|t| &t.0) {
                        Some(Tok::Ident(s)) => {
                            segs.push(s.clone());
                            j += 2;
                        }
                        _ => break,
                    }
                }
                if let Some(p) = absolute(&segs) {
                    out.push((p, at));
                }
                i = j;
            }
            _ => i += 1,
        }
    }
    out
}

/// Collects the leaves of a use tree (`a::{b, c::{d, e}}`, `a::*`, `a as b`).
fn use_tree(toks: &[(Tok, usize)], prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, usize)>) {
    let mut i = 0;
    let depth0 = prefix.len();
    let at = toks.first().map_or(0, |t| t.1);
    while i < toks.len() {
        match &toks[i].0 {
            Tok::Ident(s) if s == "as" => {
                i += 2;
            }
            Tok::Ident(s) if s == "pub" => i += 1,
            Tok::Ident(s) => {
                if s == "self" && !prefix.is_empty() {
                    // `a::{self, …}` names `a` itself.
                } else {
                    prefix.push(s.clone());
                }
                i += 1;
            }
            Tok::Sep | Tok::Star => i += 1,
            Tok::Open => {
                // A group: split its items at top-level commas.
                let mut depth = 0;
                let mut start = i + 1;
                let mut j = i;
                while j < toks.len() {
                    match toks[j].0 {
                        Tok::Open => depth += 1,
                        Tok::Close => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        Tok::Comma if depth == 1 => {
                            let mut p = prefix.clone();
                            use_tree(&toks[start..j], &mut p, out);
                            start = j + 1;
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let mut p = prefix.clone();
                use_tree(&toks[start..j.min(toks.len())], &mut p, out);
                prefix.truncate(depth0);
                return;
            }
            _ => i += 1,
        }
    }
    if prefix.len() > depth0 || depth0 > 0 {
        out.push((prefix.clone(), at));
    }
}

/// Each file's imports of other files of the crate.
fn edges(krate: &Crate) -> BTreeMap<Vec<String>, Vec<Edge>> {
    let mut all = BTreeMap::new();
    for (module, file) in &krate.files {
        let mut list: Vec<Edge> = Vec::new();
        for (path, at) in named_paths(file) {
            let to = resolve(krate, &path);
            if &to == module || list.iter().any(|e| e.to == to) {
                continue;
            }
            let line = file.text[..at.min(file.text.len())].matches('\n').count() + 1;
            list.push(Edge {
                to,
                line,
                path: path.join("::"),
            });
        }
        all.insert(module.clone(), list);
    }
    all
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "(crate root)".into()
    } else {
        module.join("::")
    }
}

/// The strongly connected components with more than one file (Tarjan's algorithm, with an
/// explicit stack).
fn circles(graph: &BTreeMap<Vec<String>, Vec<Edge>>) -> Vec<Vec<Vec<String>>> {
    let nodes: Vec<&Vec<String>> = graph.keys().collect();
    let index_of: BTreeMap<&Vec<String>, usize> =
        nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let succ: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            graph[*n]
                .iter()
                .filter_map(|e| index_of.get(&e.to).copied())
                .collect()
        })
        .collect();
    let n = nodes.len();
    let (mut index, mut low) = (vec![usize::MAX; n], vec![0; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut next, mut found) = (Vec::new(), 0, Vec::new());
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut k)) = work.last_mut() {
            if *k == 0 {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *k < succ[v].len() {
                let w = succ[v][*k];
                *k += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp.push(nodes[w].clone());
                    if w == v {
                        break;
                    }
                }
                if comp.len() > 1 {
                    comp.sort();
                    found.push(comp);
                }
            }
        }
    }
    found
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the engine sits in the workspace")
        .to_path_buf()
}

/// A report of each circle: its files and the imports between them.
fn describe(krate: &str, graph: &BTreeMap<Vec<String>, Vec<Edge>>) -> Vec<String> {
    let mut report = Vec::new();
    for comp in circles(graph) {
        let members: BTreeSet<&Vec<String>> = comp.iter().collect();
        let mut text = format!(
            "{krate}: files import each other in a circle: {}",
            comp.iter().map(|m| name(m)).collect::<Vec<_>>().join(", ")
        );
        for m in &comp {
            for e in &graph[m] {
                if members.contains(&e.to) {
                    text.push_str(&format!(
                        "\n    {} (line {}) imports {} ({})",
                        name(m),
                        e.line,
                        name(&e.to),
                        e.path
                    ));
                }
            }
        }
        report.push(text);
    }
    report
}

/// The crates whose files are checked, by folder, with their root file. Not (yet) the
/// gateway, whose stages all take the request's `Run` that its crate root defines beside the
/// `Api` that calls them, nor the grammar, whose tree-building actions (`parser.rs`) parse a
/// string's interpolation by calling the parsers that call them (`descent.rs`).
const CRATES: [(&str, &str); 4] = [
    ("engine", "src/lib.rs"),
    ("java-regex", "src/lib.rs"),
    ("tower", "src/lib.rs"),
    ("cli", "src/main.rs"),
];

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let mut report = Vec::new();
    let mut checked = 0;
    for (dir, root) in CRATES {
        let root = workspace().join(dir).join(root);
        if !root.exists() {
            continue;
        }
        let krate = read_crate(&root);
        checked += krate.files.len();
        report.extend(describe(dir, &edges(&krate)));
    }
    assert!(checked > 70, "only {checked} files were found");
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// The engine's layers, lowest first: a file may import files of its own layer or below.
/// A module path prefix names the files of a layer (the longest prefix decides).
const ENGINE_LAYERS: [(&str, &[&str]); 8] = [
    ("base", &["limits", "error", "budget", "fxhash", "java"]),
    ("values", &["value"]),
    (
        "Java library",
        &[
            "java::decimal",
            "java::hash",
            "java::string",
            "java::format",
            "java::math",
            "java::regex",
            "java::unicode",
        ],
    ),
    ("printing and JSON", &["print", "json", "xml", "cycles"]),
    ("compiler", &["compile"]),
    ("methods and host objects", &["methods", "aws", "ext"]),
    ("renderer", &["render"]),
    ("entry points", &["", "template", "check", "dump", "pretty"]),
];

fn layer_of(module: &[String]) -> Option<(usize, &'static str)> {
    let joined = module.join("::");
    let mut best: Option<(usize, usize, &'static str)> = None;
    for (rank, (layer, prefixes)) in ENGINE_LAYERS.iter().enumerate() {
        for p in prefixes.iter() {
            let hit = if p.is_empty() {
                module.is_empty()
            } else {
                joined == *p || joined.starts_with(&format!("{p}::"))
            };
            if hit && best.is_none_or(|(len, _, _)| p.len() > len) {
                best = Some((p.len(), rank, layer));
            }
        }
    }
    best.map(|(_, rank, layer)| (rank, layer))
}

#[test]
fn the_engine_imports_only_its_own_layer_or_below() {
    let krate = read_crate(&workspace().join("engine/src/lib.rs"));
    let graph = edges(&krate);
    let mut report = Vec::new();
    for (module, list) in &graph {
        let Some((rank, layer)) = layer_of(module) else {
            report.push(format!("{} is in no layer of ENGINE_LAYERS", name(module)));
            continue;
        };
        for e in list {
            let Some((to_rank, to_layer)) = layer_of(&e.to) else {
                continue;
            };
            if to_rank > rank {
                report.push(format!(
                    "{} ({layer}, line {}) imports {} ({to_layer}, a layer above): {}",
                    name(module),
                    e.line,
                    name(&e.to),
                    e.path
                ));
            }
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// The checker itself finds a circle, through `super`, a use group and a path in code, and
/// leaves test modules out.
#[test]
fn the_checker_sees_circles_and_skips_tests() {
    let dir = std::env::temp_dir().join(format!("vtl-import-graph-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a")).expect("temp dir");
    let write = |p: &str, s: &str| std::fs::write(dir.join(p), s).expect("write");
    write("lib.rs", "mod a;\nmod b;\nmod c;\npub use a::X;\n");
    write(
        "a/mod.rs",
        "mod inner;\nuse inner::Y; // \"crate::c\" in a comment\n",
    );
    write(
        "a/inner.rs",
        "pub struct Y;\nfn f() { super::super::b::g(); }\n",
    );
    write(
        "b.rs",
        "use crate::{a::{self}, c};\npub fn g() {}\n#[cfg(test)]\nmod tests { use crate::c; }\n",
    );
    write("c.rs", "fn h() { let _ = \"crate::b\"; let _ = 'x'; }\n");
    let krate = read_crate(&dir.join("lib.rs"));
    let graph = edges(&krate);
    let _ = std::fs::remove_dir_all(&dir);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let targets =
        |m: &[&str]| -> Vec<Vec<String>> { graph[&s(m)].iter().map(|e| e.to.clone()).collect() };
    assert_eq!(targets(&["a", "inner"]), vec![s(&["b"])]);
    assert_eq!(targets(&["b"]), vec![s(&["a"]), s(&["c"])]);
    assert!(targets(&["c"]).is_empty(), "strings are not paths");
    assert_eq!(targets(&["a"]), vec![s(&["a", "inner"])]);
    let found = circles(&graph);
    assert_eq!(found, vec![vec![s(&["a"]), s(&["a", "inner"]), s(&["b"])]]);
}
