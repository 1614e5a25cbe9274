// Types of vtl-apigw: AWS API Gateway mapping templates and REST API methods, rendered as API
// Gateway does, in WebAssembly.

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Parameter values by name: one value, or several in order (templates see the last). */
export type ParamValues = Record<string, string | number | boolean | Array<string | number | boolean>>;

// ---- requests --------------------------------------------------------------------------

/** The request-file shape, every key optional (what `vtl render --request` reads). */
export interface RequestFile {
  /** The raw body; a JSON value is taken as its compact text. An empty body reads as `{}`. */
  body?: string | JsonValue;
  /** The Content-Type (informational; a method chooses its template by it). */
  contentType?: string | null;
  /** Method-request parameters by location. */
  params?: {
    path?: ParamValues;
    querystring?: ParamValues;
    header?: ParamValues;
  };
  /** `$stageVariables`. */
  stageVariables?: Record<string, string | number | boolean>;
  /** Values deep-merged over the default `$context` (e.g. `{ stage: "prod", authorizer: {...} }`). */
  context?: JsonObject;
}

/** An API Gateway Lambda-proxy event (read when it has `requestContext` or `multiValueHeaders`). */
export interface LambdaProxyEvent {
  requestContext?: JsonObject;
  resource?: string;
  path?: string;
  httpMethod?: string;
  headers?: Record<string, string> | null;
  multiValueHeaders?: Record<string, string[]> | null;
  queryStringParameters?: Record<string, string> | null;
  multiValueQueryStringParameters?: Record<string, string[]> | null;
  pathParameters?: Record<string, string> | null;
  stageVariables?: Record<string, string> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** A TestInvokeMethod request (read when it has `pathWithQueryString`). */
export interface TestInvokeMethodRequest {
  pathWithQueryString: string;
  body?: string | null;
  headers?: Record<string, string> | null;
  multiValueHeaders?: Record<string, string[]> | null;
  stageVariables?: Record<string, string> | null;
  clientCertificateId?: string;
}

/** The request a template renders for, in one of these shapes, as an object or JSON text; `null` for an empty request. */
export type RequestInput = RequestFile | LambdaProxyEvent | TestInvokeMethodRequest | string | null;

/** A request in the request-file shape with every key present (see {@link normalizeRequest}). */
export interface NormalizedRequest {
  body: string;
  contentType: string | null;
  params: {
    path: Record<string, string | string[]>;
    querystring: Record<string, string | string[]>;
    header: Record<string, string | string[]>;
  };
  stageVariables: Record<string, string>;
  context: JsonObject;
}

// ---- options ---------------------------------------------------------------------------

/** Which engine behaviour to reproduce: API Gateway's (default) or Apache Velocity 1.7's. */
export type Profile = "aws" | "velocity";

/** How templates compile and run. */
export interface CompileOptions {
  /** `"aws"` (default) or `"velocity"`. */
  profile?: Profile;
  /** Turn on this project's `$vtl` extensions. */
  extensions?: boolean;
  /** The work budget of one render (the profile's default when absent); over it, a `limit` error. */
  fuel?: number;
  /** The largest output in bytes; over it, a `limit` error. */
  maxOutput?: number;
}

/** Options of {@link render}: those of {@link compile} plus the template's variables. */
export interface RenderOptions extends CompileOptions {
  /** Variables, as if set with `#set` before the template (the host objects win). */
  vars?: JsonObject;
}

// ---- results, errors and warnings ------------------------------------------------------

/** What went wrong: `syntax` and `directive` at compile time, the others while rendering. */
export type ErrorKind = "syntax" | "directive" | "not_allowed" | "render" | "limit" | "input";

/** An error in the CLI's JSON shape. Offsets are UTF-8 bytes; line and column 1-based (columns in characters). */
export interface VtlErrorInfo {
  kind: ErrorKind;
  message: string;
  line: number | null;
  column: number | null;
  start: number | null;
  end: number | null;
  /** A suggestion, when there is one. */
  hint?: string;
  /** Where the unclosed construct was opened (an `#if` without `#end`, …). */
  openedAt?: { line: number; column: number; start: number; end: number };
}

/** Something worth knowing that did not stop the render (an undefined reference, …). */
export interface Warning {
  message: string;
  line: number;
  column: number;
  start: number;
  end: number;
}

/** `$context.requestOverride` after the render (values as the template set them). */
export interface RequestOverride {
  header: JsonObject;
  querystring: JsonObject;
  path: JsonObject;
}

/** `$context.responseOverride` after the render (`status` when the template set one). */
export interface ResponseOverride {
  header: JsonObject;
  status?: JsonValue;
}

/** Milliseconds spent (`compileMs` is 0 for a {@link Template}'s renders). */
export interface Timings {
  compileMs: number;
  renderMs: number;
}

/** A render that worked. */
export interface RenderSuccess {
  ok: true;
  output: string;
  requestOverride: RequestOverride | null;
  responseOverride: ResponseOverride | null;
  errors: [];
  warnings: Warning[];
  timings: Timings;
}

/** A render that failed: `errors` says why (usually one error). */
export interface RenderFailure {
  ok: false;
  output?: undefined;
  errors: VtlErrorInfo[];
  warnings: Warning[];
  timings?: Timings;
}

/** The result of {@link render} and {@link Template.render}; narrow on `ok`. */
export type RenderResult = RenderSuccess | RenderFailure;

/** A lint finding of {@link check}. */
export interface Diagnostic {
  severity: "error" | "warning";
  code: string;
  message: string;
  line: number | null;
  column: number | null;
  start: number | null;
  end: number | null;
  hint: string | null;
}

/** The result of {@link check}. */
export interface CheckResult {
  /** False when a diagnostic is an error. */
  ok: boolean;
  diagnostics: Diagnostic[];
  errors?: VtlErrorInfo[];
}

/** A lexer token. */
export interface Token {
  kind: string;
  start: number;
  end: number;
  text: string;
}

/** The result of {@link tokens}. */
export interface TokensResult {
  ok: boolean;
  tokens: Token[];
  errors: VtlErrorInfo[];
}

/** The result of {@link ast}. */
export interface AstResult {
  ok: boolean;
  /** The syntax tree as indented text. */
  ast: string;
  errors: VtlErrorInfo[];
}

/** Thrown by {@link compile} for a template that does not compile (or bad options). */
export declare class VtlError extends Error {
  readonly name: "VtlError";
  /** The first error's kind. */
  readonly kind: ErrorKind;
  /** The first error's line and column (1-based), when it has a place. */
  readonly line: number | null;
  readonly column: number | null;
  /** Every error, in the CLI's JSON shape. */
  readonly errors: VtlErrorInfo[];
  constructor(errors: VtlErrorInfo[], template?: string);
}

// ---- templates -------------------------------------------------------------------------

/**
 * Renders `template` for `request`. Never throws for a bad template or request: the result
 * says `ok: false` and carries `errors`.
 */
export declare function render(template: string, request?: RequestInput, options?: RenderOptions): RenderResult;

/** A template compiled once, rendered for any number of requests with the same options. */
export declare class Template {
  private constructor();
  /** The template text. */
  readonly source: string;
  /** Milliseconds the compilation took. */
  readonly compileMs: number;
  /** Renders for `request` with `vars`; the same result and limits as {@link render}. */
  render(request?: RequestInput, vars?: JsonObject | null): RenderResult;
  /** Releases the compiled template now (otherwise when it is garbage-collected). Rendering after `free()` throws. */
  free(): void;
}

/** Compiles `template` once. Throws a {@link VtlError} if it does not compile. */
export declare function compile(template: string, options?: CompileOptions): Template;

/** Lints `template` without rendering it. */
export declare function check(template: string, options?: CompileOptions): CheckResult;

/** The lexer's tokens. */
export declare function tokens(template: string): TokensResult;

/** The syntax tree as indented text. */
export declare function ast(template: string): AstResult;

/** Reads a request in any shape and returns it in the request-file shape. */
export declare function normalizeRequest(request: RequestInput): NormalizedRequest | { errors: VtlErrorInfo[] };

/** The engine's version. */
export declare function version(): string;

// ---- the whole method ------------------------------------------------------------------

/** How a loaded API runs requests. */
export interface ApiOptions {
  /** The stage name (`$context.stage`); `test` by default. */
  stage?: string;
  /** Stage variables (a request's own win). */
  stageVariables?: Record<string, string | number | boolean>;
  /** The AWS region of Lambda and service URIs; `us-east-1` by default. */
  region?: string;
  /** The request id (`$context.requestId`); by default a hash of the request, so logs repeat. */
  requestId?: string;
  /** Turn on this project's `$vtl` extensions in every template. */
  extensions?: boolean;
  /**
   * Choose the request template as the console's Test button does (always `application/json`,
   * whatever the request's `Content-Type`); off by default, as in a live call.
   */
  forceJsonContentType?: boolean;
}

/** A request as the client sends it to the method. */
export interface MethodRequest {
  /** `GET`, `POST`, … (any case). */
  httpMethod: string;
  /** The path, with an optional query string: `/pets/7?limit=2`. */
  path: string;
  /** Headers; an array for a repeated header. */
  headers?: ParamValues;
  /** Query-string parameters, added to those of `path`. */
  query?: ParamValues;
  /** The body; a JSON value is sent as its compact text. */
  body?: string | JsonValue;
  /** Stage variables of this request (winning over {@link ApiOptions.stageVariables}). */
  stageVariables?: Record<string, string | number | boolean>;
  /** Values deep-merged over the default `$context` (e.g. an authorizer's `{ authorizer: {...} }`). */
  context?: JsonObject;
}

/**
 * The backend's answer. For a Lambda integration the body is the function's result or error
 * payload (`{ errorMessage, errorType }`); text that is not JSON is the function's string result.
 */
export interface EndpointResponse {
  /** 100 to 599; 200 when absent. */
  status?: number | string;
  /** The same as `status`. */
  statusCode?: number | string;
  headers?: ParamValues;
  /** Text, or a JSON value sent as its compact text. */
  body?: string | JsonValue;
}

/** API Gateway's integration types. */
export type IntegrationType = "MOCK" | "AWS" | "HTTP" | "AWS_PROXY" | "HTTP_PROXY";

/** What the backend is sent, as an endpoint function receives it. */
export interface EndpointRequestDetail {
  integrationType: IntegrationType;
  httpMethod: string;
  /** The integration URI with its placeholders filled (for Lambda, the Invoke API URL). */
  uri: string;
  /** Headers by name (the last value). */
  headers: Record<string, string>;
  /** Headers by name (every value). */
  multiValueHeaders: Record<string, string[]>;
  body: string;
}

/** A backend in the test: called with what it is sent, returns its answer (synchronously). */
export type EndpointFunction = (request: EndpointRequestDetail) => EndpointResponse;

/** What the backend was sent, as `vtl invoke --format json` prints it. */
export interface EndpointRequest {
  httpMethod: string;
  uri: string;
  headers: Record<string, string>;
  body: string;
}

/** Why a spec could not be loaded, or a template failed. */
export type ApiErrorKind = "syntax" | "spec" | "templateCompile" | "templateRender" | "input";

/** An API error as JSON. */
export interface ApiErrorInfo {
  kind: ApiErrorKind;
  /** One line, with the place in the spec. */
  message: string;
  /** The JSON pointer (RFC 6901) of the part of the spec at fault. */
  pointer: string | null;
  /** The engine's error when a template is at fault (its place within the template). */
  template: VtlErrorInfo | null;
}

/**
 * The result of {@link Api.invoke}: the fields of `vtl invoke --format json` (TestInvokeMethod's
 * response fields plus `endpointRequest`), and `templateError`.
 */
export interface Invocation {
  /** The method response's status. */
  status: number;
  body: string;
  /** Headers by name (the last value). */
  headers: Record<string, string>;
  /** Headers by name (every value). */
  multiValueHeaders: Record<string, string[]>;
  /** The TestInvokeMethod execution log. */
  log: string;
  /** Milliseconds, by the (fixed) clock. */
  latency: number;
  /** What the backend was sent; `null` for MOCK or a request rejected first. */
  endpointRequest: EndpointRequest | null;
  /** A template that failed while rendering (the response is then a 500); `null` otherwise. */
  templateError: ApiErrorInfo | null;
}

/** A method of a loaded API. */
export interface MethodInfo {
  httpMethod: string;
  /** The resource path (`/pets/{id}`). */
  path: string;
  integrationType: IntegrationType | null;
}

/** Thrown by {@link loadApi} and by {@link Api.invoke} for input it cannot read. */
export declare class ApiError extends Error {
  readonly name: "ApiError";
  readonly kind: ApiErrorKind;
  readonly pointer: string | null;
  readonly template: VtlErrorInfo | null;
  constructor(info: ApiErrorInfo);
}

/** A loaded API: its templates compiled once, ready to run requests. */
export declare class Api {
  private constructor();
  /** Its methods. */
  methods(): MethodInfo[];
  /**
   * Runs `request` through its method, as the console's Test button does. `endpoint` is the
   * backend's answer, or a function called with what the backend is sent (default: 200 with an
   * empty body; ignored for MOCK). Throws an {@link ApiError} for a request it cannot read, and
   * rethrows what `endpoint` throws.
   */
  invoke(request: MethodRequest, endpoint?: EndpointResponse | EndpointFunction): Invocation;
  /** Releases the API now (otherwise when it is garbage-collected). */
  free(): void;
}

/**
 * Loads an OpenAPI 2/3 export or a CloudFormation/SAM template (JSON or YAML text). Throws an
 * {@link ApiError} naming the part at fault.
 */
export declare function loadApi(spec: string, options?: ApiOptions): Api;

// ---- comparing -------------------------------------------------------------------------

/** How to compare bodies: as JSON values, as XML (whitespace between tags ignored), as text, or by the look of the expected body. */
export type CompareAs = "json" | "xml" | "text" | "auto";

/** Options of {@link compareBody}. */
export interface CompareOptions {
  /** `"auto"` by default. */
  as?: CompareAs;
  /** Compare JSON and XML byte for byte. */
  exact?: boolean;
}

/** The result of {@link compareBody}. */
export type Comparison =
  | { ok: true; message: null; diff: null }
  | { ok: false; message: string; diff: string | null };

/**
 * Compares `actual` with `expected` as `vtl test` does: JSON by value (numbers by value, key
 * order ignored), XML ignoring whitespace between tags, text byte for byte; a unified diff
 * (expected → actual) when they differ.
 */
export declare function compareBody(expected: string, actual: string, options?: CompareOptions): Comparison;
