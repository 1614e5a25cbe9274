//! Benchmarks of the `$vtl` XML extension: building a SOAP envelope from JSON (with the
//! extension and the AWS-only way) and turning a large SOAP response into JSON.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use vtl::{Engine, Profile, Request};

const ORDER_TEMPLATE: &str = include_str!("../../examples/soap/order-request/template.vtl");
const ORDER_REQUEST: &str = include_str!("../../examples/soap/order-request/request.json");
const AWS_ONLY_TEMPLATE: &str =
    include_str!("../../examples/soap/order-request-aws-only/template.vtl");
const AWS_ONLY_REQUEST: &str =
    include_str!("../../examples/soap/order-request-aws-only/request.json");

/// A SOAP response with `lines` repeated order lines (about 130 bytes each).
fn soap_response(lines: usize) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ord="urn:example:orders:v2"><soap:Body><ord:GetOrderResponse><ord:Order id="7">"#,
    );
    for i in 0..lines {
        s.push_str(&format!(
            r#"<ord:Line number="{i}"><ord:Sku>SKU-{i:05}</ord:Sku><ord:Quantity>{}</ord:Quantity><ord:Price currency="EUR">{}.95</ord:Price></ord:Line>"#,
            i % 7 + 1,
            i % 90 + 9
        ));
    }
    s.push_str("</ord:Order></ord:GetOrderResponse></soap:Body></soap:Envelope>");
    s
}

fn envelopes(c: &mut Criterion) {
    let mut group = c.benchmark_group("xml-envelope");
    for (name, template, request, extensions) in [
        ("order-request", ORDER_TEMPLATE, ORDER_REQUEST, true),
        (
            "order-request-aws-only",
            AWS_ONLY_TEMPLATE,
            AWS_ONLY_REQUEST,
            false,
        ),
    ] {
        let t = Engine::new(Profile::Aws)
            .with_extensions(extensions)
            .compile(template)
            .unwrap();
        let r = Request::from_json_str(request).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| {
                t.render_request(black_box(&r), &serde_json::Value::Null)
                    .unwrap()
            })
        });
    }
    group.finish();
}

fn response_to_json(c: &mut Criterion) {
    let mut group = c.benchmark_group("xml-response");
    let body = soap_response(1000);
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("parse/1000-lines", |b| {
        b.iter(|| vtl::xml::parse(black_box(&body)).unwrap())
    });
    let request = Request {
        body: body.clone(),
        content_type: Some("text/xml".into()),
        ..Request::default()
    };
    let t = Engine::new(Profile::Aws)
        .with_extensions(true)
        .compile("$vtl.toJson($input.path('$.Envelope.Body'))")
        .unwrap();
    group.bench_function("to-json/1000-lines", |b| {
        b.iter(|| {
            t.render_request(black_box(&request), &serde_json::Value::Null)
                .unwrap()
        })
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = envelopes, response_to_json
}
criterion_main!(benches);
