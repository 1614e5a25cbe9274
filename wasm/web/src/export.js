// Exported test cases in the layouts `vtl test` reads: a case folder (as a zip) with
// template.vtl, request.json, expected.json|.xml|.txt, and vars.json / case.json when needed; or a
// `*.cases.json` document {"cases": [...]}.

/** The request in the request-file shape, leaving out empty parts. */
export function buildRequestFile(request) {
  const out = {};
  if (request.body) out.body = request.body;
  if (request.body && request.contentType) out.contentType = request.contentType;
  const params = {};
  for (const where of ["path", "querystring", "header"]) {
    const group = request.params?.[where];
    if (group && Object.keys(group).length) params[where] = group;
  }
  if (Object.keys(params).length) out.params = params;
  if (request.stageVariables && Object.keys(request.stageVariables).length) out.stageVariables = request.stageVariables;
  if (request.context && Object.keys(request.context).length) out.context = request.context;
  return out;
}

/** A file-name-safe name for a case: the name given, else the template's first comment. */
export function caseSlug(template, given = "") {
  const m = /^\s*##\s*(.+)$/m.exec(template);
  const words = (given.trim() || (m ? m[1] : "playground case"))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return words || "playground-case";
}

/** Which expected file an output gets (as `vtl test --update` chooses). */
export function expectedKind(text) {
  const t = text.trimStart();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      JSON.parse(text);
      return "json";
    } catch {
      // not JSON after all
    }
  }
  return t.startsWith("<") ? "xml" : "txt";
}

const hasKeys = (v) => v && typeof v === "object" && Object.keys(v).length > 0;

/** An override without its empty maps, or undefined if nothing is left. */
function pruneOverride(o) {
  if (!hasKeys(o)) return undefined;
  const out = {};
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === "object" && !Array.isArray(v) && !hasKeys(v)) continue;
    out[k] = v;
  }
  return hasKeys(out) ? out : undefined;
}

/** case.json: whatever differs from the defaults (profile, extensions, overrides). */
function caseMeta(c) {
  const meta = {};
  if (c.profile && c.profile !== "aws") meta.profile = c.profile;
  if (c.extensions) meta.extensions = true;
  if (c.fuel) meta.fuel = c.fuel;
  const req = pruneOverride(c.requestOverride);
  const res = pruneOverride(c.responseOverride);
  if (req) meta.requestOverride = req;
  if (res) meta.responseOverride = res;
  return meta;
}

/** The files of a case folder: [[name, text]]. */
export function caseFiles(c) {
  const files = [
    ["template.vtl", c.template],
    ["request.json", JSON.stringify(c.request, null, 2) + "\n"],
    [`expected.${expectedKind(c.expected)}`, c.expected],
  ];
  if (hasKeys(c.vars)) files.push(["vars.json", JSON.stringify(c.vars, null, 2) + "\n"]);
  const meta = caseMeta(c);
  if (hasKeys(meta)) files.push(["case.json", JSON.stringify(meta, null, 2) + "\n"]);
  return files;
}

/** A `*.cases.json` document with this one case. */
export function buildCaseFile(c) {
  const one = { name: c.name, template: c.template, request: c.request };
  if (hasKeys(c.vars)) one.vars = c.vars;
  const kind = expectedKind(c.expected);
  if (kind === "json") one.expectedJson = JSON.parse(c.expected);
  else if (kind === "xml") one.expectedXml = c.expected;
  else one.expected = c.expected;
  Object.assign(one, caseMeta(c));
  return JSON.stringify({ cases: [one] }, null, 2) + "\n";
}

/** A zip archive holding `<name>/<file>` for every case file. */
export async function buildCaseFolderZip(c) {
  return zip(caseFiles(c).map(([file, text]) => [`${c.name}/${file}`, text]));
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive (stored, no compression) of [[path, text]]. */
export function zip(entries) {
  const enc = new TextEncoder();
  const chunks = [];
  const central = [];
  let offset = 0;
  // 1980-01-01 00:00, the earliest DOS date, so archives are reproducible.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const [path, text] of entries) {
    const name = enc.encode(path);
    const data = enc.encode(text);
    const crc = crc32(data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, 0x0800, true); // UTF-8 names
    local.setUint16(8, 0, true);
    local.setUint16(10, dosTime, true);
    local.setUint16(12, dosDate, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, 0, true);
    chunks.push(new Uint8Array(local.buffer), name, data);
    const dir = new DataView(new ArrayBuffer(46));
    dir.setUint32(0, 0x02014b50, true);
    dir.setUint16(4, 20, true);
    dir.setUint16(6, 20, true);
    dir.setUint16(8, 0x0800, true);
    dir.setUint16(10, 0, true);
    dir.setUint16(12, dosTime, true);
    dir.setUint16(14, dosDate, true);
    dir.setUint32(16, crc, true);
    dir.setUint32(20, data.length, true);
    dir.setUint32(24, data.length, true);
    dir.setUint16(28, name.length, true);
    dir.setUint32(42, offset, true);
    central.push(new Uint8Array(dir.buffer), name);
    offset += 30 + name.length + data.length;
  }
  const centralSize = central.reduce((n, c) => n + c.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  const all = [...chunks, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of all) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Saves bytes or text as a download. */
export function download(filename, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A shell word: the text in single quotes (each ' written as '\''). */
function shellQuote(text) {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/**
 * The shell commands that reproduce a render with the CLI: the template and request written
 * byte for byte with printf, then `vtl render` with the same profile, extensions and fuel.
 */
export function cliCommand(c) {
  const lines = [`printf '%s' ${shellQuote(c.template)} > template.vtl`];
  const args = ["vtl", "render", "template.vtl"];
  if (hasKeys(c.request)) {
    lines.push(`printf '%s' ${shellQuote(JSON.stringify(c.request, null, 2))} > request.json`);
    args.push("--request", "request.json");
  }
  if (hasKeys(c.vars)) {
    lines.push(`printf '%s' ${shellQuote(JSON.stringify(c.vars, null, 2))} > vars.json`);
    args.push("--vars", "vars.json");
  }
  if (c.profile && c.profile !== "aws") args.push("--profile", c.profile);
  if (c.extensions) args.push("--extensions");
  if (c.fuel) args.push("--fuel", String(c.fuel));
  lines.push(args.join(" "));
  return lines.join("\n") + "\n";
}
