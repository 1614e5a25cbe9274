// Tests of the Node.js build (wasm/pkg, made by scripts/build-wasm): node --test wasm/tests/
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const vtl = createRequire(import.meta.url)("../pkg/vtl_wasm.js");

test("version", () => {
  assert.match(vtl.version(), /^\d+\.\d+\.\d+/);
});

test("renders a request-file request", () => {
  const r = vtl.render(
    `{"id": "$input.params('id')", "name": "$input.path('$.name')", "stage": "$context.stage", "env": "$stageVariables.env"}`,
    {
      body: '{"name": "Ada"}',
      params: { path: { id: "7" } },
      stageVariables: { env: "prod" },
      context: { stage: "beta" },
    },
    {},
  );
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.deepEqual(JSON.parse(r.output), { id: "7", name: "Ada", stage: "beta", env: "prod" });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings, []);
  assert.equal(typeof r.timings.compileMs, "number");
  assert.equal(typeof r.timings.renderMs, "number");
  assert.ok(r.requestOverride && r.responseOverride);
});

test("accepts the request as JSON text, null or undefined", () => {
  assert.equal(vtl.render("$input.body", '{"body": "raw"}', null).output, "raw");
  // An empty body reads as {} (as on API Gateway).
  assert.equal(vtl.render("[$input.body]", null, undefined).output, "[{}]");
  assert.equal(vtl.render("ok", undefined, undefined).output, "ok");
});

test("overrides come back", () => {
  const r = vtl.render(
    "#set($context.responseOverride.status = 201)#set($context.requestOverride.header.X-A = 'b')done",
    {},
    {},
  );
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.output, "done");
  assert.equal(r.responseOverride.status, 201);
  assert.equal(r.requestOverride.header["X-A"], "b");
});

test("reads a Lambda-proxy event and a TestInvokeMethod request", () => {
  const event = {
    resource: "/pets/{id}",
    path: "/pets/7",
    httpMethod: "GET",
    headers: { Accept: "a" },
    multiValueHeaders: { Accept: ["a"] },
    queryStringParameters: { q: "x" },
    pathParameters: { id: "7" },
    requestContext: { stage: "dev", requestId: "r-1" },
    body: null,
  };
  const r = vtl.render("$input.params('id') $input.params('q') $context.requestId $context.path", event, {});
  assert.equal(r.output, "7 x r-1 /dev/pets/7", JSON.stringify(r));
  const t = vtl.render("$input.params('type')|$input.body", { pathWithQueryString: "/p?type=dog", body: "b" }, {});
  assert.equal(t.output, "dog|b");
});

test("syntax errors carry kind, line, column and byte span", () => {
  const template = "line one\n#if($x)\nunclosed";
  const r = vtl.render(template, {}, {});
  assert.equal(r.ok, false);
  assert.equal(r.errors.length, 1);
  const e = r.errors[0];
  assert.equal(e.kind, "syntax");
  assert.equal(typeof e.message, "string");
  for (const k of ["line", "column", "start", "end"]) assert.equal(typeof e[k], "number", k);
  assert.ok(e.openedAt, JSON.stringify(e));
  assert.equal(e.openedAt.line, 2);
  assert.ok(e.hint);
});

test("positions are UTF-8 bytes for start/end and characters for column", () => {
  const template = "é€ #set($a = )";
  const e = vtl.render(template, {}, {}).errors[0];
  assert.equal(e.line, 1);
  assert.equal(e.column, 14);
  assert.equal(e.start, 16);
  const bytes = Buffer.from(template);
  assert.ok(e.start <= bytes.length && e.end <= bytes.length, JSON.stringify(e));
  // The column counts characters: everything before the error, as characters, plus one.
  const prefix = bytes.subarray(0, e.start).toString();
  assert.equal(e.column, [...prefix].length + 1);
});

test("warnings point into the template", () => {
  const template = "ok #set($a = $b)";
  const r = vtl.render(template, {}, {});
  assert.equal(r.ok, true);
  assert.equal(r.warnings.length, 1, JSON.stringify(r.warnings));
  const w = r.warnings[0];
  assert.match(w.message, /\$b/);
  assert.equal(template.slice(w.start, w.end), "$b");
  assert.equal(w.line, 1);
  assert.equal(w.column, 14);
});

test("render errors and limits", () => {
  const r = vtl.render("#set($s = 'abc')$s.substring(5)", {}, {});
  assert.equal(r.ok, false);
  assert.equal(r.errors[0].kind, "render");
  const starved = vtl.render("#foreach($i in [1..1000])$i#end", {}, { fuel: 50 });
  assert.equal(starved.errors[0].kind, "limit");
  const small = vtl.render("#foreach($i in [1..1000])xxxxxxxx#end", {}, { maxOutput: 100 });
  assert.equal(small.errors[0].kind, "limit");
});

test("bad input is reported, never thrown", () => {
  for (const [request, options] of [
    ["{not json", {}],
    [{ bdy: "typo" }, {}],
    [[1, 2], {}],
    [{}, { profile: "nope" }],
  ]) {
    const r = vtl.render("x", request, options);
    assert.equal(r.ok, false, JSON.stringify(r));
    assert.equal(r.errors[0].kind, "input");
  }
});

test("profiles: aws hides undefined references, velocity shows them", () => {
  assert.equal(vtl.render("[$nothing]", {}, {}).output, "[]");
  const v = vtl.render("[$nothing] $who", null, { profile: "velocity", vars: { who: "Ada" } });
  assert.equal(v.output, "[$nothing] Ada");
  assert.equal(vtl.render("#include('x')", {}, {}).errors[0].kind, "not_allowed");
});

test("extensions are off unless asked for", () => {
  const off = vtl.render("$vtl", {}, { profile: "velocity" });
  assert.equal(off.output, "$vtl");
  const on = vtl.render("#if($vtl)on#{else}off#end", {}, { extensions: true });
  assert.equal(on.output, "on", JSON.stringify(on));
});

test("check lints without rendering", () => {
  const bad = vtl.check("#include('x.vtl')", {});
  assert.equal(bad.ok, false);
  assert.equal(bad.diagnostics[0].severity, "error");
  const warn = vtl.check("$util.noSuchThing('a')", {});
  assert.ok(warn.diagnostics.some((d) => d.severity === "warning"), JSON.stringify(warn));
  for (const k of ["code", "message", "line", "column", "start", "end"]) assert.ok(k in warn.diagnostics[0], k);
  assert.deepEqual(vtl.check("$input.body", {}).diagnostics, []);
  assert.deepEqual(vtl.check("ok").diagnostics, []);
});

test("tokens and ast", () => {
  const t = vtl.tokens("#set($a = 1)$a");
  assert.equal(t.ok, true);
  assert.ok(t.tokens.length > 3);
  for (const tok of t.tokens) assert.deepEqual(Object.keys(tok).sort(), ["end", "kind", "start", "text"]);
  const a = vtl.ast("#if($a)x#end");
  assert.equal(a.ok, true);
  assert.match(a.ast, /If/);
  const broken = vtl.ast("#if(");
  assert.equal(broken.ok, false);
  assert.equal(broken.errors[0].kind, "syntax");
});

test("normalizeRequest returns the request-file shape", () => {
  const n = vtl.normalizeRequest({
    requestContext: { stage: "dev" },
    path: "/a",
    body: "b",
    multiValueQueryStringParameters: { q: ["1", "2"] },
  });
  assert.equal(n.body, "b");
  assert.deepEqual(n.params.querystring, { q: ["1", "2"] });
  assert.equal(n.context.stage, "dev");
  assert.deepEqual(vtl.normalizeRequest(n), n);
  assert.ok(vtl.normalizeRequest({ bdy: 1 }).errors);
});

test("the reference benchmark cases render, and both forms agree", () => {
  const dir = path.join(here, "fixtures", "bench");
  const names = fs.readdirSync(dir).filter((f) => f.endsWith(".apigw.json"));
  assert.equal(names.length, 4);
  for (const name of names) {
    const apigw = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
    const core = JSON.parse(fs.readFileSync(path.join(dir, name.replace(".apigw.", ".core.")), "utf8"));
    const a = vtl.render(apigw.template, apigw.apigw, {});
    const c = vtl.render(core.template, core.apigw, { vars: core.vars });
    assert.equal(a.ok, true, `${name}: ${JSON.stringify(a.errors)}`);
    assert.equal(c.ok, true, `${name} (core): ${JSON.stringify(c.errors)}`);
    assert.ok(a.output.length > 100, name);
    assert.equal(a.output, c.output, name);
  }
});
