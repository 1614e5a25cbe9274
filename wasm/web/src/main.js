// The playground page: editors, live rendering through the worker, results, dialogs.

import { setDiagnostics } from "@codemirror/lint";
import { EditorView } from "@codemirror/view";
import { MergeView } from "@codemirror/merge";
import { createEditor, commonExtensions, setText } from "./editors.js";
import { vtlCompletion } from "./complete.js";
import { Engine } from "./engine.js";
import { EXAMPLES, DEFAULT_EXAMPLE } from "./gallery.js";
import { buildCaseFolderZip, buildCaseFile, buildRequestFile, caseSlug, cliCommand, download } from "./export.js";
import { prettyXml, validateXml } from "./xml.js";
import {
  byteToIndexMapper,
  debounce,
  formatBytes,
  formatMs,
  formatOfContentType,
  guessFormat,
  packState,
  prettyJson,
  unpackState,
  utf8Length,
  validateJson,
} from "./util.js";

const STORAGE_KEY = "vtl-playground/state/v1";
const UI_KEY = "vtl-playground/ui/v1";
const STATE_KEYS = [
  "template",
  "body",
  "contentType",
  "params",
  "context",
  "stageVariables",
  "vars",
  "expected",
  "profile",
  "extensions",
  "fuel",
  "outputFormat",
];
const DEFAULT_FUEL = "50000000";

const $ = (id) => document.getElementById(id);

// ---------- state ----------

let state = null;
let lastResult = null; // {render, check, template}
let renderSeq = 0;

function normalizeState(s) {
  const out = { ...DEFAULT_EXAMPLE.state, fuel: DEFAULT_FUEL };
  for (const k of STATE_KEYS) if (s && s[k] !== undefined && s[k] !== null) out[k] = s[k];
  out.extensions = !!out.extensions;
  out.fuel = String(out.fuel);
  return out;
}

function loadUi() {
  try {
    return JSON.parse(localStorage.getItem(UI_KEY)) || {};
  } catch {
    return {};
  }
}

const ui = { request: "body", result: "output", ...loadUi() };

const saveLocal = debounce(() => {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    localStorage.setItem(UI_KEY, JSON.stringify(ui));
  } catch {
    // Private mode or a full quota: the page still works, it just forgets.
  }
}, 300);

async function initialState() {
  const fromHash = await stateFromHash();
  if (fromHash) return fromHash;
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY));
    if (saved && typeof saved.template === "string") return normalizeState(saved);
  } catch {
    // ignore a damaged entry
  }
  return normalizeState(DEFAULT_EXAMPLE.state);
}

async function stateFromHash() {
  const m = /^#s=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (!m) return null;
  try {
    return normalizeState(await unpackState(m[1]));
  } catch {
    toast("This link is damaged; showing your last session instead.", "error");
    return null;
  }
}

// ---------- editors ----------

const editors = {};

function makeEditors() {
  const changed = (key) => (text) => {
    state[key] = text;
    onStateChanged();
    // The JSON changed under a visible table (an import, an example): show the new rows.
    const tab = Object.keys(KV).find((t) => KV[t].key === key);
    if (tab && ui.kv && ui.request === tab && !kvWriting) fillKv(tab);
  };
  editors.template = createEditor($("ed-template"), {
    doc: state.template,
    lang: "vtl",
    lint: true,
    label: "Template",
    onChange: changed("template"),
    placeholder: "Write a mapping template…",
    extensions: vtlCompletion,
  });
  editors.body = createEditor($("ed-body"), {
    doc: state.body,
    lang: bodyLanguage(),
    label: "Request body",
    onChange: changed("body"),
    placeholder: "The request body ($input.body)",
  });
  const jsonEditor = (id, key, label) =>
    createEditor($(id), { doc: state[key], lang: "json", lint: true, label, onChange: changed(key) });
  editors.params = jsonEditor("ed-params", "params", "Parameters (path, querystring, header)");
  editors.context = jsonEditor("ed-context", "context", "Context overrides");
  editors.stage = jsonEditor("ed-stage", "stageVariables", "Stage variables");
  editors.vars = jsonEditor("ed-vars", "vars", "Template variables");
  editors.output = createEditor($("ed-output"), { readOnly: true, lint: true, label: "Output", lang: "text" });
  editors.pretty = createEditor($("ed-pretty"), { readOnly: true, label: "Pretty output", lang: "text" });
  editors.ast = createEditor($("ed-ast"), { readOnly: true, label: "Syntax tree", lang: "text" });

  editors.diff = new MergeView({
    parent: $("ed-diff"),
    a: {
      doc: state.expected,
      extensions: [
        commonExtensions(false, "text"),
        EditorView.contentAttributes.of({ "aria-label": "Expected output" }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) {
            state.expected = u.state.doc.toString();
            saveLocal();
            clearHash();
            updateDiffSummary();
          }
        }),
      ],
    },
    b: {
      doc: "",
      extensions: [commonExtensions(true, "text"), EditorView.contentAttributes.of({ "aria-label": "Actual output" })],
    },
    highlightChanges: true,
    gutter: true,
  });
}

function bodyLanguage() {
  const f = formatOfContentType(state.contentType);
  return f === "text" ? guessFormat(state.body) : f;
}

function loadStateIntoEditors() {
  setText(editors.template, state.template);
  setText(editors.body, state.body);
  setText(editors.params, state.params);
  setText(editors.context, state.context);
  setText(editors.stage, state.stageVariables);
  setText(editors.vars, state.vars);
  setText(editors.diff.a, state.expected);
  editors.body.setLanguage(bodyLanguage());
  $("profile").value = state.profile;
  $("extensions").checked = state.extensions;
  $("fuel").value = [...$("fuel").options].some((o) => o.value === state.fuel) ? state.fuel : DEFAULT_FUEL;
  $("content-type").value = state.contentType || "";
  $("output-format").value = state.outputFormat;
}

// ---------- tabs ----------

function setupTabs() {
  for (const list of document.querySelectorAll(".tabs")) {
    const group = list.dataset.group;
    const tabs = [...list.querySelectorAll('[role="tab"]')];
    const panels = list.closest(".pane").querySelectorAll("[data-panel]");
    const select = (name, focus) => {
      ui[group] = name;
      for (const tab of tabs) {
        const on = tab.dataset.tab === name;
        tab.setAttribute("aria-selected", String(on));
        tab.tabIndex = on ? 0 : -1;
        if (on && focus) tab.focus();
      }
      for (const panel of panels) panel.hidden = panel.dataset.panel !== name;
      saveLocal();
      onTabShown(group, name);
    };
    list.addEventListener("click", (e) => {
      const tab = e.target.closest('[role="tab"]');
      if (tab) select(tab.dataset.tab, false);
    });
    list.addEventListener("keydown", (e) => {
      const i = tabs.indexOf(document.activeElement);
      if (i < 0) return;
      let j = null;
      if (e.key === "ArrowRight") j = (i + 1) % tabs.length;
      else if (e.key === "ArrowLeft") j = (i - 1 + tabs.length) % tabs.length;
      else if (e.key === "Home") j = 0;
      else if (e.key === "End") j = tabs.length - 1;
      if (j !== null) {
        e.preventDefault();
        select(tabs[j].dataset.tab, true);
      }
    });
    list.select = select;
    const initial = tabs.some((t) => t.dataset.tab === ui[group]) ? ui[group] : tabs[0].dataset.tab;
    select(initial, false);
  }
}

function selectTab(group, name) {
  document.querySelector(`.tabs[data-group="${group}"]`).select(name, false);
}

const REQUEST_NOTES = {
  body: "The raw body: <code>$input.body</code>, <code>$input.json('$')</code>, <code>$input.path('$.x')</code>.",
  params:
    "<code>$input.params('name')</code> looks in path, then querystring, then header. Several values: use an array.",
  context: "Merged over the default <code>$context</code> (requestId, stage, identity, authorizer…).",
  stage: "Read as <code>$stageVariables.name</code>.",
  vars: "Extra top-level variables (a JSON object), e.g. for the Velocity profile: <code>$name</code>.",
};

// ---------- key/value tables ----------

const KV = {
  params: { key: "params", editor: "params", groups: [["path", "Path"], ["querystring", "Query string"], ["header", "Headers"]] },
  stage: { key: "stageVariables", editor: "stage", groups: [[null, "Stage variables"]] },
};

/** Shows the Params / Stage vars tab as rows (or as JSON), in step with the JSON text. */
function showKv(tab) {
  const kv = KV[tab];
  $("btn-kv").hidden = !kv;
  for (const [name, k] of Object.entries(KV)) {
    const table = ui.kv && ui.request === name;
    $(`kv-${name}`).hidden = !table;
    $(`ed-${k.editor}`).hidden = ui.request !== name || table;
  }
  $("btn-kv").setAttribute("aria-pressed", String(!!ui.kv));
  $("btn-kv").textContent = ui.kv ? "JSON" : "Table";
  if (kv && ui.kv) fillKv(tab);
}

function fillKv(tab) {
  const kv = KV[tab];
  const box = $(`kv-${tab}`);
  let doc;
  try {
    doc = state[kv.key].trim() ? JSON.parse(state[kv.key]) : {};
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new Error("not an object");
  } catch {
    box.textContent = "";
    const p = document.createElement("p");
    p.className = "empty-note";
    p.textContent = "The JSON is not valid; fix it in the JSON view to edit it as a table.";
    box.append(p);
    return;
  }
  // Keep the focused cell across a refill caused by typing in it.
  const focused = document.activeElement?.closest?.(".kv") === box ? document.activeElement.dataset.cell : null;
  box.textContent = "";
  for (const [group, title] of kv.groups) {
    const values = (group ? doc[group] : doc) || {};
    const section = document.createElement("section");
    section.className = "kv-group";
    section.dataset.group = group || "";
    const h = document.createElement("h3");
    h.textContent = title;
    section.append(h);
    const rows = [];
    for (const [name, value] of Object.entries(values)) {
      for (const v of Array.isArray(value) ? value : [value]) rows.push([name, v === null ? "" : String(v)]);
    }
    rows.forEach(([name, value], i) => section.append(kvRow(tab, group, i, name, value)));
    const add = document.createElement("button");
    add.className = "btn small kv-add";
    add.textContent = `+ Add ${group === "header" ? "header" : group ? "parameter" : "variable"}`;
    add.addEventListener("click", () => {
      section.insertBefore(kvRow(tab, group, rows.length, "", ""), add);
      section.querySelectorAll(".kv-row input")[rows.length * 2]?.focus();
      rows.push(["", ""]);
    });
    section.append(add);
    box.append(section);
  }
  if (focused) box.querySelector(`[data-cell="${focused}"]`)?.focus();
}

function kvRow(tab, group, i, name, value) {
  const row = document.createElement("div");
  row.className = "kv-row";
  const input = (text, what) => {
    const el = document.createElement("input");
    el.value = text;
    el.spellcheck = false;
    el.placeholder = what;
    el.setAttribute("aria-label", `${group || "stage variable"} ${what} ${i + 1}`);
    el.dataset.cell = `${group}:${i}:${what}`;
    el.addEventListener("input", () => writeKv(tab));
    return el;
  };
  const remove = document.createElement("button");
  remove.className = "btn icon small";
  remove.textContent = "✕";
  remove.setAttribute("aria-label", `Remove row ${i + 1}`);
  remove.addEventListener("click", () => {
    row.remove();
    writeKv(tab);
  });
  row.append(input(name, "name"), input(value, "value"), remove);
  return row;
}

/** Writes the rows back as JSON; a name on several rows becomes a list (multi-value). */
function writeKv(tab) {
  const kv = KV[tab];
  let doc = {};
  try {
    doc = JSON.parse(state[kv.key] || "{}") || {};
  } catch {
    // replaced below
  }
  for (const section of $(`kv-${tab}`).querySelectorAll(".kv-group")) {
    const values = {};
    for (const row of section.querySelectorAll(".kv-row")) {
      const [name, value] = [...row.querySelectorAll("input")].map((el) => el.value);
      if (!name) continue;
      if (name in values) values[name] = [].concat(values[name], value);
      else values[name] = value;
    }
    if (section.dataset.group) doc[section.dataset.group] = values;
    else doc = values;
  }
  kvWriting = true;
  setText(editors[kv.editor], JSON.stringify(doc, null, 2));
  kvWriting = false;
}

let kvWriting = false;

function onTabShown(group, name) {
  if (group === "request") {
    $("request-note").innerHTML = REQUEST_NOTES[name] || "";
    $("ct-wrap").hidden = name !== "body";
    showKv(name);
    editors[name === "stage" ? "stage" : name]?.requestMeasure?.();
  } else if (group === "result") {
    if (name === "tokens" || name === "ast") refreshDump();
    if (name === "pretty") updatePretty();
  }
}

// ---------- rendering ----------

let engine = null;

function requestFromState() {
  const problems = [];
  const parse = (key, label, tab) => {
    const text = state[key].trim();
    if (!text) return {};
    try {
      const v = JSON.parse(text);
      if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error("must be a JSON object");
      return v;
    } catch (e) {
      problems.push({ label, tab, message: String(e.message || e) });
      return null;
    }
  };
  const params = parse("params", "Params", "params");
  const context = parse("context", "Context", "context");
  const stageVariables = parse("stageVariables", "Stage variables", "stage");
  const vars = parse("vars", "Variables", "vars");
  const request = { body: state.body, params, stageVariables, context };
  if (state.contentType) request.contentType = state.contentType;
  return { request, vars, problems };
}

function engineOptions(vars) {
  return {
    profile: state.profile,
    extensions: state.extensions,
    fuel: Number(state.fuel),
    vars: vars || {},
  };
}

async function renderNow() {
  scheduleRender.cancel();
  if (!engine) return;
  const seq = ++renderSeq;
  const { request, vars, problems } = requestFromState();
  markInputProblems(problems);
  if (problems.length) {
    const p = problems[0];
    setStatus("error", `${p.label} is not valid JSON: ${p.message}`);
    showInputProblem(p);
    return;
  }
  const template = state.template;
  // A render still running is for an older state: end it rather than wait behind it.
  if (engine.busySince !== null) await engine.stop();
  if (seq !== renderSeq) return;
  const started = performance.now();
  try {
    const result = await engine.call("render", { template, request, options: engineOptions(vars) });
    if (seq !== renderSeq) return; // a newer render was started
    lastResult = { ...result, template, started };
    showResult();
  } catch (err) {
    if (seq !== renderSeq) return;
    if (err.stopped) {
      setStatus("stopped", "Stopped. Edit the template or press Ctrl+Enter to render again.");
    } else {
      setStatus("error", `The engine crashed: ${err.message}. It has been restarted.`);
    }
  }
}

const scheduleRender = debounce(renderNow, 220);

function onStateChanged() {
  // What is shown belongs to the previous state until the next result arrives.
  document.body.classList.add("stale");
  saveLocal();
  clearHash();
  scheduleRender();
  if (ui.result === "tokens" || ui.result === "ast") scheduleDump();
}

function clearHash() {
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
}

function markInputProblems(problems) {
  const bad = new Set(problems.map((p) => p.tab));
  for (const tab of document.querySelectorAll('.tabs[data-group="request"] [role="tab"]')) {
    tab.classList.toggle("has-error", bad.has(tab.dataset.tab));
  }
}

function outputFormat() {
  if (state.outputFormat !== "auto") return state.outputFormat;
  const out = lastResult?.render?.output ?? "";
  return guessFormat(out);
}

/** A request editor holds no valid JSON: say so where the result is, and mark nothing valid. */
function showInputProblem(p) {
  document.body.classList.add("stale");
  const el = $("validity");
  el.textContent = "";
  el.className = "validity";
  const banner = $("result-error");
  banner.textContent = "";
  const title = document.createElement("strong");
  title.textContent = `${p.label} is not valid JSON`;
  const msg = document.createElement("span");
  msg.className = "msg";
  msg.textContent = p.message;
  banner.append(title, msg);
  banner.onclick = () => {
    selectTab("request", p.tab);
    editors[p.tab]?.focus();
  };
  banner.title = `Show the ${p.label} editor`;
  banner.hidden = false;
}

function showResult() {
  document.body.classList.remove("stale");
  const { render, check, template } = lastResult;
  const output = render.ok ? render.output : "";
  const fmt = outputFormat();
  editors.output.setLanguage(fmt === "text" ? "text" : fmt);
  setText(editors.output, output);
  setText(editors.diff.b, output);
  const problems = showDiagnostics(template, render, check);
  updateValidity();
  updateOverrides();
  updatePretty();
  updateDiffSummary();
  showTruncation(render);
  const t = render.timings || { compileMs: 0, renderMs: 0 };
  // The whole call, as the user waited for it: worker, transfer and display, not only the engine.
  if (lastResult.totalMs === undefined) lastResult.totalMs = performance.now() - lastResult.started;
  if (render.ok) {
    // The same count as the Problems list (engine warnings and lints, each place once).
    const warnings = problems.filter((p) => p.severity === "warning").length;
    const size = render.truncated ? render.truncated.bytes : utf8Length(output);
    setStatus(
      "ok",
      `Rendered in ${formatMs(lastResult.totalMs)}` +
        (warnings ? ` · ${warnings} warning${warnings > 1 ? "s" : ""}` : ""),
      `engine: compile ${formatMs(t.compileMs)} · render ${formatMs(t.renderMs)} · ${formatBytes(size)}` +
        (render.truncated ? " (truncated)" : ""),
    );
  } else {
    const e = render.errors[0];
    const where = e.line ? ` at ${e.line}:${e.column}` : "";
    setStatus("error", `${labelOf(e.kind)}${where}: ${e.message}`, "");
  }
  showResultError(render, template);
}

/** The notice above a cut-down output, with a download of the whole text. */
function showTruncation(render) {
  const note = $("output-truncated");
  if (!render.truncated) {
    note.hidden = true;
    return;
  }
  const shown = utf8Length(render.output);
  $("output-truncated-text").textContent =
    `Output truncated: showing the first ${formatBytes(shown)} of ${formatBytes(render.truncated.bytes)}.`;
  note.hidden = false;
}

/** The whole output (also when the page shows only its beginning). */
async function fullOutput() {
  const render = lastResult?.render;
  if (!render?.ok) return "";
  return render.truncated ? render.truncated.blob.text() : render.output;
}

function downloadOutput() {
  const render = lastResult?.render;
  if (!render?.ok) return;
  const ext = { json: "json", xml: "xml" }[outputFormat()] || "txt";
  const data = render.truncated ? render.truncated.blob : render.output;
  download(`output.${ext}`, data, "text/plain");
}

function showResultError(render, template) {
  const banner = $("result-error");
  if (render.ok) {
    banner.hidden = true;
    return;
  }
  const e = render.errors[0];
  banner.textContent = "";
  const title = document.createElement("strong");
  title.textContent = `${labelOf(e.kind)}${e.line ? ` at line ${e.line}, column ${e.column}` : ""}`;
  const msg = document.createElement("span");
  msg.className = "msg";
  msg.textContent = e.message;
  banner.append(title, msg);
  if (e.openedAt) {
    const opened = document.createElement("span");
    opened.className = "hint";
    opened.textContent = `Opened at line ${e.openedAt.line}, column ${e.openedAt.column}.`;
    banner.append(opened);
  }
  if (e.hint) {
    const hint = document.createElement("span");
    hint.className = "hint";
    hint.textContent = `Hint: ${e.hint}`;
    banner.append(hint);
  }
  banner.onclick = () => {
    if (e.start === null || e.start === undefined) return;
    const toIndex = byteToIndexMapper(template);
    const from = toIndex(e.start);
    editors.template.dispatch({
      selection: { anchor: from, head: Math.max(from, toIndex(e.end ?? e.start)) },
      effects: EditorView.scrollIntoView(from, { y: "center" }),
    });
    editors.template.focus();
  };
  banner.title = e.start === null || e.start === undefined ? "" : "Show in the template";
  banner.hidden = false;
}

function labelOf(kind) {
  return (
    {
      syntax: "Syntax error",
      directive: "Directive error",
      not_allowed: "Not allowed",
      render: "Render error",
      limit: "Limit exceeded",
      input: "Input error",
    }[kind] || "Error"
  );
}

function showDiagnostics(template, render, check) {
  const toIndex = byteToIndexMapper(template);
  const seen = new Set();
  const diagnostics = [];
  const items = [];
  const add = (severity, item, source) => {
    const key = `${item.start}:${item.end}:${item.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    items.push({ severity, ...item, source });
    if (item.start === null || item.start === undefined) return;
    const from = toIndex(item.start);
    let to = toIndex(item.end ?? item.start);
    if (to < from) to = from;
    diagnostics.push({
      from,
      to,
      severity,
      source,
      message: item.hint ? `${item.message}\n\nhint: ${item.hint}` : item.message,
    });
  };
  for (const e of render.errors || []) {
    add("error", e, labelOf(e.kind));
    // Where the construct the error is about begins (the `#if` an end of file left open).
    const open = e.openedAt;
    if (open && open.start !== null && open.start !== undefined) {
      const from = toIndex(open.start);
      diagnostics.push({
        from,
        to: Math.max(from, toIndex(open.end ?? open.start)),
        severity: "error",
        source: "opened here",
        message: `Opened here: ${e.message}`,
      });
    }
  }
  for (const d of check?.diagnostics || []) add(d.severity, d, d.code);
  for (const w of render.warnings || []) add("warning", w, "warning");
  editors.template.dispatch(setDiagnostics(editors.template.state, diagnostics));
  renderProblems(items, template);
  return items;
}

function renderProblems(items, template) {
  const list = $("problems-list");
  list.textContent = "";
  const shown = items.slice(0, 200);
  for (const item of shown) {
    const li = document.createElement("li");
    li.className = `problem ${item.severity}`;
    li.tabIndex = 0;
    li.dataset.testid = "problem";
    const icon = document.createElement("span");
    icon.className = "pico";
    icon.textContent = item.severity === "error" ? "✖" : "▲";
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = item.line ? `${item.line}:${item.column}` : "";
    if (item.openedAt) where.textContent += ` (opened ${item.openedAt.line}:${item.openedAt.column})`;
    const msg = document.createElement("span");
    msg.className = "msg";
    msg.textContent = item.message + (item.hint ? ` (${item.hint})` : "");
    const src = document.createElement("span");
    src.className = "src";
    src.textContent = item.source;
    li.append(icon, where, msg, src);
    if (item.start !== null && item.start !== undefined) {
      const jump = () => {
        const toIndex = byteToIndexMapper(template);
        const from = toIndex(item.start);
        const to = Math.max(from, toIndex(item.end ?? item.start));
        editors.template.dispatch({
          selection: { anchor: from, head: to },
          effects: EditorView.scrollIntoView(from, { y: "center" }),
        });
        editors.template.focus();
      };
      li.addEventListener("click", jump);
      li.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          jump();
        }
      });
    }
    list.append(li);
  }
  if (items.length > shown.length) {
    const li = document.createElement("li");
    li.className = "problem more";
    li.textContent = `… and ${items.length - shown.length} more`;
    list.append(li);
  }
  const errors = items.filter((i) => i.severity === "error").length;
  const count = $("problems-count");
  count.textContent = String(items.length);
  count.className = "count" + (errors ? " error" : items.length ? " warning" : "");
  $("problems").classList.toggle("empty", items.length === 0);
}

function updateValidity() {
  const el = $("validity");
  const render = lastResult?.render;
  let diagnostics = [];
  if (!render || !render.ok) {
    el.textContent = "";
    el.className = "validity";
  } else if (render.truncated) {
    el.textContent = "not checked";
    el.title = "The output is too large to check here; download it to check it";
    el.className = "validity neutral";
  } else {
    const fmt = outputFormat();
    const out = render.output;
    if (fmt === "json") {
      const err = validateJson(out);
      if (!err) {
        el.textContent = "✓ JSON";
        el.title = "The output is valid JSON";
        el.className = "validity ok";
      } else {
        el.textContent = `✗ not JSON${err.line ? ` (${err.line}:${err.column})` : ""}`;
        el.title = err.message;
        el.className = "validity bad";
        diagnostics = positionDiagnostic(out, err, "The output is not valid JSON");
      }
    } else if (fmt === "xml") {
      const err = validateXml(out);
      if (!err) {
        el.textContent = "✓ XML";
        el.title = "The output is well-formed XML";
        el.className = "validity ok";
      } else {
        el.textContent = `✗ not XML${err.line ? ` (${err.line}:${err.column})` : ""}`;
        el.title = err.message;
        el.className = "validity bad";
        diagnostics = positionDiagnostic(out, err, "The output is not well-formed XML");
      }
    } else {
      el.textContent = "text";
      el.title = "";
      el.className = "validity neutral";
    }
  }
  editors.output.dispatch(setDiagnostics(editors.output.state, diagnostics));
}

function positionDiagnostic(text, err, prefix) {
  if (!err.line) return [];
  const lines = text.split("\n");
  let from = 0;
  for (let i = 0; i < err.line - 1 && i < lines.length; i++) from += lines[i].length + 1;
  from = Math.min(text.length, from + Math.max(0, err.column - 1));
  return [{ from, to: Math.min(text.length, from + 1), severity: "error", message: `${prefix}: ${err.message}` }];
}

function updatePretty() {
  if (ui.result !== "pretty") return;
  const render = lastResult?.render;
  if (!render) return;
  const out = render.ok ? render.output : "";
  const fmt = outputFormat();
  let pretty = out;
  if (fmt === "json") pretty = prettyJson(out) ?? out;
  else if (fmt === "xml") pretty = prettyXml(out) ?? out;
  editors.pretty.setLanguage(fmt);
  setText(editors.pretty, pretty);
}

function updateOverrides() {
  const render = lastResult?.render;
  const box = $("overrides");
  box.textContent = "";
  let set = 0;
  for (const [key, title, doc] of [
    ["requestOverride", "Request override", "changes the integration request: header, querystring, path"],
    ["responseOverride", "Response override", "changes the method response: status, header"],
  ]) {
    const value = render?.ok ? render[key] : null;
    const card = document.createElement("div");
    card.className = "override-card";
    const h = document.createElement("h3");
    h.textContent = `$context.${key}`;
    const p = document.createElement("p");
    p.className = "muted";
    p.textContent = `${title}: ${doc}`;
    card.append(h, p);
    const entries = value && typeof value === "object" ? Object.entries(value) : [];
    const nonEmpty = entries.filter(([, v]) => !(v && typeof v === "object" && Object.keys(v).length === 0));
    set += nonEmpty.length;
    if (!nonEmpty.length) {
      const empty = document.createElement("p");
      empty.className = "empty-note";
      empty.textContent = render?.ok ? "Nothing set." : "—";
      card.append(empty);
    } else {
      const table = document.createElement("table");
      table.className = "kv";
      for (const [k, v] of nonEmpty) {
        if (v && typeof v === "object") {
          for (const [name, val] of Object.entries(v)) addRow(table, `${k}.${name}`, val);
        } else addRow(table, k, v);
      }
      card.append(table);
    }
    box.append(card);
  }
  const badge = $("overrides-badge");
  badge.hidden = set === 0;
  badge.textContent = String(set);
}

function addRow(table, key, value) {
  const tr = document.createElement("tr");
  const th = document.createElement("th");
  th.textContent = key;
  const td = document.createElement("td");
  td.textContent = typeof value === "string" ? value : JSON.stringify(value);
  tr.append(th, td);
  table.append(tr);
}

// Numbers compared by their exact decimal value (JSON.parse would round them to doubles):
// each becomes {"\u0000": "[-]digits e exponent"} from its source text where the browser gives it.
function parseExact(text) {
  return JSON.parse(text, (_key, value, context) => {
    if (typeof value !== "number") return value;
    const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(context?.source ?? String(value));
    if (!m) return value;
    const digits = (m[2] + (m[3] || "")).replace(/^0+/, "");
    const trimmed = digits.replace(/0+$/, "");
    if (!trimmed) return { "\u0000": "0" };
    const exp = BigInt(m[4] || 0) - BigInt((m[3] || "").length) + BigInt(digits.length - trimmed.length);
    return { "\u0000": `${m[1]}${trimmed}e${exp}` };
  });
}

function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
}

function updateDiffSummary() {
  const el = $("diff-summary");
  const badge = $("diff-badge");
  const expected = state.expected;
  const render = lastResult?.render;
  const actual = render?.ok ? render.output : "";
  if (!expected.trim()) {
    el.textContent = "Paste the expected output on the left";
    el.className = "diff-summary neutral";
    badge.hidden = true;
    return;
  }
  let same = false;
  let text;
  if (expected === actual) {
    same = true;
    text = "✓ Identical";
  } else if (expected.trim() === actual.trim()) {
    same = true;
    text = "✓ Same apart from leading/trailing whitespace";
  } else {
    try {
      if (deepEqual(parseExact(expected), parseExact(actual))) {
        same = true;
        text = "✓ Same JSON (formatting differs)";
      }
    } catch {
      // not both JSON
    }
    if (!same) {
      const chunks = editors.diff.chunks?.length ?? 0;
      text = `✗ Differs${chunks ? ` in ${chunks} place${chunks > 1 ? "s" : ""}` : ""}`;
    }
  }
  el.textContent = text;
  el.className = "diff-summary " + (same ? "ok" : "bad");
  badge.hidden = false;
  badge.textContent = same ? "✓" : "✗";
  badge.className = "badge " + (same ? "ok" : "bad");
}

// ---------- tokens / AST ----------

const scheduleDump = debounce(refreshDump, 250);

async function refreshDump() {
  if (!engine || (ui.result !== "tokens" && ui.result !== "ast")) return;
  const template = state.template;
  try {
    if (ui.result === "tokens") {
      const r = await engine.call("tokens", { template });
      showTokens(r, template);
    } else {
      const r = await engine.call("ast", { template });
      setText(editors.ast, r.ok ? r.ast : `(no tree: ${r.errors[0].message})`);
    }
  } catch {
    // stopped or crashed: the status bar says so
  }
}

function showTokens(r, template) {
  const box = $("tokens");
  box.textContent = "";
  if (!r.ok) {
    const p = document.createElement("p");
    p.className = "empty-note";
    p.textContent = `The lexer stopped: ${r.errors[0].message}`;
    box.append(p);
  }
  const table = document.createElement("table");
  table.className = "tokens";
  const head = document.createElement("tr");
  for (const h of ["#", "kind", "bytes", "text"]) {
    const th = document.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  table.append(head);
  const toIndex = byteToIndexMapper(template);
  r.tokens.slice(0, 5000).forEach((tok, i) => {
    const tr = document.createElement("tr");
    tr.tabIndex = 0;
    const cells = [String(i + 1), tok.kind, `${tok.start}–${tok.end}`, visible(tok.text)];
    cells.forEach((c, j) => {
      const td = document.createElement("td");
      td.textContent = c;
      if (j === 1) td.className = "kind";
      if (j === 3) td.className = "text";
      tr.append(td);
    });
    const jump = () => {
      editors.template.dispatch({
        selection: { anchor: toIndex(tok.start), head: toIndex(tok.end) },
        effects: EditorView.scrollIntoView(toIndex(tok.start), { y: "center" }),
      });
    };
    tr.addEventListener("click", jump);
    tr.addEventListener("keydown", (e) => e.key === "Enter" && jump());
    table.append(tr);
  });
  box.append(table);
}

function visible(text) {
  return text.replace(/\n/g, "⏎").replace(/\t/g, "⇥").replace(/ /g, "·");
}

// ---------- status ----------

let busyTimer = null;

function setStatus(kind, text, meta) {
  const el = $("status-main");
  el.textContent = text;
  el.className = `status-${kind}`;
  document.body.dataset.status = kind;
  if (meta !== undefined) $("status-meta").textContent = meta;
}

function onEngineState(busySince) {
  const stop = $("btn-stop");
  const run = $("run-state");
  clearInterval(busyTimer);
  if (busySince === null) {
    stop.disabled = true;
    run.textContent = "";
    run.className = "run-state";
    document.body.classList.remove("rendering");
    return;
  }
  stop.disabled = false;
  const tick = () => {
    const elapsed = performance.now() - busySince;
    if (elapsed > 300) {
      document.body.classList.add("rendering");
      run.className = "run-state busy";
      run.textContent = `Rendering… ${(elapsed / 1000).toFixed(1)} s`;
    }
  };
  tick();
  busyTimer = setInterval(tick, 100);
}

function toast(text, kind = "info") {
  const el = $("toast");
  el.textContent = text;
  el.className = `toast ${kind}`;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (el.hidden = true), 3200);
}

// ---------- toolbar ----------

function setupToolbar() {
  $("profile").addEventListener("change", (e) => {
    state.profile = e.target.value;
    onStateChanged();
  });
  $("extensions").addEventListener("change", (e) => {
    state.extensions = e.target.checked;
    onStateChanged();
  });
  $("fuel").addEventListener("change", (e) => {
    state.fuel = e.target.value;
    onStateChanged();
  });
  $("content-type").addEventListener("input", (e) => {
    state.contentType = e.target.value;
    editors.body.setLanguage(bodyLanguage());
    onStateChanged();
  });
  $("output-format").addEventListener("change", (e) => {
    state.outputFormat = e.target.value;
    saveLocal();
    clearHash();
    if (lastResult) showResult();
  });
  $("btn-run").addEventListener("click", () => renderNow());
  $("btn-kv").addEventListener("click", () => {
    ui.kv = !ui.kv;
    saveLocal();
    showKv(ui.request);
  });
  $("btn-download-output").addEventListener("click", downloadOutput);
  $("btn-output-download").addEventListener("click", downloadOutput);
  $("btn-output-copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(await fullOutput());
      toast("Output copied");
    } catch {
      toast("Copying was not allowed", "error");
    }
  });
  $("btn-output-cli").addEventListener("click", async () => {
    const { request, vars, problems } = requestFromState();
    if (problems.length) {
      toast(`${problems[0].label} is not valid JSON; fix it first.`, "error");
      return;
    }
    const command = cliCommand({
      template: state.template,
      request: buildRequestFile(request),
      vars,
      profile: state.profile,
      extensions: state.extensions,
      fuel: state.fuel,
    });
    try {
      await navigator.clipboard.writeText(command);
      toast("CLI command copied: run it in an empty folder");
    } catch {
      toast("Copying was not allowed", "error");
    }
  });
  $("btn-stop").addEventListener("click", stopRender);
  $("btn-share").addEventListener("click", share);
  $("btn-examples").addEventListener("click", () => openExamples());
  $("btn-import").addEventListener("click", () => openImport());
  $("btn-help").addEventListener("click", () => $("dlg-help").showModal());
  $("btn-theme").addEventListener("click", () => {
    const order = ["auto", "light", "dark"];
    ui.theme = order[(order.indexOf(ui.theme || "auto") + 1) % order.length];
    applyTheme();
    saveLocal();
  });
  applyTheme();
  setupExportMenu();
}

/** The colour theme the user chose (auto follows the system). */
function applyTheme() {
  const theme = ui.theme || "auto";
  if (theme === "auto") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  const label = { auto: "follows the system", light: "light", dark: "dark" }[theme];
  $("btn-theme").title = `Colour theme: ${label}`;
  $("btn-theme").setAttribute("aria-label", `Colour theme: ${label}`);
  $("btn-theme").textContent = { auto: "◐", light: "☀", dark: "☾" }[theme];
}

async function stopRender() {
  if (!engine || engine.busySince === null) return;
  renderSeq++;
  await engine.stop();
  setStatus("stopped", "Stopped. Edit the template or press Ctrl+Enter to render again.");
  toast("Render stopped");
}

async function permalink() {
  const snapshot = {};
  for (const k of STATE_KEYS) snapshot[k] = state[k];
  return `${location.origin}${location.pathname}#s=${await packState(snapshot)}`;
}

/** Links longer than this are cut by some chat tools, mail clients and servers. */
const LARGE_LINK = 8 * 1024;

async function share() {
  const url = await permalink();
  history.replaceState(null, "", url);
  try {
    await navigator.clipboard.writeText(url);
    if (url.length > LARGE_LINK) {
      toast(
        `Link copied, but it is large (${formatBytes(url.length)}): some chat tools and mail clients cut links over 8 KB. Export a case file to share this much.`,
        "warning",
      );
    } else toast(`Link copied (${formatBytes(url.length)}). The state lives in the URL fragment only.`);
  } catch {
    toast("Link ready in the address bar (copying was not allowed).");
  }
}

function setupExportMenu() {
  const btn = $("btn-export");
  const menu = $("export-menu");
  const close = () => {
    menu.hidden = true;
    btn.setAttribute("aria-expanded", "false");
  };
  for (const id of ["btn-output-copy", "btn-output-download", "btn-output-cli"]) $(id).addEventListener("click", close);
  btn.addEventListener("click", () => {
    const open = menu.hidden;
    menu.hidden = !open;
    btn.setAttribute("aria-expanded", String(open));
    if (open) {
      $("export-note").textContent = state.expected.trim()
        ? "Expected = the text in the Expected tab."
        : "Expected = the current output (paste AWS's output in the Expected tab to use that instead).";
      $("export-name").placeholder = caseSlug(state.template);
      menu.querySelector("button").focus();
    }
  });
  document.addEventListener("click", (e) => {
    if (!menu.hidden && !e.target.closest(".menu-wrap")) close();
  });
  menu.addEventListener("keydown", (e) => {
    const items = [...menu.querySelectorAll("button")];
    const i = items.indexOf(document.activeElement);
    if (e.key === "Escape") {
      close();
      btn.focus();
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      items[(i + 1) % items.length].focus();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      items[(i - 1 + items.length) % items.length].focus();
    }
  });
  const exportCase = async () => {
    const { request, vars, problems } = requestFromState();
    if (problems.length) {
      toast(`${problems[0].label} is not valid JSON; fix it before exporting.`, "error");
      return null;
    }
    const render = lastResult?.render;
    const expected = state.expected.trim() ? state.expected : await fullOutput();
    const name = caseSlug(state.template, $("export-name").value);
    return {
      name,
      template: state.template,
      request: buildRequestFile(request),
      expected,
      vars,
      profile: state.profile,
      extensions: state.extensions,
      // The budget chosen here, when it is not the page's default, goes with the case.
      fuel: state.fuel !== DEFAULT_FUEL ? Number(state.fuel) : undefined,
      requestOverride: render?.ok ? render.requestOverride : null,
      responseOverride: render?.ok ? render.responseOverride : null,
    };
  };
  $("export-zip").addEventListener("click", async () => {
    close();
    const c = await exportCase();
    if (c) download(`${c.name}.zip`, await buildCaseFolderZip(c), "application/zip");
  });
  $("export-json").addEventListener("click", async () => {
    close();
    const c = await exportCase();
    if (c) download(`${c.name}.cases.json`, buildCaseFile(c), "application/json");
  });
  $("export-template").addEventListener("click", () => {
    close();
    download("template.vtl", state.template, "text/plain");
  });
}

// ---------- dialogs ----------

/** What an example runs on: the $vtl extensions, Velocity, or API Gateway itself. */
function platformTag(ex) {
  if (ex.state.extensions) return "Extensions ($vtl)";
  return ex.state.profile === "velocity" ? "Velocity" : "API Gateway";
}

function openExamples() {
  const box = $("gallery");
  const search = $("gallery-search");
  search.value = "";
  search.oninput = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const card of box.querySelectorAll(".card")) {
      const hit = words.every((w) => card.dataset.text.includes(w));
      card.hidden = !hit;
      shown += hit;
    }
    $("gallery-empty").hidden = shown > 0;
  };
  $("gallery-empty").hidden = true;
  box.textContent = "";
  for (const ex of EXAMPLES) {
    const card = document.createElement("button");
    card.className = "card";
    card.dataset.example = ex.id;
    const h = document.createElement("h3");
    h.textContent = ex.title;
    const p = document.createElement("p");
    p.textContent = ex.description;
    const tags = document.createElement("div");
    tags.className = "tags";
    const tagList = [platformTag(ex), ...(ex.tags || []).filter((t) => t !== "$vtl" && t !== "Velocity")];
    card.dataset.text = [ex.title, ex.description, ...tagList, ex.state.template].join(" ").toLowerCase();
    for (const t of tagList) {
      const span = document.createElement("span");
      span.textContent = t;
      tags.append(span);
    }
    const pre = document.createElement("pre");
    pre.textContent = ex.state.template.split("\n").slice(0, 4).join("\n");
    card.append(h, p, pre, tags);
    card.addEventListener("click", () => {
      loadExample(ex);
      $("dlg-examples").close();
    });
    box.append(card);
  }
  $("dlg-examples").showModal();
  search.focus();
}

function loadExample(ex) {
  state = normalizeState({ ...ex.state, fuel: state.fuel });
  loadStateIntoEditors();
  onStateChanged();
  renderNow();
  toast(`Loaded “${ex.title}”`);
}

function openImport() {
  $("import-error").textContent = "";
  $("dlg-import").showModal();
  $("import-text").focus();
}

function setupImport() {
  $("import-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (file) $("import-text").value = await file.text();
    e.target.value = "";
  });
  $("import-go").addEventListener("click", async (e) => {
    e.preventDefault();
    const err = $("import-error");
    err.textContent = "";
    let doc;
    try {
      doc = JSON.parse($("import-text").value);
    } catch (x) {
      err.textContent = `Not JSON: ${x.message}`;
      return;
    }
    try {
      await importDocument(doc);
      $("dlg-import").close();
    } catch (x) {
      err.textContent = x.message;
    }
  });
}

const pretty = (v) => JSON.stringify(v ?? {}, null, 2);

async function importDocument(doc) {
  // A case file, or one case from it.
  const one = Array.isArray(doc?.cases) ? doc.cases[0] : typeof doc?.template === "string" ? doc : null;
  if (one) {
    state = normalizeState({
      ...state,
      template: one.template,
      expected: typeof one.expected === "string" ? one.expected : one.expected ? pretty(one.expected) : "",
      profile: one.profile || "aws",
      extensions: !!one.extensions,
      vars: pretty(one.vars),
    });
    await applyRequest(one.request || {});
    toast(`Imported case “${one.name || "case"}”`);
    return;
  }
  await applyRequest(doc);
  toast("Imported the request");
}

async function applyRequest(doc) {
  const r = await engine.call("normalize", { request: doc });
  if (r.errors) throw new Error(r.errors[0].message);
  state.body = r.body;
  state.contentType = r.contentType || "";
  state.params = pretty(r.params);
  state.context = pretty(r.context);
  state.stageVariables = pretty(r.stageVariables);
  loadStateIntoEditors();
  onStateChanged();
  renderNow();
}

// ---------- keyboard ----------

function setupKeys() {
  window.addEventListener("keydown", (e) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key === "Enter") {
      e.preventDefault();
      renderNow();
    } else if (mod && (e.key === "s" || e.key === "S")) {
      e.preventDefault();
      share();
    } else if (e.key === "Escape" && engine?.busySince !== null && !document.querySelector("dialog[open]")) {
      stopRender();
    } else if (e.altKey && !mod && ["1", "2", "3"].includes(e.key)) {
      e.preventDefault();
      const target =
        e.key === "1"
          ? editors.template
          : e.key === "2"
            ? editors[{ stage: "stage" }[ui.request] || ui.request]
            : null;
      if (target) target.focus();
      else document.querySelector('.tabs[data-group="result"] [aria-selected="true"]').focus();
    } else if (e.altKey && (e.key === "e" || e.key === "E")) {
      e.preventDefault();
      openExamples();
    } else if (e.altKey && (e.key === "i" || e.key === "I")) {
      e.preventDefault();
      openImport();
    } else if (e.key === "?" && !e.target.closest?.(".cm-editor, input, textarea, select")) {
      e.preventDefault();
      $("dlg-help").showModal();
    }
  });
}

// ---------- start ----------

async function main() {
  state = await initialState();
  makeEditors();
  loadStateIntoEditors();
  setupTabs();
  setupToolbar();
  setupImport();
  setupKeys();
  window.addEventListener("hashchange", async () => {
    const s = await stateFromHash();
    if (s) {
      state = s;
      loadStateIntoEditors();
      renderNow();
    }
  });
  engine = new Engine({
    wasmUrl: new URL("vtl_wasm_bg.wasm", import.meta.url),
    workerUrl: new URL("worker.js", import.meta.url),
    onState: onEngineState,
  });
  try {
    await engine.start();
  } catch (err) {
    setStatus("error", `Could not start the engine: ${err.message}`);
    return;
  }
  document.body.dataset.ready = "true";
  $("template-hint").textContent = `vtl ${engine.version} · WebAssembly`;
  await renderNow();
}

// For tests and the curious: the current state and a permalink.
window.playground = {
  get state() {
    return state;
  },
  get result() {
    return lastResult;
  },
  permalink,
  renderNow,
};

main();
