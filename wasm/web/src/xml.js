// XML checks and pretty-printing with the browser's own parser.

function parse(text) {
  const doc = new DOMParser().parseFromString(text, "application/xml");
  const error = doc.getElementsByTagName("parsererror")[0];
  return { doc, error };
}

/** null if `text` is well-formed XML, else `{message, line, column}`. */
export function validateXml(text) {
  if (!text.trim()) return { message: "the output is empty", line: 1, column: 1 };
  const { error } = parse(text);
  if (!error) return null;
  const message = (error.textContent || "not well-formed").replace(/\s+/g, " ").trim();
  const m = /line (\d+) at column (\d+)/i.exec(message) || /(\d+):(\d+)/.exec(message);
  const detail = message.replace(/^This page contains the following errors:\s*/i, "").replace(/Below is a rendering.*$/i, "");
  return { message: detail.trim(), line: m ? +m[1] : null, column: m ? +m[2] : null };
}

const escapeText = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escapeAttr = (s) => escapeText(s).replace(/"/g, "&quot;");

/** Re-indents well-formed XML (two spaces); null if it is not well-formed. */
export function prettyXml(text) {
  const { doc, error } = parse(text);
  if (error) return null;
  const decl = /^\s*(<\?xml[^?]*\?>)/.exec(text);
  const lines = decl ? [decl[1]] : [];
  const walk = (node, depth) => {
    const pad = "  ".repeat(depth);
    switch (node.nodeType) {
      case Node.ELEMENT_NODE: {
        const attrs = [...node.attributes].map((a) => ` ${a.name}="${escapeAttr(a.value)}"`).join("");
        const kids = [...node.childNodes].filter((c) => !(c.nodeType === Node.TEXT_NODE && !c.data.trim()));
        if (!kids.length) lines.push(`${pad}<${node.nodeName}${attrs}/>`);
        else if (kids.length === 1 && kids[0].nodeType === Node.TEXT_NODE) {
          lines.push(`${pad}<${node.nodeName}${attrs}>${escapeText(kids[0].data.trim())}</${node.nodeName}>`);
        } else {
          lines.push(`${pad}<${node.nodeName}${attrs}>`);
          for (const k of kids) walk(k, depth + 1);
          lines.push(`${pad}</${node.nodeName}>`);
        }
        break;
      }
      case Node.TEXT_NODE:
        lines.push(pad + escapeText(node.data.trim()));
        break;
      case Node.CDATA_SECTION_NODE:
        lines.push(`${pad}<![CDATA[${node.data}]]>`);
        break;
      case Node.COMMENT_NODE:
        lines.push(`${pad}<!--${node.data}-->`);
        break;
      case Node.PROCESSING_INSTRUCTION_NODE:
        lines.push(`${pad}<?${node.target} ${node.data}?>`);
        break;
      default:
        break;
    }
  };
  for (const child of doc.childNodes) walk(child, 0);
  return lines.join("\n");
}
