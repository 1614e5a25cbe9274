// Builds the playground into dist/: bundles the page and the worker with esbuild and copies the
// engine (pkg/, made by scripts/build-wasm) next to them.
//
//   node build.mjs [--dev]

import * as esbuild from "esbuild";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const dist = path.join(here, "dist");
const dev = process.argv.includes("--dev");

const pkgWasm = path.join(here, "pkg", "vtl_wasm_bg.wasm");
if (!fs.existsSync(pkgWasm)) {
  console.error("build.mjs: pkg/vtl_wasm_bg.wasm is missing; run scripts/build-wasm first");
  process.exit(1);
}

/**
 * Gallery entries from examples/soap/<name>/ (template.vtl, request.json, case.json, expected.*),
 * described by the table in examples/soap/README.md.
 */
function repoExamples() {
  const root = path.join(repo, "examples", "soap");
  if (!fs.existsSync(root)) return [];
  const read = (dir, file) => {
    const p = path.join(dir, file);
    return fs.existsSync(p) ? fs.readFileSync(p, "utf8") : null;
  };
  const descriptions = {};
  for (const m of (read(root, "README.md") || "").matchAll(/^\|\s*`([^`]+)`\s*\|\s*(.+?)\s*\|\s*$/gm)) {
    descriptions[m[1]] = m[2].replace(/`/g, "");
  }
  const dirs = fs
    .readdirSync(root)
    .sort()
    .map((d) => path.join(root, d))
    .filter((d) => fs.statSync(d).isDirectory() && fs.existsSync(path.join(d, "template.vtl")));
  return dirs.map((dir) => {
    const name = path.basename(dir);
    const request = JSON.parse(read(dir, "request.json") || "{}");
    const meta = JSON.parse(read(dir, "case.json") || "{}");
    const body =
      typeof request.body === "string" ? request.body : request.body ? JSON.stringify(request.body, null, 2) : "";
    const expected = read(dir, "expected.xml") ?? read(dir, "expected.json") ?? read(dir, "expected.txt") ?? "";
    const pretty = (v) => JSON.stringify(v || {}, null, 2);
    return {
      id: `soap-${name}`,
      title: `SOAP: ${name.replace(/[-_]+/g, " ").replace(/^./, (c) => c.toUpperCase())}`,
      description: descriptions[name] || "XML and SOAP mapping.",
      tags: meta.extensions ? ["SOAP", "XML", "$vtl"] : ["SOAP", "XML"],
      state: {
        template: read(dir, "template.vtl"),
        body,
        contentType: request.contentType || "application/json",
        params: pretty({ path: {}, querystring: {}, header: {}, ...(request.params || {}) }),
        context: pretty(request.context),
        stageVariables: pretty(request.stageVariables),
        expected,
        extensions: !!meta.extensions,
        outputFormat: expected.trimStart().startsWith("<") ? "xml" : "auto",
      },
    };
  });
}

const repoExamplesPlugin = {
  name: "repo-examples",
  setup(build) {
    build.onResolve({ filter: /^virtual:repo-examples$/ }, () => ({ path: "repo-examples", namespace: "virtual" }));
    build.onLoad({ filter: /.*/, namespace: "virtual" }, () => ({
      contents: `export default ${JSON.stringify(repoExamples())};`,
      loader: "js",
      watchDirs: [path.join(repo, "examples")],
    }));
  },
};

fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  format: "esm",
  target: ["chrome110", "firefox115", "safari16"],
  minify: !dev,
  sourcemap: dev ? "inline" : false,
  logLevel: "warning",
  legalComments: "none",
};

await esbuild.build({
  ...common,
  entryPoints: { app: path.join(here, "src", "main.js"), worker: path.join(here, "src", "worker.js") },
  outdir: dist,
  plugins: [repoExamplesPlugin],
});
await esbuild.build({ ...common, entryPoints: { app: path.join(here, "src", "style.css") }, outdir: dist });

fs.copyFileSync(pkgWasm, path.join(dist, "vtl_wasm_bg.wasm"));
fs.copyFileSync(path.join(here, "index.html"), path.join(dist, "index.html"));

// Precompressed copies for servers that can send them (serve.mjs does).
for (const f of fs.readdirSync(dist)) {
  if (!/\.(js|css|html|wasm)$/.test(f)) continue;
  const data = fs.readFileSync(path.join(dist, f));
  fs.writeFileSync(path.join(dist, `${f}.gz`), zlib.gzipSync(data, { level: 9 }));
  fs.writeFileSync(
    path.join(dist, `${f}.br`),
    zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
  );
}

const size = (f) => fs.statSync(path.join(dist, f)).size;
console.log(
  `build.mjs: dist/ app.js ${(size("app.js") / 1024).toFixed(0)} KB, worker.js ${(size("worker.js") / 1024).toFixed(0)} KB, ` +
    `vtl_wasm_bg.wasm ${(size("vtl_wasm_bg.wasm") / 1024).toFixed(0)} KB ` +
    `(brotli: app.js ${(size("app.js.br") / 1024).toFixed(0)} KB, wasm ${(size("vtl_wasm_bg.wasm.br") / 1024).toFixed(0)} KB)`,
);
