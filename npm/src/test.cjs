"use strict";
// vtl-apigw/test: render and compare outputs as `vtl test` does (JSON by value, XML ignoring
// whitespace between tags, text byte for byte), with a unified diff when they differ. Plain
// assertions for node:test (or any runner) and matchers for Jest and Vitest (`expect.extend`).

const { AssertionError } = require("node:assert");
const vtl = require("./index.cjs");

// What `expected` is compared as: text as given (or as `as` says), any other value as JSON.
function expectedText(expected, as) {
  if (typeof expected === "string") return { text: expected, as: as ?? "auto" };
  return { text: JSON.stringify(expected), as: as ?? "json" };
}

function renderFor(template, options) {
  const request = options?.request ?? null;
  if (template instanceof vtl.Template) return template.render(request, options?.vars ?? null);
  if (typeof template !== "string") {
    throw new TypeError("expected a template (a string or a Template from compile())");
  }
  const { request: _r, as: _a, exact: _e, ...renderOptions } = options ?? {};
  return vtl.render(template, request, renderOptions);
}

function errorsText(errors) {
  return errors
    .map((e) => `  ${e.kind} error${e.line != null ? ` at ${e.line}:${e.column}` : ""}: ${e.message}`)
    .join("\n");
}

// The body a received value stands for: a string, a render result's output, an invocation's body.
function bodyOf(received) {
  if (typeof received === "string") return received;
  if (received && typeof received === "object") {
    if ("ok" in received && "errors" in received) {
      if (!received.ok) return { failed: received.errors };
      return received.output;
    }
    if ("status" in received && "body" in received && typeof received.body === "string") {
      return received.body;
    }
  }
  throw new TypeError("expected a string, a render result or an invocation");
}

function compareText(actual, expected, options) {
  const e = expectedText(expected, options?.as);
  const c = vtl.compareBody(e.text, actual, { as: e.as, exact: options?.exact });
  if (c.ok) return { pass: true, detail: `output matches:\n${actual}` };
  return { pass: false, detail: c.diff ? `${c.message}\n${c.diff.replace(/\n$/, "")}` : c.message };
}

/** Renders `template` and compares its output with `expected`; the outcome and a readable text. */
function checkRender(template, expected, options) {
  const r = renderFor(template, options);
  if (!r.ok) return { pass: false, detail: `the template failed:\n${errorsText(r.errors)}` };
  return compareText(r.output, expected, options);
}

/** Like checkRender, for a body already produced (a string, a render result, an invocation). */
function checkBody(received, expected, options) {
  const body = bodyOf(received);
  if (typeof body !== "string") return { pass: false, detail: `the template failed:\n${errorsText(body.failed)}` };
  return compareText(body, expected, options);
}

function assertOutcome(outcome, what, actual, expected) {
  if (outcome.pass) return;
  throw new AssertionError({
    message: `${what}: ${outcome.detail}`,
    actual,
    expected,
    operator: "compareBody",
  });
}

/** Throws an AssertionError with a diff unless `template` renders `expected`. */
function assertRenders(template, expected, options) {
  const outcome = checkRender(template, expected, options);
  assertOutcome(outcome, "the rendered output does not match", undefined, expected);
}

/** Throws an AssertionError with a diff unless `received` (a body, render result or invocation) matches `expected`. */
function assertBody(received, expected, options) {
  assertOutcome(checkBody(received, expected, options), "the body does not match", undefined, expected);
}

/** Renders `template` and parses its output as JSON; throws a VtlError if it fails, a SyntaxError if the output is not JSON. */
function renderJson(template, request, vars) {
  const t = typeof template === "string" ? vtl.compile(template) : template;
  try {
    const r = t.render(request ?? null, vars ?? null);
    if (!r.ok) throw new vtl.VtlError(r.errors, t.source);
    try {
      return JSON.parse(r.output);
    } catch (e) {
      throw new SyntaxError(`the output is not JSON (${e.message}):\n${r.output}`);
    }
  } finally {
    if (t !== template) t.free();
  }
}

function matcherResult(context, outcome, what) {
  const not = Boolean(context && context.isNot);
  return {
    pass: outcome.pass,
    message: () =>
      not ? `expected ${what} not to match, but it does: ${outcome.detail}` : `expected ${what} to match: ${outcome.detail}`,
  };
}

/** Matchers for `expect.extend(matchers)` (Jest, Vitest). */
const matchers = {
  /** `expect(templateOrCompiled).toRender(expected, {request, vars, profile, as, exact})` */
  toRender(received, expected, options) {
    return matcherResult(this, checkRender(received, expected, options), "the rendered output");
  },
  /** `expect(bodyOrResultOrInvocation).toMatchBody(expected, {as, exact})` */
  toMatchBody(received, expected, options) {
    return matcherResult(this, checkBody(received, expected, options), "the body");
  },
};

module.exports = { assertRenders, assertBody, renderJson, checkRender, checkBody, matchers };
