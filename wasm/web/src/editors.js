// CodeMirror setup shared by every editor: keys, theme (CSS variables, so light and dark follow
// the system), highlighting and languages.

import { EditorState, Compartment } from "@codemirror/state";
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  drawSelection,
  highlightSpecialChars,
  placeholder as placeholderExt,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { bracketMatching, syntaxHighlighting, HighlightStyle, foldGutter, foldKeymap } from "@codemirror/language";
import { closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { lintGutter, lintKeymap } from "@codemirror/lint";
import { json } from "@codemirror/lang-json";
import { xml } from "@codemirror/lang-xml";
import { tags as t } from "@lezer/highlight";
import { vtlLanguage } from "./vtl-mode.js";

const highlight = HighlightStyle.define([
  { tag: t.comment, color: "var(--hl-comment)", fontStyle: "italic" },
  { tag: [t.keyword, t.macroName], color: "var(--hl-keyword)", fontWeight: "600" },
  { tag: t.variableName, color: "var(--hl-variable)" },
  { tag: t.propertyName, color: "var(--hl-property)" },
  { tag: [t.string, t.special(t.string)], color: "var(--hl-string)" },
  { tag: [t.number, t.bool, t.null, t.atom], color: "var(--hl-number)" },
  { tag: t.operator, color: "var(--hl-operator)" },
  { tag: t.meta, color: "var(--hl-meta)" },
  { tag: [t.tagName, t.angleBracket], color: "var(--hl-keyword)" },
  { tag: t.attributeName, color: "var(--hl-property)" },
  { tag: t.attributeValue, color: "var(--hl-string)" },
  { tag: t.invalid, color: "var(--danger)" },
]);

const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "13px", backgroundColor: "var(--editor-bg)", color: "var(--text)" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.55" },
  ".cm-content": { caretColor: "var(--accent)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--accent)", borderLeftWidth: "2px" },
  "&.cm-focused": { outline: "none" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--selection) !important",
  },
  ".cm-gutters": {
    backgroundColor: "var(--editor-bg)",
    color: "var(--text-faint)",
    border: "none",
    borderRight: "1px solid var(--border-soft)",
  },
  ".cm-activeLineGutter": { backgroundColor: "var(--active-line)", color: "var(--text-muted)" },
  ".cm-activeLine": { backgroundColor: "var(--active-line)" },
  ".cm-selectionMatch": { backgroundColor: "var(--match)" },
  "&.cm-focused .cm-matchingBracket": { backgroundColor: "var(--match)", outline: "1px solid var(--border)" },
  ".cm-tooltip": {
    backgroundColor: "var(--panel)",
    color: "var(--text)",
    border: "1px solid var(--border)",
    borderRadius: "8px",
    boxShadow: "var(--shadow)",
    overflow: "hidden",
  },
  ".cm-diagnostic": { padding: "6px 10px", fontFamily: "var(--sans)", fontSize: "12.5px", maxWidth: "520px" },
  ".cm-diagnostic-error": { borderLeft: "4px solid var(--danger)" },
  ".cm-diagnostic-warning": { borderLeft: "4px solid var(--warning)" },
  ".cm-lintRange-error": {
    backgroundImage: "none",
    textDecoration: "underline wavy var(--danger)",
    textDecorationSkipInk: "none",
    textUnderlineOffset: "3px",
    backgroundColor: "var(--danger-soft)",
  },
  ".cm-lintRange-warning": {
    backgroundImage: "none",
    textDecoration: "underline wavy var(--warning)",
    textDecorationSkipInk: "none",
    textUnderlineOffset: "3px",
  },
  ".cm-lint-marker": { width: "0.9em", height: "0.9em" },
  ".cm-panels": { backgroundColor: "var(--panel)", color: "var(--text)" },
  ".cm-panels.cm-panels-bottom": { borderTop: "1px solid var(--border)" },
  ".cm-searchMatch": { backgroundColor: "var(--match)", outline: "1px solid var(--warning)" },
  ".cm-placeholder": { color: "var(--text-faint)" },
  ".cm-tooltip-autocomplete ul li[aria-selected]": { backgroundColor: "var(--accent)", color: "var(--accent-text)" },
  ".cm-completionDetail": { color: "var(--text-muted)", fontStyle: "normal", marginLeft: "8px" },
  ".cm-tooltip-autocomplete ul li[aria-selected] .cm-completionDetail": { color: "inherit", opacity: "0.8" },
  ".cm-completionInfo": { padding: "6px 10px", fontSize: "12.5px", fontFamily: "var(--sans)" },
  ".cm-foldPlaceholder": { backgroundColor: "var(--match)", border: "none", color: "var(--text-muted)" },
});

/** Language support by name: "vtl", "json", "xml" or "text". */
export function language(name) {
  switch (name) {
    case "vtl":
      return vtlLanguage;
    case "json":
      return json();
    case "xml":
      return xml();
    default:
      return [];
  }
}

/**
 * Creates an editor. Options: doc, lang, readOnly, onChange(text), extensions, placeholder,
 * label (accessible name).
 */
export function createEditor(parent, options = {}) {
  const lang = new Compartment();
  const extensions = [
    lineNumbers(),
    foldGutter({ markerDOM: (open) => foldMarker(open) }),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    bracketMatching(),
    highlightSelectionMatches(),
    syntaxHighlighting(highlight),
    theme,
    EditorView.lineWrapping,
    lang.of(language(options.lang || "text")),
    keymap.of([...closeBracketsKeymap, ...completionKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...lintKeymap, indentWithTab]),
    EditorView.contentAttributes.of({ "aria-label": options.label || "editor", tabindex: "0" }),
  ];
  if (options.readOnly) {
    extensions.push(EditorState.readOnly.of(true));
  } else {
    extensions.push(highlightActiveLine(), closeBrackets());
  }
  if (options.lint) extensions.push(lintGutter({ hoverTime: 150 }));
  if (options.placeholder) extensions.push(placeholderExt(options.placeholder));
  if (options.onChange) {
    extensions.push(
      EditorView.updateListener.of((u) => {
        if (u.docChanged) options.onChange(u.state.doc.toString());
      }),
    );
  }
  if (options.extensions) extensions.push(options.extensions);
  const view = new EditorView({ parent, state: EditorState.create({ doc: options.doc || "", extensions }) });
  if (!options.readOnly) parent.classList.add("tab-hint");
  view.setLanguage = (name) => view.dispatch({ effects: lang.reconfigure(language(name)) });
  return view;
}

/** The extensions createEditor uses, for editors built elsewhere (the diff view). */
export function commonExtensions(readOnly, langName) {
  const ext = [
    lineNumbers(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    syntaxHighlighting(highlight),
    theme,
    EditorView.lineWrapping,
    language(langName || "text"),
    keymap.of([...defaultKeymap, ...searchKeymap, ...historyKeymap]),
  ];
  if (readOnly) ext.push(EditorState.readOnly.of(true), EditorView.editable.of(false));
  return ext;
}

function foldMarker(open) {
  const el = document.createElement("span");
  el.className = "fold-marker";
  el.textContent = open ? "⌄" : "›";
  return el;
}

/** Replaces an editor's whole text, if it differs (keeps the cursor roughly in place). */
export function setText(view, text) {
  const current = view.state.doc.toString();
  if (current === text) return;
  const head = Math.min(view.state.selection.main.head, text.length);
  view.dispatch({ changes: { from: 0, to: current.length, insert: text }, selection: { anchor: head } });
}
