// Talks to the render worker: requests by id, Stop (terminate and respawn), crash recovery.
// The wasm module is compiled once here and handed to every worker, so a restart is quick.

export class Engine {
  constructor({ wasmUrl, workerUrl, onState }) {
    this.wasmUrl = wasmUrl;
    this.workerUrl = workerUrl;
    this.onState = onState || (() => {});
    this.pending = new Map();
    this.nextId = 1;
    this.version = null;
  }

  /** Loads the module and starts the first worker. */
  async start() {
    // index.html starts compiling while the page loads; fall back to a fetch of our own.
    const early = globalThis.vtlEngineModule;
    this.module = await (early ? early.catch(() => WebAssembly.compileStreaming(fetch(this.wasmUrl))) : WebAssembly.compileStreaming(fetch(this.wasmUrl)));
    await this.spawn();
  }

  spawn() {
    this.worker = new Worker(this.workerUrl, { type: "module" });
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      worker.onmessage = (event) => {
        const msg = event.data;
        if (msg.type === "ready") {
          this.version = msg.version;
          resolve();
        } else if (msg.type === "failed") {
          reject(new Error(msg.message));
        } else this.settle(msg);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(event.message || "the worker failed to start"));
      };
      worker.postMessage({ type: "init", module: this.module });
    });
  }

  settle(msg) {
    const entry = this.pending.get(msg.id);
    if (!entry) return;
    this.pending.delete(msg.id);
    this.changed();
    if (msg.type === "crashed") {
      entry.reject(Object.assign(new Error(msg.message), { crashed: true }));
      this.restart();
    } else entry.resolve({ ...msg.result, workerMs: msg.ms });
  }

  /** Sends a request; resolves with the worker's answer. */
  call(type, payload) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, type, started: performance.now() });
      this.changed();
      this.worker.postMessage({ ...payload, type, id });
    });
  }

  /** Whether a render is in flight, and since when. */
  get busySince() {
    let since = null;
    for (const entry of this.pending.values()) {
      if (entry.type === "render" && (since === null || entry.started < since)) since = entry.started;
    }
    return since;
  }

  changed() {
    this.onState(this.busySince);
  }

  /** Kills the worker (and whatever it was doing) and starts a new one. */
  stop() {
    this.worker.terminate();
    const stopped = [...this.pending.values()];
    this.pending.clear();
    for (const entry of stopped) entry.reject(Object.assign(new Error("stopped"), { stopped: true }));
    this.changed();
    return this.spawn();
  }

  restart() {
    this.stop().catch(() => {});
  }
}
