// Small helpers without DOM or editor dependencies (unit-tested under Node).

/**
 * Maps UTF-8 byte offsets of `text` (what the engine reports) to string indices (UTF-16 code
 * units, what the editor uses). Returns a function; offsets inside a character round down.
 */
export function byteToIndexMapper(text) {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return (b) => Math.max(0, Math.min(b, text.length));
  // byteAt[i] = UTF-8 offset of string index i.
  const byteAt = new Uint32Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    byteAt[i] = bytes;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      byteAt[++i] = bytes + 1; // the low surrogate is inside the character
      bytes += 4;
      continue;
    } else bytes += 3;
  }
  byteAt[text.length] = bytes;
  return (b) => {
    if (b <= 0) return 0;
    if (b >= bytes) return text.length;
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (byteAt[mid] <= b) lo = mid;
      else hi = mid - 1;
    }
    const c = text.charCodeAt(lo);
    return c >= 0xdc00 && c < 0xe000 && lo > 0 ? lo - 1 : lo;
  };
}

/**
 * Re-indents JSON text without re-encoding its values (big numbers, escapes and key order stay
 * exactly as written). Returns null if `text` is not JSON.
 */
export function prettyJson(text, indent = "  ") {
  if (validateJson(text) !== null) return null;
  let out = "";
  let level = 0;
  let i = 0;
  const n = text.length;
  const newline = () => "\n" + indent.repeat(level);
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "{" || c === "[") {
      // Keep empty containers on one line.
      let j = i + 1;
      while (j < n && /\s/.test(text[j])) j++;
      if (text[j] === (c === "{" ? "}" : "]")) {
        out += c + text[j];
        i = j + 1;
        continue;
      }
      level++;
      out += c + newline();
    } else if (c === "}" || c === "]") {
      level--;
      out += newline() + c;
    } else if (c === ",") {
      out += "," + newline();
    } else if (c === ":") {
      out += ": ";
    } else {
      out += c;
    }
    i++;
  }
  return out;
}

/** null if `text` is one JSON document, else `{message, line, column}`. */
export function validateJson(text) {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const message = String(e.message || e);
    let line = null;
    let column = null;
    const lc = /line (\d+) column (\d+)/.exec(message);
    const pos = /position (\d+)/.exec(message);
    if (lc) {
      line = +lc[1];
      column = +lc[2];
    } else if (pos) {
      const before = text.slice(0, +pos[1]);
      line = before.split("\n").length;
      column = before.length - before.lastIndexOf("\n");
    } else if (/end of JSON input/.test(message)) {
      const lines = text.split("\n");
      line = lines.length;
      column = lines[lines.length - 1].length + 1;
    }
    return { message: message.replace(/^JSON\.parse: /, ""), line, column };
  }
}

/** What the output looks like: "json", "xml" or "text". */
export function guessFormat(text) {
  const t = text.trimStart();
  if (t.startsWith("{") || t.startsWith("[")) return "json";
  if (t.startsWith("<")) return "xml";
  return "text";
}

/** The format a content type names: "json", "xml" or "text". */
export function formatOfContentType(contentType) {
  const ct = (contentType || "").toLowerCase();
  if (ct.includes("json")) return "json";
  if (ct.includes("xml")) return "xml";
  return "text";
}

/** Splits a byte count into a short human form. */
export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A millisecond duration with sensible precision. */
export function formatMs(ms) {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

/** UTF-8 length of a string. */
export function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}

/** Base64url without padding. */
export function toBase64Url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Inverse of toBase64Url. */
export function fromBase64Url(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes, stream) {
  const response = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await response.arrayBuffer());
}

/** Compresses a JSON-able value into URL-safe text (raw deflate + base64url). */
export async function packState(value) {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return toBase64Url(await pipe(bytes, new CompressionStream("deflate-raw")));
}

/** Inverse of packState; throws on damaged input. */
export async function unpackState(text) {
  const bytes = await pipe(fromBase64Url(text), new DecompressionStream("deflate-raw"));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Debounces `fn` by `ms`; the returned function has `.flush()` and `.cancel()`. */
export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, ms);
  };
  wrapped.flush = () => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
      fn();
    }
  };
  wrapped.cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  return wrapped;
}
