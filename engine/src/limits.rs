//! The profiles (`aws`, `velocity`) and the resource bounds ([`Limits`]) of a compile or a
//! render: the bottom of the crate, imported by every stage and importing none.

/// Which engine behaviour to reproduce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// API Gateway (REST API) mapping templates: null and undefined evaluate to `""`,
    /// `$input`/`$util`/`$context`/`$stageVariables` exist, `#include`/`#parse` are rejected,
    /// `#foreach` stops after 1000 iterations, templates are at most 300 KB.
    #[default]
    Aws,
    /// Stock Apache Velocity 1.7 with its default configuration.
    Velocity,
}

impl Profile {
    /// The profile's name as the CLI spells it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Aws => "aws",
            Profile::Velocity => "velocity",
        }
    }
}

impl std::str::FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Profile, String> {
        match s {
            "aws" => Ok(Profile::Aws),
            "velocity" => Ok(Profile::Velocity),
            other => Err(format!(
                "unknown profile '{other}' (expected aws or velocity)"
            )),
        }
    }
}

/// What compiling one token may cost in memory (syntax tree, compiled program), in bytes.
const TOKEN_COST: usize = 256;

/// The default [`Limits::max_stack`]: 512 KiB in optimized builds (json-smart's 400 levels
/// of a request body need about 160 KiB; an expression of `max_expr_depth` levels fits).
/// Unoptimized (debug) builds use several times larger stack frames, so they get 1 MiB to
/// render the same templates; a debug build on a small thread should set a smaller limit.
pub const DEFAULT_MAX_STACK: usize = if cfg!(debug_assertions) {
    1024 * 1024
} else {
    512 * 1024
};

/// Resource bounds for one compile or render. The defaults suit untrusted templates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Work units one render may spend (roughly one per statement, loop step or call, plus one
    /// per 16 steps of regular-expression matching).
    pub fuel: u64,
    /// Largest output, in bytes.
    pub max_output: usize,
    /// Iterations of one `#foreach` before it stops (API Gateway: 1000; Velocity: none).
    pub max_foreach: Option<usize>,
    /// Deepest nesting of parentheses, blocks, `#evaluate` and `#define` rendering.
    pub max_depth: usize,
    /// Deepest macro call chain (Velocity's `velocimacro.max.depth`, 20).
    pub max_macro_depth: usize,
    /// Largest template, in bytes (API Gateway: 300 KB).
    pub max_template_size: Option<usize>,
    /// Most elements a range literal `[a..b]` may produce.
    pub max_range: usize,
    /// Deepest expression: operators in one chain (`1+1+…`, `!!…`) plus the brackets around
    /// them. Bounds the stack every walk of an expression needs.
    pub max_expr_depth: usize,
    /// Bytes of values (strings, list and map entries, big numbers, parsed JSON) one render
    /// may create, counted before each allocation as a running total that is not given back
    /// when a value is dropped. The output buffer is bounded by `max_output` instead.
    pub max_memory: usize,
    /// Bytes of machine stack a compile or render may use below its entry point. Deeper
    /// recursion (nesting, macro calls, `#evaluate`, deep values) ends in a limit error
    /// instead of overflowing the thread's stack; see the README for the stack a thread needs.
    pub max_stack: usize,
}

impl Limits {
    /// The parser's share of the limits.
    pub(crate) fn parse_options(&self) -> vtl_grammar::ParseOptions {
        vtl_grammar::ParseOptions {
            max_depth: self.max_depth,
            max_expr_depth: self.max_expr_depth,
            max_tokens: self.max_memory / TOKEN_COST,
        }
    }

    /// The defaults for a profile.
    pub fn for_profile(profile: Profile) -> Limits {
        let base = Limits {
            fuel: 50_000_000,
            max_output: 64 * 1024 * 1024,
            max_foreach: None,
            max_depth: 128,
            max_macro_depth: 20,
            max_template_size: None,
            max_range: 10_000_000,
            max_expr_depth: 256,
            max_memory: 256 * 1024 * 1024,
            max_stack: DEFAULT_MAX_STACK,
        };
        match profile {
            Profile::Velocity => base,
            Profile::Aws => Limits {
                max_foreach: Some(1000),
                max_template_size: Some(300 * 1024),
                max_output: 10 * 1024 * 1024,
                // A 10 MB body (API Gateway's largest) of small values parses into ~100 MiB.
                max_memory: 128 * 1024 * 1024,
                ..base
            },
        }
    }
}
