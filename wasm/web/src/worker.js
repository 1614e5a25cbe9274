// The render worker: owns one instance of the engine, answers one message at a time. A runaway
// render blocks only this worker; the page terminates it (Stop) and starts a fresh one.

import init, * as vtl from "../pkg/vtl_wasm.js";

let ready = null;

/** How much of an output the page gets to show (characters); the rest stays in a Blob. */
const PREVIEW_CHARS = 1 << 20;

/**
 * Cuts a big output down to a preview before it crosses to the page: an editor holding tens of
 * megabytes freezes the tab. The whole text goes along as a Blob (shared, not copied) for
 * downloads and exports.
 */
function preview(render) {
  if (!render.ok || render.output.length <= PREVIEW_CHARS) return render;
  const full = new Blob([render.output], { type: "text/plain;charset=utf-8" });
  let cut = PREVIEW_CHARS;
  const code = render.output.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--; // keep a surrogate pair whole
  const nl = render.output.lastIndexOf("\n", cut);
  if (nl > cut - 4096) cut = nl + 1; // end on a line break when one is near
  return {
    ...render,
    output: render.output.slice(0, cut),
    truncated: { blob: full, bytes: full.size, chars: render.output.length },
  };
}

self.onmessage = async (event) => {
  const msg = event.data;
  if (msg.type === "init") {
    ready = init({ module_or_path: msg.module });
    try {
      await ready;
      self.postMessage({ type: "ready", version: vtl.version() });
    } catch (err) {
      self.postMessage({ type: "failed", message: String(err) });
    }
    return;
  }
  await ready;
  const started = performance.now();
  try {
    let result;
    switch (msg.type) {
      case "render":
        result = {
          render: preview(vtl.render(msg.template, msg.request, msg.options)),
          check: vtl.check(msg.template, msg.options),
        };
        break;
      case "tokens":
        result = vtl.tokens(msg.template);
        break;
      case "ast":
        result = vtl.ast(msg.template);
        break;
      case "normalize":
        result = vtl.normalizeRequest(msg.request);
        break;
      default:
        throw new Error(`unknown message ${msg.type}`);
    }
    self.postMessage({ type: "result", id: msg.id, result, ms: performance.now() - started });
  } catch (err) {
    // A trap (an engine bug) leaves the instance unusable; the page replaces this worker.
    self.postMessage({ type: "crashed", id: msg.id, message: String(err && err.message ? err.message : err) });
  }
};
