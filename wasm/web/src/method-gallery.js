// Method mode's gallery: runs of the pets API (examples/pets), each a method request and what
// the backend answers (examples/pets/responses). The spec and the answers come from the
// repository at build time; what the gateway makes of them is computed live.

import APIS from "virtual:repo-apis";

const pets = APIS.pets;
const answer = (name) => pets?.responses?.[name] ?? null;
const registry = { registryHost: "registry.example.com", registryKey: "k-123" };

/** {id, title, description, tags, api, request: {method, path, query, headers, stageVariables, body}, endpoint, extensions} */
export const METHOD_EXAMPLES = pets
  ? [
      {
        id: "pets-preflight",
        title: "Pets: CORS preflight",
        description: "OPTIONS /pets: a MOCK integration. The request template's statusCode selects the response; no backend is called.",
        tags: ["MOCK", "CORS"],
        request: { method: "OPTIONS", path: "/pets", headers: { Origin: "https://app.example.com", "Access-Control-Request-Method": "GET" } },
        endpoint: null,
      },
      {
        id: "pets-list",
        title: "Pets: list (XML becomes JSON)",
        description: "GET /pets?limit=2 to an HTTP registry: request mappings, stage variables in the URI, an XML answer turned into JSON.",
        tags: ["HTTP", "XML"],
        request: { method: "GET", path: "/pets", query: { limit: "2" }, headers: { "X-Request-Id": "req-42" }, stageVariables: registry },
        endpoint: answer("list-pets"),
      },
      {
        id: "pets-list-404",
        title: "Pets: the registry answers 404",
        description: "HTTP status 404 is the selection value: no pattern matches it (only 5\\d{2}), so the default response maps it.",
        tags: ["HTTP", "selection"],
        request: { method: "GET", path: "/pets", query: { limit: "2" }, headers: { "X-Request-Id": "req-42" }, stageVariables: registry },
        endpoint: { status: 404, headers: { "Content-Type": "text/plain" }, body: "Not Found" },
      },
      {
        id: "pets-list-down",
        title: "Pets: the registry is down (5xx → 502)",
        description: "An HTTP 503 matches the pattern 5\\d{2} and becomes a 502 with its own template.",
        tags: ["HTTP", "selection"],
        request: { method: "GET", path: "/pets", headers: { "X-Request-Id": "req-42" }, stageVariables: registry },
        endpoint: answer("registry-down"),
      },
      {
        id: "pets-get",
        title: "Pets: get one (Lambda)",
        description: "GET /pets/1 to a Lambda function (non-proxy): request template, default 200 response.",
        tags: ["Lambda"],
        request: { method: "GET", path: "/pets/1" },
        endpoint: answer("get-pet"),
      },
      {
        id: "pets-get-not-found",
        title: "Pets: Lambda error → 404",
        description: "The function's errorMessage \"Pet 99 not found\" matches .*not found.* and selects the 404 response.",
        tags: ["Lambda", "selection"],
        request: { method: "GET", path: "/pets/99" },
        endpoint: answer("get-pet-not-found"),
      },
      {
        id: "pets-get-invalid",
        title: "Pets: Lambda error → 400 (JSON in errorMessage)",
        description: "A JSON errorMessage matched by .*\"httpStatus\":400.* and unpacked with $util.parseJson.",
        tags: ["Lambda", "selection"],
        request: { method: "GET", path: "/pets/abc" },
        endpoint: answer("get-pet-invalid-id"),
      },
      {
        id: "pets-adopt",
        title: "Pets: adopt (JSON to SOAP)",
        description: "POST /pets/1/adoption: the SOAP envelope built with $vtl.soapEnvelope (this project's extension).",
        tags: ["HTTP", "SOAP", "$vtl"],
        extensions: true,
        request: {
          method: "POST",
          path: "/pets/1/adoption",
          headers: { "Content-Type": "application/json" },
          body: '{"name": "Ada", "email": "ada@example.com"}',
        },
        endpoint: answer("adopt"),
      },
      {
        id: "pets-adopt-refused",
        title: "Pets: adoption refused (SOAP fault → 409)",
        description: "An HTTP 500 SOAP fault read with $vtl.soapFault; a client fault becomes 409 through responseOverride.status.",
        tags: ["HTTP", "SOAP", "$vtl"],
        extensions: true,
        request: {
          method: "POST",
          path: "/pets/1/adoption",
          headers: { "Content-Type": "application/json" },
          body: '{"name": "Ada", "email": "ada@example.com"}',
        },
        endpoint: answer("adopt-refused"),
      },
    ]
  : [];

/** The method state of an example. */
export function methodStateOf(ex) {
  const e = ex.endpoint || {};
  let body = e.body ?? "";
  let errorMessage = "";
  let errorType = "";
  if (body && typeof body === "object") {
    if (typeof body.errorMessage === "string") {
      errorMessage = body.errorMessage;
      errorType = body.errorType || "";
      body = "";
    } else body = JSON.stringify(body, null, 2);
  }
  return {
    example: ex.id,
    specName: pets.file,
    spec: pets.spec,
    overrides: {},
    selected: `${ex.request.method} ${ex.request.path}`,
    method: ex.request.method,
    path: ex.request.path,
    query: ex.request.query || {},
    headers: ex.request.headers || {},
    stageVariables: ex.request.stageVariables || {},
    body: ex.request.body || "",
    extensions: !!ex.extensions,
    endpoint: {
      status: String(e.status ?? 200),
      headers: e.headers || {},
      body: String(body),
      errorMessage,
      errorType,
    },
    template: null,
  };
}

export const DEFAULT_METHOD_EXAMPLE = METHOD_EXAMPLES[1] || METHOD_EXAMPLES[0];
