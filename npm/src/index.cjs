"use strict";
// vtl-apigw: AWS API Gateway mapping templates and REST API methods, rendered as API Gateway
// does. The engine is WebAssembly, compiled synchronously when this module loads
// (./wasm/vtl_wasm.js: readFileSync + new WebAssembly.Module), so `require` and `import` both
// work without `await`. The ES module entry (index.mjs) re-exports this one.

const wasm = require("./wasm/vtl_wasm.js");

/** Thrown by compile() for a template that does not compile. */
class VtlError extends Error {
  constructor(errors, template) {
    const first = errors[0] || { kind: "input", message: "unknown error", line: null, column: null };
    const place = first.line != null ? ` at line ${first.line}, column ${first.column}` : "";
    let message = `${first.kind} error${place}: ${first.message}`;
    if (first.hint) message += ` (${first.hint})`;
    if (template !== undefined && first.line != null) {
      const line = String(template).split("\n")[first.line - 1];
      if (line !== undefined) {
        message += `\n  ${first.line} | ${line}\n  ${" ".repeat(String(first.line).length)} | ${" ".repeat(Math.max(0, first.column - 1))}^`;
      }
    }
    super(message);
    this.name = "VtlError";
    this.kind = first.kind;
    this.line = first.line;
    this.column = first.column;
    this.errors = errors;
  }
}

/** Thrown by loadApi() and Api#invoke() for input they cannot read. */
class ApiError extends Error {
  constructor(info) {
    super(info.message);
    this.name = "ApiError";
    this.kind = info.kind;
    this.pointer = info.pointer ?? null;
    this.template = info.template ?? null;
  }
}

// Handles free their WebAssembly memory when collected, unless freed first.
const registry =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry((inner) => {
        try {
          inner.free();
        } catch {
          // Already freed.
        }
      })
    : null;

function freed(what) {
  return new Error(`the ${what} was freed; it cannot be used any more`);
}

const TOKEN = Symbol("vtl-apigw");

/** A template compiled once (see compile()). */
class Template {
  #inner;
  #source;
  #compileMs;
  constructor(token, inner, source) {
    if (token !== TOKEN) throw new TypeError("use compile(template, options) to make a Template");
    this.#inner = inner;
    this.#source = source;
    this.#compileMs = inner.compileMs();
    if (registry) registry.register(this, inner, this);
  }
  get source() {
    return this.#source;
  }
  get compileMs() {
    return this.#compileMs;
  }
  render(request = null, vars = null) {
    if (!this.#inner) throw freed("template");
    return this.#inner.render(request ?? null, vars ?? null);
  }
  free() {
    if (!this.#inner) return;
    if (registry) registry.unregister(this);
    this.#inner.free();
    this.#inner = null;
  }
}

function compile(template, options) {
  if (typeof template !== "string") throw new TypeError("compile: the template must be a string");
  const inner = new wasm.CompiledTemplate(template, options ?? null);
  const errors = inner.errors();
  if (errors.length > 0) {
    inner.free();
    throw new VtlError(errors, template);
  }
  return new Template(TOKEN, inner, template);
}

function render(template, request, options) {
  return wasm.render(String(template), request ?? null, options ?? null);
}

/** A loaded API (see loadApi()). */
class Api {
  #inner;
  constructor(token, inner) {
    if (token !== TOKEN) throw new TypeError("use loadApi(spec, options) to make an Api");
    this.#inner = inner;
    if (registry) registry.register(this, inner, this);
  }
  methods() {
    if (!this.#inner) throw freed("API");
    return this.#inner.methods();
  }
  invoke(request, endpoint) {
    if (!this.#inner) throw freed("API");
    let backend = endpoint ?? null;
    if (typeof endpoint === "function") {
      backend = (sent) => {
        const answer = endpoint(sent);
        if (answer && typeof answer.then === "function") {
          throw new TypeError("the endpoint function must return its answer, not a promise");
        }
        return answer ?? null;
      };
    }
    const out = this.#inner.invoke(request, backend);
    if (out.ok) return out.result;
    if ("thrown" in out) throw out.thrown;
    throw new ApiError(out.error);
  }
  free() {
    if (!this.#inner) return;
    if (registry) registry.unregister(this);
    this.#inner.free();
    this.#inner = null;
  }
}

function loadApi(spec, options) {
  if (typeof spec !== "string") throw new TypeError("loadApi: the spec must be text (JSON or YAML)");
  const inner = new wasm.GatewayApi(spec, options ?? null);
  const error = inner.error();
  if (error) {
    inner.free();
    throw new ApiError(error);
  }
  return new Api(TOKEN, inner);
}

function compareBody(expected, actual, options) {
  const as = options?.as ?? "auto";
  if (!["json", "xml", "text", "auto"].includes(as)) {
    throw new TypeError(`compareBody: "as" must be json, xml, text or auto, not ${JSON.stringify(as)}`);
  }
  return wasm.compareBody(String(expected), String(actual), as, Boolean(options?.exact));
}

module.exports = {
  render,
  compile,
  Template,
  check: (template, options) => wasm.check(String(template), options ?? null),
  tokens: (template) => wasm.tokens(String(template)),
  ast: (template) => wasm.ast(String(template)),
  normalizeRequest: (request) => wasm.normalizeRequest(request ?? null),
  version: () => wasm.version(),
  loadApi,
  Api,
  compareBody,
  VtlError,
  ApiError,
};
