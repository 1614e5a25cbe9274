// Method mode: a whole REST API method run in the browser. An OpenAPI export or SAM template
// is loaded into the engine with the method pipeline (its own worker and wasm, fetched the
// first time the mode is opened), a method is picked, its request and the backend's answer
// edited, and every stage shown: the request template chosen, the endpoint request, the
// integration response selected and why, the method response, and the execution log.

// The page loads this module (its own bundle, method.js) when the mode is first opened, and
// hands it the editors and the worker client it already has (see `createMethodMode`), so
// Template mode's first download carries none of it.

import { METHOD_EXAMPLES, DEFAULT_METHOD_EXAMPLE, methodStateOf } from "./method-gallery.js";

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
};

/** The mode's panes (put into the page, after Template mode's, when the mode is first opened). */
const LAYOUT = `
    <main class="layout method-layout" id="method-layout" hidden>
      <section class="pane pane-template" aria-labelledby="m-api-title">
        <div class="pane-head">
          <h2 id="m-api-title">API</h2>
          <span class="hint" id="m-spec-name">spec</span>
          <div class="spacer"></div>
          <label class="toggle" title="This project's $vtl helpers (XML, SOAP); API Gateway has nothing like them">
            <input type="checkbox" id="m-extensions" />
            <span>Extensions</span>
          </label>
          <label class="btn small" title="Open an OpenAPI export or a SAM/CloudFormation template (JSON or YAML)">Open… <input type="file" id="m-spec-file" accept=".json,.yaml,.yml,application/json" hidden /></label>
        </div>
        <div class="m-picker">
          <label class="select compact">
            <span class="label">Method</span>
            <select id="m-method" data-testid="method-picker"></select>
          </label>
        </div>
        <div class="pane-head tabs-head">
          <div class="tabs" role="tablist" aria-label="API" data-group="mapi">
            <button role="tab" data-tab="templates" aria-selected="true">Templates</button>
            <button role="tab" data-tab="spec">Spec</button>
          </div>
          <div class="spacer"></div>
        </div>
        <div class="tab-panels">
          <div class="m-panel" data-panel="templates">
            <div class="panel-foot m-template-bar">
              <select id="m-template" class="compact-select" aria-label="Template to edit"></select>
              <button id="m-template-reset" class="btn small" hidden>Reset to the spec</button>
            </div>
            <div id="m-ed-template" class="editor" data-testid="method-template-editor"></div>
            <p class="panel-note" id="m-template-note"></p>
          </div>
          <div class="m-panel" data-panel="spec" hidden>
            <div id="m-ed-spec" class="editor" data-testid="spec-editor"></div>
            <p class="panel-note">Paste an OpenAPI 2/3 export with API Gateway extensions, or a SAM/CloudFormation template, as JSON or YAML.</p>
          </div>
        </div>
        <button id="m-error" class="result-error" hidden data-testid="method-error"></button>
      </section>

      <section class="pane pane-request" aria-label="Method request and endpoint response">
        <div class="pane-head tabs-head">
          <div class="tabs" role="tablist" aria-label="Method request" data-group="mreq">
            <button role="tab" data-tab="request" aria-selected="true">Request</button>
            <button role="tab" data-tab="headers">Headers</button>
            <button role="tab" data-tab="query">Query</button>
            <button role="tab" data-tab="stage">Stage vars</button>
            <button role="tab" data-tab="backend">Backend</button>
          </div>
          <div class="spacer"></div>
        </div>
        <div class="tab-panels">
          <div class="m-panel" data-panel="request">
            <div class="panel-foot">
              <label class="select compact m-path">
                <span class="label" id="m-http-method">GET</span>
                <input id="m-path" spellcheck="false" aria-label="Request path" />
              </label>
            </div>
            <div id="m-ed-body" class="editor"></div>
            <p class="panel-note">The body; its Content-Type is a header (Headers tab). The query string is in the Query tab.</p>
          </div>
          <div class="kv" data-panel="headers" id="m-kv-headers" hidden></div>
          <div class="kv" data-panel="query" id="m-kv-query" hidden></div>
          <div class="kv" data-panel="stage" id="m-kv-stage" hidden></div>
          <div class="m-panel" data-panel="backend" hidden>
            <p class="panel-note" id="m-backend-mock" hidden>A MOCK integration calls no backend: its request template's <code>statusCode</code> selects the integration response.</p>
            <div id="m-backend-form" class="m-backend">
              <div class="panel-foot">
                <label class="select compact"><span class="label">Status</span><input id="m-endpoint-status" inputmode="numeric" spellcheck="false" size="4" /></label>
                <span id="m-lambda-error" class="m-lambda">
                  <label class="select compact"><span class="label">Function error</span><input id="m-error-message" spellcheck="false" placeholder="errorMessage" aria-label="Function errorMessage" /></label>
                  <label class="select compact"><span class="label">Type</span><input id="m-error-type" spellcheck="false" placeholder="errorType" aria-label="Function errorType" size="10" /></label>
                </span>
              </div>
              <p class="panel-note" id="m-endpoint-body-note"></p>
              <div id="m-ed-endpoint-body" class="editor"></div>
              <div class="kv" id="m-kv-endpoint-headers"></div>
            </div>
          </div>
        </div>
      </section>

      <section class="pane pane-result" aria-label="Method result">
        <div class="pane-head tabs-head">
          <div class="tabs" role="tablist" aria-label="Method result" data-group="mres">
            <button role="tab" data-tab="stages" aria-selected="true">Stages</button>
            <button role="tab" data-tab="response">Response</button>
            <button role="tab" data-tab="log">Log</button>
          </div>
          <div class="spacer"></div>
        </div>
        <div class="tab-panels">
          <div class="panel-scroll" data-panel="stages" id="m-stages" data-testid="stages"><p class="empty-note">Loading the method engine…</p></div>
          <div class="m-panel" data-panel="response" hidden>
            <p class="stage-line"><strong id="m-response-status"></strong></p>
            <div id="m-response-headers"></div>
            <div id="m-response-truncated" class="result-note" role="status" hidden></div>
            <div id="m-ed-response" class="editor" data-testid="method-response"></div>
          </div>
          <div class="editor" data-panel="log" id="m-ed-log" data-testid="method-log" hidden></div>
        </div>
      </section>
    </main>
`;

/** How much of a body the Response tab's editor and a stage card show (characters). */
const PREVIEW_CHARS = 1 << 20;
const STAGE_CHARS = 16 * 1024;

/** A fresh method state (the default example). */
export function defaultMethodState() {
  return methodStateOf(DEFAULT_METHOD_EXAMPLE);
}

/** Fills in what an older or hand-made state lacks. */
export function normalizeMethodState(m) {
  const base = defaultMethodState();
  const out = { ...base, ...(m && typeof m === "object" ? m : {}) };
  out.endpoint = { ...base.endpoint, ...(out.endpoint || {}) };
  for (const k of ["headers", "query", "stageVariables", "overrides"]) {
    if (!out[k] || typeof out[k] !== "object" || Array.isArray(out[k])) out[k] = {};
  }
  if (!out.endpoint.headers || typeof out.endpoint.headers !== "object") out.endpoint.headers = {};
  return out;
}

/** The query string of `{name: value | [values]}` (names and values percent-encoded). */
export function queryString(query) {
  const parts = [];
  for (const [k, v] of Object.entries(query || {})) {
    for (const one of [].concat(v)) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(one ?? "")}`);
  }
  return parts.join("&");
}

/** Whether a concrete path fits a resource path (`/pets/{id}`, `/{proxy+}`). */
function fits(template, path) {
  const t = template.split("/").filter(Boolean);
  const p = path.split("?")[0].split("/").filter(Boolean);
  for (let i = 0; i < t.length; i++) {
    if (/^\{.+\+\}$/.test(t[i])) return p.length > i;
    if (p[i] === undefined) return false;
    if (!/^\{.+\}$/.test(t[i]) && t[i] !== p[i]) return false;
  }
  return t.length === p.length;
}

/** A path to start from for a resource: each `{param}` filled with a sample. */
function samplePath(template) {
  return template.replace(/\{([^}/]+?)\+?\}/g, (_, name) => (/id$/i.test(name) ? "1" : name));
}

const methodKey = (m) => `${m.httpMethod} ${m.path}`;
const integrationLabel = (m) => (m.lambda ? `${m.integrationType} (Lambda)` : m.integrationType || "no integration");

/** The backend's answer as the engine takes it (`null` for MOCK). */
export function endpointOf(m, meth) {
  if (!meth || meth.integrationType === "MOCK") return null;
  const e = m.endpoint;
  let body = e.body;
  if (meth.lambda && e.errorMessage) {
    // A Lambda function's error: the Invoke API's error payload.
    body = JSON.stringify({ errorMessage: e.errorMessage, errorType: e.errorType || "Error", stackTrace: [] });
  }
  return { status: Number(e.status) || 200, headers: e.headers, body };
}

/** The method request as the engine takes it. */
export function requestOf(m) {
  const q = queryString(m.query);
  return {
    httpMethod: m.method,
    path: m.path.split("?")[0] + (q ? `?${q}` : ""),
    headers: m.headers,
    body: m.body,
    stageVariables: m.stageVariables,
  };
}

/**
 * A `*.cases.json` document with one method-level case (spec inline), whose expectations are
 * this invocation's results: what `vtl test` checks.
 */
export function methodCase(name, m, document, meth, result) {
  const r = requestOf(m);
  const c = { name, spec: document, method: r.httpMethod, path: r.path };
  if (Object.keys(r.headers).length) c.headers = r.headers;
  if (r.body) c.body = r.body;
  if (Object.keys(r.stageVariables).length) c.stageVariables = r.stageVariables;
  if (m.extensions) c.extensions = true;
  const endpoint = endpointOf(m, meth);
  if (endpoint) c.endpointResponse = endpoint;
  c.expectedStatus = result.status;
  c.expectedHeaders = result.multiValueHeaders;
  c.expected = result.body;
  const e = result.endpointRequest;
  c.expectedEndpointRequest = e ? { httpMethod: e.httpMethod, uri: e.uri, headers: stableHeaders(e.headers), body: e.body } : null;
  return { cases: [c] };
}

/** Endpoint request headers that do not change from run to run (no clock, no trace id). */
function stableHeaders(headers) {
  const out = {};
  for (const [k, v] of Object.entries(headers || {})) {
    if (!/^(x-amzn-trace-id|x-amz-date|authorization|x-amz-security-token|x-amz-content-sha256)$/i.test(k)) out[k] = v;
  }
  return out;
}

/**
 * Sets up Method mode. `host`: {getState, setState(m), changed(), toast, setStatus, selectTab};
 * `deps`: the page's {createEditor, setText, Engine, debounce, formatMs}.
 * Returns {examples, result, load(), run(), loadExample(ex), remeasure(), exportCase(name)}.
 */
export function createMethodMode(host, deps) {
  const { createEditor, setText, Engine, debounce, formatMs } = deps;
  if (!$("method-layout")) $("template-layout").insertAdjacentHTML("afterend", LAYOUT);
  let engine = null;
  let starting = null;
  let methods = [];
  let last = null; // {invocation, request, methods, integrationType}
  let seq = 0;
  const editors = {};
  const m = () => host.getState();

  // ---- editors ----
  editors.template = createEditor($("m-ed-template"), {
    doc: "",
    lang: "vtl",
    label: "Mapping template of the method",
    onChange: (text) => {
      const s = m();
      const t = currentTemplate();
      if (!t || writing) return;
      if (text === t.source) delete s.overrides[t.pointer];
      else s.overrides[t.pointer] = text;
      showTemplateNote();
      changed();
    },
  });
  editors.spec = createEditor($("m-ed-spec"), {
    doc: "",
    lang: "text",
    label: "API spec (OpenAPI or SAM, JSON or YAML)",
    onChange: (text) => {
      if (writing) return;
      m().spec = text;
      m().example = null;
      changed();
    },
  });
  editors.body = createEditor($("m-ed-body"), {
    doc: "",
    lang: "json",
    label: "Method request body",
    onChange: (text) => {
      if (writing) return;
      m().body = text;
      changed();
    },
  });
  editors.endpointBody = createEditor($("m-ed-endpoint-body"), {
    doc: "",
    lang: "text",
    label: "Endpoint response body",
    onChange: (text) => {
      if (writing) return;
      m().endpoint.body = text;
      changed();
    },
  });
  editors.response = createEditor($("m-ed-response"), { readOnly: true, lang: "json", label: "Method response body" });
  editors.log = createEditor($("m-ed-log"), { readOnly: true, lang: "text", label: "Execution log" });
  let writing = false;

  function changed() {
    document.body.classList.add("stale");
    host.changed();
    schedule();
  }

  // ---- key/value tables ----
  function kvTable(box, title, what, get, set) {
    box.textContent = "";
    const section = el("section", { class: "kv-group" }, el("h3", { text: title }));
    const rows = [];
    const write = () => {
      const out = {};
      for (const row of section.querySelectorAll(".kv-row")) {
        const [name, value] = [...row.querySelectorAll("input")].map((i) => i.value);
        if (!name) continue;
        out[name] = name in out ? [].concat(out[name], value) : value;
      }
      set(out);
      changed();
    };
    const row = (name, value) => {
      const i = rows.length;
      const input = (text, which) => {
        const e = el("input", { value: text, spellcheck: false, placeholder: which });
        e.setAttribute("aria-label", `${what} ${which} ${i + 1}`);
        e.addEventListener("input", write);
        return e;
      };
      const remove = el("button", { class: "btn icon small", text: "✕" });
      remove.setAttribute("aria-label", `Remove ${what} ${i + 1}`);
      const r = el("div", { class: "kv-row" }, input(name, "name"), input(value, "value"), remove);
      remove.addEventListener("click", () => {
        r.remove();
        write();
      });
      rows.push(r);
      return r;
    };
    for (const [name, value] of Object.entries(get() || {})) {
      for (const v of [].concat(value)) section.append(row(name, v === null ? "" : String(v)));
    }
    const add = el("button", { class: "btn small kv-add", text: `+ Add ${what}` });
    add.addEventListener("click", () => {
      const r = row("", "");
      section.insertBefore(r, add);
      r.querySelector("input").focus();
    });
    section.append(add);
    box.append(section);
  }

  function fillTables() {
    const s = m();
    kvTable($("m-kv-headers"), "Headers", "header", () => s.headers, (v) => (s.headers = v));
    kvTable($("m-kv-query"), "Query string", "query parameter", () => s.query, (v) => (s.query = v));
    kvTable($("m-kv-stage"), "Stage variables", "stage variable", () => s.stageVariables, (v) => (s.stageVariables = v));
    kvTable($("m-kv-endpoint-headers"), "Endpoint response headers", "response header", () => s.endpoint.headers, (v) => (s.endpoint.headers = v));
  }

  // ---- the picker and the templates ----
  function currentMethod() {
    return methods.find((x) => methodKey(x) === m().selected) || null;
  }

  function currentTemplate() {
    const meth = currentMethod();
    if (!meth) return null;
    return meth.templates.find((t) => t.pointer === m().template) || meth.templates[0] || null;
  }

  function templateLabel(t) {
    if (t.kind === "request") return `Request template · ${t.contentType}`;
    return `Response ${t.status}${t.pattern ? ` (${t.pattern})` : " (default)"} · ${t.contentType}`;
  }

  function fillPicker() {
    const pick = $("m-method");
    pick.textContent = "";
    for (const x of methods) {
      pick.append(el("option", { value: methodKey(x), text: `${methodKey(x)} · ${integrationLabel(x)}` }));
    }
    pick.value = m().selected;
    const meth = currentMethod();
    const tsel = $("m-template");
    tsel.textContent = "";
    for (const t of meth?.templates || []) {
      tsel.append(el("option", { value: t.pointer, text: templateLabel(t) + (t.pointer in m().overrides ? " · edited" : "") }));
    }
    const t = currentTemplate();
    tsel.disabled = !t;
    if (t) tsel.value = t.pointer;
    writing = true;
    setText(editors.template, t ? (m().overrides[t.pointer] ?? t.source) : "");
    writing = false;
    showTemplateNote();
    showBackendForm();
  }

  function showTemplateNote() {
    const t = currentTemplate();
    const note = $("m-template-note");
    const reset = $("m-template-reset");
    if (!t) {
      note.textContent = currentMethod() ? "This method has no mapping templates." : "";
      reset.hidden = true;
      return;
    }
    const edited = t.pointer in m().overrides;
    note.textContent = `${edited ? "Edited; the spec has another text" : "As in the spec"} at ${t.pointer}`;
    reset.hidden = !edited;
  }

  function showBackendForm() {
    const meth = currentMethod();
    const mock = meth?.integrationType === "MOCK";
    const lambda = !!meth?.lambda;
    const s = m();
    $("m-backend-mock").hidden = !mock;
    $("m-backend-form").hidden = mock;
    $("m-lambda-error").hidden = !lambda;
    $("m-endpoint-status").value = s.endpoint.status;
    $("m-error-message").value = s.endpoint.errorMessage || "";
    $("m-error-type").value = s.endpoint.errorType || "";
    const fnError = lambda && !!s.endpoint.errorMessage;
    $("m-endpoint-body-note").textContent = fnError
      ? "The function failed: the body sent is its error payload {errorMessage, errorType}."
      : lambda
        ? "What the function returned (its result, as JSON)."
        : "What the backend answered.";
    $("m-ed-endpoint-body").classList.toggle("disabled", fnError);
  }

  // ---- running ----
  async function start() {
    if (engine) return;
    if (!starting) {
      host.setStatus("busy", "Loading the method engine…");
      engine = null;
      const e = new Engine({
        wasmUrl: new URL("vtl_wasm_gateway_bg.wasm", import.meta.url),
        workerUrl: new URL("method-worker.js", import.meta.url),
        busyTypes: ["run"],
      });
      starting = e.start().then(() => (engine = e));
    }
    await starting;
  }

  const schedule = debounce(() => run(), 200);

  async function run() {
    schedule.cancel();
    const mine = ++seq;
    try {
      await start();
    } catch (err) {
      host.setStatus("error", `Could not start the method engine: ${err.message}`);
      return;
    }
    if (mine !== seq) return;
    const s = m();
    if (engine.busySince !== null) await engine.stop();
    const started = performance.now();
    const options = { extensions: !!s.extensions };
    let r;
    try {
      r = await engine.call("run", { spec: s.spec, overrides: s.overrides, options });
      if (mine !== seq) return;
      methods = r.error ? [] : r.methods;
      if (!r.error) {
        if (!currentMethod()) {
          // A new spec: the method the request fits, else the first, with a path it fits.
          const fit = methods.find((x) => x.httpMethod === s.method && fits(x.path, s.path));
          const pick = fit || methods[0];
          if (pick) {
            s.selected = methodKey(pick);
            s.template = null;
            if (!fit) {
              s.method = pick.httpMethod === "ANY" ? "GET" : pick.httpMethod;
              s.path = samplePath(pick.path);
              $("m-path").value = s.path;
              $("m-http-method").textContent = s.method;
            }
          }
        }
        fillPicker();
        const meth = currentMethod();
        if (meth) {
          r = await engine.call("run", {
            spec: s.spec,
            overrides: s.overrides,
            options,
            request: requestOf(s),
            endpoint: endpointOf(s, meth),
          });
          if (mine !== seq) return;
        }
      } else fillPicker();
    } catch (err) {
      if (mine !== seq || err.stopped) return;
      host.setStatus("error", `The method engine crashed: ${err.message}. It has been restarted.`);
      return;
    }
    document.body.classList.remove("stale");
    const ms = performance.now() - started;
    last = { ...r, meth: currentMethod(), ms };
    showResult();
  }

  function showResult() {
    const { error, invocation } = last;
    const banner = $("m-error");
    banner.hidden = true;
    if (error) {
      banner.textContent = "";
      banner.append(el("strong", { text: `The spec cannot be loaded (${error.kind})` }), el("span", { class: "msg", text: error.message }));
      banner.hidden = false;
      host.setStatus("error", `Spec: ${error.message}`, "");
      $("m-stages").textContent = "";
      return;
    }
    if (!currentMethod()) {
      host.setStatus("error", "The spec has no methods", "");
      return;
    }
    if (!invocation || !invocation.ok) {
      const msg = invocation?.error?.message || String(invocation?.thrown || "no result");
      banner.textContent = "";
      banner.append(el("strong", { text: "The request cannot be run" }), el("span", { class: "msg", text: msg }));
      banner.hidden = false;
      host.setStatus("error", msg, "");
      return;
    }
    const res = invocation.result;
    showStages(res);
    editors.response.setLanguage(/json/i.test(res.headers?.["Content-Type"] || "") || /^\s*[{[]/.test(res.body) ? "json" : /^\s*</.test(res.body) ? "xml" : "text");
    // The editor holds at most PREVIEW_CHARS: tens of megabytes would freeze the tab.
    const big = res.body.length > PREVIEW_CHARS;
    setText(editors.response, big ? res.body.slice(0, PREVIEW_CHARS) : res.body);
    const note = $("m-response-truncated");
    note.hidden = !big;
    if (big) {
      note.textContent = "";
      const button = el("button", { class: "btn small", text: "Download the whole body" });
      button.addEventListener("click", () => {
        const a = el("a", { href: URL.createObjectURL(new Blob([res.body], { type: "application/octet-stream" })), download: "response-body.txt" });
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      });
      note.append(el("span", { text: `Body truncated: showing ${PREVIEW_CHARS} of ${res.body.length} characters. ` }), button);
    }
    setText(editors.log, res.log);
    const box = $("m-response-headers");
    box.textContent = "";
    box.append(headerTable(res.multiValueHeaders));
    $("m-response-status").textContent = `Status ${res.status}`;
    if (res.templateError) {
      banner.textContent = "";
      banner.append(el("strong", { text: `Template error (${res.templateError.kind})` }), el("span", { class: "msg", text: res.templateError.message }));
      banner.hidden = false;
    }
    host.setStatus(
      res.templateError ? "error" : "ok",
      `${m().method} ${requestOf(m()).path} → ${res.status}` + (res.templateError ? ` · ${res.templateError.message}` : ""),
      `method run in ${formatMs(last.ms)}`,
    );
  }

  function headerTable(headers) {
    const entries = Object.entries(headers || {});
    if (!entries.length) return el("p", { class: "empty-note", text: "No headers." });
    const table = el("table", { class: "kv" });
    for (const [k, v] of entries) table.append(el("tr", {}, el("th", { text: k }), el("td", { text: [].concat(v).join(", ") })));
    return table;
  }

  function stage(n, title, testid, ...body) {
    return el("section", { class: "stage-card", "data-testid": testid }, el("h3", {}, el("span", { class: "stage-n", text: String(n) }), title), ...body);
  }

  function pre(text, testid) {
    // A stage shows the beginning of a big body; the Response tab offers the whole of it.
    const cut = text.length > STAGE_CHARS;
    const p = el("pre", { class: "stage-pre", text: text === "" ? "(empty)" : cut ? text.slice(0, STAGE_CHARS) : text });
    if (testid) p.setAttribute("data-testid", testid);
    if (!cut) return p;
    return el("div", {}, p, el("p", { class: "muted", text: `… ${text.length - STAGE_CHARS} more characters (the Response tab can download the whole body)` }));
  }

  function line(label, value, testid) {
    const v = el("code", { text: value });
    if (testid) v.setAttribute("data-testid", testid);
    return el("p", { class: "stage-line" }, el("span", { class: "muted", text: `${label}: ` }), v);
  }

  function showStages(res) {
    const t = res.trace || {};
    const box = $("m-stages");
    box.textContent = "";
    const meth = t.method;
    if (!meth) {
      box.append(el("p", { class: "empty-note", text: "No method matches this request: the gateway answered with its Missing Authentication Token response." }));
      box.append(stage(4, "Method response", "stage-response", line("Status", String(res.status), "response-status"), pre(res.body)));
      return;
    }
    const picked = currentMethod();
    box.append(line("Method", `${meth.httpMethod} ${meth.path} · ${picked ? integrationLabel(picked) : meth.integrationType}`, "stage-method"));
    box.append(el("p", { class: "stage-summary", "data-testid": "stage-summary", text: summary(t, res) }));
    // 1. Request template.
    const rt = t.requestTemplate;
    let rtBody;
    if (!rt) rtBody = [el("p", { class: "empty-note", text: "No integration." })];
    else if (rt.proxy) rtBody = [el("p", { text: "A proxy integration: no template, the request is passed as it is." })];
    else if (rt.template) {
      rtBody = [
        line("Content-Type", rt.contentType),
        line("Chosen", `requestTemplates["${rt.template.contentType}"]`, "request-template"),
        editButton(rt.template.pointer),
      ];
    } else {
      const passes = rt.passthroughBehavior === "WHEN_NO_MATCH" || (rt.passthroughBehavior === "WHEN_NO_TEMPLATES" && !rt.available.length);
      rtBody = [
        line("Content-Type", rt.contentType),
        line("Chosen", passes ? "none: the body passes through" : "none: 415 Unsupported Media Type", "request-template"),
        el("p", { class: "muted", text: `passthroughBehavior ${rt.passthroughBehavior}; templates for: ${rt.available.join(", ") || "none"}` }),
      ];
    }
    box.append(stage(1, "Request template", "stage-request-template", ...rtBody));
    // 2. Endpoint request.
    const e = res.endpointRequest;
    box.append(
      stage(
        2,
        "Endpoint request",
        "stage-endpoint-request",
        ...(e
          ? [line("URI", `${e.httpMethod} ${e.uri}`, "endpoint-uri"), headerTable(e.headers), pre(e.body, "endpoint-body")]
          : [el("p", { class: "empty-note", text: meth.integrationType === "MOCK" ? "MOCK: no backend is called." : "Not sent: the request was answered before the integration (see the log)." })]),
      ),
    );
    // 3. Integration response.
    const ir = t.integrationResponse;
    let irBody;
    if (!ir) irBody = [el("p", { class: "empty-note", text: "Not reached." })];
    else if (ir.proxy) irBody = [el("p", { text: "A proxy integration: the backend's answer is the response." })];
    else {
      const source = { errorMessage: "the function's errorMessage", status: "the endpoint's HTTP status", statusCode: "the MOCK template's statusCode" }[ir.selectionSource];
      const chosen = ir.selected === null || ir.selected === undefined ? null : ir.responses[ir.selected];
      const table = el("table", { class: "kv selection" });
      table.append(el("tr", {}, el("th", { text: "pattern" }), el("th", { text: "status" }), el("th", { text: "" })));
      ir.responses.forEach((r, i) => {
        const tr = el(
          "tr",
          { class: i === ir.selected ? "selected" : "" },
          el("td", {}, el("code", { text: r.pattern ?? "default" })),
          el("td", { text: String(r.status) }),
          el("td", { text: i === ir.selected ? "✓ selected" : r.matches ? "matches" : r.default ? "" : "no match" }),
        );
        table.append(tr);
      });
      irBody = [
        line("Selection value", ir.selectionValue === null ? "(none)" : JSON.stringify(ir.selectionValue), "selection-value"),
        el("p", { class: "muted", text: `from ${source}, matched against each pattern as a whole, in order of status` }),
        line(
          "Selected",
          chosen ? `${chosen.status} ${chosen.pattern ? `(pattern ${chosen.pattern})` : "(default)"}${ir.byDefault ? ", as no pattern matches" : ""}` : "none: no pattern matches and there is no default",
          "selected-response",
        ),
        table,
        ir.template ? line("Response template", `responseTemplates["${ir.template.contentType}"] of ${chosen?.status}`, "response-template") : null,
        ir.template ? editButton(ir.template.pointer) : null,
      ];
    }
    box.append(stage(3, "Integration response", "stage-integration-response", ...irBody));
    // 4. Method response.
    box.append(
      stage(4, "Method response", "stage-response", line("Status", String(res.status), "response-status"), headerTable(res.multiValueHeaders), pre(res.body, "response-body")),
    );
  }

  /** One sentence: what selected the response, and the status the client gets. */
  function summary(t, res) {
    const ir = t.integrationResponse;
    const chosen = ir && !ir.proxy && ir.selected !== null && ir.selected !== undefined ? ir.responses[ir.selected] : null;
    if (!ir) return `Answered ${res.status} before the integration response (see the log).`;
    if (ir.proxy) return `Proxy integration: the client gets ${res.status}.`;
    if (!chosen) return `No integration response matches: the client gets ${res.status}.`;
    const how = ir.byDefault ? "the default response" : `the pattern ${chosen.pattern}`;
    const what = { errorMessage: "errorMessage", status: "HTTP status", statusCode: "MOCK statusCode" }[ir.selectionSource];
    return `${what} ${JSON.stringify(ir.selectionValue ?? "")} → ${how} (${chosen.status}) → the client gets ${res.status}.`;
  }

  function editButton(pointer) {
    const b = el("button", { class: "btn small", text: "Edit this template" });
    b.addEventListener("click", () => {
      m().template = pointer;
      host.selectTab("mapi", "templates");
      fillPicker();
      editors.template.focus();
    });
    return b;
  }

  // ---- controls ----
  $("m-method").addEventListener("change", (e) => {
    const s = m();
    s.selected = e.target.value;
    const meth = currentMethod();
    if (meth) {
      s.method = meth.httpMethod === "ANY" ? "GET" : meth.httpMethod;
      if (!fits(meth.path, s.path)) s.path = samplePath(meth.path);
    }
    s.template = null;
    loadIntoControls();
    changed();
  });
  $("m-template").addEventListener("change", (e) => {
    m().template = e.target.value;
    fillPicker();
  });
  $("m-template-reset").addEventListener("click", () => {
    const t = currentTemplate();
    if (!t) return;
    delete m().overrides[t.pointer];
    fillPicker();
    changed();
  });
  $("m-path").addEventListener("input", (e) => {
    m().path = e.target.value;
    changed();
  });
  $("m-extensions").addEventListener("change", (e) => {
    m().extensions = e.target.checked;
    changed();
  });
  $("m-endpoint-status").addEventListener("input", (e) => {
    m().endpoint.status = e.target.value;
    changed();
  });
  $("m-error-message").addEventListener("input", (e) => {
    m().endpoint.errorMessage = e.target.value;
    showBackendForm();
    changed();
  });
  $("m-error-type").addEventListener("input", (e) => {
    m().endpoint.errorType = e.target.value;
    changed();
  });
  $("m-spec-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    if (!file) return;
    const s = m();
    Object.assign(s, { spec: await file.text(), specName: file.name, overrides: {}, example: null, selected: null, template: null });
    loadIntoControls();
    changed();
    host.toast(`Loaded ${file.name}`);
  });

  function loadIntoControls() {
    const s = m();
    writing = true;
    setText(editors.spec, s.spec);
    setText(editors.body, s.body);
    setText(editors.endpointBody, s.endpoint.body);
    writing = false;
    $("m-path").value = s.path;
    $("m-http-method").textContent = s.method;
    $("m-extensions").checked = !!s.extensions;
    $("m-spec-name").textContent = s.specName || "spec";
    fillTables();
    fillPicker();
  }

  return {
    examples: METHOD_EXAMPLES,
    get result() {
      return last;
    },
    /** Shows the state (after a link, an example, a reload) and runs it. */
    load() {
      document.body.classList.add("stale");
      loadIntoControls();
      return run();
    },
    run,
    loadExample(ex) {
      // What is shown is the previous example's until this one has run.
      document.body.classList.add("stale");
      host.setState(methodStateOf(ex));
      loadIntoControls();
      run();
      host.toast(`Loaded “${ex.title}”`);
    },
    remeasure() {
      for (const e of Object.values(editors)) e.requestMeasure?.();
    },
    /** The exported case document, or null (with a toast) when there is nothing to export. */
    async exportCase(name) {
      await start();
      const s = m();
      const inv = last?.invocation;
      if (!inv?.ok) {
        host.toast("Nothing to export: the method did not run.", "error");
        return null;
      }
      const r = await engine.call("document", { spec: s.spec, overrides: s.overrides, options: { extensions: !!s.extensions } });
      if (r.error) {
        host.toast(`The spec cannot be exported: ${r.error.message}`, "error");
        return null;
      }
      return methodCase(name, s, r.document, last.meth, inv.result);
    },
  };
}
