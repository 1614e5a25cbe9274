// The CommonJS entry points: `require` works without `await`, and it is the same module as
// the ES module entry.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const vtl = require("vtl-apigw");
const { matchers, assertRenders } = require("vtl-apigw/test");

test("require loads the engine synchronously", () => {
  assert.equal(typeof vtl.version(), "string");
  const r = vtl.render("$input.params('id')", { params: { path: { id: "7" } } });
  assert.equal(r.ok, true);
  assert.equal(r.output, "7");
});

test("import and require share one module", async () => {
  const esm = await import("vtl-apigw");
  assert.equal(esm.compile, vtl.compile);
  assert.equal(esm.VtlError, vtl.VtlError);
});

test("a compiled template renders many requests with the same limits as render", () => {
  const t = vtl.compile("#foreach($i in [1..$input.path('$.n')])$i#end", { fuel: 200 });
  for (let n = 1; n <= 20; n++) {
    const r = t.render({ body: JSON.stringify({ n }) });
    const direct = vtl.render(t.source, { body: JSON.stringify({ n }) }, { fuel: 200 });
    assert.equal(r.ok, direct.ok);
    assert.deepEqual(r.errors, direct.errors);
    assert.equal(r.output, direct.output);
  }
  const starved = t.render({ body: '{"n": 100000}' });
  assert.equal(starved.ok, false);
  assert.equal(starved.errors[0].kind, "limit");
  t.free();
  t.free(); // twice is harmless
  assert.throws(() => t.render(), /freed/);
});

test("compile errors throw a VtlError with the render error objects", () => {
  const template = "line one\n#if($x";
  let thrown;
  try {
    vtl.compile(template);
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown instanceof vtl.VtlError);
  assert.deepEqual(thrown.errors, vtl.render(template).errors);
  assert.match(thrown.message, /line 2, column \d+/);
});

test("matchers report a diff, and the negated message", () => {
  const result = matchers.toRender.call({ isNot: false }, '{"a": $input.json(\'$.a\')}', { a: 2 }, {
    request: { body: '{"a": 1}' },
  });
  assert.equal(result.pass, false);
  assert.match(result.message(), /JSON output differs/);
  assert.match(result.message(), /-  "a": 2\n\+  "a": 1/);
  const ok = matchers.toRender.call({ isNot: true }, "$input.json('$')", { b: [1, 2] }, {
    request: { body: '{"b":[1,2.0]}' },
  });
  assert.equal(ok.pass, true);
  assert.match(ok.message(), /not to match/);
  assert.throws(() => assertRenders("<a> <b>1</b></a>", "<a><b>2</b></a>", { as: "xml" }), /XML output differs/);
  assertRenders("<a>\n  <b>1</b>\n</a>", "<a><b>1</b></a>", { as: "xml" });
});
