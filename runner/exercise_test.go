package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/learn"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
)

// TestCheckers proves each exercise's checker both ways: the starter fails
// it, and so does every wrong solution kept in testdata/exercises/NAME/CASE
// (one file per program the exercise edits), with the message in its want
// file. That the reference solutions pass is proved by runner check, since
// the checkers are the chapters' own scenes.
func TestCheckers(t *testing.T) {
	b, err := chapters.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	builder, err := prog.NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	ws := &learn.Workspace{Root: t.TempDir()}
	locks := scene.NewLocks()
	for i, e := range b.Exercises() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			opt := scene.Options{Mode: prog.Interp, Builder: builder, Locks: locks}
			check := func(programs map[*chapters.Program]*chapters.Program) (bool, string) {
				var out bytes.Buffer
				passed, err := checkExercise(ctx, &out, ws, e, i+1, opt, programs, false)
				if err != nil {
					t.Fatal(err)
				}
				return passed, out.String()
			}

			starters := map[*chapters.Program]*chapters.Program{}
			for _, p := range e.Edit {
				starters[p] = e.Starter(p.Name)
			}
			if passed, out := check(starters); passed {
				t.Errorf("the starter passes the checker:\n%s", out)
			}

			cases, _ := filepath.Glob(filepath.Join("testdata", "exercises", e.Name, "*"))
			if len(cases) < 2 {
				t.Errorf("exercise %s keeps %d wrong solutions in testdata/exercises/%s; want at least 2", e.ID(), len(cases), e.Name)
			}
			for _, dir := range cases {
				programs := map[*chapters.Program]*chapters.Program{}
				for _, p := range e.Edit {
					file := filepath.Join(dir, p.Name+".go")
					src, err := os.ReadFile(file)
					if err != nil {
						t.Fatalf("wrong solution %s: %v", dir, err)
					}
					programs[p] = chapters.FileProgram(p, filepath.ToSlash(strings.TrimPrefix(file, "testdata/exercises/"+e.Name+"/")), src)
				}
				want, err := os.ReadFile(filepath.Join(dir, "want"))
				if err != nil {
					t.Fatalf("wrong solution %s: %v", dir, err)
				}
				passed, out := check(programs)
				if passed {
					t.Errorf("wrong solution %s passes the checker:\n%s", dir, out)
					continue
				}
				for _, w := range strings.Split(strings.TrimSpace(string(want)), "\n") {
					if !strings.Contains(out, w) {
						t.Errorf("wrong solution %s fails, but the report does not say %q:\n%s", dir, w, out)
					}
				}
			}
		})
	}
}
