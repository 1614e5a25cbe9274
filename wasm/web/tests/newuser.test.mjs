// Browser tests of what a new user hits in the first minutes: big outputs, error places, stale
// results, phone width, noise, accessibility. Chromium headless, like e2e.test.mjs.
//
//   node --test tests/        (PLAYGROUND_DIST=dir to test another build)

import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { startBrowser, openPage, waitForStatus, waitForResult, typeInto, typeTemplate, shot } from "./browser.mjs";

let browser;
let server;
let baseUrl;

before(async () => {
  ({ browser, server, baseUrl } = await startBrowser());
});

after(async () => {
  await browser?.close();
  server?.close();
});

const open = (url = baseUrl, options) => openPage(browser, url, options);

test("a million-line output is cut to a preview, stays downloadable and the time is the whole call's", async () => {
  const { context, page } = await open();
  // Velocity's profile: API Gateway stops #foreach at 1000 iterations.
  await page.selectOption("#profile", "velocity");
  await page.selectOption("#fuel", { label: "∞" });
  const started = Date.now();
  await typeTemplate(page, "#foreach($i in [1..1000000])line $i\n#end");
  // A loaded CI machine may need a while for a million lines; the page must not freeze meanwhile.
  await page.waitForFunction(() => window.playground.result?.template === window.playground.state.template, null, { timeout: 120_000 });
  await waitForStatus(page, /Rendered in/);
  const waited = Date.now() - started;
  // The editor holds at most about 1 MB, and the page says so.
  const docLength = await page.evaluate(() => window.playground.result.render.output.length);
  assert.ok(docLength <= 1 << 20, `the page holds ${docLength} characters`);
  await page.waitForSelector("#output-truncated:not([hidden])");
  assert.match(await page.textContent("#output-truncated"), /truncated.*of 1[0-9]\.\d MB/);
  // The reported time is the whole call (at least the engine's, at most what the test waited).
  const { total, engine } = await page.evaluate(() => {
    const t = window.playground.result.render.timings;
    return { total: window.playground.result.totalMs, engine: t.compileMs + t.renderMs };
  });
  assert.ok(total >= engine && total <= waited + 500, `total ${total}, engine ${engine}, waited ${waited}`);
  assert.match(await page.textContent("#status-meta"), /engine: compile/);
  // The whole output downloads.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#btn-download-output")]);
  const text = fs.readFileSync(await download.path(), "utf8");
  assert.equal(text.split("\n").length, 1_000_001);
  assert.ok(text.endsWith("line 1000000\n"));
  // The page still responds.
  await typeTemplate(page, "small");
  await page.waitForFunction(() => window.playground.result?.render?.output === "small");
  assert.equal(await page.isHidden("#output-truncated"), true);
  await context.close();
});

test("an edit during a long render cancels it; stale output is dimmed; bad request JSON shows its error", async () => {
  const { context, page } = await open();
  await page.selectOption("#fuel", { label: "∞" });
  await typeTemplate(page, "#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])#end#end#end\nslow");
  await page.waitForSelector(".run-state.busy", { timeout: 10_000 });
  // Edit without pressing Stop: the running render gives way.
  await typeTemplate(page, "after edit: $input.params('id')");
  assert.equal(await page.evaluate(() => document.body.classList.contains("stale")), true);
  await page.waitForFunction(() => window.playground.result?.render?.output === "after edit: ORD-42", null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => document.body.classList.contains("stale")), false);
  await page.waitForSelector("#validity.neutral");
  assert.doesNotMatch(await page.textContent("#status-main"), /Stopped/);

  // Invalid request JSON: its error is shown and nothing stays marked valid.
  await typeTemplate(page, "{\"id\": \"$input.params('id')\"}");
  await page.waitForSelector("#validity.ok");
  await page.click('[role="tab"][data-tab="params"]');
  await typeInto(page, "#ed-params", '{"path": {"id": ');
  await waitForStatus(page, /Params is not valid JSON/);
  assert.equal(await page.isVisible("#result-error"), true);
  assert.match(await page.textContent("#result-error"), /Params is not valid JSON/);
  assert.equal(await page.$("#validity.ok"), null);
  assert.equal(await page.evaluate(() => document.body.classList.contains("stale")), true);
  assert.ok(Number(await page.evaluate(() => getComputedStyle(document.querySelector(".pane-result .tab-panels")).opacity)) < 0.8);
  await shot(page, "20-stale-bad-json");
  await context.close();
});

/** The 1-based editor lines that carry an error underline. */
const errorLines = (page) =>
  page.evaluate(() => {
    const lines = [...document.querySelectorAll("#ed-template .cm-line")];
    return [...document.querySelectorAll("#ed-template .cm-lintRange-error, #ed-template .cm-lintPoint-error")].map((r) => lines.indexOf(r.closest(".cm-line")) + 1);
  });

test("errors are marked where their cause is: the opening of an unclosed #if, an unclosed (", async () => {
  const { context, page } = await open();
  await typeTemplate(page, "first\n#if($input.params('id') == 'x')\nyes\n");
  await waitForResult(page);
  await waitForStatus(page, /Syntax error at 4:/);
  assert.deepEqual((await errorLines(page)).sort(), [2, 4]);
  assert.match(await page.textContent("#result-error"), /Opened at line 2/);
  assert.match(await page.textContent("#problems-list"), /opened 2:1/);
  await shot(page, "21-opened-here");

  // A missing `)`: reported at the `(`, which the message names.
  await typeTemplate(page, '{\n  "id": "$input.params(\'id\'",\n  "x": 1\n}\n');
  await waitForResult(page);
  const status = await waitForStatus(page, /Syntax error at 2:/);
  assert.match(status, /\$input\.params\(` is not closed/);
  assert.deepEqual(await errorLines(page), [2]);

  // `#if(` typed on line 1 of the default example is reported on line 1.
  await typeTemplate(page, "#if(\n" + '{\n  "a": 1,\n  "b": 2\n}\n\n "dddd" \n');
  await waitForResult(page);
  assert.match(await waitForStatus(page, /Syntax error at/), /Syntax error at 1:1: `#if\(` is not closed/);
  await context.close();
});

test("at phone width (390 px) the page is one column with reachable tabs, 44 px targets and a visible status", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const { context, page } = await open(baseUrl, { viewport: { width: 390, height: 844 }, hasTouch: true, colorScheme });
    await waitForStatus(page, /Rendered/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide`);
    // The status bar is on screen and not covered.
    const covered = await page.evaluate(() => {
      const bar = document.querySelector(".statusbar").getBoundingClientRect();
      if (bar.top < 0 || bar.bottom > innerHeight + 0.5 || bar.height === 0) return `off screen: ${JSON.stringify(bar)}`;
      const hit = document.elementFromPoint(bar.left + 20, bar.top + bar.height / 2);
      return hit.closest(".statusbar") ? null : `covered by ${hit.className}`;
    });
    assert.equal(covered, null);
    await shot(page, `30-phone-${colorScheme}`);
    // Every result tab can be reached and chosen.
    for (const tab of await page.$$eval('.tabs[data-group="result"] [role="tab"]', (ts) => ts.map((t) => t.dataset.tab))) {
      await page.click(`.tabs[data-group="result"] [role="tab"][data-tab="${tab}"]`);
      assert.equal(await page.getAttribute(`[role="tab"][data-tab="${tab}"]`, "aria-selected"), "true");
      const box = await page.locator(`[role="tab"][data-tab="${tab}"]`).boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 390, `${tab} at ${box.x}`);
    }
    const scrollbar = await page.$eval('.tabs[data-group="result"]', (t) => t.scrollWidth <= t.clientWidth || getComputedStyle(t).scrollbarWidth !== "none");
    assert.ok(scrollbar, "the result tabs overflow without a scrollbar");
    // Touch targets.
    const small = await page.evaluate(() =>
      [...document.querySelectorAll("button, select, input:not([type=checkbox]):not([type=file]), label.toggle, [role=tab]")]
        .filter((el) => el.offsetParent !== null && !el.closest("dialog, .cm-editor, .menu"))
        .map((el) => [el.id || el.dataset.tab || el.textContent.trim().slice(0, 20), el.getBoundingClientRect()])
        .filter(([, r]) => r.height < 44 || r.width < 44)
        .map(([name, r]) => `${name} ${Math.round(r.width)}x${Math.round(r.height)}`),
    );
    assert.deepEqual(small, []);
    // The Examples dialog fits the screen.
    await page.click("#btn-examples");
    await page.waitForSelector("#dlg-examples[open] .card");
    const dlg = await page.locator("#dlg-examples").boundingBox();
    assert.ok(dlg.x >= 0 && dlg.x + dlg.width <= 390, `dialog from ${dlg.x} to ${dlg.x + dlg.width}`);
    await shot(page, `31-phone-gallery-${colorScheme}`);
    await context.close();
  }
});

// The context block of API Gateway's own "Method Request passthrough" template.
const PASSTHROUGH_CONTEXT = `"context" : {
    "account-id" : "$context.identity.accountId",
    "api-id" : "$context.apiId",
    "api-key" : "$context.identity.apiKey",
    "authorizer-principal-id" : "$context.authorizer.principalId",
    "caller" : "$context.identity.caller",
    "cognito-authentication-provider" : "$context.identity.cognitoAuthenticationProvider",
    "cognito-authentication-type" : "$context.identity.cognitoAuthenticationType",
    "cognito-identity-id" : "$context.identity.cognitoIdentityId",
    "cognito-identity-pool-id" : "$context.identity.cognitoIdentityPoolId",
    "http-method" : "$context.httpMethod",
    "stage" : "$context.stage",
    "source-ip" : "$context.identity.sourceIp",
    "user" : "$context.identity.user",
    "user-agent" : "$context.identity.userAgent",
    "user-arn" : "$context.identity.userArn",
    "request-id" : "$context.requestId",
    "resource-id" : "$context.resourceId",
    "resource-path" : "$context.resourcePath"
    }`;

test("no warnings for documented $context keys, each warning once, one count", async () => {
  const { context, page } = await open();
  await page.check("#extensions");
  await typeTemplate(
    page,
    `{${PASSTHROUGH_CONTEXT},\n"a": "$vtl.json.stringify(1)", "b": "$vtl.json.stringify(2)",\n#foreach($i in [1..5])"$nope"#end\n}`,
  );
  await waitForResult(page);
  await waitForStatus(page, /Rendered/);
  const problems = await page.$$eval("#problems-list .problem", (ls) => ls.map((l) => l.textContent));
  assert.deepEqual(problems.filter((p) => /is missing or null/.test(p)), []);
  assert.equal(problems.filter((p) => /\$vtl is an extension/.test(p)).length, 1, problems.join("\n"));
  assert.equal(problems.filter((p) => /\$nope is not defined/.test(p)).length, 1, problems.join("\n"));
  const count = Number(await page.textContent("#problems-count"));
  const status = await page.textContent("#status-main");
  assert.equal(count, problems.length);
  assert.match(status, new RegExp(`· ${count} warnings?`), status);
  await context.close();
});

const AXE = new URL("../node_modules/axe-core/axe.min.js", import.meta.url);

async function seriousViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ path: AXE.pathname });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0].target.join(" ")}`);
}

test("accessibility: no serious or critical axe violations in either theme, an h1, visible focus, a theme toggle", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const { context, page } = await open(baseUrl, { colorScheme });
    assert.deepEqual(await seriousViolations(page), [], `${colorScheme} system theme`);
    assert.equal(await page.locator("h1").count(), 1);
    await shot(page, `40-desktop-${colorScheme}`);
    // The toggle forces the other theme; axe agrees there too.
    const other = colorScheme === "light" ? "dark" : "light";
    while ((await page.evaluate(() => document.documentElement.dataset.theme)) !== other) await page.click("#btn-theme");
    // Buttons fade their colours (0.12 s): let the change finish before measuring contrast.
    await page.waitForTimeout(400);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, other === "dark" ? "rgb(14, 16, 21)" : "rgb(243, 244, 247)");
    assert.deepEqual(await seriousViolations(page), [], `${other} theme chosen on a ${colorScheme} system`);
    await shot(page, `41-desktop-${other}-chosen`);
    // The choice survives a reload.
    await page.waitForTimeout(400);
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), other);
    await context.close();
  }
  const { context, page } = await open();
  // An editor with focus shows a ring and says how Tab behaves there.
  await page.click("#ed-template .cm-content");
  const ring = await page.$eval("#ed-template > .cm-editor", (e) => getComputedStyle(e).outlineStyle);
  assert.equal(ring, "solid");
  const hint = await page.$eval("#ed-template", (e) => getComputedStyle(e, "::after").content);
  assert.match(hint, /Esc then Tab/);
  // Menu items show focus.
  await page.focus("#btn-export");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#export-menu:not([hidden])");
  const menuRing = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("role")), "menuitem");
  assert.equal(menuRing, "solid");
  await context.close();
});

test("assets are served precompressed, the engine downloads while the page loads, a skeleton shows meanwhile", async () => {
  const http = await import("node:http");
  const zlib = await import("node:zlib");
  for (const [file, encoding, decode] of [
    ["app.js", "br", zlib.brotliDecompressSync],
    ["vtl_wasm_bg.wasm", "gzip", zlib.gunzipSync],
  ]) {
    const { headers, body } = await new Promise((resolve, reject) => {
      http.get(baseUrl + file, { headers: { "accept-encoding": encoding } }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on("error", reject);
    });
    assert.equal(headers["content-encoding"], encoding, file);
    const plain = await (await fetch(baseUrl + file, { headers: { "accept-encoding": "identity" } })).arrayBuffer();
    assert.ok(body.length < plain.byteLength / 2, `${file}: ${body.length} of ${plain.byteLength} bytes`);
    assert.deepEqual(decode(body), Buffer.from(plain), file);
  }

  // The page script arrives slowly: the engine's download has begun before it is done.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const seen = [];
  let releaseWasm;
  const wasmHeld = new Promise((r) => (releaseWasm = r));
  await page.route("**/app.js", async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    seen.push("app.js answered");
    await route.continue();
  });
  await page.route("**/vtl_wasm_bg.wasm", async (route) => {
    seen.push("wasm requested");
    await wasmHeld;
    await route.continue();
  });
  await page.goto(baseUrl, { waitUntil: "commit" });
  await page.waitForFunction(() => document.querySelector("#ed-output .cm-editor"), null, { timeout: 15_000 });
  assert.deepEqual(seen, ["wasm requested", "app.js answered"]);
  // Until the engine is ready, the output pane shows a skeleton.
  assert.equal(await page.isVisible("#ed-output .skeleton"), true);
  assert.match(await page.textContent("#status-main"), /Loading/);
  await shot(page, "50-skeleton");
  releaseWasm();
  await waitForStatus(page, /Rendered/, 30_000);
  assert.equal(await page.isVisible("#ed-output .skeleton"), false);
  await context.close();
});

test("copy output, download output and copy as CLI command, which reproduces the render", async () => {
  const { execFileSync, spawnSync } = await import("node:child_process");
  const os = await import("node:os");
  const path = await import("node:path");
  const repo = path.resolve(new URL(".", import.meta.url).pathname, "../../..");
  execFileSync("cargo", ["build", "-q", "-p", "vtl-cli"], { cwd: repo, stdio: "inherit" });
  const meta = JSON.parse(execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { cwd: repo, encoding: "utf8" }));
  const binDir = path.join(meta.target_directory, "debug");

  const { context, page } = await open();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  // A template with quotes, a trailing blank line and a fuel choice: the command must keep them.
  await page.selectOption("#fuel", { label: "10 M" });
  await typeTemplate(page, "## it's \"quoted\"\n$input.params('id') $input.path('$.customer.name')\n\n");
  await waitForResult(page);
  const output = await page.evaluate(() => window.playground.result.render.output);
  await page.click("#btn-export").then(() => page.click("#btn-output-copy"));
  await page.waitForFunction((o) => navigator.clipboard.readText().then((t) => t === o), output);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#btn-export").then(() => page.click("#btn-output-download"))]);
  assert.equal(fs.readFileSync(await download.path(), "utf8"), output);
  await page.click("#btn-export").then(() => page.click("#btn-output-cli"));
  await page.waitForFunction(() => navigator.clipboard.readText().then((t) => t.includes("vtl render")));
  const command = await page.evaluate(() => navigator.clipboard.readText());
  await context.close();
  assert.match(command, /--fuel 10000000/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtl-cli-"));
  const run = spawnSync("bash", ["-c", command], { cwd: dir, encoding: "utf8", env: { ...process.env, PATH: `${binDir}:${process.env.PATH}` } });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, output);
});

test("parameters and stage variables as key/value rows, multi-value, in step with the JSON", async () => {
  const { context, page } = await open();
  await typeTemplate(page, "$input.params('X-Trace')|$input.params().header.get('X-Trace')|$stageVariables.env");
  await page.click('[role="tab"][data-tab="params"]');
  await page.click("#btn-kv");
  await page.waitForSelector("#kv-params .kv-group");
  assert.equal(await page.isHidden("#ed-params"), true);
  const headers = '#kv-params .kv-group[data-group="header"]';
  const before = await page.$$eval(`${headers} .kv-row`, (rs) => rs.length);
  for (const value of ["web", "app"]) {
    await page.click(`${headers} .kv-add`);
    const row = page.locator(`${headers} .kv-row`).last();
    await row.locator("input").first().fill("X-Trace");
    await row.locator("input").nth(1).fill(value);
  }
  await page.waitForFunction(() => JSON.stringify(JSON.parse(window.playground.state.params).header["X-Trace"]) === '["web","app"]');
  // Remove the second row: a single value again.
  await page.locator(`${headers} .kv-row`).nth(before + 1).locator("button").click();
  await page.waitForFunction(() => JSON.parse(window.playground.state.params).header["X-Trace"] === "web");
  await page.waitForFunction(() => window.playground.result?.render?.output?.startsWith("web|web|"));
  // Stage variables, and back to JSON, where the rows are.
  await page.click('[role="tab"][data-tab="stage"]');
  await page.waitForSelector("#kv-stage .kv-group");
  const env = page.locator("#kv-stage .kv-row", { has: page.locator('input[data-cell$=":name"]') }).first();
  await env.locator("input").first().fill("env");
  await env.locator("input").nth(1).fill("staging");
  await page.waitForFunction(() => window.playground.result?.render?.output === "web|web|staging");
  await page.click("#btn-kv");
  assert.equal(await page.isVisible("#ed-stage"), true);
  assert.match(await page.textContent("#ed-stage .cm-content"), /"env": "staging"/);
  // An edit in the JSON shows in the table.
  await typeInto(page, "#ed-stage", '{"env": "prod", "region": "eu"}');
  await page.click("#btn-kv");
  const names = await page.$$eval("#kv-stage .kv-row input[data-cell$=':name']", (is) => is.map((i) => i.value));
  assert.deepEqual(names, ["env", "region"]);
  await shot(page, "60-kv-table");
  await context.close();
});

test("gallery: $vtl examples are tagged as extensions, readable titles, a search box; the coupon idiom is right", async () => {
  const { context, page } = await open();
  // The default example tests the coupon the way that works on API Gateway, and the lint is quiet.
  assert.match(await page.evaluate(() => window.playground.state.template), /#if\("\$!order\.coupon" != ""\)/);
  assert.doesNotMatch(await page.textContent("#problems-list"), /absent/);
  await page.click("#btn-examples");
  await page.waitForSelector("#dlg-examples[open] .card");
  const cards = await page.$$eval("#gallery .card", (cs) =>
    cs.map((c) => ({ id: c.dataset.example, title: c.querySelector("h3").textContent, tags: [...c.querySelectorAll(".tags span")].map((s) => s.textContent) })),
  );
  const soap = cards.find((c) => c.id === "soap-order-request");
  assert.ok(soap.tags.includes("Extensions ($vtl)") && !soap.tags.includes("API Gateway"), soap.tags.join(", "));
  for (const c of cards) assert.match(c.title, /^(\S+: )?[A-Z$#]/, c.title);
  // Search narrows the cards.
  assert.equal(await page.evaluate(() => document.activeElement.id), "gallery-search");
  await page.keyboard.type("soap");
  const visible = await page.$$eval("#gallery .card:not([hidden])", (cs) => cs.map((c) => c.dataset.example));
  assert.ok(visible.length > 0 && visible.length < cards.length && visible.every((id) => /soap/.test(id)), visible.join(", "));
  await page.fill("#gallery-search", "no such example at all");
  assert.equal(await page.isVisible("#gallery-empty"), true);
  await shot(page, "70-gallery-search");
  await page.click('#dlg-examples button[aria-label="Close"]');
  // `vtl check` (and the Problems list) warn about the trap.
  await typeTemplate(page, '"coupon": #if($order.coupon)"$order.coupon"#{else}null#end');
  await waitForResult(page);
  await page.waitForFunction(() => /absent/.test(document.getElementById("problems-list").textContent));
  await context.close();
});

test("a large share link warns; an exported case keeps its fuel and the name given", async () => {
  const { execFileSync, spawnSync } = await import("node:child_process");
  const os = await import("node:os");
  const path = await import("node:path");
  const { context, page } = await open();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.click("#btn-share");
  await page.waitForSelector("#toast:not([hidden])");
  assert.doesNotMatch(await page.textContent("#toast"), /large/);
  // Text that does not compress: a link of more than 8 KB.
  let x = 1;
  const noise = Array.from({ length: 12000 }, () => String.fromCharCode(97 + ((x = (x * 48271) % 2147483647) % 26))).join("");
  await typeTemplate(page, `## ${noise}\nok`);
  await page.click("#btn-share");
  await page.waitForFunction(() => /large/.test(document.getElementById("toast").textContent));
  assert.ok((await page.evaluate(() => location.href.length)) > 8192);

  await typeTemplate(page, "## loop\n#foreach($i in [1..3])$i#end");
  await page.selectOption("#fuel", { label: "10 M" });
  await waitForResult(page);
  await page.click("#btn-export");
  await page.fill("#export-name", "My Loop Case");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  assert.equal(download.suggestedFilename(), "my-loop-case.cases.json");
  const doc = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  await context.close();
  assert.equal(doc.cases[0].name, "my-loop-case");
  assert.equal(doc.cases[0].fuel, 10_000_000);
  const repo = path.resolve(new URL(".", import.meta.url).pathname, "../../..");
  execFileSync("cargo", ["build", "-q", "-p", "vtl-cli"], { cwd: repo, stdio: "inherit" });
  const meta = JSON.parse(execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { cwd: repo, encoding: "utf8" }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtl-case-"));
  const file = path.join(dir, "my-loop-case.cases.json");
  fs.writeFileSync(file, JSON.stringify(doc));
  const run = spawnSync(path.join(meta.target_directory, "debug", "vtl"), ["test", file], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  // The fuel is honoured: a case with too little fails with a limit.
  doc.cases[0].fuel = 5;
  fs.writeFileSync(file, JSON.stringify(doc));
  const starved = spawnSync(path.join(meta.target_directory, "debug", "vtl"), ["test", file], { encoding: "utf8" });
  assert.notEqual(starved.status, 0);
});
