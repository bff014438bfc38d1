// Package editor holds the notebook's code editor: CodeMirror 6 with Go
// highlighting, indentation, bracket matching, undo and search, bundled
// from the npm packages pinned in package-lock.json into dist/editor.js,
// with the licences of everything in it in dist/LICENSES.txt. The live
// server serves both from here, so the page loads nothing from elsewhere
// and works offline.
//
// The bundle is committed. To update or rebuild it (Node.js and npm
// needed), change package.json, then run
//
//	go generate ./site/editor    # or: make editor
//
// which runs build.sh: npm ci, esbuild, and the licence list.
//
// The script defines window.WorkshopEditor.create(parent, text, opts),
// which returns an editor with value(), setValue(text), mark(diagnostics),
// focus() and destroy(); opts.run, opts.stop and opts.save are called for
// Ctrl/Cmd-Enter, Escape and Ctrl/Cmd-S, opts.change on every edit.
package editor

import "embed"

//go:generate sh build.sh

// FS holds dist/editor.js and dist/LICENSES.txt.
//
//go:embed dist/editor.js dist/LICENSES.txt
var FS embed.FS
