// Browser end-to-end tests of the playground: Debian's Chromium driven by playwright-core, the
// built page (dist/, from scripts/build-wasm) served on 127.0.0.1. Screenshots go to
// test-results/.
//
//   node --test tests/        (CHROMIUM=/path/to/chromium to use another browser binary)

import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../serve.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, "..");
const repo = path.resolve(web, "../..");
const results = path.join(web, "test-results");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

let browser;
let server;
let baseUrl;

before(async () => {
  assert.ok(fs.existsSync(path.join(web, "dist", "index.html")), "dist/ is missing: run scripts/build-wasm");
  fs.mkdirSync(results, { recursive: true });
  ({ server, url: baseUrl } = await serve(path.join(web, "dist")));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh context (empty localStorage) and a loaded page. */
async function open(url = baseUrl, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    ...options,
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  await waitForStatus(page, /Rendered|error|Error|Stopped/);
  page.errors = errors;
  return { context, page };
}

async function waitForStatus(page, re, timeout = 15_000) {
  await page.waitForFunction(
    ([source, flags]) => new RegExp(source, flags).test(document.getElementById("status-main").textContent),
    [re.source, re.flags],
    { timeout },
  );
  return page.textContent("#status-main");
}

const outputText = (page) => page.evaluate(() => window.playground.result?.render?.output ?? null);

/** Replaces the template by typing it (as a user would, through the editor). */
async function typeTemplate(page, text) {
  await page.click("#ed-template .cm-content");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
  await page.waitForFunction((t) => window.playground.state.template === t, text);
}

const shot = (page, name) => page.screenshot({ path: path.join(results, `${name}.png`) });

test("the page loads and renders the default example", async () => {
  const { context, page } = await open();
  const status = await waitForStatus(page, /Rendered/);
  assert.match(status, /Rendered in/);
  const out = await outputText(page);
  const json = JSON.parse(out);
  assert.equal(json.orderId, "ORD-42");
  assert.equal(json.lines.length, 2);
  await page.waitForSelector("#validity.ok");
  assert.match(await page.textContent("#validity"), /✓ JSON/);
  // The output editor shows the text.
  assert.match(await page.textContent("#ed-output .cm-content"), /"orderId": "ORD-42"/);
  assert.deepEqual(page.errors, []);
  await shot(page, "01-default-example");
  await context.close();
});

test("the page follows a dark system theme", async () => {
  const { context, page } = await open(baseUrl, { colorScheme: "dark" });
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, "rgb(14, 16, 21)");
  await page.click('[role="tab"][data-tab="overrides"]');
  await shot(page, "02-dark-mode");
  await context.close();
});

test("typing in the template changes the output", async () => {
  const { context, page } = await open();
  await page.click("#ed-template .cm-content");
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("\nTyped by a test: $input.params('id')");
  await page.waitForFunction(() => /Typed by a test: ORD-42/.test(window.playground.result?.render?.output ?? ""));
  assert.match(await page.textContent("#ed-output .cm-content"), /Typed by a test: ORD-42/);
  // The output is no longer JSON and the page says so.
  await page.waitForSelector("#validity.bad");
  await shot(page, "03-typed");
  // The state survives a reload (localStorage).
  const template = await page.evaluate(() => window.playground.state.template);
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(await page.evaluate(() => window.playground.state.template), template);
  await context.close();
});

test("the template editor completes $util members and directives", async () => {
  const { context, page } = await open();
  await page.click("#ed-template .cm-content");
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("\n$util.base");
  await page.waitForSelector(".cm-tooltip-autocomplete");
  const options = await page.$$eval(".cm-tooltip-autocomplete li", (lis) => lis.map((li) => li.textContent));
  assert.ok(options.some((o) => o.startsWith("base64Encode")), options.join(", "));
  await shot(page, "03b-completion");
  await page.keyboard.type("64En");
  await page.waitForFunction(() => /^base64Encode/.test(document.querySelector(".cm-tooltip-autocomplete li[aria-selected]")?.textContent));
  await page.waitForTimeout(200); // the list ignores keys for a moment after it opens
  await page.keyboard.press("Enter");
  await page.keyboard.type("'hi'");
  await page.waitForFunction(() => /aGk=/.test(window.playground.result?.render?.output ?? ""));
  await context.close();
});

test("a syntax error shows a marker at the right line, with the message on hover", async () => {
  const { context, page } = await open();
  await typeTemplate(page, '{\n  "a": "$input.path(\'$.a\')",\n  "b": #set($x = )\n}\n');
  await waitForStatus(page, /Syntax error at 3:/);
  const errors = await page.evaluate(() => window.playground.result.render.errors);
  assert.equal(errors[0].line, 3);
  // The underline is on line 3 of the editor.
  const lineOfRange = await page.evaluate(() => {
    const range = document.querySelector("#ed-template .cm-lintRange-error");
    const line = range.closest(".cm-line");
    return [...document.querySelectorAll("#ed-template .cm-line")].indexOf(line) + 1;
  });
  assert.equal(lineOfRange, 3);
  // The gutter marker sits beside line number 3.
  const gutterLine = await page.evaluate(() => {
    const marker = document.querySelector("#ed-template .cm-lint-marker-error");
    const top = marker.getBoundingClientRect().top;
    const numbers = [...document.querySelectorAll("#ed-template .cm-lineNumbers .cm-gutterElement")];
    let best = null;
    for (const n of numbers) {
      const d = Math.abs(n.getBoundingClientRect().top - top);
      if (n.textContent && (best === null || d < best.d)) best = { d, text: n.textContent };
    }
    return best.text;
  });
  assert.equal(gutterLine, "3");
  // The result pane says what went wrong.
  assert.match(await page.textContent("#result-error"), /Syntax error at line 3/);
  // The problems list names the position.
  assert.match(await page.textContent("#problems-list"), /3:\d+/);
  await page.hover("#ed-template .cm-lintRange-error");
  await page.waitForSelector(".cm-tooltip-lint", { timeout: 5000 });
  assert.match(await page.textContent(".cm-tooltip-lint"), /\S/);
  await shot(page, "04-syntax-error");
  await context.close();
});

test("a permalink restores the same state in a new page", async () => {
  const { context, page } = await open();
  await typeTemplate(page, "## permalink test\nHello $name from $input.params('city') ✓\n");
  await page.selectOption("#profile", "velocity");
  await page.click('[role="tab"][data-tab="vars"]');
  await page.click("#ed-vars .cm-content");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText('{"name": "Ada"}');
  await page.click('[role="tab"][data-tab="params"]');
  await page.click("#ed-params .cm-content");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText('{"querystring": {"city": "Zürich"}}');
  await page.waitForFunction(() => /Hello Ada from Zürich/.test(window.playground.result?.render?.output ?? ""));
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.click("#btn-share");
  await page.waitForFunction(() => location.hash.startsWith("#s="));
  const url = await page.evaluate(() => location.href);
  const before = await page.evaluate(() => window.playground.state);
  await context.close();

  // A new context: nothing in localStorage, only the URL.
  const second = await open(url);
  const after = await second.page.evaluate(() => window.playground.state);
  assert.deepEqual(after, before);
  assert.equal(await second.page.inputValue("#profile"), "velocity");
  assert.equal(await outputText(second.page), "Hello Ada from Zürich ✓\n");
  await shot(second.page, "05-permalink-restored");
  await second.context.close();
});

test("Stop ends a runaway render and the engine keeps working", async () => {
  const { context, page } = await open();
  await page.selectOption("#fuel", { label: "∞" });
  await typeTemplate(
    page,
    "#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])#end#end#end\ndone",
  );
  await page.waitForSelector(".run-state.busy", { timeout: 10_000 });
  await page.waitForFunction(() => /Rendering… [1-9]/.test(document.getElementById("run-state").textContent));
  await shot(page, "06-rendering-busy");
  assert.equal(await page.isEnabled("#btn-stop"), true);
  await page.click("#btn-stop");
  await waitForStatus(page, /Stopped/, 5000);
  assert.equal(await page.isEnabled("#btn-stop"), false);
  // A fresh worker renders the next edit.
  await typeTemplate(page, "after stop: $input.params('id')");
  await page.waitForFunction(() => window.playground.result?.render?.output === "after stop: ORD-42");
  await shot(page, "07-after-stop");
  await context.close();
});

/** Reads a zip written by the page (stored entries) into {path: text}. */
function unzip(bytes) {
  const files = {};
  let at = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (view.getUint32(at, true) === 0x04034b50) {
    const method = view.getUint16(at + 8, true);
    assert.equal(method, 0, "stored entries only");
    const size = view.getUint32(at + 18, true);
    const nameLen = view.getUint16(at + 26, true);
    const extraLen = view.getUint16(at + 28, true);
    const name = Buffer.from(bytes.subarray(at + 30, at + 30 + nameLen)).toString("utf8");
    const start = at + 30 + nameLen + extraLen;
    files[name] = Buffer.from(bytes.subarray(start, start + size)).toString("utf8");
    at = start + size;
  }
  return files;
}

let cliCache;
/** The vtl CLI (built if needed) and what it can do. */
function cli() {
  if (cliCache) return cliCache;
  execFileSync("cargo", ["build", "-q", "-p", "vtl-cli"], { cwd: repo, stdio: "inherit" });
  const meta = JSON.parse(
    execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { cwd: repo, encoding: "utf8" }),
  );
  const bin = path.join(meta.target_directory, "debug", process.platform === "win32" ? "vtl.exe" : "vtl");
  const help = spawnSync(bin, ["--help"], { encoding: "utf8" }).stdout;
  const renderHelp = spawnSync(bin, ["render", "--help"], { encoding: "utf8" }).stdout;
  cliCache = {
    bin,
    hasTest: /^\s+test\b/m.test(help),
    renderRequestFlag: /--request\b/.test(renderHelp) ? "--request" : null,
  };
  return cliCache;
}

function sameOutput(expectedFile, expected, actual) {
  if (expectedFile.endsWith(".json")) assert.deepEqual(JSON.parse(actual), JSON.parse(expected));
  else assert.equal(actual, expected);
}

/**
 * Runs an exported case folder through the CLI: `vtl test` when it exists, else `vtl render`
 * and a comparison. Returns how it was run, or null when this CLI cannot run it.
 */
function runCaseFolder(dir) {
  const { bin, hasTest, renderRequestFlag } = cli();
  if (hasTest) {
    const r = spawnSync(bin, ["test", dir], { encoding: "utf8" });
    assert.equal(r.status, 0, `vtl test ${dir}:\n${r.stdout}\n${r.stderr}`);
    return "vtl test";
  }
  const request = JSON.parse(fs.readFileSync(path.join(dir, "request.json"), "utf8"));
  const args = ["render", path.join(dir, "template.vtl")];
  if (Object.keys(request).length) {
    if (!renderRequestFlag) return null;
    args.push(renderRequestFlag, path.join(dir, "request.json"));
  }
  if (fs.existsSync(path.join(dir, "vars.json"))) args.push("--vars", path.join(dir, "vars.json"));
  const r = spawnSync(bin, args, { encoding: "utf8" });
  assert.equal(r.status, 0, `vtl ${args.join(" ")}:\n${r.stderr}`);
  const expectedFile = fs.readdirSync(dir).find((f) => f.startsWith("expected."));
  sameOutput(expectedFile, fs.readFileSync(path.join(dir, expectedFile), "utf8"), r.stdout);
  return "vtl render";
}

async function exportZip(page, dest) {
  await page.click("#btn-export");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-zip")]);
  const bytes = fs.readFileSync(await download.path());
  const files = unzip(bytes);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dest, name)), { recursive: true });
    fs.writeFileSync(path.join(dest, name), text);
  }
  const folder = path.join(dest, path.dirname(Object.keys(files)[0]));
  return { folder, files, filename: download.suggestedFilename() };
}

test("an exported case folder passes the CLI (request mapping)", async (t) => {
  const { context, page } = await open();
  await waitForStatus(page, /Rendered/);
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), "vtl-export-"));
  const { folder, files, filename } = await exportZip(page, dest);
  assert.match(filename, /\.zip$/);
  const names = Object.keys(files).map((f) => path.basename(f)).sort();
  assert.deepEqual(names, ["expected.json", "request.json", "template.vtl"]);
  assert.equal(fs.readFileSync(path.join(folder, "template.vtl"), "utf8"), await page.evaluate(() => window.playground.state.template));

  // The single-file form holds the same case.
  await page.click("#btn-export");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  assert.match(download.suggestedFilename(), /\.cases\.json$/);
  const caseFile = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  assert.equal(caseFile.cases.length, 1);
  assert.deepEqual(Object.keys(caseFile.cases[0]).sort(), ["expectedJson", "name", "request", "template"]);
  assert.deepEqual(caseFile.cases[0].request, JSON.parse(fs.readFileSync(path.join(folder, "request.json"), "utf8")));
  await context.close();

  const how = runCaseFolder(folder);
  if (!how) {
    t.skip("this vtl has neither `vtl test` nor `vtl render --request`");
    return;
  }
  if (cli().hasTest) {
    const file = path.join(dest, download.suggestedFilename());
    fs.writeFileSync(file, JSON.stringify(caseFile));
    const r = spawnSync(cli().bin, ["test", file], { encoding: "utf8" });
    assert.equal(r.status, 0, `vtl test ${file}:\n${r.stdout}\n${r.stderr}`);
  }
  t.diagnostic(`ran with ${how}`);
});

test("an exported case folder passes the CLI (no request)", async (t) => {
  const { context, page } = await open();
  await typeTemplate(page, "## loop case\n#set($xs = [1..4])\n#foreach($x in $xs)$x#if($foreach.hasNext), #end#end\n");
  // An empty request: body and every parameter editor cleared.
  for (const [tab, text] of [
    ["body", ""],
    ["params", "{}"],
    ["context", "{}"],
  ]) {
    await page.click(`[role="tab"][data-tab="${tab}"]`);
    await page.click(`#ed-${tab} .cm-content`);
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.press("Delete");
    if (text) await page.keyboard.insertText(text);
  }
  await page.click('[role="tab"][data-tab="stage"]');
  await page.click("#ed-stage .cm-content");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText("{}");
  await page.waitForFunction(() => window.playground.result?.render?.output === "1, 2, 3, 4");
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), "vtl-export-"));
  const { folder, files } = await exportZip(page, dest);
  await context.close();
  assert.equal(files[`loop-case/expected.txt`], "1, 2, 3, 4");
  assert.equal(files[`loop-case/request.json`].trim(), "{}");
  t.diagnostic(`ran with ${runCaseFolder(folder)}`);
});

test("exported cases with overrides, XML and extensions pass the CLI", async (t) => {
  const { context, page } = await open();
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), "vtl-export-"));
  const checks = {
    overrides: (files) => {
      const meta = JSON.parse(files["case.json"]);
      assert.equal(meta.responseOverride.status, 404);
      assert.ok("expected.json" in files);
    },
    "json-to-soap": (files) => assert.ok("expected.xml" in files),
    "soap-order-request": (files) => {
      assert.equal(JSON.parse(files["case.json"]).extensions, true);
      assert.ok("expected.xml" in files);
    },
  };
  const folders = [];
  for (const [id, check] of Object.entries(checks)) {
    await page.click("#btn-examples");
    await page.click(`#gallery .card[data-example="${id}"]`);
    await page.waitForFunction(() => window.playground.result?.template === window.playground.state.template);
    // Export what the engine produced: clear the example's stored expectation, if any.
    if (await page.evaluate(() => window.playground.state.expected !== "")) {
      await page.click('[role="tab"][data-tab="diff"]');
      await page.click("#ed-diff .cm-merge-a .cm-content");
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.press("Delete");
      await page.waitForFunction(() => window.playground.state.expected === "");
    }
    const out = await exportZip(page, path.join(dest, id));
    const files = Object.fromEntries(Object.entries(out.files).map(([k, v]) => [path.basename(k), v]));
    check(files);
    folders.push(out.folder);
  }
  await context.close();
  for (const folder of folders) {
    const how = runCaseFolder(folder);
    if (!how) {
      t.skip("this vtl cannot run cases with a request");
      return;
    }
  }
});

test("examples gallery, import, tokens and AST", async () => {
  const { context, page } = await open();
  await page.keyboard.press("Alt+e");
  await page.waitForSelector("#dlg-examples[open] .card");
  const cards = await page.$$eval("#gallery .card", (cs) => cs.map((c) => c.dataset.example));
  assert.ok(cards.includes("response-mapping") && cards.includes("overrides") && cards.includes("passthrough"));
  await shot(page, "08-gallery");
  // Every example renders without an error.
  await page.keyboard.press("Escape");
  for (const id of cards) {
    await page.click("#btn-examples");
    await page.click(`#gallery .card[data-example="${id}"]`);
    await page.waitForFunction(() => window.playground.result?.template === window.playground.state.template);
    const status = await waitForStatus(page, /Rendered|error|Error/);
    assert.match(status, /Rendered/, `${id}: ${status}`);
    const expected = await page.evaluate(() => window.playground.state.expected);
    if (expected) {
      await page.click('[role="tab"][data-tab="diff"]');
      const summary = await page.textContent("#diff-summary");
      assert.match(summary, /✓/, `${id}: ${summary}`);
    }
  }
  // Overrides example shows the status override.
  await page.click("#btn-examples");
  await page.click('#gallery .card[data-example="overrides"]');
  await page.waitForFunction(() => window.playground.result?.render?.responseOverride?.status === 404);
  await page.click('[role="tab"][data-tab="overrides"]');
  assert.match(await page.textContent("#overrides"), /status\s*404/);
  await shot(page, "09-overrides");

  // Import a Lambda-proxy event.
  await page.keyboard.press("Alt+i");
  await page.fill(
    "#import-text",
    JSON.stringify({
      resource: "/pets/{id}",
      path: "/pets/99",
      httpMethod: "GET",
      headers: { Accept: "application/json" },
      multiValueHeaders: { Accept: ["application/json"] },
      pathParameters: { id: "99" },
      queryStringParameters: null,
      requestContext: { stage: "test", requestId: "imported-1" },
      body: '{"errorType": "Other", "version": 3}',
      isBase64Encoded: false,
    }),
  );
  await page.click("#import-go");
  await page.waitForFunction(() => window.playground.result?.render?.requestOverride?.header?.["X-Debug"] === "imported-1");
  const params = JSON.parse(await page.evaluate(() => window.playground.state.params));
  assert.equal(params.path.id, "99");

  // Tokens and AST.
  await page.click('[role="tab"][data-tab="tokens"]');
  await page.waitForSelector("#tokens table.tokens tr:nth-child(3)");
  await shot(page, "10-tokens");
  await page.click('[role="tab"][data-tab="ast"]');
  await page.waitForFunction(() => /If|Set/.test(document.querySelector("#ed-ast .cm-content").textContent));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("expected vs actual diff", async () => {
  const { context, page } = await open();
  await page.click('[role="tab"][data-tab="diff"]');
  const actual = await outputText(page);
  await page.click("#ed-diff .cm-merge-a .cm-content");
  await page.keyboard.insertText(actual.replace("ORD-42", "ORD-43"));
  await page.waitForFunction(() => /Differs/.test(document.getElementById("diff-summary").textContent));
  await page.waitForSelector("#ed-diff .cm-changedText");
  await page.keyboard.press("ControlOrMeta+Home");
  await shot(page, "11-diff");
  // Same JSON with other whitespace counts as the same.
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(JSON.stringify(JSON.parse(actual)));
  await page.waitForFunction(() => /Same JSON/.test(document.getElementById("diff-summary").textContent));
  await context.close();
});
