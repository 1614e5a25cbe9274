#!/usr/bin/env python3
"""Generates examples/pets/pets.cases.yaml, the method-level cases of the pets example.

    python3 conformance/tools/gen_pets_cases.py          # rewrite
    python3 conformance/tools/gen_pets_cases.py --check  # exit 1 if it would change

The API is examples/pets/openapi.yaml and the backend answers are examples/pets/responses/*.json
(the files `vtl invoke --endpoint-response` takes). The requests and the statuses the pipeline
rules give (which integration response a status or Lambda error selects, 415 for an unmapped
Content-Type) are written below; every body that a mapping template produces, and every status a
template overrides, comes from rendering the template from the spec with `vtl render`.
"""
import json
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_pipeline_cases import ROOT, lambda_endpoint, render_full  # noqa: E402

DIR = os.path.join(ROOT, "examples", "pets")
SPEC = yaml.safe_load(open(os.path.join(DIR, "openapi.yaml"), encoding="utf-8"))
STAGE = {"registryHost": "registry.example.com", "registryKey": "k-123"}


def integration(path, method):
    return SPEC["paths"][path][method]["x-amazon-apigateway-integration"]


def response_file(name):
    with open(os.path.join(DIR, "responses", name), encoding="utf-8") as f:
        return json.load(f)


def body_text(body):
    return body if isinstance(body, str) else json.dumps(body)


def content_type(headers):
    for k, v in (headers or {}).items():
        if k.lower() == "content-type":
            return v
    return "application/json"


def rendered(template, expect_status, **request):
    """Renders a response template; returns (output, status after responseOverride)."""
    r = render_full(template, **request)
    status = r["responseOverride"].get("status", expect_status)
    return r["output"], status


def body_expectation(output):
    try:
        return {"expectedJson": json.loads(output)}
    except ValueError:
        return {"expected": output}


def cases():
    out = []
    # CORS preflight (MOCK)
    for path, route, methods, headers in [
        ("/pets", "/pets", "GET,OPTIONS", "Content-Type,X-Request-Id"),
        ("/pets/1", "/pets/{id}", "GET,OPTIONS", "Content-Type"),
    ]:
        out.append({"name": f"cors-preflight-{route.strip('/').replace('/', '-').replace('{', '').replace('}', '')}",
                    "spec": "openapi.yaml", "method": "OPTIONS", "path": path,
                    "headers": {"Origin": "https://app.example.com",
                                "Access-Control-Request-Method": "GET"},
                    "expectedStatus": 200,
                    "expectedHeaders": {"Access-Control-Allow-Origin": "*",
                                        "Access-Control-Allow-Methods": methods,
                                        "Access-Control-Allow-Headers": headers},
                    "expected": "", "expectedEndpointRequest": None,
                    # the MOCK shape of a TestInvokeMethod log: no Endpoint lines
                    "expectedLog": ["Execution log for request ", "Starting execution for request: ",
                                    f"HTTP Method: OPTIONS, Resource Path: {path}",
                                    "Method request path: ", "Method request query string: {}",
                                    "Method request headers: {", "Method request body before transformations: ",
                                    "Method response body after transformations: ",
                                    "Method response headers: {Access-Control-Allow-Origin=*",
                                    "Successfully completed execution",
                                    "Method completed with status: 200"]})

    # GET /pets: HTTP, XML -> JSON
    list_t = integration("/pets", "get")["responses"]["default"]["responseTemplates"]["application/json"]
    for name, file, query, want in [("list-pets", "list-pets.json", "?limit=2", 200),
                                    ("list-pets-empty", "list-pets-empty.json", "", 200)]:
        ep = response_file(file)
        text, status = rendered(list_t, want, body=ep["body"], content_type=content_type(ep.get("headers")),
                                query={"limit": "2"} if query else {}, header={"X-Request-Id": "req-42"},
                                stage=STAGE)
        c = {"name": name, "spec": "openapi.yaml", "stage": "prod", "method": "GET", "path": "/pets" + query,
             "headers": {"X-Request-Id": "req-42"}, "stageVariables": STAGE, "endpointResponse": ep,
             "expectedStatus": status,
             "expectedHeaders": {"X-Total-Count": ep["headers"]["X-Total-Count"],
                                 "Access-Control-Allow-Origin": "*"},
             **body_expectation(text),
             "expectedEndpointRequest": {"httpMethod": "GET", "headers": {
                 "Accept": "application/xml", "X-Correlation-Id": "req-42", "X-Api-Key": "k-123"}}}
        if name == "list-pets":
            c["expectedHeaders"]["X-Request-Id"] = "req-42"
        out.append(c)
    ep = response_file("registry-down.json")
    down_t = integration("/pets", "get")["responses"]["5\\d{2}"]["responseTemplates"]["application/json"]
    text, status = rendered(down_t, 502, body=ep["body"], content_type=content_type(ep["headers"]))
    out.append({"name": "list-pets-registry-down", "spec": "openapi.yaml", "stage": "prod", "method": "GET",
                "path": "/pets", "stageVariables": STAGE, "endpointResponse": ep,
                "expectedStatus": status, **body_expectation(text)})

    # GET /pets/{id}: Lambda with error regexes
    li = integration("/pets/{id}", "get")
    req_t = li["requestTemplates"]["application/json"]
    ok_t = li["responses"]["default"]["responseTemplates"]["application/json"]
    nf_t = li["responses"][".*not found.*"]["responseTemplates"]["application/json"]
    bad_t = li["responses"][".*\"httpStatus\":400.*"]["responseTemplates"]["application/json"]
    for name, file, pet, template, want, headers in [
        ("get-pet", "get-pet.json", "1", ok_t, 200, {"Cache-Control": "max-age=60", "Access-Control-Allow-Origin": "*"}),
        ("get-pet-not-found", "get-pet-not-found.json", "99", nf_t, 404, {}),
        ("get-pet-invalid-id", "get-pet-invalid-id.json", "abc", bad_t, 400, {"X-Error-Type": "ValidationError"}),
    ]:
        ep = response_file(file)
        sent = render_full(req_t, path={"id": pet})["output"]
        text, status = rendered(template, want, body=body_text(ep["body"]), path={"id": pet})
        c = {"name": name, "spec": "openapi.yaml", "method": "GET", "path": f"/pets/{pet}",
             "endpointResponse": ep, "expectedStatus": status, **body_expectation(text),
             "expectedEndpointRequest": {"httpMethod": "POST", "uri": lambda_endpoint("pets"),
                                         "bodyJson": json.loads(sent)}}
        if headers:
            c["expectedHeaders"] = headers
        # the Lambda shape of a TestInvokeMethod log
        c["expectedLog"] = [
            f"HTTP Method: GET, Resource Path: /pets/{pet}", f"Method request path: {{id={pet}}}",
            "Method request query string: {}", "Method request body before transformations: ",
            f"Endpoint request URI: {lambda_endpoint('pets')}",
            "Endpoint request headers: {x-amzn-lambda-integration-tag=",
            "Endpoint request body after transformations: {",
            f"Sending request to {lambda_endpoint('pets')}",
            "Received response. Status: 200, Integration latency: ",
            "Endpoint response headers: {", "Endpoint response body before transformations: {",
            "Method response body after transformations: {", "Method response headers: {",
            "Successfully completed execution", f"Method completed with status: {status}"]
        out.append(c)
    out.append({"name": "get-pet-unmapped-content-type", "spec": "openapi.yaml", "method": "GET",
                "path": "/pets/1", "headers": {"Content-Type": "text/plain"}, "body": "1",
                "expectedStatus": 415, "expectedJson": {"message": "Unsupported Media Type"},
                "expectedEndpointRequest": None})

    # POST /pets/{id}/adoption: SOAP through $vtl
    si = integration("/pets/{id}/adoption", "post")
    env_t = si["requestTemplates"]["application/json"]
    adopt_body = {"name": "Ada <Lovelace> & co", "email": "ada@example.com"}
    envelope = render_full(env_t, body=json.dumps(adopt_body), path={"id": "1"}, extensions=True)["output"]
    for name, file, key, want, ct in [
        ("adopt-pet", "adopt.json", "default", 200, "application/json"),
        ("adopt-pet-charset-in-content-type", "adopt.json", "default", 200, "application/json; charset=UTF-8"),
        ("adopt-pet-refused", "adopt-refused.json", "5\\d{2}", 502, "application/json"),
        ("adopt-pet-service-fault", "adopt-failed.json", "5\\d{2}", 502, "application/json"),
    ]:
        ep = response_file(file)
        template = si["responses"][key]["responseTemplates"]["application/json"]
        text, status = rendered(template, want, body=ep["body"], content_type=content_type(ep["headers"]),
                                path={"id": "1"}, extensions=True)
        out.append({"name": name, "extensions": True, "spec": "openapi.yaml", "method": "POST",
                    "path": "/pets/1/adoption", "headers": {"Content-Type": ct}, "body": adopt_body,
                    "endpointResponse": ep, "expectedStatus": status, **body_expectation(text),
                    "expectedEndpointRequest": {"httpMethod": "POST",
                                                "uri": "https://adoptions.example.com/soap/AdoptionService",
                                                "headers": {"Content-Type": "text/xml; charset=utf-8",
                                                            "SOAPAction": "urn:pets:Adopt"},
                                                "body": envelope}})
    out.append({"name": "adopt-pet-xml-body-refused", "extensions": True, "spec": "openapi.yaml",
                "method": "POST", "path": "/pets/1/adoption", "headers": {"Content-Type": "application/xml"},
                "body": "<adopt/>", "expectedStatus": 415, "expectedEndpointRequest": None})
    return out


HEADER = """\
# Method-level cases for the pets API (openapi.yaml). Generated by
# conformance/tools/gen_pets_cases.py from openapi.yaml and responses/*.json: edit those and
# regenerate, not this file. Each case runs one method end to end: the request, the backend's
# answer (endpointResponse), and what the client gets back and the backend received.
"""


def main():
    text = HEADER + yaml.safe_dump({"cases": cases()}, sort_keys=False, allow_unicode=True, width=100)
    path = os.path.join(DIR, "pets.cases.yaml")
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
    if "--check" in sys.argv[1:]:
        print("up to date" if old == text else "pets.cases.yaml would change")
        sys.exit(0 if old == text else 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{len(cases())} cases written")


if __name__ == "__main__":
    main()
