package editor

import (
	"bytes"
	"io/fs"
	"testing"
)

// TestBundle checks that the committed bundle defines the page's entry
// point and travels with a licence for every package in it.
func TestBundle(t *testing.T) {
	js, err := fs.ReadFile(FS, "dist/editor.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(js, []byte("WorkshopEditor")) {
		t.Error("dist/editor.js does not define window.WorkshopEditor: run go generate ./site/editor")
	}
	lic, err := fs.ReadFile(FS, "dist/LICENSES.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{"codemirror ", "@codemirror/lang-go ", "@codemirror/view ", "@lezer/go "} {
		if !bytes.Contains(lic, []byte("\n"+pkg)) {
			t.Errorf("dist/LICENSES.txt has no licence of %s", pkg)
		}
	}
}
