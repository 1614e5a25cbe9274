// Syntax highlighting for Velocity templates: a small line-based tokenizer for CodeMirror's
// StreamLanguage. It only colours; the engine (in the worker) is the judge of what parses.

import { StreamLanguage } from "@codemirror/language";

const BLOCK_DIRECTIVES = /^#\{?(set|if|elseif|foreach|macro|define|evaluate|include|parse)\}?/;
const PLAIN_DIRECTIVES = /^#\{?(else|end|break|stop)\}?/;
const WORD_OPERATORS = new Set(["in", "and", "or", "not", "eq", "ne", "lt", "gt", "le", "ge"]);
const ATOMS = new Set(["true", "false", "null"]);

function startState() {
  // depth: open brackets inside a directive or method call; 0 means template text.
  // tail: just after a reference, where `.name`, `(` and `[` continue it.
  // region: what opened the current code region ("directive", "call" or "brace").
  return { depth: 0, region: null, comment: false, unparsed: false, string: null, tail: false, expectArgs: false };
}

function copyState(s) {
  return { ...s };
}

function tokenString(stream, state) {
  const quote = state.string;
  let escaped = false;
  while (!stream.eol()) {
    const ch = stream.next();
    if (ch === quote && !escaped) {
      // Velocity escapes a quote by doubling it.
      if (stream.peek() === quote) {
        stream.next();
        continue;
      }
      state.string = null;
      break;
    }
    escaped = false;
  }
  return "string";
}

// Inside directive arguments, method arguments, index brackets and `${...}`.
function tokenCode(stream, state) {
  if (stream.eatSpace()) return null;
  const ch = stream.peek();
  if (ch === '"' || ch === "'") {
    state.string = stream.next();
    return tokenString(stream, state);
  }
  if (stream.match(/^-?\d+(\.\d+)?/)) return "number";
  if (stream.match(/^\$!?\{?[A-Za-z_][\w-]*/)) return "variableName";
  if (stream.match(/^\.[A-Za-z_]\w*/)) return "propertyName";
  if (stream.match(/^\.\.|^[=!<>]=|^&&|^\|\||^[-+*/%<>!=]/)) return "operator";
  if (ch === "(" || ch === "[" || ch === "{") {
    stream.next();
    state.depth++;
    return "bracket";
  }
  if (ch === ")" || ch === "]" || ch === "}") {
    stream.next();
    state.depth = Math.max(0, state.depth - 1);
    if (state.depth === 0) {
      // After `$a.m(...)`, `$a[0]` or `${a}` the reference may go on; after `#if(...)` it may not.
      state.tail = state.region !== "directive";
      const braced = state.region === "brace";
      state.region = null;
      if (braced) return "variableName";
    }
    return "bracket";
  }
  const word = stream.match(/^[A-Za-z_]\w*/);
  if (word) {
    if (ATOMS.has(word[0])) return "atom";
    if (WORD_OPERATORS.has(word[0])) return "keyword";
    return "propertyName";
  }
  stream.next();
  return "punctuation";
}

function token(stream, state) {
  if (state.comment) {
    if (stream.skipTo("*#")) {
      stream.match("*#");
      state.comment = false;
    } else stream.skipToEnd();
    return "comment";
  }
  if (state.unparsed) {
    if (stream.skipTo("]]#")) {
      stream.match("]]#");
      state.unparsed = false;
    } else stream.skipToEnd();
    return "meta";
  }
  if (state.string) return tokenString(stream, state);
  if (state.depth > 0) return tokenCode(stream, state);

  if (state.expectArgs) {
    state.expectArgs = false;
    if (stream.match(/^[ \t]*\(/)) {
      state.depth = 1;
      state.region = "directive";
      return "bracket";
    }
  }
  if (state.tail) {
    if (stream.match(/^\.[A-Za-z_]\w*(?=\()/)) return "propertyName";
    if (stream.match(/^\.[A-Za-z_][\w-]*/)) return "propertyName";
    if (stream.match("(") || stream.match("[")) {
      state.depth = 1;
      state.region = "call";
      state.tail = false;
      return "bracket";
    }
    state.tail = false;
  }
  if (stream.match("##")) {
    stream.skipToEnd();
    return "comment";
  }
  if (stream.match("#*")) {
    state.comment = true;
    return token(stream, state);
  }
  if (stream.match("#[[")) {
    state.unparsed = true;
    return token(stream, state);
  }
  if (stream.match(BLOCK_DIRECTIVES)) {
    state.expectArgs = true;
    return "keyword";
  }
  if (stream.match(PLAIN_DIRECTIVES)) return "keyword";
  if (stream.match(/^#@?\{?[A-Za-z_][\w-]*\}?(?=[ \t]*\()/)) {
    state.expectArgs = true;
    return "macroName";
  }
  if (stream.match(/^\\*\$!?\{[A-Za-z_]?[\w-]*/)) {
    // `${name...}`: the braces are code until the matching `}`.
    state.depth = 1;
    state.region = "brace";
    return "variableName";
  }
  if (stream.match(/^\\*\$!?[A-Za-z_][\w-]*/)) {
    state.tail = true;
    return "variableName";
  }
  // Plain text up to the next `#` or `$`.
  stream.next();
  while (!stream.eol() && stream.peek() !== "#" && stream.peek() !== "$" && stream.peek() !== "\\") stream.next();
  return null;
}

/** The Velocity template language for CodeMirror. */
export const vtlLanguage = StreamLanguage.define({
  name: "vtl",
  startState,
  copyState,
  token,
  languageData: { commentTokens: { line: "##", block: { open: "#*", close: "*#" } } },
});
