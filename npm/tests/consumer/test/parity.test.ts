// Api#invoke gives what `vtl invoke --format json` prints, field for field, for every pets
// case (the CLI's outputs are in cli/, written by scripts/test-npm; the test is skipped when
// they are absent).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { loadApi, type EndpointResponse, type JsonValue } from "vtl-apigw";

interface PetsCase {
  name: string;
  spec: string;
  stage?: string;
  extensions?: boolean;
  method: string;
  path: string;
  headers?: Record<string, string>;
  stageVariables?: Record<string, string>;
  body?: JsonValue;
  endpointResponse?: EndpointResponse;
}

const cases = (JSON.parse(readFileSync("pets.cases.json", "utf8")) as { cases: PetsCase[] }).cases;
const skip = existsSync("cli") ? false : "no outputs of vtl invoke (cli/)";

for (const c of cases) {
  test(`vtl invoke parity: ${c.name}`, { skip }, () => {
    const api = loadApi(readFileSync(c.spec, "utf8"), { stage: c.stage, extensions: c.extensions });
    const { templateError, ...fields } = api.invoke(
      { httpMethod: c.method, path: c.path, headers: c.headers, body: c.body, stageVariables: c.stageVariables },
      c.endpointResponse,
    );
    api.free();
    const cli: unknown = JSON.parse(readFileSync(`cli/${c.name}.json`, "utf8"));
    assert.deepEqual(fields, cli);
    assert.equal(templateError, null);
  });
}
