//! Hostile templates and inputs: each ends in one clean, located error, quickly, within the
//! memory budget, on a thread with a 256 KiB stack.
//!
//! The test binary counts the bytes each thread has allocated (an accounting allocator), so a
//! test can assert the peak a render reached. Times are asserted with a generous bound (the
//! machine may be loaded); the point is "ends", not speed. Run them optimized
//! (`cargo test --release -p vtl --test hostile -- --nocapture`) to see real times: each case
//! prints its time, peak memory and error.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

use vtl::{Engine, ErrorKind, Limits, Profile, Request, Value};

struct Counting;

thread_local! {
    static CURRENT: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn account(delta: isize) {
    let _ = CURRENT.try_with(|c| {
        let now = c.get() + delta;
        c.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

// SAFETY: forwards to the system allocator; the bookkeeping allocates nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        account(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        account(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        account(layout.size() as isize);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        account(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The stack every hostile render gets.
const STACK: usize = 256 * 1024;
/// "Well under a second", with room for a loaded machine; unoptimized builds run the same
/// work 10-30 times slower, so they get more room (the figures that matter come from
/// `cargo test --release`).
const TIME: Duration = Duration::from_secs(if cfg!(debug_assertions) { 150 } else { 5 });

struct Outcome {
    result: Result<String, vtl::Error>,
    time: Duration,
    peak: usize,
}

/// Compiles and renders `template` on a fresh 256 KiB thread; measures time and peak memory.
fn run_with(engine: Engine, template: String, request: Option<Request>) -> Outcome {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            PEAK.with(|p| p.set(CURRENT.with(Cell::get)));
            let base = CURRENT.with(Cell::get);
            let start = Instant::now();
            let result = engine.compile(&template).and_then(|t| match &request {
                Some(r) => t
                    .render_request(r, &serde_json::Value::Null)
                    .map(|r| r.output),
                None => t.render(&serde_json::Value::Null),
            });
            let time = start.elapsed();
            let peak = (PEAK.with(Cell::get) - base).max(0) as usize;
            Outcome { result, time, peak }
        })
        .expect("spawns")
        .join()
        .expect("the render thread does not panic or overflow")
}

/// The profile's limits, with the stack limit a 256 KiB thread needs (128 KiB; the default
/// in optimized builds).
fn limits(profile: Profile) -> Limits {
    Limits {
        max_stack: 128 * 1024,
        ..Limits::for_profile(profile)
    }
}

fn engine(profile: Profile) -> Engine {
    Engine::new(profile).with_limits(limits(profile))
}

fn run(profile: Profile, template: &str) -> Outcome {
    run_with(engine(profile), template.to_string(), None)
}

/// Asserts a limit error, the time bound, and that memory stayed within the budget (plus
/// the template and output, which the budget does not count).
fn assert_limit(o: &Outcome, limits: &Limits, what: &str) -> vtl::Error {
    let e = match &o.result {
        Err(e) => e.clone(),
        Ok(out) => panic!("{what}: rendered {} bytes instead of failing", out.len()),
    };
    assert_eq!(e.kind(), ErrorKind::Limit, "{what}: {e}");
    assert!(o.time < TIME, "{what}: took {:?}", o.time);
    // The output buffer may hold up to twice its length while it grows.
    let bound = limits.max_memory + 2 * limits.max_output + 16 * 1024 * 1024;
    assert!(o.peak < bound, "{what}: peak {} bytes", o.peak);
    // The pretty form never panics, whatever the column.
    let _ = format!("{e:#}");
    eprintln!("{what}: {:?}, peak {} KiB: {e}", o.time, o.peak / 1024);
    e
}

fn limit(profile: Profile, template: &str, what: &str) -> vtl::Error {
    let o = run(profile, template);
    assert_limit(&o, &limits(profile), what)
}

fn both(template: &str, what: &str) {
    for p in [Profile::Aws, Profile::Velocity] {
        limit(p, template, &format!("{what} ({})", p.name()));
    }
}

// ---- class 4: stack depth from flat-looking input ----

#[test]
fn long_operator_chains_are_refused_before_any_tree_is_built() {
    let plus = format!("#set($x = 1{})$x", "+1".repeat(8000));
    both(&plus, "8000 terms of +");
    let nots = format!("#if({}true)yes#end", "!".repeat(10_000));
    both(&nots, "10^4 !");
    let ands = format!("#if(true{})yes#end", " && true".repeat(10_000));
    both(&ands, "10^4 &&");
    let unclosed = format!("#set($x = 1{}", "+1".repeat(8000));
    both(&unclosed, "8000 terms, unclosed");
}

#[test]
fn long_operator_chains_in_evaluate_are_refused() {
    let inner = format!("#set($x = 1{})$x", "+1".repeat(8000));
    let t = format!("#set($t = '{inner}')#evaluate($t)");
    both(&t, "#evaluate of 8000 terms");
}

#[test]
fn operator_chains_within_the_limit_render() {
    let t = format!("#set($x = 1{})$x", "+1".repeat(100));
    let out = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            Engine::new(Profile::Velocity)
                .compile(&t)?
                .render(&serde_json::Value::Null)
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(out.expect("renders"), "101");
}

#[test]
fn check_survives_long_chains_on_a_small_stack() {
    let t = format!("#set($x = 1{})$x", "+1".repeat(8000));
    let diags = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || vtl::check(&engine(Profile::Velocity), &t))
        .unwrap()
        .join()
        .expect("check does not overflow");
    assert!(diags.iter().any(|d| d.code == "limit"), "{diags:?}");
}

#[test]
fn deep_nesting_of_every_kind_stays_on_a_small_stack() {
    let cases = [
        format!("{}1{}", "#set($x = [".repeat(200), "])".repeat(200)),
        format!("{}x{}", "#if(true)".repeat(200), "#end".repeat(200)),
        format!("#set($x = {}1{})", "(".repeat(300), ")".repeat(300)),
        format!("#set($x = {}1{})", "[".repeat(300), "]".repeat(300)),
        format!("#set($x = {}1{})", "{'a':".repeat(300), "}".repeat(300)),
        format!("$a{}", ".b($a".repeat(300) + &")".repeat(300)),
        "#macro(m $n)#m($n)#end#m(1)".to_string(),
        "#define($d)$d#end$d".to_string(),
        "#set($t = '#evaluate($t)')#evaluate($t)".to_string(),
    ];
    for t in cases {
        for p in [Profile::Aws, Profile::Velocity] {
            let o = run(p, &t);
            assert!(o.time < TIME, "{t:.60}: {:?}", o.time);
            if let Err(e) = &o.result {
                let _ = format!("{e:#}");
            }
        }
    }
}

// ---- class 5: errors on long lines ----

#[test]
fn size_error_on_a_one_line_template_formats() {
    let t = "x".repeat(400 * 1024);
    let e = limit(Profile::Aws, &t, "400 KB on one line");
    assert_eq!(e.line(), Some(1));
    assert!(e.column().unwrap() > 65_535);
    let pretty = format!("{e:#}");
    assert!(pretty.contains('^'), "{pretty:.300}");
}

// ---- class 1: memory ----

#[test]
fn growing_values_hit_the_memory_budget() {
    let cases = [
        ("string doubling with +", "#set($s = 'x')#foreach($i in [1..64])#set($s = $s + $s)#end$s.length()"),
        ("string doubling with concat", "#set($s = 'x')#foreach($i in [1..64])#set($s = $s.concat($s))#end$s.length()"),
        ("string doubling by interpolation", "#set($s = 'x')#foreach($i in [1..64])#set($s = \"$s$s\")#end$s.length()"),
        ("addAll of itself", "#set($l = [1])#foreach($i in [1..64])#set($_ = $l.addAll($l))#end$l.size()"),
        ("replace of the empty string", "#set($s = 'abcdefgh')#foreach($i in [1..20])#set($s = $s.replace('', $s))#end$s.length()"),
        ("replaceAll with a large replacement", "#set($r = 'x')#foreach($i in [1..22])#set($r = \"$r$r\")#end#set($s = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')$s.replaceAll('a', $r).length()"),
        ("kept ranges", "#set($l = [])#foreach($i in [1..1000])#set($_ = $l.add([1..1000000]))#end$l.size()"),
        ("split into characters", "#set($s = 'abcdefghijklmnop')#foreach($i in [1..22])#set($s = \"$s$s\")#end#set($l = [])#foreach($i in [1..100])#set($_ = $l.add($s.split('')))#end$l.size()"),
        ("map of strings", "#set($m = {})#set($s = 'x')#foreach($i in [1..20])#set($s = \"$s$s\")#end#foreach($i in [1..1000])#set($_ = $m.put($i, \"$s$i\"))#end$m.size()"),
        ("big numbers", "#set($b = 12345678901234567890)#set($b = $b.multiply($b).multiply($b))#foreach($i in [1..40])#set($b = $b.multiply($b))#end$b.bitLength()"),
    ];
    for (what, t) in cases {
        for p in [Profile::Aws, Profile::Velocity] {
            limit(p, t, &format!("{what} ({})", p.name()));
        }
    }
}

// ---- class 2: shared structure and cycles ----

const SHARED: &str = "#set($l = [1])#foreach($i in [1..40])#set($l = [$l, $l])#end";

#[test]
fn exponentially_shared_values_end_cleanly() {
    let uses = [
        ("printing", "$l"),
        ("toString", "#set($s = $l.toString())$s.length()"),
        ("hashCode", "$l.hashCode()"),
        ("string concatenation", "#set($s = \"$l\")$s.length()"),
    ];
    for (what, u) in uses {
        both(&format!("{SHARED}{u}"), what);
    }
}

#[test]
fn cycles_end_cleanly() {
    let t = "#set($a = [])#set($b = [])#set($_ = $a.add($b))#set($_ = $a.add($b))#set($_ = $b.add($a))#set($_ = $b.add($a))";
    for u in ["$a", "$a.hashCode()", "$a.toString().length()"] {
        both(&format!("{t}{u}"), &format!("cycle: {u}"));
    }
}

/// A payload of 80 KiB, so that a cycle that is not freed shows in the thread's allocations.
const PAYLOAD: &str = "#set($p = \"0123456789\")#foreach($i in [1..13])#set($p = \"$p$p\")#end";

/// Every way a template can tie a value into a cycle (each holds the payload).
const CYCLES: &[&str] = &[
    "#set($m = {\"p\": $p})#set($m.me = $m)",
    "#set($m = {\"p\": $p})#set($m[\"me\"] = $m)",
    "#set($l = [$p])#set($_ = $l.add($l))",
    "#set($l = [$p])#set($_ = $l.add(0, $l))",
    "#set($l = [$p, 0])#set($_ = $l.set(1, $l))",
    "#set($l = [$p, 0])#set($l[1] = $l)",
    // The list that carried the edge is emptied afterwards: the cycle is still found.
    "#set($l = [$p])#set($t = [$l])#set($_ = $l.addAll($t))#set($_ = $t.clear())",
    "#set($a = [$p])#set($b = {})#set($_ = $b.put(\"a\", $a))#set($_ = $a.add($b))",
    "#set($m = {\"p\": $p})#set($o = {\"m\": $m})#set($_ = $m.putAll($o))",
    "#set($m = {\"p\": 1})#set($_ = $m.putIfAbsent(\"q\", [$m, $p]))",
    "#set($m = {\"k\": $p})#foreach($e in $m.entrySet())#set($_ = $e.setValue([$e, $p]))#end",
    "#foreach($i in [1])#set($foreach.me = $foreach)#set($foreach.p = $p)#end",
    "#set($l = [$p])#set($it = $l.iterator())#set($_ = $l.add($it))",
];

/// Bytes the current thread holds now.
fn held() -> isize {
    CURRENT.with(Cell::get)
}

#[test]
fn cycles_a_render_ties_are_freed_when_it_ends() {
    for cycle in CYCLES {
        let template = format!("{PAYLOAD}{cycle}#if(true)ok#end");
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || {
                for p in [Profile::Aws, Profile::Velocity] {
                    let t = engine(p).compile(&template).expect("compiles");
                    // The first render fills per-thread caches.
                    assert_eq!(t.render(&serde_json::Value::Null).unwrap(), "ok");
                    let before = held();
                    for _ in 0..20 {
                        assert_eq!(t.render(&serde_json::Value::Null).unwrap(), "ok");
                    }
                    let grown = held() - before;
                    // Twenty lost payloads would be 1.6 MiB.
                    assert!(
                        grown < 64 * 1024,
                        "{template} ({}): {grown} bytes kept",
                        p.name()
                    );
                }
            })
            .expect("spawns")
            .join()
            .expect("the render thread does not panic");
    }
}

#[test]
fn cycles_in_the_callers_variables_stay_while_held_and_are_freed_with_them() {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(|| {
            let engine = engine(Profile::Aws);
            let tie = engine
                .compile(&format!(
                    "{PAYLOAD}#set($_ = $m.put(\"p\", $p))#set($m.me = $m)$m.size()"
                ))
                .unwrap();
            let read = engine.compile("$m.me.me.size() ${m.p.length()}").unwrap();
            let before = held();
            let mut vars = vtl::Vars::new();
            let map = Value::map(Default::default());
            let Value::Map(rc) = &map else { unreachable!() };
            let weak = std::rc::Rc::downgrade(rc);
            vars.insert("m", map.clone());
            assert_eq!(tie.render_vars(&vars).unwrap().output, "2");
            // The caller's map is held by the variables and by `map`: it is left whole.
            assert_eq!(read.render_vars(&vars).unwrap().output, "2 81920");
            drop(map);
            assert_eq!(read.render_vars(&vars).unwrap().output, "2 81920");
            assert!(weak.upgrade().is_some());
            // Once the caller lets go of everything, the cycle goes too.
            drop(vars);
            assert!(weak.upgrade().is_none(), "the cycle outlived its variables");
            let grown = held() - before;
            assert!(grown < 16 * 1024, "{grown} bytes kept");
        })
        .expect("spawns")
        .join()
        .expect("the render thread does not panic");
}

/// Java's `List.equals` compares elements with `equals`, which returns at once for the same
/// object: equality of shared or cyclic values that hold the same elements is quick and true.
#[test]
fn equality_of_shared_and_cyclic_values_is_quick() {
    let cycle = "#set($a = [])#set($b = [])#set($_ = $a.add($b))#set($_ = $a.add($b))#set($_ = $b.add($a))#set($_ = $b.add($a))";
    let cases = [
        // The first elements already differ one level down: false without a full walk.
        format!("{SHARED}#set($m = [$l])#if(!$m.contains([$l, $l]))true#end"),
        format!("{SHARED}#set($m = [[$l], [$l]])$m.get(0).equals($m.get(1))"),
        format!("{cycle}#set($c = [$a])$c.equals([$a])"),
        format!("{SHARED}#set($a = [$l])#set($b = [$l])#if($a == $b)true#end"),
    ];
    for t in cases {
        for p in [Profile::Aws, Profile::Velocity] {
            let o = run(p, &t);
            assert_eq!(o.result.as_deref().ok(), Some("true"), "{t}");
            assert!(o.time < TIME, "{t}: took {:?}", o.time);
        }
    }
}

#[test]
fn shared_values_in_overrides_end_cleanly() {
    let t = format!("{SHARED}#set($context.responseOverride.header.X = $l)done");
    let o = run_with(engine(Profile::Aws), t, Some(Request::default()));
    assert_limit(&o, &limits(Profile::Aws), "shared value in an override");
}

// ---- class 3: work charged to fuel ----

#[test]
fn costly_operations_use_fuel() {
    let big = "#set($s = 'abcdefghijklmnop')#foreach($i in [1..16])#set($s = \"$s$s\")#end";
    let cases = [
        ("contains on MB strings", format!("{big}#foreach($i in [1..100000])#if($s.contains('z'))#end#end")),
        ("indexOf on MB strings", format!("{big}#foreach($i in [1..100000])#set($n = $s.indexOf('z'))#end")),
        ("hashCode on MB strings", format!("{big}#foreach($i in [1..100000])#set($n = $s.hashCode())#end")),
        ("BigInteger multiply chain", "#set($b = 12345678901234567890)#set($b = $b.pow(10000))#foreach($i in [1..100000])#set($c = $b.multiply($b))#end".to_string()),
    ];
    for (what, t) in cases {
        limit(Profile::Velocity, &t, what);
    }
}

fn big_body() -> String {
    let item = r#"{"id":12345,"name":"abcdefghij","tags":["a","b","c"],"n":{"x":1,"y":[1,2,3]}}"#;
    let mut body = String::from("[");
    while body.len() < 10_000_000 {
        if body.len() > 1 {
            body.push(',');
        }
        body.push_str(item);
    }
    body.push(']');
    body
}

#[test]
fn jsonpath_over_a_big_body_uses_fuel() {
    let request = Request {
        body: big_body(),
        ..Request::default()
    };
    for (what, t) in [
        ("$..* 1000 times", "#foreach($i in [1..1000])#set($x = $input.path('$..*'))#end"),
        ("json('$') 1000 times", "#foreach($i in [1..1000])#set($x = $input.json('$'))#end"),
        ("regex filter", "#foreach($i in [1..1000])#set($x = $input.path(\"$[?(@.name =~ /a.*b.*c.*d.*z/)]\"))#end"),
    ] {
        let o = run_with(engine(Profile::Aws), t.to_string(), Some(request.clone()));
        assert_limit(&o, &limits(Profile::Aws), what);
    }
}

// ---- class 8: huge templates ----

#[test]
fn huge_templates_compile_within_the_memory_budget() {
    let t = "$a.b($c, 'd') text #if($x == 1)y#end\n".repeat(10 * 1024 * 1024 / 36);
    let o = run(Profile::Velocity, &t);
    assert_limit(&o, &limits(Profile::Velocity), "10 MB template (velocity)");
}

// ---- class 9: limit errors are located ----

#[test]
fn limit_errors_point_at_the_text_or_call() {
    let small = |p: Profile| Limits {
        max_output: 100,
        ..limits(p)
    };
    let t = "line one\n#foreach($i in [1..50])\nsome text that repeats\n#end";
    let e = run_with(
        engine(Profile::Velocity).with_limits(small(Profile::Velocity)),
        t.into(),
        None,
    )
    .result
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Limit);
    let loc = e.location().unwrap();
    assert!(
        t[loc.span.clone()].contains("some text that repeats"),
        "{e}"
    );
    assert_eq!(e.line(), Some(3), "{e}");
    let t = "#set($s = 'abcdefgh')\n  #set($s = $s.replace('', $s))#set($s = $s.replace('', $s))#set($s = $s.replace('', $s))#set($s = $s.replace('', $s))#set($s = $s.replace('', $s))";
    let e = limit(Profile::Aws, t, "replace");
    assert_eq!(e.line(), Some(2), "{e}");
    let loc = e.location().unwrap();
    let at = &t[loc.span.clone()];
    assert!(at.contains("replace(") && !at.contains("#set"), "{e}: {at}");
}

// ---- no panics: mutations of the conformance templates and requests ----

fn conformance_cases() -> Vec<(Profile, String, Option<String>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/cases");
    let mut out = Vec::new();
    for sub in ["aws", "velocity"] {
        let profile: Profile = sub.parse().unwrap();
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
            for case in doc["cases"].as_array().into_iter().flatten() {
                let template = case["template"].as_str().unwrap_or("").to_string();
                let body = case["request"]["body"].as_str().map(str::to_string);
                out.push((profile, template, body));
            }
        }
    }
    out
}

/// Applies edits (replace a range with a slice of another case, or with repeated text).
fn mutate(base: &str, donor: &str, edits: &[(usize, usize, usize, u8)]) -> String {
    let mut s = base.to_string();
    for &(at, len, from, times) in edits {
        let floor = |s: &str, mut i: usize| {
            i = i.min(s.len());
            while !s.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let a = floor(&s, at % (s.len() + 1));
        let b = floor(&s, a + len % 16);
        let d0 = floor(donor, from % (donor.len() + 1));
        let d1 = floor(donor, d0 + len % 24);
        let piece = donor[d0..d1].repeat(1 + (times % 4) as usize);
        s.replace_range(a..b.max(a), &piece);
    }
    s
}

mod mutations {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn cases() -> &'static [(Profile, String, Option<String>)] {
        static CASES: OnceLock<Vec<(Profile, String, Option<String>)>> = OnceLock::new();
        CASES.get_or_init(conformance_cases)
    }

    fn exercise(profile: Profile, template: String, body: String) {
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || {
                let limits = Limits {
                    fuel: 200_000,
                    ..limits(profile)
                };
                let engine = Engine::new(profile)
                    .with_limits(limits)
                    .with_extensions(true);
                let _ = vtl::check(&engine, &template);
                let _ = vtl::dump_tokens(&template);
                let _ = vtl::dump_ast(&template);
                match engine.compile(&template) {
                    Ok(t) => {
                        let request = Request {
                            body,
                            ..Request::default()
                        };
                        match t.render_request(&request, &serde_json::Value::Null) {
                            Ok(r) => {
                                let _ = vtl::pretty_json(&r.output);
                                let _ = vtl::pretty_xml(&r.output);
                            }
                            Err(e) => {
                                let _ = format!("{e:#}");
                            }
                        }
                    }
                    Err(e) => {
                        let _ = format!("{e:#} {}", e.to_json());
                    }
                }
            })
            .unwrap()
            .join()
            .expect("no panic or stack overflow");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn mutated_conformance_cases_never_panic(
            i in any::<usize>(),
            j in any::<usize>(),
            edits in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<usize>(), any::<u8>()), 0..6),
            body_edits in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<usize>(), any::<u8>()), 0..3),
        ) {
            let all = cases();
            let (profile, template, body) = &all[i % all.len()];
            let (_, donor, donor_body) = &all[j % all.len()];
            let t = mutate(template, donor, &edits);
            let body = body.clone().unwrap_or_default();
            let b = mutate(&body, donor_body.as_deref().unwrap_or("{[\"x\":1]}"), &body_edits);
            exercise(*profile, t, b);
        }

        #[test]
        fn random_bytes_never_panic_on_a_small_stack(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            exercise(Profile::Aws, text.clone(), text.clone());
            exercise(Profile::Velocity, text, String::new());
        }
    }
}

/// Numbers are written before they are measured: the output limit still holds for them.
#[test]
fn printed_numbers_respect_the_output_limit() {
    for p in [Profile::Aws, Profile::Velocity] {
        let engine = Engine::new(p).with_limits(Limits {
            max_output: 100,
            ..limits(p)
        });
        let o = run_with(engine, "#foreach($i in [1..1000])$i#end".to_string(), None);
        let e = o.result.expect_err("the output limit stops the render");
        assert_eq!(e.kind(), ErrorKind::Limit, "{e}");
    }
}

#[test]
fn ranges_written_in_foreach_are_not_built_so_long_loops_end_on_fuel() {
    // 10^9 iterations over three literal ranges: the memory budget (a running total) would
    // end this after some 10^4 inner lists if each were built; iterating the ranges lazily
    // leaves only the fuel to stop it, at the inner loop.
    let t =
        "#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])#end#end#end";
    for p in [Profile::Aws, Profile::Velocity] {
        let engine = Engine::new(p).with_limits(Limits {
            fuel: 10_000_000,
            ..limits(p)
        });
        let o = run_with(engine, t.to_string(), None);
        let e = assert_limit(&o, &limits(p), "nested literal ranges");
        assert!(e.to_string().contains("fuel"), "{e}");
    }
    // A range iterated in place gives what the same range built as a list gives.
    for (a, b) in [("3", "1"), ("-1", "1"), ("1", "$nope"), ("2", "2")] {
        let body = "$i:$velocityCount:$foreach.index:$foreach.hasNext,";
        let lazy = format!("#foreach($i in [{a}..{b}]){body}#end");
        let built = format!("#set($r = [{a}..{b}])#foreach($i in $r){body}#end");
        for p in [Profile::Aws, Profile::Velocity] {
            let render = |t: &str| {
                Engine::new(p)
                    .compile(t)
                    .unwrap()
                    .render(&serde_json::Value::Null)
            };
            assert_eq!(render(&lazy).unwrap(), render(&built).unwrap(), "{lazy}");
        }
    }
}

// ---- work and results charged before they are done ----

/// Runs `call` (an expression) in `#set`, for a request whose body is `body`, with a memory
/// budget of `budget` bytes, and asserts that it ends in a limit error at the call, and that
/// the render's memory peak stayed within the budget above what the same request costs
/// without the call. A result charged only after it was built would have been allocated in
/// full first, over the budget.
/// Room for what a render allocates outside its budget (the compiled template, regular
/// expressions, the output).
const SMALL: usize = 64 * 1024;

fn charged_before(profile: Profile, body: &str, budget: usize, call: &str) -> vtl::Error {
    let lim = Limits {
        max_memory: budget,
        // Memory, not fuel, is what these are about.
        fuel: u64::MAX / 2,
        ..limits(profile)
    };
    let request = Request {
        body: body.to_string(),
        ..Request::default()
    };
    let run = |t: String| run_with(engine(profile).with_limits(lim), t, Some(request.clone()));
    let base = run("#set($b = $input.body)$b.length()".to_string());
    assert!(base.result.is_ok(), "{:?}", base.result);
    let t = format!("#set($b = $input.body)\n#set($x = {call})done");
    let o = run(t.clone());
    let e = match &o.result {
        Err(e) => e.clone(),
        Ok(out) => panic!("{call}: rendered {out:?} instead of failing"),
    };
    assert_eq!(e.kind(), ErrorKind::Limit, "{call}: {e}");
    assert!(o.time < TIME, "{call}: took {:?}", o.time);
    let at = &t[e.location().expect("located").span.clone()];
    assert!(
        call.contains(at) && !at.contains("#set"),
        "{call}: the error points at {at:?}: {e}"
    );
    assert_eq!(e.line(), Some(2), "{e}");
    let over = o.peak.saturating_sub(base.peak);
    eprintln!(
        "{call}: {:?}, {} KiB over the request's {} KiB: {e}",
        o.time,
        over / 1024,
        base.peak / 1024
    );
    // Compiling the template and its regular expressions is not charged: 64 KiB for those.
    assert!(
        over <= budget + SMALL,
        "{call}: peak {over} bytes over the request's, budget {budget}"
    );
    e
}

#[test]
fn string_results_are_charged_before_they_are_built() {
    // 3.2 MB of two-byte characters, against a 2 MiB budget; every result below is larger
    // than the budget (2.5 to 30 times), the body itself is not charged.
    let body = "é".repeat(1_600_000);
    let budget = 2 << 20;
    for call in [
        "$util.escapeJavaScript($b)",
        "$util.urlEncode($b)",
        "$util.base64Encode($b)",
        "$b.toUpperCase()",
        "$b.concat($b)",
        "$b.replace('é', 'éé')",
        "$b.replace('', $b)",
        "$b.replaceAll('é', 'éé')",
        "$b.getBytes()",
        "$b.getBytes('UTF-16')",
        "$b.toCharArray()",
        "$b.split('')",
        "$b.split('(?=é)')",
        "$b + $b",
        "\"$b$b\"",
    ] {
        charged_before(Profile::Aws, &body, budget, call);
    }
}

#[test]
fn big_number_results_are_charged_before_they_are_computed() {
    // Squaring doubles the number: the square that would not fit is refused before it is
    // computed, whether written as an operator or as a method.
    let budget = 2 << 20;
    for square in ["$n * $n", "$n.multiply($n)"] {
        let call = format!(
            "1)#set($n = 12345678901234567890)#foreach($i in [1..40])#set($n = {square})#end#set($x = 1"
        );
        let e = charged_before(Profile::Velocity, "", budget, &call);
        assert!(e.to_string().contains("memory"), "{e}");
    }
}

#[test]
fn long_numbers_in_a_body_are_charged_before_they_are_parsed() {
    // A 10 MB body that is one integer: parsing it is more work than the scan of its text.
    let body = format!("1{}", "0".repeat(10_000_000 - 1));
    let request = Request {
        body,
        ..Request::default()
    };
    let o = run_with(
        engine(Profile::Aws),
        "#set($n = $input.path('$'))$n.bitLength()".to_string(),
        Some(request),
    );
    let e = assert_limit(&o, &limits(Profile::Aws), "a 10 MB number as the body");
    assert!(e.to_string().contains("fuel"), "{e}");
    // A shorter one parses exactly (the halves are joined by a power of ten).
    let request = Request {
        body: format!("-1{}7", "0".repeat(99_998)),
        ..Request::default()
    };
    let t = "#set($n = $input.path('$'))$n.bitLength() $n.signum() $n.toString().substring(99991)";
    let o = run_with(engine(Profile::Aws), t.to_string(), Some(request));
    let out = o.result.map_err(|e| e.to_string());
    assert_eq!(out.as_deref(), Ok("332190 -1 0000000007"));
}

// ---- the syntax-tree dump and the lint walks on a small stack ----

/// Templates as deep as the parser allows, in every way the walks recurse: blocks, brackets,
/// operator chains, blocks inside interpolated strings, method arguments.
fn deepest_templates() -> Vec<String> {
    let chain = format!("1{}", "+1".repeat(250));
    vec![
        format!(
            "{}#set($x = {chain}){}",
            "#if(true)".repeat(127),
            "#end".repeat(127)
        ),
        format!("#set($x = {}1{})", "[".repeat(127), "]".repeat(127)),
        format!("#set($x = {}1{})", "{'a':".repeat(127), "}".repeat(127)),
        format!("#set($x = {}1+1{})", "(".repeat(127), ")".repeat(127)),
        format!("$a{}", ".b($a".repeat(127) + &")".repeat(127)),
        format!(
            "#set($x = \"{}$a.b(1){}\")",
            "#if(true)".repeat(120),
            "#end".repeat(120)
        ),
        format!("#set($x = {}true)", "!".repeat(250)),
        format!(
            "{}$x{}",
            "#foreach($i in $l)".repeat(127),
            "#end".repeat(127)
        ),
    ]
}

#[test]
fn dump_and_check_walk_deep_trees_on_a_small_stack() {
    for t in deepest_templates() {
        let what = t.chars().take(40).collect::<String>();
        let t2 = t.clone();
        let (ast, diags) = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || {
                let ast = vtl::dump_ast_within(&t2, 128 * 1024).map(|s| s.len());
                let diags = vtl::check(&engine(Profile::Velocity), &t2);
                (ast, diags)
            })
            .unwrap()
            .join()
            .unwrap_or_else(|_| panic!("{what}: dump or check overflowed"));
        // Either the whole tree, or a clean limit error.
        match ast {
            Ok(len) => assert!(len >= 20, "{what}: {len}"),
            Err(e) => assert_eq!(e.kind(), ErrorKind::Limit, "{what}: {e}"),
        }
        let _ = diags;
        let _ = vtl::pretty_json(&t);
    }
}

#[test]
fn a_dump_too_deep_for_the_stack_limit_is_a_limit_error() {
    // A stack limit smaller than the walk needs: the dump stops cleanly instead.
    let t = format!("#set($x = {}1{})", "[".repeat(127), "]".repeat(127));
    let diags = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let engine = Engine::new(Profile::Velocity).with_limits(Limits {
                max_stack: 2 * 1024,
                ..limits(Profile::Velocity)
            });
            vtl::check(&engine, &t)
        })
        .unwrap()
        .join()
        .expect("check does not overflow");
    assert!(diags.iter().any(|d| d.code == "limit"), "{diags:?}");
}

/// How deep an expression of each kind may be before the default stack limit ends it
/// (README's Limits section quotes these figures). Run optimized, where the default applies:
/// `cargo test --release -p vtl --test hostile expression_depth -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement for optimized builds"]
fn expression_depth_within_the_default_stack_limit() {
    type Make = fn(usize) -> String;
    let kinds: [(&str, Make); 5] = [
        ("1+1+…", |n| format!("#set($x = 1{})$x", "+1".repeat(n))),
        ("((…))", |n| {
            format!("#set($x = {}1{})$x", "(".repeat(n), ")".repeat(n))
        }),
        ("!!…", |n| format!("#set($x = {}true)$x", "!".repeat(n))),
        ("[[…]]", |n| {
            format!("#set($x = {}1{})$x.size()", "[".repeat(n), "]".repeat(n))
        }),
        ("#if nesting", |n| {
            format!("{}x{}", "#if(true)".repeat(n), "#end".repeat(n))
        }),
    ];
    for (what, make) in kinds {
        // The deepest that renders, by bisection (depth 1 always does; the cap of 1000 is the
        // depth limits set below).
        let (mut ok, mut bad) = (1usize, 1000usize);
        while bad - ok > 1 {
            let mid = (ok + bad) / 2;
            let engine = Engine::new(Profile::Velocity).with_limits(Limits {
                max_depth: 1000,
                max_expr_depth: 1000,
                ..Limits::for_profile(Profile::Velocity)
            });
            let template = make(mid);
            let result = std::thread::Builder::new()
                .stack_size(vtl::DEFAULT_MAX_STACK + 256 * 1024)
                .spawn(move || {
                    engine
                        .compile(&template)
                        .and_then(|t| t.render(&serde_json::Value::Null))
                })
                .expect("spawns")
                .join()
                .expect("the render thread does not overflow");
            match result {
                Ok(_) => ok = mid,
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::Limit, "{what} {mid}: {e}");
                    bad = mid;
                }
            }
        }
        eprintln!(
            "{what}: {ok} levels render within the default stack limit of {} KiB",
            vtl::DEFAULT_MAX_STACK / 1024
        );
        assert!(ok >= 64, "{what}: only {ok} levels");
    }
}
