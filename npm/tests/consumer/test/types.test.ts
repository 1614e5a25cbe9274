// The package's types: nothing public is `any`, results narrow on `ok`, and wrong calls do not
// compile (each @ts-expect-error fails the build if the line below it compiles).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Api,
  ApiError,
  compareBody,
  compile,
  loadApi,
  render,
  Template,
  VtlError,
  check,
  tokens,
  ast,
  normalizeRequest,
  version,
  type Invocation,
  type RenderResult,
  type VtlErrorInfo,
} from "vtl-apigw";
import { assertBody, assertRenders, checkBody, checkRender, matchers, renderJson } from "vtl-apigw/test";

type IsAny<T> = 0 extends 1 & T ? true : false;
type NoAny<T> = IsAny<T> extends true ? never : T;
// Every parameter and result of a function, shallowly.
type Clean<F extends (...args: never[]) => unknown> = {
  [K in keyof Parameters<F>]-?: IsAny<Parameters<F>[K]>;
}[number] extends false
  ? IsAny<ReturnType<F>> extends false
    ? true
    : false
  : false;

const clean: [
  Clean<typeof render>,
  Clean<typeof compile>,
  Clean<typeof loadApi>,
  Clean<typeof compareBody>,
  Clean<typeof check>,
  Clean<typeof tokens>,
  Clean<typeof ast>,
  Clean<typeof normalizeRequest>,
  Clean<typeof version>,
  Clean<Template["render"]>,
  Clean<Api["invoke"]>,
  Clean<Api["methods"]>,
  Clean<typeof assertBody>,
  Clean<typeof assertRenders>,
  Clean<typeof checkBody>,
  Clean<typeof checkRender>,
  Clean<typeof renderJson>,
  Clean<typeof matchers.toRender>,
  Clean<typeof matchers.toMatchBody>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];

test("no any in the public surface", () => {
  assert.ok(clean.every((c) => c));
  const kinds: NoAny<VtlErrorInfo["kind"]>[] = ["syntax", "limit"];
  assert.equal(kinds.length, 2);
});

test("results narrow on ok", () => {
  const r: RenderResult = render("$input.json('$')", { body: "[1]" });
  if (r.ok) {
    const output: string = r.output;
    assert.equal(output, "[1]");
  } else {
    const first: VtlErrorInfo | undefined = r.errors[0];
    assert.fail(first?.message);
  }
});

test("errors are classes with typed fields", () => {
  assert.throws(
    () => compile("#foreach($x in [1])"),
    (e: unknown) => e instanceof VtlError && e.kind === "syntax" && e.line === 1 && e.errors.length >= 1,
  );
  assert.throws(
    () => loadApi("{}}"),
    (e: unknown) => e instanceof ApiError && e.kind === "syntax",
  );
  const t = compile("$x");
  assert.ok(t instanceof Template);
  t.free();
});

test("wrong calls do not compile", () => {
  const api = loadApi(
    JSON.stringify({
      paths: {
        "/a": {
          get: {
            "x-amazon-apigateway-integration": {
              type: "mock",
              requestTemplates: { "application/json": '{"statusCode": 200}' },
              responses: { default: { statusCode: "200" } },
            },
          },
        },
      },
    }),
  );
  // @ts-expect-error: the request needs a path.
  assert.throws(() => api.invoke({ httpMethod: "GET" }), ApiError);
  // @ts-expect-error: no such option.
  const misspelt = () => compile("$x", { profil: "aws" });
  assert.equal(typeof misspelt, "function");
  // @ts-expect-error: profiles are "aws" and "velocity".
  assert.equal(render("$x", null, { profile: "java" }).ok, false);
  const out: Invocation = api.invoke({ httpMethod: "GET", path: "/a" });
  // @ts-expect-error: status is a number.
  const s: string = out.status;
  assert.equal(s, 200);
  api.free();
});
