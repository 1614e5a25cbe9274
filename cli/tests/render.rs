//! End-to-end tests of `vtl render`: run the built binary and check stdout, stderr and the exit
//! status exactly.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What one run of the binary produced.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn vtl(args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vtl"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the vtl binary starts");
    if let Some(text) = stdin {
        let mut input = child.stdin.take().unwrap();
        // The binary may exit (e.g. on a usage error) before reading its input.
        if let Err(e) = input.write_all(text.as_bytes()) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A fresh scratch directory for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-render")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn repo_file(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn renders_a_file_with_vars() {
    let dir = scratch("renders_a_file_with_vars");
    let template = write(
        &dir,
        "t.vtl",
        "Hi $name:#foreach($n in $nums) $n#end\n$missing|$!missing\n",
    );
    let vars = write(&dir, "v.json", r#"{"name": "Ada", "nums": [1, 2.5, true]}"#);
    let run = vtl(
        &[
            "render",
            &template,
            "--profile",
            "velocity",
            "--vars",
            &vars,
        ],
        None,
    );
    assert_eq!(run.stderr, "");
    assert_eq!(run.stdout, "Hi Ada: 1 2.5 true$missing|\n");
    assert_eq!(run.code, 0);

    // `#end` swallows the newline after it. The aws profile renders undefined references as
    // nothing.
    let run = vtl(&["render", &template, "--vars", &vars], None);
    assert_eq!(run.stderr, "");
    assert_eq!(run.stdout, "Hi Ada: 1 2.5 true|\n");
    assert_eq!(run.code, 0);
}

#[test]
fn reads_the_template_from_stdin_and_adds_no_newline() {
    let run = vtl(
        &["render", "-", "--profile", "velocity"],
        Some("#set($x = 6 * 7)$x"),
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "42", "")
    );
}

#[test]
fn writes_the_output_to_a_file() {
    let dir = scratch("writes_the_output_to_a_file");
    let out = dir.join("out.txt");
    let run = vtl(
        &["render", "-", "-o", out.to_str().unwrap()],
        Some("a\n#if(true)b#end\nc\n"),
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "a\nbc\n");
}

#[test]
fn syntax_error_is_shown_with_its_location() {
    let dir = scratch("syntax_error_is_shown_with_its_location");
    let template = write(&dir, "broken.vtl", "ok\n#if(true)x");
    let run = vtl(&["render", &template, "--profile", "velocity"], None);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let lines: Vec<&str> = run.stderr.lines().map(str::trim_end).collect();
    assert!(lines[0].starts_with("error[syntax]: "), "{}", run.stderr);
    assert_eq!(lines[1], format!(" --> {template}:2:11"));
    assert_eq!(lines[2], "  |");
    assert_eq!(lines[3], "2 | #if(true)x");
    assert_eq!(lines[4], "  |           ^");
    assert!(run.stderr.ends_with('\n'));
}

#[test]
fn disallowed_directive_is_a_compile_error() {
    let run = vtl(
        &["render", "-", "--profile", "aws"],
        Some("#include('x.vtl')"),
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error[not_allowed]: "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(" --> <stdin>:1:1\n"), "{}", run.stderr);
}

#[test]
fn render_error_exits_with_4() {
    let run = vtl(
        &["render", "-", "--profile", "velocity"],
        Some("#macro(f)#f()#end#f()"),
    );
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.starts_with("error[limit]: "), "{}", run.stderr);
    assert!(run.stderr.contains(" --> <stdin>:1:"), "{}", run.stderr);
}

#[test]
fn missing_template_file_exits_with_2() {
    let dir = scratch("missing_template_file_exits_with_2");
    let missing = dir.join("nope.vtl");
    let missing = missing.to_str().unwrap();
    let run = vtl(&["render", missing], None);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with(&format!("error: {missing}: ")),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn bad_vars_json_names_the_file_and_position() {
    let dir = scratch("bad_vars_json_names_the_file_and_position");
    let template = write(&dir, "t.vtl", "$a");
    let vars = write(&dir, "vars.json", "{\"a\":\n 1,,}");
    let run = vtl(&["render", &template, "--vars", &vars], None);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!("error: {vars}:2:4: invalid JSON: key must be a string\n")
    );
}

#[test]
fn vars_must_be_an_object() {
    let dir = scratch("vars_must_be_an_object");
    let vars = write(&dir, "vars.json", "[1, 2]");
    let run = vtl(&["render", "-", "--vars", &vars], Some("x"));
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!("error: {vars}: the variables must be a JSON object\n")
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let run = vtl(&["render", "-", "--profile", "jinja"], Some("x"));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown profile 'jinja'"),
        "{}",
        run.stderr
    );

    let run = vtl(&["render"], None);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");

    let run = vtl(&["render", "-", "--vars", "-"], Some("x"));
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
}

#[test]
fn help_shows_an_example() {
    let run = vtl(&["--help"], None);
    assert_eq!(run.code, 0);
    assert!(run
        .stdout
        .contains("vtl render examples/hello/template.vtl"));
    let run = vtl(&["render", "--help"], None);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("Examples:"));
}

/// The examples render to the outputs Apache Velocity 1.7 produced for them.
#[test]
fn examples_render_as_documented() {
    let run = vtl(
        &[
            "render",
            &repo_file("examples/hello/template.vtl"),
            "--profile",
            "velocity",
            "--vars",
            &repo_file("examples/hello/vars.json"),
        ],
        None,
    );
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        std::fs::read_to_string(repo_file("examples/hello/expected.txt")).unwrap()
    );

    let run = vtl(
        &[
            "render",
            &repo_file("examples/order-mapping/template.vtl"),
            "--profile",
            "aws",
            "--vars",
            &repo_file("examples/order-mapping/vars.json"),
        ],
        None,
    );
    assert_eq!(run.stderr, "");
    let expected =
        std::fs::read_to_string(repo_file("examples/order-mapping/expected.json")).unwrap();
    assert_eq!(run.stdout, expected);
    let _: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
}

#[test]
fn endless_inputs_are_refused_after_the_limit() {
    let start = std::time::Instant::now();
    let t = vtl(&["render", "/dev/zero"], None);
    assert_eq!(t.code, 2, "{}", t.stderr);
    assert_eq!(
        t.stderr.trim(),
        "error: /dev/zero: the template is larger than the limit of 307200 bytes"
    );
    let t = vtl(&["render", "/dev/zero", "--profile", "velocity"], None);
    assert_eq!(t.code, 2, "{}", t.stderr);
    assert!(
        t.stderr.contains("larger than the limit of 67108864 bytes"),
        "{}",
        t.stderr
    );
    let dir = scratch("endless_inputs");
    let tpl = dir.join("t.vtl");
    std::fs::write(&tpl, "$input.body.length()").unwrap();
    let tpl = tpl.to_str().unwrap();
    let b = vtl(&["render", tpl, "--body", "/dev/zero"], None);
    assert_eq!(b.code, 2, "{}", b.stderr);
    assert!(
        b.stderr
            .contains("/dev/zero: the body is larger than the limit of 10485760 bytes"),
        "{}",
        b.stderr
    );
    let body = dir.join("body.json");
    std::fs::write(&body, "x".repeat(11 * 1024 * 1024)).unwrap();
    let body = body.to_str().unwrap();
    let b = vtl(&["render", tpl, "--body", body], None);
    assert_eq!(b.code, 2, "{}", b.stderr);
    let b = vtl(
        &["render", tpl, "--body", body, "--max-body", "20000000"],
        None,
    );
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert_eq!(b.stdout, (11 * 1024 * 1024).to_string());
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn pretty_printing_deep_nesting_is_bounded_by_the_output_limit() {
    let dir = scratch("pretty_deep");
    let tpl = dir.join("t.vtl");
    // 10^5 nested arrays: valid JSON for the output check only with a deep parser, so the
    // template builds a shallower but wide shape whose indentation is still quadratic.
    let depth = 100;
    let doc = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let text = format!("#foreach($i in [1..1000]){doc},#end{doc}");
    std::fs::write(&tpl, format!("[{text}]")).unwrap();
    let start = std::time::Instant::now();
    let r = vtl(
        &[
            "render",
            tpl.to_str().unwrap(),
            "--pretty",
            "--expect",
            "json",
            "--max-output",
            "1000000",
        ],
        None,
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "--pretty: the pretty-printed text would be larger than the limit of 1000000 bytes"
        ),
        "{}",
        r.stderr
    );
}
