// Timings of the reference cases (wasm/tests/fixtures/bench) in Chromium (headless, via
// playwright-core) and in Node.js, through the JS API's render(). Compare with the native
// figures from `cargo run --release -p vtl-wasm --example bench`.
//
//   node bench.mjs        (after scripts/build-wasm)

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";
import { measure } from "./bench-measure.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const wasmDir = path.resolve(here, "..");
const fixtures = path.join(wasmDir, "tests", "fixtures", "bench");
const names = fs.readdirSync(fixtures).filter((f) => f.endsWith(".json")).sort();

const nodeVtl = createRequire(import.meta.url)("../pkg/vtl_wasm.js");
const node = await measure(nodeVtl, async (name) => JSON.parse(fs.readFileSync(path.join(fixtures, name), "utf8")), names);

const { server, url } = await serve(wasmDir);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage();
await page.goto(url + "web/serve.mjs"); // any same-origin URL
const chrome = await page.evaluate(async (names) => {
  const vtl = await import("/web/pkg/vtl_wasm.js");
  await vtl.default();
  const { measure } = await import("/web/bench-measure.js");
  return measure(vtl, (name) => fetch(`/tests/fixtures/bench/${name}`).then((r) => r.json()), names);
}, names);
const version = browser.version();
await browser.close();
server.close();

console.log(`Chromium ${version}, Node ${process.version}`);
console.log("case\tchromium_call_ms\tchromium_engine_ms\tnode_call_ms\toutput_bytes");
for (const k of Object.keys(chrome)) {
  console.log(`${k}\t${chrome[k].callMs.toFixed(4)}\t${chrome[k].engineMs.toFixed(4)}\t${node[k].callMs.toFixed(4)}\t${chrome[k].bytes}`);
}
