// Runs each pets case through `vtl invoke --format json` (the CLI), writing its output to
// OUT/<case name>.json, for test/parity.test.ts to compare with the package's Api#invoke.
//
//   node cli-invoke.mjs VTL_BINARY CASES_JSON SPEC_DIR OUT_DIR
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [vtl, casesFile, specDir, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const { cases } = JSON.parse(readFileSync(casesFile, "utf8"));
for (const c of cases) {
  const args = ["invoke", join(specDir, c.spec), c.method, c.path, "--format", "json", "--color", "never"];
  for (const [k, v] of Object.entries(c.headers ?? {})) args.push("--header", `${k}=${v}`);
  for (const [k, v] of Object.entries(c.stageVariables ?? {})) args.push("--stage-var", `${k}=${v}`);
  if (c.stage) args.push("--stage", c.stage);
  if (c.extensions) args.push("--extensions");
  if (c.body !== undefined) {
    const file = join(out, `${c.name}.body`);
    writeFileSync(file, typeof c.body === "string" ? c.body : JSON.stringify(c.body));
    args.push("--body", file);
  }
  if (c.endpointResponse !== undefined) {
    const file = join(out, `${c.name}.endpoint.json`);
    writeFileSync(file, JSON.stringify(c.endpointResponse));
    args.push("--endpoint-response", file);
  }
  let stdout;
  try {
    stdout = execFileSync(vtl, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch (e) {
    // Exit status 4 (a template failed while rendering) still prints the result.
    if (e.status !== 4) throw e;
    stdout = e.stdout;
  }
  writeFileSync(join(out, `${c.name}.json`), stdout);
}
