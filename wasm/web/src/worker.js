// The render worker: owns one instance of the engine, answers one message at a time. A runaway
// render blocks only this worker; the page terminates it (Stop) and starts a fresh one.

import init, * as vtl from "../pkg/vtl_wasm.js";
import { serve } from "./worker-loop.js";

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

// A throw (a trap: an engine bug) leaves the instance unusable; the page replaces this worker.
serve(init, vtl.version, (msg) => {
  switch (msg.type) {
    case "render":
      return {
        render: preview(vtl.render(msg.template, msg.request, msg.options)),
        check: vtl.check(msg.template, msg.options),
      };
    case "tokens":
      return vtl.tokens(msg.template);
    case "ast":
      return vtl.ast(msg.template);
    case "normalize":
      return vtl.normalizeRequest(msg.request);
    default:
      throw new Error(`unknown message ${msg.type}`);
  }
});
