//! The XML mapping on small documents: names, namespaces, text, attributes, SOAP.

use super::*;
use serde_json::json;

fn p(s: &str) -> serde_json::Value {
    parse(s)
        .map(|v| v.to_json())
        .unwrap_or_else(|e| json!({"error": e.to_string()}))
}

#[test]
fn leaves_attributes_lists_text() {
    assert_eq!(p("<a>x</a>"), json!({"a": "x"}));
    assert_eq!(p("<a/>"), json!({"a": ""}));
    assert_eq!(p("<a> </a>"), json!({"a": " "}));
    assert_eq!(
        p("<a id='1'>x</a>"),
        json!({"a": {"@id": "1", "#text": "x"}})
    );
    assert_eq!(p("<a id='1'/>"), json!({"a": {"@id": "1"}}));
    assert_eq!(
        p("<a>\n <b>1</b>\n <c/>\n <b>2</b>\n</a>"),
        json!({"a": {"b": ["1", "2"], "c": ""}})
    );
    assert_eq!(
        p("<p>Hello <b>you</b> there</p>"),
        json!({"p": {"#text": "Hello  there", "b": "you"}})
    );
}

#[test]
fn namespaces() {
    let x = r#"<s:Envelope xmlns:s="urn:s" xmlns="urn:d"><s:Body><R x:y="1" xmlns:x="urn:x">t</R></s:Body></s:Envelope>"#;
    assert_eq!(
        p(x),
        json!({"Envelope": {"Body": {"R": {"@y": "1", "#text": "t"}}}})
    );
    let v = parse_with(x, ParseOptions { namespaces: true }).unwrap();
    assert_eq!(
        v.to_json(),
        json!({"s:Envelope": {"@xmlns:s": "urn:s", "@xmlns": "urn:d",
                "s:Body": {"R": {"@x:y": "1", "@xmlns:x": "urn:x", "#text": "t"}}}})
    );
}

#[test]
fn entities_cdata_nil() {
    assert_eq!(
        p("<a>&lt;&amp;&#65;&#x42;<![CDATA[<&>]]></a>"),
        json!({"a": "<&AB<&>"})
    );
    assert_eq!(p("<a>\r\nx\ry</a>"), json!({"a": "\nx\ny"}));
    assert_eq!(p("<a x='a&#10;b\nc'/>"), json!({"a": {"@x": "a\nb c"}}));
    assert_eq!(
        p(
            r#"<a xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><b i:nil="true"/><c xsi:nil="true"/></a>"#
        ),
        json!({"a": {"b": null, "c": null}})
    );
    assert_eq!(p(r#"<a nil="true"/>"#), json!({"a": {"@nil": "true"}}));
}

#[test]
fn errors_have_positions() {
    let e = parse("<a>\n  <b></c>\n</a>").unwrap_err();
    assert_eq!((e.line, e.message.contains("c")), (2, true), "{e}");
    let e = parse("<a>&foo;</a>").unwrap_err();
    assert!(e.message.contains("undefined entity"), "{e}");
    assert_eq!((e.line, e.column), (1, 4));
    assert!(parse("").unwrap_err().message.contains("no root"));
    assert!(parse("<a>").unwrap_err().message.contains("not closed"));
    assert!(parse("<a/><b/>")
        .unwrap_err()
        .message
        .contains("more than one"));
    assert!(parse("<a/>x").unwrap_err().message.contains("outside"));
    let deep = "<a>".repeat(MAX_DEPTH + 1);
    assert!(parse(&deep).unwrap_err().message.contains("deeper"));
}

#[test]
fn doctype_entities_are_not_expanded() {
    let lol = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>"#;
    assert!(parse(lol).unwrap_err().message.contains("undefined entity"));
    let xxe = r#"<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>"#;
    assert!(parse(xxe).unwrap_err().message.contains("undefined entity"));
    assert_eq!(p("<!DOCTYPE a><a>1</a>"), json!({"a": "1"}));
}

#[test]
fn escaping() {
    assert_eq!(
        escape("a<b>&\"c'\t\n\r\u{1}"),
        "a&lt;b&gt;&amp;&quot;c&apos;&#9;&#10;&#13;\u{FFFD}"
    );
    assert_eq!(sanitize("a\u{0}b"), "a\u{FFFD}b");
}

#[test]
fn names() {
    assert_eq!(encode_name("first name"), "first_x0020_name");
    assert_eq!(encode_name("2024"), "_x0032_024");
    assert_eq!(encode_name("soap:Body"), "soap:Body");
    assert_eq!(encode_name(""), "_");
}

#[test]
fn writes_xml() {
    let v =
        Value::from_json(&json!({"Order": {"@id": 7, "Line": [1, 2], "Note": null, "x y": "<&>"}}));
    assert_eq!(
        to_xml(&v, None).unwrap(),
        r#"<Order xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="7"><Line>1</Line><Line>2</Line><Note xsi:nil="true"/><x_x0020_y>&lt;&amp;&gt;</x_x0020_y></Order>"#
    );
    let v = Value::from_json(&json!([1, [2, 3]]));
    assert_eq!(
        to_xml(&v, Some("r")).unwrap(),
        "<r><item>1</item><item><item>2</item><item>3</item></item></r>"
    );
    let v = Value::from_json(&json!({"a": 1, "b": 2}));
    assert_eq!(to_xml(&v, None).unwrap(), "<root><a>1</a><b>2</b></root>");
    let v = Value::from_json(&json!({"a": {"@x": {"y": 1}}}));
    assert!(to_xml(&v, None).is_err());
}

#[test]
fn cycles_are_errors() {
    let l = Value::list(ListKind::ArrayList, vec![]);
    if let Value::List(inner) = &l {
        inner.items.borrow_mut().push(l.clone());
    }
    assert!(to_xml(&l, None).unwrap_err().message.contains("cycle"));
    if let Value::List(inner) = &l {
        inner.items.borrow_mut().clear();
    }
}

#[test]
fn content_types() {
    for ct in [
        "text/xml",
        "application/xml; charset=utf-8",
        "Application/SOAP+XML",
        "application/atom+xml",
    ] {
        assert!(is_xml_content_type(ct), "{ct}");
    }
    for ct in [
        "application/json",
        "xml",
        "text/html",
        "application/+xml",
        "/xml",
    ] {
        assert!(!is_xml_content_type(ct), "{ct}");
    }
}

#[test]
fn faults() {
    let f11 = parse(r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>Bad</faultstring><detail><e>1</e></detail></s:Fault></s:Body></s:Envelope>"#).unwrap();
    assert_eq!(
        soap_fault(&f11).unwrap().to_json(),
        json!({"version": "1.1", "code": "s:Client", "subcode": null, "message": "Bad", "actor": null, "detail": {"e": "1"}})
    );
    let f12 = parse(r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value>m:Bad</e:Value></e:Subcode></e:Code><e:Reason><e:Text xml:lang="en">No</e:Text></e:Reason></e:Fault></e:Body></e:Envelope>"#).unwrap();
    assert_eq!(
        soap_fault(&f12).unwrap().to_json(),
        json!({"version": "1.2", "code": "e:Sender", "subcode": "m:Bad", "message": "No", "actor": null, "detail": null})
    );
    let ok = parse("<Envelope><Body><R>1</R></Body></Envelope>").unwrap();
    assert!(soap_fault(&ok).is_none());
}
