//! The public entry points: an [`Engine`] compiles a template's text (tokens → syntax tree →
//! program, with `compile.rs` and, for a request body, `aws/body_reads.rs`) into a
//! [`Template`], which renders (`render.rs`) with variables ([`Vars`]) or an API Gateway
//! [`Request`] into a [`Rendered`] output.

use std::sync::Arc;

use crate::aws::Request;
use crate::error::{Error, ErrorKind};
use crate::limits::{Limits, Profile};
use crate::render::Warning;
use crate::value::{self, Value};
use crate::{aws, budget, compile, cycles, ext, render};

/// Compiles templates for one profile and set of limits.
#[derive(Clone, Debug)]
pub struct Engine {
    profile: Profile,
    limits: Limits,
    extensions: bool,
}

impl Engine {
    /// An engine for `profile` with that profile's default limits.
    pub fn new(profile: Profile) -> Engine {
        Engine {
            profile,
            limits: Limits::for_profile(profile),
            extensions: false,
        }
    }

    /// Turns this project's extensions (`$vtl`: XML and JSON helpers) on or off. They are
    /// off by default: API Gateway has nothing like them.
    pub fn with_extensions(mut self, on: bool) -> Engine {
        self.extensions = on;
        self
    }

    /// Whether extensions are on.
    pub fn extensions(&self) -> bool {
        self.extensions
    }

    /// Replaces the limits.
    pub fn with_limits(mut self, limits: Limits) -> Engine {
        self.limits = limits;
        self
    }

    /// The profile.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Parses and compiles a template.
    pub fn compile(&self, source: &str) -> Result<Template, Error> {
        if let Some(max) = self.limits.max_template_size {
            if source.len() > max {
                return Err(Error::at(
                    ErrorKind::Limit,
                    format!(
                        "the template is {} bytes; API Gateway accepts at most {} bytes",
                        source.len(),
                        max
                    ),
                    source,
                    max..source.len(),
                ));
            }
        }
        let _budget = budget::install(u64::MAX, self.limits.max_memory, self.limits.max_stack);
        let options = self.limits.parse_options();
        let nodes = vtl_grammar::parse(source, options).map_err(|e| parse_error(source, e))?;
        let mut program = compile::compile(nodes, source, self.profile)?;
        program.body_selection = aws::body_reads::selection(
            &program.nodes,
            program.macros.values(),
            source,
            &program.mentions,
        );
        let static_output = static_text(&program, &self.limits);
        Ok(Template {
            source: Arc::from(source),
            static_output,
            program: Arc::new(program),
            profile: self.profile,
            limits: self.limits,
            extensions: self.extensions,
        })
    }
}

/// The output of a program that is only text (no reference, no directive, no macro), which
/// every render gives; `None` when it has anything else or its text cannot be rendered within
/// `limits`.
fn static_text(program: &compile::Program, limits: &Limits) -> Option<Arc<str>> {
    if !program.macros.is_empty() || program.nodes.len() as u64 > limits.fuel {
        return None;
    }
    let mut text = String::new();
    for node in &program.nodes {
        match node {
            compile::CNode::Text(t, _) => text.push_str(t),
            _ => return None,
        }
    }
    (text.len() <= limits.max_output).then(|| Arc::from(text))
}

fn vars_to_globals(vars: &serde_json::Value) -> Result<render::Globals, Error> {
    let mut globals = render::Globals::default();
    match vars {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                globals.insert(Arc::from(k.as_str()), Value::from_json(v));
            }
        }
        serde_json::Value::Null => {}
        _ => {
            return Err(Error::new(
                ErrorKind::Input,
                "template variables must be a JSON object",
            ))
        }
    }
    Ok(globals)
}

fn parse_error(source: &str, e: vtl_grammar::ParseError) -> Error {
    let kind = match e.kind {
        vtl_grammar::ParseErrorKind::Limit => ErrorKind::Limit,
        vtl_grammar::ParseErrorKind::Directive => ErrorKind::Directive,
        _ => ErrorKind::Syntax,
    };
    let mut err = Error::at(kind, e.message, source, e.span);
    if let Some(open) = e.opened_at {
        err = err
            .with_opened_at(source, open)
            .with_hint("every #if, #foreach, #macro and #define needs a matching #end");
    }
    err
}

/// Template variables converted once, to render many times on one thread.
///
/// Converting JSON into template values costs time; a caller that renders with the same
/// variables repeatedly can convert them once. Values are shared between renders as Java
/// objects are: a template that changes a list (`$list.add(…)`) changes it for later renders.
/// A cycle a template ties inside them (`$m.put("me", $m)`) is freed when the `Vars` are
/// dropped (if the caller holds none of its values).
#[derive(Default)]
pub struct Vars(render::Globals);

impl Drop for Vars {
    fn drop(&mut self) {
        // Cycles made inside these variables by earlier renders are garbage now.
        self.0.clear();
        cycles::collect();
    }
}

impl Vars {
    /// No variables.
    pub fn new() -> Vars {
        Vars::default()
    }

    /// Converts a JSON object (or null) into variables.
    pub fn from_json(vars: &serde_json::Value) -> Result<Vars, Error> {
        vars_to_globals(vars).map(Vars)
    }

    /// Sets one variable.
    pub fn insert(&mut self, name: &str, value: Value) {
        self.0.insert(Arc::from(name), value);
    }
}

/// A compiled template. Cheap to clone, `Send + Sync`, renders any number of times.
#[derive(Clone, Debug)]
pub struct Template {
    source: Arc<str>,
    static_output: Option<Arc<str>>,
    pub(crate) program: Arc<compile::Program>,
    profile: Profile,
    limits: Limits,
    extensions: bool,
}

/// The result of a render.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// The rendered text.
    pub output: String,
    /// Things worth knowing that did not stop the render (undefined references, …).
    pub warnings: Vec<Warning>,
    /// `$context.requestOverride` after the render (with a request only).
    pub request_override: Option<serde_json::Value>,
    /// `$context.responseOverride` after the render (with a request only).
    pub response_override: Option<serde_json::Value>,
}

impl Template {
    /// The template text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The profile it was compiled for.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The output of a template that is only text (no reference, no directive): what every
    /// render of it gives, with no warning and `$context` untouched, so that a caller may
    /// skip the render. `None` for any other template.
    pub fn static_output(&self) -> Option<&str> {
        self.static_output.as_deref()
    }

    /// Renders with `vars` (a JSON object) as the template's variables.
    pub fn render(&self, vars: &serde_json::Value) -> Result<String, Error> {
        self.render_full(vars).map(|r| r.output)
    }

    /// Like [`Template::render`], also returning warnings.
    pub fn render_full(&self, vars: &serde_json::Value) -> Result<Rendered, Error> {
        let globals = vars_to_globals(vars)?;
        self.render_globals(globals, None)
    }

    /// Renders with variables converted beforehand (see [`Vars`]).
    pub fn render_vars(&self, vars: &Vars) -> Result<Rendered, Error> {
        self.render_globals(vars.0.clone(), None)
    }

    /// Like [`Template::render_request`], with variables converted beforehand.
    pub fn render_request_vars(&self, request: &Request, vars: &Vars) -> Result<Rendered, Error> {
        self.render_globals(vars.0.clone(), Some(request))
    }

    /// Renders for an API Gateway request: `$input`, `$util`, `$context` and
    /// `$stageVariables` come from `request`; `vars` (a JSON object, or null) adds variables.
    /// The result carries the final `requestOverride` and `responseOverride`.
    pub fn render_request(
        &self,
        request: &Request,
        vars: &serde_json::Value,
    ) -> Result<Rendered, Error> {
        self.render_globals(vars_to_globals(vars)?, Some(request))
    }

    fn render_globals(
        &self,
        mut globals: render::Globals,
        request: Option<&Request>,
    ) -> Result<Rendered, Error> {
        // Declared first, so dropped last: after the renderer and its variables are gone,
        // the cycles the render tied that nothing else holds are freed.
        let _cycles = cycles::AtRenderEnd;
        if self.extensions {
            globals.insert(
                Arc::from("vtl"),
                Value::Object(std::rc::Rc::new(ext::Extensions)),
            );
        }
        if let Some(request) = request {
            // The host objects win over variables of the same name.
            for (name, value) in aws::host_variables(
                request,
                self.extensions,
                self.program.body_selection.clone(),
            ) {
                globals.insert(name, value);
            }
            for lazy in render::LAZY_HOST_NAMES {
                globals.swap_remove(lazy);
            }
        }
        let mut r = render::Renderer::new(
            self.profile,
            self.limits,
            self.source.clone(),
            &self.program,
            globals,
            request,
        );
        r.render_nodes(&self.program.nodes)?;
        self.program.note_output(r.out.len());
        let (request_override, response_override) = match (request, r.context()) {
            (_, Some(Value::Map(m))) => {
                let entries = m.entries.borrow();
                let get = |k: &str| entries.get(&value::Key::from(k)).map(Value::to_json);
                (get("requestOverride"), get("responseOverride"))
            }
            (Some(request), _) => {
                let (req, resp) = aws::context::initial_overrides(request);
                (Some(req), Some(resp))
            }
            (None, _) => (None, None),
        };
        // Converting the overrides is charged too (a value may share itself exponentially).
        r.check_budget_after()?;
        let mut output = std::mem::take(&mut r.out);
        // Room set aside for a longer output than this one is not handed to the caller.
        if output.capacity() - output.len() > output.len().max(64 * 1024) {
            output.shrink_to_fit();
        }
        Ok(Rendered {
            output,
            warnings: std::mem::take(&mut r.warnings),
            request_override,
            response_override,
        })
    }

    /// The root names of every reference in the template, with their byte ranges.
    pub fn referenced_names(&self) -> Vec<(String, std::ops::Range<usize>)> {
        let mut out = Vec::new();
        compile::collect_roots(&self.program.nodes, &mut out);
        out.into_iter()
            .map(|(n, s)| (n.to_string(), s.start..s.end))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn template_is_send_and_sync() {
        assert_send_sync::<Template>();
        assert_send_sync::<Engine>();
    }

    /// A render sets aside as much room for its output as the last one wrote (up to 1 MiB and
    /// `max_output`), and hands back no more than it needs of a larger room.
    #[test]
    fn the_output_room_follows_the_last_render() {
        let t = Engine::new(Profile::Velocity)
            .compile("#foreach($i in [1..$n])xxxxxxxxxx#end")
            .unwrap();
        let (source_len, max) = (t.source().len(), t.limits.max_output);
        assert_eq!(t.program.output_room(source_len, max), source_len);
        let long = t.render(&serde_json::json!({"n": 20_000})).unwrap();
        assert_eq!(long.len(), 200_000);
        assert_eq!(t.program.output_room(source_len, max), 200_000);
        assert_eq!(t.program.output_room(source_len, 1_000), 1_000);
        let short = t.render_full(&serde_json::json!({"n": 1})).unwrap().output;
        assert_eq!(short, "xxxxxxxxxx");
        assert!(
            short.capacity() <= 64 * 1024 + short.len(),
            "{}",
            short.capacity()
        );
        assert_eq!(t.program.output_room(source_len, max), source_len);
        // A length within half of the noted one leaves it as it is.
        t.program.note_output(300_000);
        t.program.note_output(200_000);
        assert_eq!(t.program.output_room(source_len, max), 300_000);
        t.program.note_output(50 << 20);
        assert_eq!(t.program.output_room(source_len, max), 1 << 20);
    }

    #[test]
    fn static_output_is_what_a_render_gives() {
        let engine = Engine::new(Profile::Aws);
        let request = Request::with_body("{}");
        for source in [
            r#"{"statusCode": 200}"#,
            "",
            "a\nb ## a comment\n#* block *#c",
            "price: 5 \\ # not a directive",
        ] {
            let t = engine.compile(source).unwrap();
            let rendered = t
                .render_request(&request, &serde_json::Value::Null)
                .unwrap();
            assert_eq!(
                t.static_output(),
                Some(rendered.output.as_str()),
                "{source:?}"
            );
            assert!(rendered.warnings.is_empty());
        }
        for source in [
            "$x",
            "#set($a = 1)",
            "a $input.body b",
            "#if(true)x#end",
            "\\$x",
        ] {
            assert_eq!(
                engine.compile(source).unwrap().static_output(),
                None,
                "{source:?}"
            );
        }
    }
}
