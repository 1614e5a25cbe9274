// A tiny static file server for the playground (127.0.0.1 only), used by scripts/playground and
// the browser tests.
//
//   node serve.mjs [DIR] [--port N]     (DIR defaults to dist/, port to 8080; 0 picks a free one)

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Serves `root` on 127.0.0.1:`port`; resolves with {server, url}. */
export function serve(root, port = 0) {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = path.join(base, urlPath);
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    // A precompressed sibling (file.br, file.gz, written by build.mjs) when the client takes it.
    const accepts = String(req.headers["accept-encoding"] || "");
    const encoding = [
      ["br", ".br"],
      ["gzip", ".gz"],
    ].find(([name, ext]) => new RegExp(`\\b${name}\\b`).test(accepts) && fs.existsSync(file + ext));
    fs.readFile(encoding ? file + encoding[1] : file, (err, data) => {
      if (err) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      const headers = {
        "content-type": TYPES[path.extname(file)] || "application/octet-stream",
        "cache-control": "no-cache",
        vary: "accept-encoding",
      };
      if (encoding) headers["content-encoding"] = encoding[0];
      res.writeHead(200, headers);
      res.end(data);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      resolve({ server, url: `http://127.0.0.1:${server.address().port}/` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf("--port");
  const port = i >= 0 ? Number(args.splice(i, 2)[1]) : 8080;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = args[0] || path.join(here, "dist");
  if (!fs.existsSync(path.join(root, "index.html"))) {
    console.error(`serve.mjs: ${root}/index.html not found; run scripts/build-wasm first`);
    process.exit(1);
  }
  const { url } = await serve(root, port);
  console.log(`VTL playground: ${url}  (Ctrl+C to stop)`);
}
