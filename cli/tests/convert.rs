//! `vtl convert` and `vtl completions`: exact output of the built binary.

mod common;

use common::{parts, vtl, vtl_in};

#[test]
fn json_to_xml() {
    let run = vtl(&["convert", "json2xml", "order.json"]);
    let stdout = "<Order xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" id=\"7\"><Line>1</Line><Line>2</Line><note xsi:nil=\"true\"/></Order>\n";
    assert_eq!(parts(&run), (0, stdout, ""));
    let run = vtl_in(
        &["convert", "json2xml", "--root", "Doc", "--pretty"],
        r#"{"a": 1, "b": [true, "x"]}"#,
    );
    assert_eq!(
        parts(&run),
        (
            0,
            "<Doc>\n  <a>1</a>\n  <b>true</b>\n  <b>x</b>\n</Doc>\n",
            ""
        )
    );
}

#[test]
fn xml_to_json() {
    let run = vtl(&["convert", "xml2json", "order.xml"]);
    assert_eq!(
        parts(&run),
        (
            0,
            "{\"Order\":{\"@id\":\"7\",\"Line\":[\"1\",\"2\"]}}\n",
            ""
        )
    );
    let run = vtl_in(&["convert", "xml2json", "--pretty"], "<a x=\"1\">t</a>");
    assert_eq!(
        parts(&run),
        (
            0,
            "{\n  \"a\": {\n    \"@x\": \"1\",\n    \"#text\": \"t\"\n  }\n}\n",
            ""
        )
    );
}

#[test]
fn errors_have_positions() {
    let run = vtl(&["convert", "xml2json", "bad.xml", "--color", "never"]);
    let stderr = "error: bad.xml: invalid XML: ill-formed document: expected `</Line>`, but `</Order>` was found
 --> bad.xml:2:10
  |
2 |   <Line>1</Order>
  |          ^
";
    assert_eq!(parts(&run), (2, "", stderr));
    let run = vtl(&["convert", "json2xml", "bad-request.json"]);
    assert_eq!(
        parts(&run),
        (
            2,
            "",
            "error: bad-request.json:4:1: invalid JSON: EOF while parsing an object\n"
        )
    );
    let run = vtl(&["convert", "xml2json", "--root", "x", "order.xml"]);
    assert_eq!(
        parts(&run),
        (2, "", "error: --root only applies to json2xml\n")
    );
}

#[test]
fn completions() {
    let run = vtl(&["completions", "bash"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("_vtl() {\n"), "{}", run.stdout);
    assert!(run.stdout.contains("--stage-var"));
    let run = vtl(&["completions", "fish"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("complete -c vtl -n \"__fish_vtl_using_subcommand render\" -l request"),
        "{}",
        run.stdout
    );
    let run = vtl(&["completions", "zsh"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("#compdef vtl\n"));
    let run = vtl(&["completions", "tcsh"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: invalid value 'tcsh' for '<SHELL>'"),
        "{}",
        run.stderr
    );
}
