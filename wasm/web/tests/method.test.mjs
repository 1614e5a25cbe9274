// Method mode in the browser: the pets API (examples/pets) run method by method, its stages
// shown, templates edited live, share links and exported method cases (checked by the CLI),
// the lazily loaded engine, screenshots at 1440 and 390 px in both themes, and axe.

import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { startBrowser, openPage, shot, web } from "./browser.mjs";

const repo = path.resolve(web, "../..");
const pets = path.join(repo, "examples", "pets");
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

let vtlBin;
/** The vtl CLI of this checkout (built if needed). */
function vtl() {
  if (vtlBin) return vtlBin;
  execFileSync("cargo", ["build", "-q", "-p", "vtl-cli"], { cwd: repo, stdio: "inherit" });
  const meta = JSON.parse(execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { cwd: repo, encoding: "utf8" }));
  vtlBin = path.join(meta.target_directory, "debug", "vtl");
  return vtlBin;
}

/** `vtl invoke --format json` on the pets API: what the page must show. */
function invoke(args) {
  const r = spawnSync(vtl(), ["invoke", path.join(pets, "openapi.yaml"), ...args, "--format", "json"], { encoding: "utf8" });
  assert.ok(r.status === 0 || r.status === 4, `vtl invoke ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The page's last method result (once the shown result is current). */
async function methodResult(page) {
  await page.waitForFunction(() => {
    const r = window.playground.method?.result;
    return r && !document.body.classList.contains("stale") && r.invocation?.ok;
  }, null, { timeout: 30_000 });
  return page.evaluate(() => window.playground.method.result.invocation.result);
}

async function enterMethodMode(page) {
  await page.click("#mode-method");
  return methodResult(page);
}

async function loadExample(page, id) {
  await page.click("#btn-examples");
  await page.click(`#gallery .card[data-example="${id}"]`);
  await page.waitForFunction((id) => window.playground.state.method?.example === id, id);
  return methodResult(page);
}

const text = (page, testid) => page.textContent(`[data-testid="${testid}"]`);

test("Method mode loads its engine only when opened; MOCK: CORS preflight of the pets API", async () => {
  const { context, page } = await openPage(browser, baseUrl);
  const loaded = () => page.evaluate(() => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname));
  const first = await loaded();
  assert.ok(first.includes("/vtl_wasm_bg.wasm"), `first load: ${first.join(", ")}`);
  for (const lazy of ["/method.js", "/method-worker.js", "/vtl_wasm_gateway_bg.wasm"]) {
    assert.ok(!first.includes(lazy), `${lazy} is not part of Template mode's first load`);
  }
  await enterMethodMode(page);
  const fetched = await loaded();
  for (const lazy of ["/method.js", "/vtl_wasm_gateway_bg.wasm"]) assert.ok(fetched.includes(lazy), `fetched: ${fetched.join(", ")}`);
  const res = await loadExample(page, "pets-preflight");
  const cli = invoke(["OPTIONS", "/pets", "-H", "Origin=https://app.example.com", "-H", "Access-Control-Request-Method=GET"]);
  assert.equal(res.status, cli.status);
  assert.deepEqual(res.multiValueHeaders, cli.multiValueHeaders);
  assert.equal(res.body, cli.body);
  assert.equal(res.endpointRequest, null);
  assert.match(await text(page, "stage-endpoint-request"), /MOCK: no backend is called/);
  assert.equal(await text(page, "selection-value"), JSON.stringify(String(cli.status)));
  assert.match(await text(page, "request-template"), /application\/json/);
  assert.match(await text(page, "status"), new RegExp(`OPTIONS /pets → ${cli.status}`));
  // The execution log, in TestInvokeMethod's format.
  await page.click('.tabs[data-group="mres"] [data-tab="log"]');
  const log = await page.textContent("#m-ed-log .cm-content");
  assert.match(log, /Starting execution for request: /);
  assert.match(log, new RegExp(`Method completed with status: ${cli.status}`));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("Method mode: a Lambda error selects the 4xx response its pattern matches; a changed errorMessage re-runs", async () => {
  const { context, page } = await openPage(browser, baseUrl);
  await enterMethodMode(page);
  const res = await loadExample(page, "pets-get-not-found");
  const answer = path.join(pets, "responses", "get-pet-not-found.json");
  const cli = invoke(["GET", "/pets/99", "--endpoint-response", answer]);
  assert.equal(res.status, cli.status);
  assert.ok(cli.status >= 400 && cli.status < 500, `a 4xx: ${cli.status}`);
  assert.equal(res.body, cli.body);
  assert.equal(res.endpointRequest.uri, cli.endpointRequest.uri);
  assert.equal(await text(page, "selection-value"), JSON.stringify("Pet 99 not found"));
  const selected = await text(page, "selected-response");
  assert.match(selected, new RegExp(`^${cli.status} \\(pattern .*not found.*\\)`));
  assert.equal(
    await text(page, "stage-summary"),
    `errorMessage "Pet 99 not found" → the pattern .*not found.* (${cli.status}) → the client gets ${cli.status}.`,
  );
  await shot(page, "80-method-lambda-error");

  // Another errorMessage, typed in the Backend tab: no pattern matches, the default is taken.
  await page.click('.tabs[data-group="mreq"] [data-tab="backend"]');
  await page.fill("#m-error-message", "boom");
  await page.waitForFunction(() => window.playground.state.method.endpoint.errorMessage === "boom");
  const after = await methodResult(page);
  await shot(page, "83-method-backend-lambda");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vtl-method-")), "answer.json");
  fs.writeFileSync(file, JSON.stringify({ status: 200, body: { errorMessage: "boom", errorType: "Error", stackTrace: [] } }));
  const cli2 = invoke(["GET", "/pets/99", "--endpoint-response", file]);
  assert.equal(after.status, cli2.status);
  assert.equal(await text(page, "selection-value"), JSON.stringify("boom"));
  assert.match(await text(page, "selected-response"), /\(default\), as no pattern matches/);
  // Reloaded, the page comes back in Method mode with the same run.
  await page.reload();
  await page.waitForSelector("body.mode-method");
  const again = await methodResult(page);
  assert.equal(again.status, after.status);
  assert.equal(await page.inputValue("#m-error-message"), "boom");
  // Alt+3 goes to the result's tabs.
  await page.keyboard.press("Alt+3");
  assert.equal(await page.evaluate(() => document.activeElement.closest(".tabs")?.dataset.group), "mres");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("Method mode: an HTTP 404 from the backend is mapped by the default response (no pattern matches 404)", async () => {
  const { context, page } = await openPage(browser, baseUrl);
  await enterMethodMode(page);
  const res = await loadExample(page, "pets-list-404");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vtl-method-")), "answer.json");
  fs.writeFileSync(file, JSON.stringify({ status: 404, headers: { "Content-Type": "text/plain" }, body: "Not Found" }));
  const cli = invoke([
    "GET", "/pets?limit=2", "-H", "X-Request-Id=req-42",
    "--stage-var", "registryHost=registry.example.com", "--stage-var", "registryKey=k-123",
    "--endpoint-response", file,
  ]);
  assert.equal(res.status, cli.status);
  assert.equal(res.body, cli.body);
  assert.deepEqual(res.multiValueHeaders, cli.multiValueHeaders);
  assert.equal(await text(page, "endpoint-uri"), `${cli.endpointRequest.httpMethod} ${cli.endpointRequest.uri}`);
  assert.equal(await text(page, "selection-value"), '"404"');
  const selected = await text(page, "selected-response");
  assert.match(selected, new RegExp(`^${cli.status} \\(default\\), as no pattern matches`));
  // The pattern that was tried and did not match is listed.
  assert.match(await text(page, "stage-integration-response"), /5\\d\{2\}\s*502\s*no match/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("Method mode: editing a template re-runs the method; the share link and the exported case keep it, and the case passes `vtl test`", async () => {
  const { context, page } = await openPage(browser, baseUrl);
  await enterMethodMode(page);
  await loadExample(page, "pets-get-not-found");
  // The 404 response's template, from the select of the method's templates.
  const pointer = await page.evaluate(() => {
    const o = [...document.querySelectorAll("#m-template option")].find((o) => /Response 404/.test(o.textContent));
    return o.value;
  });
  await page.selectOption("#m-template", pointer);
  const template = `{"gone": "$util.escapeJavaScript($input.path('$.errorMessage'))", "id": "$input.params('id')"}`;
  await page.click("#m-ed-template .cm-content");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(template);
  await page.waitForFunction(([p, t]) => window.playground.state.method.overrides[p] === t, [pointer, template]);
  const res = await methodResult(page);
  assert.deepEqual(JSON.parse(res.body), { gone: "Pet 99 not found", id: "99" });
  assert.match(await page.textContent("#m-template-note"), /Edited/);

  // Share link round trip: a fresh page shows the same run, in Method mode.
  const url = await page.evaluate(() => window.playground.permalink());
  const other = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p2 = await other.newPage();
  await p2.goto(url);
  await p2.waitForSelector("body.mode-method");
  const res2 = await methodResult(p2);
  assert.equal(res2.status, res.status);
  assert.equal(res2.body, res.body);
  assert.equal(await p2.evaluate(() => window.playground.state.method.overrides[Object.keys(window.playground.state.method.overrides)[0]]), template);
  await other.close();

  // Export: one *.cases.json with the spec inline; `vtl test` runs it and it passes.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtl-method-export-"));
  await page.click("#btn-export");
  await page.fill("#export-name", "Pet gone");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-method")]);
  assert.equal(download.suggestedFilename(), "pet-gone.cases.json");
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  const c = doc.cases[0];
  assert.equal(c.method, "GET");
  assert.equal(c.path, "/pets/99");
  assert.equal(c.expectedStatus, res.status);
  assert.equal(c.expected, res.body);
  const ok = spawnSync(vtl(), ["test", dir], { encoding: "utf8" });
  assert.equal(ok.status, 0, `vtl test ${dir}:\n${ok.stdout}\n${ok.stderr}`);
  // The case can fail: a different expected body is reported.
  fs.writeFileSync(file, JSON.stringify({ cases: [{ ...c, expected: '{"gone": "x"}' }] }));
  const bad = spawnSync(vtl(), ["test", dir], { encoding: "utf8" });
  assert.notEqual(bad.status, 0, "a wrong expectation fails");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("Method mode: exported cases of an HTTP method with request mappings, and of the $vtl SOAP method, pass `vtl test`", async () => {
  const { context, page } = await openPage(browser, baseUrl);
  await enterMethodMode(page);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtl-method-export-"));
  for (const id of ["pets-list", "pets-adopt-refused", "pets-preflight"]) {
    await loadExample(page, id);
    await page.click("#btn-export");
    await page.fill("#export-name", id);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-method")]);
    await download.saveAs(path.join(dir, download.suggestedFilename()));
  }
  const r = spawnSync(vtl(), ["test", dir], { encoding: "utf8" });
  assert.equal(r.status, 0, `vtl test ${dir}:\n${r.stdout}\n${r.stderr}`);
  assert.equal(fs.readdirSync(dir).length, 3);
  await context.close();
});

test("Method mode: a spec that cannot be read and a runaway template each cost one clean error", async () => {
  const { context, page } = await openPage(browser, baseUrl);
  await enterMethodMode(page);
  await loadExample(page, "pets-preflight");
  // A runaway request template: the engine's limits stop it, the method answers 500 and says why.
  await page.selectOption("#m-template", { index: 0 });
  await page.click("#m-ed-template .cm-content");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText("#foreach($i in [1..100000000])#foreach($j in [1..100000000])x#end#end");
  await page.waitForFunction(() => Object.values(window.playground.state.method.overrides).some((t) => t.includes("100000000")));
  const res = await methodResult(page);
  assert.equal(res.status, 500);
  assert.ok(res.templateError, "the template error is reported");
  assert.match(await page.textContent('[data-testid="method-error"]'), /Template error/);
  assert.match(await page.textContent("#status-main"), /→ 500/);

  // Reset to the spec's text: the method runs again.
  await page.click("#m-template-reset");
  assert.equal((await methodResult(page)).status, 200);

  // A response template writing megabytes: the page shows the beginning and stays responsive.
  await page.evaluate(() => {
    const o = [...document.querySelectorAll("#m-template option")].find((o) => /^Response/.test(o.textContent));
    document.getElementById("m-template").value = o.value;
    document.getElementById("m-template").dispatchEvent(new Event("change"));
  });
  await page.click("#m-ed-template .cm-content");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText("#foreach($i in [1..60])#foreach($j in [1..1000])0123456789012345678901234567890123456789012345678901234567890123456789#end#end");
  await page.waitForFunction(() => Object.values(window.playground.state.method.overrides).some((t) => t.includes("[1..60]")));
  const big = await methodResult(page);
  assert.ok(big.body.length > 4_000_000, `a big body: ${big.body.length}`);
  assert.ok((await page.textContent('[data-testid="stage-response"]')).length < 40_000, "the stage shows a preview");
  await page.click('.tabs[data-group="mres"] [data-tab="response"]');
  assert.match(await page.textContent("#m-response-truncated"), /Body truncated/);
  await page.click('.tabs[data-group="mres"] [data-tab="stages"]');
  await page.click('.tabs[data-group="mapi"] [data-tab="templates"]');

  // A spec that is not JSON or YAML: the error, no methods, no crash.
  await page.click('.tabs[data-group="mapi"] [data-tab="spec"]');
  await page.click("#m-ed-spec .cm-content");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText("{ not: [valid");
  await page.waitForFunction(() => /cannot be loaded/.test(document.querySelector('[data-testid="method-error"]').textContent) && !document.body.classList.contains("stale"), null, { timeout: 15_000 });
  assert.match(await page.textContent("#status-main"), /^Spec: /);
  assert.equal(await page.locator("#m-method option").count(), 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("Method mode: a pasted SAM template is read, its methods listed and run", async () => {
  const { context, page } = await openPage(browser, baseUrl);
  await enterMethodMode(page);
  const sam = {
    Transform: "AWS::Serverless-2016-10-31",
    Resources: {
      Api: {
        Type: "AWS::Serverless::Api",
        Properties: {
          StageName: "dev",
          DefinitionBody: {
            openapi: "3.0.1",
            paths: {
              "/health": {
                get: {
                  responses: { 200: { description: "ok" } },
                  "x-amazon-apigateway-integration": {
                    type: "mock",
                    requestTemplates: { "application/json": '{"statusCode": 200}' },
                    responses: { default: { statusCode: "200", responseTemplates: { "application/json": '{"up": true, "stage": "$context.stage"}' } } },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
  const text = JSON.stringify(sam, null, 2);
  await page.click('.tabs[data-group="mapi"] [data-tab="spec"]');
  await page.click("#m-ed-spec .cm-content");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
  await page.waitForFunction(() => [...document.querySelectorAll("#m-method option")].some((o) => o.value === "GET /health"));
  const res = await methodResult(page);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtl-method-sam-"));
  fs.writeFileSync(path.join(dir, "template.json"), text);
  const r = spawnSync(vtl(), ["invoke", path.join(dir, "template.json"), "GET", "/health", "--format", "json"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const cli = JSON.parse(r.stdout);
  assert.equal(res.status, cli.status);
  assert.equal(res.body, cli.body);
  assert.equal(await page.inputValue("#m-path"), "/health");
  assert.deepEqual(page.errors, []);
  await context.close();
});

const AXE = new URL("../node_modules/axe-core/axe.min.js", import.meta.url);

test("Method mode at 1440 and 390 px in both themes: screenshots, no sideways scroll, no serious or critical axe violations", async () => {
  for (const colorScheme of ["light", "dark"]) {
    for (const [width, height, name] of [[1440, 900, "desktop"], [390, 844, "phone"]]) {
      const { context, page } = await openPage(browser, baseUrl, { viewport: { width, height }, colorScheme });
      await enterMethodMode(page);
      await loadExample(page, "pets-get-not-found");
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300))); // colour transitions
      await shot(page, `81-method-${name}-${colorScheme}`);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `${name} ${colorScheme}: the page is ${scroll} px wide`);
      await page.addScriptTag({ path: AXE.pathname });
      for (const tab of ["stages", "log"]) {
        await page.click(`.tabs[data-group="mres"] [data-tab="${tab}"]`);
        const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
        const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        assert.deepEqual(
          bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`),
          [],
          `${name} ${colorScheme} (${tab})`,
        );
      }
      if (name === "phone") {
        await page.click('.tabs[data-group="mres"] [data-tab="stages"]');
        await page.locator('[data-testid="stage-integration-response"]').scrollIntoViewIfNeeded();
        await shot(page, `82-method-phone-stages-${colorScheme}`);
      }
      await context.close();
    }
  }
});
