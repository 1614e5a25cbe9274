// The render worker: owns one instance of the engine, answers one message at a time. A runaway
// render blocks only this worker; the page terminates it (Stop) and starts a fresh one.

import init, * as vtl from "../pkg/vtl_wasm.js";

let ready = null;

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
          render: vtl.render(msg.template, msg.request, msg.options),
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
