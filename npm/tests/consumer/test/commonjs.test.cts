// The CommonJS declarations (index.d.cts, test.d.cts), as a TypeScript CommonJS module sees them.
import { test } from "node:test";
import assert = require("node:assert/strict");
import vtl = require("vtl-apigw");
import helpers = require("vtl-apigw/test");

test("CommonJS types: compile, render and compare", () => {
  const t: vtl.Template = vtl.compile("$input.json('$.a')");
  const r: vtl.RenderResult = t.render({ body: { a: [1, 2] } });
  assert.equal(r.ok, true);
  helpers.assertBody(r, [1, 2]);
  t.free();
});
