// The message loop both workers run. `init` loads the engine module and answers `ready` (with
// its version) or `failed`; every other message waits for that, goes to `handle`, and is
// answered with `result` (and how long it took) or, when `handle` throws, with `crashed` after
// `onCrash` has run.

export function serve(init, version, handle, onCrash = () => {}) {
  let ready = null;
  self.onmessage = async (event) => {
    const msg = event.data;
    if (msg.type === "init") {
      ready = init({ module_or_path: msg.module });
      try {
        await ready;
        self.postMessage({ type: "ready", version: version() });
      } catch (err) {
        self.postMessage({ type: "failed", message: String(err) });
      }
      return;
    }
    await ready;
    const started = performance.now();
    try {
      const result = handle(msg);
      self.postMessage({ type: "result", id: msg.id, result, ms: performance.now() - started });
    } catch (err) {
      onCrash();
      self.postMessage({ type: "crashed", id: msg.id, message: String(err && err.message ? err.message : err) });
    }
  };
}
