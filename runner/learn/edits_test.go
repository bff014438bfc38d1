package learn

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zmq-workshop/workshop/chapters"
)

const editsChapter = "# E\n\n```go program=p\npackage main\n\nfunc main() {}\n```\n\n" +
	"```exercise name=ex\ntitle: T\nedit: p\ncheck: s\n```\n\n```go program=p starter=ex\npackage main\n\nfunc main() { panic(1) }\n```\n\n" +
	"```scene name=s\nstart p\n```\n"

func editsBook(t *testing.T) *chapters.Chapter {
	t.Helper()
	c, err := chapters.Parse("chapters/03-e.md", []byte(editsChapter))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestEdits saves, reads and resets a learner's version of a program.
func TestEdits(t *testing.T) {
	c := editsBook(t)
	w := &Workspace{Root: t.TempDir()}
	p := c.Program("p")
	if got := w.EditFile(p); got != filepath.Join("workspace", "chapters", "03-e", "p", "main.go") {
		t.Errorf("EditFile = %s", got)
	}
	if e, err := w.Edit(p); e != nil || err != nil {
		t.Fatalf("before a save: %v, %v", e, err)
	}
	mine := "package main\n\nfunc main() { println(1) }\n"
	if err := w.SaveEdit(p, []byte(mine)); err != nil {
		t.Fatal(err)
	}
	e, err := w.Edit(p)
	if err != nil || e == nil || e.Code() != mine || !strings.HasPrefix(string(e.Source()), "//line workspace/chapters/03-e/p/main.go:1:1\n") {
		t.Fatalf("after a save: %v, %v", e, err)
	}
	// Saving the chapter's own text is a reset.
	if err := w.SaveEdit(p, []byte(p.Code())); err != nil {
		t.Fatal(err)
	}
	if e, _ := w.Edit(p); e != nil {
		t.Errorf("saving the chapter's text kept a learner's version")
	}
	if _, err := os.Stat(filepath.Join(w.Root, "workspace", "chapters")); !os.IsNotExist(err) {
		t.Errorf("empty folders left after the reset: %v", err)
	}
	if err := w.SaveEdit(p, make([]byte, MaxSource+1)); err == nil {
		t.Errorf("an oversized program was saved")
	}
}

// TestSaveSolutionsAtOnce saves an exercise's files from many goroutines,
// as the notebook's server does for a page that saves them together: the
// progress stays whole.
func TestSaveSolutionsAtOnce(t *testing.T) {
	c := editsBook(t)
	w := &Workspace{Root: t.TempDir()}
	e := c.Exercise("ex")
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- w.SaveSolution(e, "p", []byte("package main\n"))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	p, err := w.Progress()
	if err != nil || !p[e.ID()].Started {
		t.Errorf("progress %+v, %v; want the exercise started", p, err)
	}
	if left, _ := filepath.Glob(filepath.Join(w.Root, "workspace", ".save-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if err := w.SaveSolution(e, "../p", nil); err == nil {
		t.Errorf("a program the exercise lacks was saved")
	}
}
