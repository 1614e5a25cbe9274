// Runs every method-level case of the pets example (examples/pets/pets.cases.yaml, as JSON)
// through the packed package, checking what `vtl test` checks for a method: the status, the
// expected headers (a subset, names ignoring case), the body (compared as `vtl test` compares)
// and what the backend was sent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadApi, type Api, type EndpointResponse, type Invocation, type JsonValue } from "vtl-apigw";
import { checkBody } from "vtl-apigw/test";

interface PetsCase {
  name: string;
  spec: string;
  stage?: string;
  extensions?: boolean;
  method: string;
  path: string;
  headers?: Record<string, string>;
  stageVariables?: Record<string, string>;
  body?: JsonValue;
  endpointResponse?: EndpointResponse;
  expectedStatus?: number;
  expectedHeaders?: Record<string, string | string[]>;
  expected?: string;
  expectedJson?: JsonValue;
  expectedXml?: string;
  expectedEndpointRequest?: null | {
    httpMethod?: string;
    uri?: string;
    headers?: Record<string, string>;
    body?: string;
    bodyJson?: JsonValue;
  };
}

const cases = (JSON.parse(readFileSync("pets.cases.json", "utf8")) as { cases: PetsCase[] }).cases;
const apis = new Map<string, Api>();

function apiFor(c: PetsCase): Api {
  const key = `${c.spec} ${c.stage ?? ""} ${c.extensions ?? false}`;
  let api = apis.get(key);
  if (!api) {
    api = loadApi(readFileSync(c.spec, "utf8"), { stage: c.stage, extensions: c.extensions });
    apis.set(key, api);
  }
  return api;
}

function headerValues(out: Invocation, name: string): string[] {
  const found = Object.keys(out.multiValueHeaders).find((k) => k.toLowerCase() === name.toLowerCase());
  return found ? out.multiValueHeaders[found] ?? [] : [];
}

test("the pets cases file has cases", () => {
  assert.ok(cases.length >= 10, `only ${cases.length} cases`);
});

for (const c of cases) {
  test(`pets case ${c.name}`, () => {
    const out = apiFor(c).invoke(
      {
        httpMethod: c.method,
        path: c.path,
        headers: c.headers,
        body: c.body,
        stageVariables: c.stageVariables,
      },
      c.endpointResponse,
    );
    assert.equal(out.templateError, null);
    if (c.expectedStatus !== undefined) assert.equal(out.status, c.expectedStatus, out.log);
    for (const [name, want] of Object.entries(c.expectedHeaders ?? {})) {
      const values = headerValues(out, name);
      for (const v of Array.isArray(want) ? want : [want]) {
        assert.ok(values.includes(v), `header ${name}: expected ${v} within ${JSON.stringify(values)}`);
      }
    }
    // As a case file says: `expected` text byte for byte, `expectedJson` by value, `expectedXml`
    // ignoring whitespace between tags.
    const expectations = [
      { body: c.expected, as: "text" },
      { body: c.expectedJson === undefined ? undefined : JSON.stringify(c.expectedJson), as: "json" },
      { body: c.expectedXml, as: "xml" },
    ] as const;
    for (const e of expectations) {
      if (e.body === undefined) continue;
      const outcome = checkBody(out, e.body, { as: e.as });
      assert.ok(outcome.pass, outcome.detail);
    }
    if (c.expectedEndpointRequest === null) {
      assert.equal(out.endpointRequest, null);
    } else if (c.expectedEndpointRequest !== undefined) {
      const want = c.expectedEndpointRequest;
      const sent = out.endpointRequest;
      assert.ok(sent, "the backend was not called");
      if (want.httpMethod !== undefined) assert.equal(sent.httpMethod, want.httpMethod);
      if (want.uri !== undefined) assert.equal(sent.uri, want.uri);
      const sentHeaders: Record<string, string> = sent.headers;
      for (const [name, v] of Object.entries(want.headers ?? {})) {
        const found = Object.keys(sentHeaders).find((k) => k.toLowerCase() === name.toLowerCase());
        assert.equal(found === undefined ? undefined : sentHeaders[found], v, `endpoint header ${name}`);
      }
      const body = want.bodyJson !== undefined ? JSON.stringify(want.bodyJson) : want.body;
      if (body !== undefined) {
        const outcome = checkBody(sent.body, body, { as: want.bodyJson !== undefined ? "json" : "text" });
        assert.ok(outcome.pass, `endpoint request body: ${outcome.detail}`);
      }
    }
  });
}
