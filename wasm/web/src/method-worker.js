// Method mode's worker: the engine with the method pipeline (GatewayApi), loaded only when
// Method mode is opened. It keeps the last loaded API and reloads it when the spec, the edited
// templates or the options change.

import init, * as vtl from "../pkg-gateway/vtl_wasm.js";
import { serve } from "./worker-loop.js";

let loaded = { key: null, api: null, document: null };

/** RFC 6901 pointer segments. */
function segments(pointer) {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * The spec with its edited templates: the spec document with each template text put at its
 * pointer. Returns {document, spec (the text to load), error}.
 */
function edited(spec, overrides) {
  const pointers = Object.keys(overrides || {});
  const parsed = vtl.specDocument(spec);
  if (!parsed.ok) return { error: parsed.error };
  if (!pointers.length) return { document: parsed.document, spec };
  const doc = parsed.document;
  for (const pointer of pointers) {
    const path = segments(pointer);
    let node = doc;
    for (const key of path.slice(0, -1)) node = node && typeof node === "object" ? node[key] : undefined;
    const last = path[path.length - 1];
    // Only a template that is plain text where the pointer says (not an intrinsic function).
    if (node && typeof node === "object" && typeof node[last] === "string") node[last] = overrides[pointer];
  }
  return { document: doc, spec: JSON.stringify(doc) };
}

function load(msg) {
  const key = JSON.stringify([msg.spec, msg.overrides, msg.options]);
  if (loaded.key === key) return loaded;
  loaded.api?.free();
  const e = edited(msg.spec, msg.overrides);
  if (e.error) {
    loaded = { key, api: null, document: null, error: e.error, methods: [] };
    return loaded;
  }
  const api = new vtl.GatewayApi(e.spec, msg.options || {});
  loaded = { key, api, document: e.document, error: api.error(), methods: api.methods() };
  return loaded;
}

serve(
  init,
  vtl.version,
  (msg) => {
    switch (msg.type) {
      case "run": {
        const l = load(msg);
        const result = { error: l.error, methods: l.methods };
        if (!l.error && msg.request) result.invocation = l.api.invoke(msg.request, msg.endpoint ?? null, true);
        return result;
      }
      case "document": {
        const l = load(msg);
        return { error: l.error, document: l.document };
      }
      default:
        throw new Error(`unknown message ${msg.type}`);
    }
  },
  () => {
    loaded = { key: null, api: null, document: null };
  },
);
