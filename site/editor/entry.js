// The notebook's editor: CodeMirror 6 with Go, bundled by build.sh into
// dist/editor.js as one script that defines window.WorkshopEditor. The page
// (site/render/assets/site.js in live mode) is its only user.
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { EditorState, Prec } from "@codemirror/state";
import { indentWithTab } from "@codemirror/commands";
import { go } from "@codemirror/lang-go";
import { setDiagnostics, lintGutter } from "@codemirror/lint";

// The editor's colours follow the site's CSS variables, so light and dark
// themes need no second stylesheet.
const theme = EditorView.theme({
  "&": { backgroundColor: "var(--code-bg)", color: "var(--text)", fontSize: "14px" },
  ".cm-content": { fontFamily: "var(--mono)", caretColor: "var(--text)" },
  ".cm-gutters": { backgroundColor: "var(--surface-2)", color: "var(--faint)", borderRight: "1px solid var(--line)" },
  ".cm-activeLine": { backgroundColor: "color-mix(in srgb, var(--code-line) 45%, transparent)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--code-line)" },
  "&.cm-focused": { outline: "2px solid var(--link)" },
  ".cm-scroller": { maxHeight: "70vh", overflow: "auto" },
});

// create makes an editor in parent holding doc. opts.run, opts.stop and
// opts.save are called for Ctrl/Cmd-Enter, Escape and Ctrl/Cmd-S.
function create(parent, doc, opts) {
  opts = opts || {};
  const call = (f) => () => { if (f) { f(); return true; } return false; };
  const keys = Prec.highest(keymap.of([
    { key: "Mod-Enter", run: call(opts.run) },
    { key: "Escape", run: call(opts.stop) },
    { key: "Mod-s", run: call(opts.save), preventDefault: true },
  ]));
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [keys, basicSetup, keymap.of([indentWithTab]), go(), lintGutter(), theme,
        EditorView.updateListener.of((u) => { if (u.docChanged && opts.change) opts.change(); })],
    }),
  });
  return {
    view,
    value: () => view.state.doc.toString(),
    setValue(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    // mark shows diagnostics: [{line, col, message}], lines and columns
    // counted from 1 as Go's compilers count them. Out-of-range lines are
    // clamped, so a message is never lost.
    mark(list) {
      const doc = view.state.doc;
      const ds = (list || []).map((d) => {
        const n = Math.min(Math.max(d.line || 1, 1), doc.lines);
        const line = doc.line(n);
        const from = Math.min(line.from + Math.max((d.col || 1) - 1, 0), line.to);
        return { from, to: line.to > from ? line.to : from, severity: "error", message: d.message };
      });
      view.dispatch(setDiagnostics(view.state, ds));
      if (ds.length) view.dispatch({ selection: { anchor: ds[0].from }, scrollIntoView: true });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

window.WorkshopEditor = { create };
