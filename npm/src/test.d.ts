// Types of vtl-apigw/test: compare rendered outputs and method bodies as `vtl test` does.

import type {
  CompareAs,
  Invocation,
  JsonObject,
  JsonValue,
  RenderOptions,
  RenderResult,
  RequestInput,
  Template,
} from "./index.js";

/** What the output is compared with: text (compared as `as` says, by default by its look), or any other JSON value (compared as JSON). */
export type Expected = string | JsonValue;

/** How the output is compared. */
export interface CompareBodyOptions {
  /** `"auto"` for text, `"json"` for other values, by default. */
  as?: CompareAs;
  /** Compare JSON and XML byte for byte. */
  exact?: boolean;
}

/** What to render and how to compare (the render options apply to a template given as text). */
export interface ExpectRenderOptions extends RenderOptions, CompareBodyOptions {
  /** The request (any shape `render` reads). */
  request?: RequestInput;
}

/** What produced a body: its text, a render result or an invocation. */
export type BodySource = string | RenderResult | Invocation;

/** The outcome of a comparison: whether it matched and a readable account (with a unified diff, expected → actual). */
export interface Outcome {
  pass: boolean;
  detail: string;
}

/** Renders `template` and compares its output with `expected`. */
export declare function checkRender(template: string | Template, expected: Expected, options?: ExpectRenderOptions): Outcome;

/** Compares a body with `expected`. */
export declare function checkBody(received: BodySource, expected: Expected, options?: CompareBodyOptions): Outcome;

/** Throws an `AssertionError` (node:assert) with a diff unless `template` renders `expected`. */
export declare function assertRenders(template: string | Template, expected: Expected, options?: ExpectRenderOptions): void;

/** Throws an `AssertionError` (node:assert) with a diff unless the body matches `expected`. */
export declare function assertBody(received: BodySource, expected: Expected, options?: CompareBodyOptions): void;

/** Renders and parses the output as JSON; throws a `VtlError` if the render fails, a `SyntaxError` if the output is not JSON. */
export declare function renderJson(template: string | Template, request?: RequestInput, vars?: JsonObject | null): JsonValue;

/** What a matcher returns to Jest or Vitest. */
export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** The matchers, for `expect.extend(matchers)`. */
export declare const matchers: {
  toRender(this: unknown, received: string | Template, expected: Expected, options?: ExpectRenderOptions): MatcherResult;
  toMatchBody(this: unknown, received: BodySource, expected: Expected, options?: CompareBodyOptions): MatcherResult;
};

/**
 * The matchers as `expect(...)` sees them, to add to your runner's types:
 * `declare module "vitest" { interface Assertion<T> extends VtlMatchers<void> {} }` or
 * `declare module "expect" { interface Matchers<R> extends VtlMatchers<R> {} }` (Jest).
 */
export interface VtlMatchers<R> {
  toRender(expected: Expected, options?: ExpectRenderOptions): R;
  toMatchBody(expected: Expected, options?: CompareBodyOptions): R;
}
