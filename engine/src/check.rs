//! The linter behind `vtl check` and the playground: problems found without rendering.
//!
//! It reports what API Gateway would reject (syntax errors, `#include`/`#parse`, templates
//! over 300 KB), what silently does nothing there (unknown `$util`/`$input` methods), what is
//! not portable (this project's `$vtl` extensions), and known traps (`escapeJavaScript`
//! turning `'` into `\'`, which is not valid inside JSON strings).

use vtl_grammar::ast::{Expr, ExprKind, Node, RefPart, Reference};

use crate::error::ErrorKind;
use crate::error::{Error, Location};
use crate::limits::Profile;
use crate::template::Engine;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing.
    Warning,
    /// The template fails (on API Gateway, or in this profile).
    Error,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious.
    pub severity: Severity,
    /// A stable code (`syntax`, `unknown-util`, …).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// Where.
    pub location: Option<Location>,
    /// How to fix it, if there is an obvious way.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// `{severity, code, message, line, column, start, end, hint}`.
    pub fn to_json(&self) -> serde_json::Value {
        let loc = self.location.as_ref();
        serde_json::json!({
            "severity": match self.severity { Severity::Error => "error", Severity::Warning => "warning" },
            "code": self.code,
            "message": self.message,
            "line": loc.map(|l| l.line),
            "column": loc.map(|l| l.column),
            "start": loc.map(|l| l.span.start),
            "end": loc.map(|l| l.span.end),
            "hint": self.hint,
        })
    }

    fn from_error(e: &Error) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code: e.kind().name(),
            message: e.message().to_string(),
            location: e.location().cloned(),
            hint: e.hint().map(str::to_string),
        }
    }
}

/// `$util` functions API Gateway provides.
pub const AWS_UTIL_FUNCTIONS: &[&str] = &[
    "escapeJavaScript",
    "parseJson",
    "urlEncode",
    "urlDecode",
    "base64Encode",
    "base64Decode",
];

/// `$input` members API Gateway provides.
pub const AWS_INPUT_MEMBERS: &[&str] = &["body", "json", "path", "params"];

/// Checks a template without rendering it. Errors come first, then warnings, in source order.
///
/// ```
/// use vtl::{check, Engine, Profile, Severity};
///
/// let found = check(&Engine::new(Profile::Aws), "$util.escapeJavascript($input.body)#end");
/// assert_eq!(found[0].severity, Severity::Error);
/// assert_eq!(found[0].location.as_ref().map(|l| l.column), Some(36));
/// ```
pub fn check(engine: &Engine, source: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Err(e) = engine.compile(source) {
        out.push(Diagnostic::from_error(&e));
    }
    // Lint what parses, even when compiling failed for another reason (e.g. #include).
    let options = engine.limits().parse_options();
    if let Ok(nodes) = vtl_grammar::parse(source, options) {
        // The lint walks are bounded by the engine's stack limit, like a render.
        let _stack = crate::budget::install(u64::MAX, usize::MAX, engine.limits().max_stack);
        let mut lint = Lint {
            source,
            profile: engine.profile(),
            extensions: engine.extensions(),
            out: &mut out,
        };
        lint.nodes(&nodes);
        if crate::budget::tripped().is_some() {
            out.push(Diagnostic::from_error(&Error::at(
                ErrorKind::Limit,
                "the template is nested too deeply to check all of it".to_string(),
                source,
                0..0,
            )));
        }
    }
    out.sort_by_key(|d| {
        (
            std::cmp::Reverse(d.severity),
            d.location.as_ref().map_or(0, |l| l.span.start),
        )
    });
    out.dedup();
    out
}

struct Lint<'a> {
    source: &'a str,
    profile: Profile,
    extensions: bool,
    out: &'a mut Vec<Diagnostic>,
}

impl Lint<'_> {
    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        message: String,
        span: vtl_grammar::ast::Span,
        hint: Option<&str>,
    ) {
        self.out.push(Diagnostic {
            severity,
            code,
            message,
            location: Some(Location::resolve(self.source, span.start..span.end)),
            hint: hint.map(str::to_string),
        });
    }

    fn nodes(&mut self, nodes: &[Node]) {
        if !crate::budget::stack_ok() {
            return;
        }
        for n in nodes {
            match n {
                Node::Text(..) | Node::Stop(_) => {}
                Node::Reference(r) => self.reference(r),
                Node::Set(s) => {
                    self.reference(&s.target);
                    self.expr(&s.value);
                }
                Node::If(i) => {
                    for (c, b) in &i.branches {
                        self.absent_is_true(c);
                        self.expr(c);
                        self.nodes(b);
                    }
                    if let Some(b) = &i.otherwise {
                        self.nodes(b);
                    }
                }
                Node::Directive(d) => {
                    for a in &d.args {
                        self.expr(a);
                    }
                    if let Some(b) = &d.body {
                        self.nodes(b);
                    }
                }
            }
        }
    }

    /// `#if($order.coupon)`: on API Gateway an absent value is `""`, which is not null, so the
    /// test is true whether or not the value is there.
    fn absent_is_true(&mut self, cond: &Expr) {
        let ExprKind::Ref(r) = &cond.kind else { return };
        if self.profile != Profile::Aws || r.root == "foreach" || r.root == "velocityHasNext" {
            return;
        }
        // A plain variable is usually a flag set in the template; a boolean property
        // (`$x.empty`, `$it.hasNext`) or a method call is a real test.
        match r.parts.last() {
            Some(RefPart::Property(name, _))
                if !matches!(name.as_str(), "empty" | "hasNext" | "first" | "last")
                    && !name.starts_with("is")
                    && !name.starts_with("has") => {}
            _ => return,
        }
        let text = &self.source[r.span.start..r.span.end];
        let quiet = text.replacen("$!", "$", 1).replacen('$', "$!", 1);
        self.push(
            Severity::Warning,
            "absent-is-true",
            format!("#if({text}) is true on API Gateway also when the value is absent (it is then \"\", not null)"),
            r.span,
            Some(&format!("test #if(\"{quiet}\" != \"\") instead")),
        );
    }

    fn expr(&mut self, e: &Expr) {
        if !crate::budget::stack_ok() {
            return;
        }
        match &e.kind {
            ExprKind::Ref(r) => self.reference(r),
            ExprKind::Str {
                template: Some(nodes),
                ..
            } => self.nodes(nodes),
            ExprKind::List(items) => items.iter().for_each(|i| self.expr(i)),
            ExprKind::Map(entries) => entries.iter().for_each(|(k, v)| {
                self.expr(k);
                self.expr(v);
            }),
            ExprKind::Range(a, b) | ExprKind::Binary(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::Not(a) => self.expr(a),
            _ => {}
        }
    }

    fn reference(&mut self, r: &Reference) {
        if !crate::budget::stack_ok() {
            return;
        }
        for p in &r.parts {
            match p {
                RefPart::Method(_, args, _) => args.iter().for_each(|a| self.expr(a)),
                RefPart::Index(e, _) => self.expr(e),
                RefPart::Property(..) => {}
            }
        }
        let first = r.parts.first();
        let first_name = first.map(|p| match p {
            RefPart::Property(n, s) | RefPart::Method(n, _, s) => (n.as_str(), *s),
            RefPart::Index(_, s) => ("", *s),
        });
        match (r.root.as_str(), first_name) {
            ("util", Some((name, span))) if self.profile == Profile::Aws => {
                if !AWS_UTIL_FUNCTIONS.contains(&name) {
                    self.push(
                        Severity::Warning,
                        "unknown-util",
                        format!("$util.{name} does not exist on API Gateway; it renders as nothing"),
                        span,
                        Some("API Gateway's $util has escapeJavaScript, parseJson, urlEncode, urlDecode, base64Encode and base64Decode"),
                    );
                } else if name == "escapeJavaScript" && !followed_by_quote_fix(r) {
                    self.push(
                        Severity::Warning,
                        "escapejs-json",
                        "$util.escapeJavaScript turns ' into \\', which is not valid inside a JSON string".to_string(),
                        r.span,
                        Some("append .replaceAll(\"\\\\'\", \"'\") when the result goes into JSON"),
                    );
                }
            }
            ("input", Some((name, span)))
                if self.profile == Profile::Aws && !AWS_INPUT_MEMBERS.contains(&name) =>
            {
                self.push(
                    Severity::Warning,
                    "unknown-input",
                    format!("$input.{name} does not exist on API Gateway; it renders as nothing"),
                    span,
                    Some("$input has body, json(path), path(path) and params()/params(name)"),
                );
            }
            // Once per template: every further use would say the same.
            ("vtl", _) if self.out.iter().any(|d| d.code == "extension") => {}
            ("vtl", _) => {
                let (elsewhere, on) = match self.profile {
                    Profile::Aws => ("API Gateway", "on API Gateway"),
                    Profile::Velocity => ("Apache Velocity", "in Apache Velocity"),
                };
                let (severity, message) = if self.extensions {
                    (
                        Severity::Warning,
                        format!("$vtl is an extension of this tool; {elsewhere} does not have it"),
                    )
                } else {
                    (
                        Severity::Warning,
                        format!(
                            "$vtl is an extension of this tool and extensions are off; it is undefined here and {on}"
                        ),
                    )
                };
                self.push(
                    severity,
                    "extension",
                    message,
                    r.span,
                    Some("use it only for local tooling, or with a backend that runs this engine"),
                );
            }
            _ => {}
        }
    }
}

/// `$util.escapeJavaScript(x).replaceAll("\\'", "'")`: the documented fix is applied.
fn followed_by_quote_fix(r: &Reference) -> bool {
    r.parts.iter().skip(1).any(|p| {
        matches!(p, RefPart::Method(name, args, _)
            if (name == "replaceAll" || name == "replace")
                && args.first().is_some_and(|a| matches!(&a.kind, ExprKind::Str { text, .. } if text.contains('\''))))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(src: &str) -> Vec<&'static str> {
        check(&Engine::new(Profile::Aws), src)
            .into_iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn finds_aws_traps() {
        assert_eq!(codes("$util.toJson($x)"), ["unknown-util"]);
        assert_eq!(codes("$input.size()"), ["unknown-input"]);
        assert_eq!(codes("\"$util.escapeJavaScript($x)\""), ["escapejs-json"]);
        assert!(codes("$util.escapeJavaScript($x).replaceAll(\"\\\\'\", \"'\")").is_empty());
        assert_eq!(codes("#include('x')"), ["not_allowed"]);
        assert_eq!(codes("#if($a"), ["syntax"]);
        assert_eq!(codes("$vtl.toJson($a)"), ["extension"]);
        assert!(codes("$input.json('$')").is_empty());
    }

    #[test]
    fn diagnostics_carry_positions() {
        let d = &check(&Engine::new(Profile::Aws), "a\n  $util.nope()")[0];
        let loc = d.location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (2, 9));
        assert_eq!(d.to_json()["line"], 2);
    }

    #[test]
    fn if_on_a_value_that_may_be_absent() {
        let codes = |src: &str| -> Vec<&'static str> {
            check(&Engine::new(Profile::Aws), src)
                .iter()
                .map(|d| d.code)
                .collect()
        };
        assert_eq!(codes("#if($order.coupon)x#end"), ["absent-is-true"]);
        assert_eq!(
            codes("#if(\"$!order.coupon\" != \"\")x#end"),
            Vec::<&str>::new()
        );
        for fine in [
            "#if($flag)x#end",
            "#if($foreach.hasNext)x#end",
            "#if($a.isEmpty())x#end",
            "#if($a.empty)x#end",
        ] {
            assert_eq!(codes(fine), Vec::<&str>::new(), "{fine}");
        }
        assert!(check(&Engine::new(Profile::Velocity), "#if($o.c)x#end").is_empty());
    }
}
