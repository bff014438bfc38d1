// Package learn keeps a learner's exercises: the workspace folder with
// their files, their progress, and the check of their solutions against
// the chapters' scenes.
package learn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
)

// A Workspace is the folder that holds the learner's files, one folder an
// exercise and one a program: workspace/02-pingpong/server/main.go. git
// ignores it.
type Workspace struct {
	Root string // the workshop's root; the workspace is Root/workspace
}

// File is the learner's file for one program, relative to the root.
func (w *Workspace) File(e *chapters.Exercise, program string) string {
	return filepath.FromSlash(e.LearnerFile(program))
}

// ErrStarted is returned by Start when the learner's files exist.
var ErrStarted = errors.New("already started")

// Start copies the exercise's starters into the workspace. It never
// overwrites a file unless overwrite is set; when some exist it returns
// ErrStarted and writes nothing.
func (w *Workspace) Start(e *chapters.Exercise, overwrite bool) ([]string, error) {
	var files []string
	for _, sp := range e.Starters {
		files = append(files, w.File(e, sp.Name))
	}
	if !overwrite {
		for _, f := range files {
			if _, err := os.Stat(filepath.Join(w.Root, f)); err == nil {
				return files, ErrStarted
			}
		}
	}
	for i, sp := range e.Starters {
		path := filepath.Join(w.Root, files[i])
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(sp.Code()), 0o644); err != nil {
			return nil, err
		}
	}
	_, err := w.update(e, func(st *State) { st.Started = true })
	return files, err
}

// Started reports whether the learner has the exercise's files.
func (w *Workspace) Started(e *chapters.Exercise) bool {
	for _, sp := range e.Starters {
		if _, err := os.Stat(filepath.Join(w.Root, w.File(e, sp.Name))); err != nil {
			return false
		}
	}
	return len(e.Starters) > 0
}

// State is what the workspace remembers of one exercise.
type State struct {
	Started bool   `json:"started,omitempty"`
	Result  string `json:"result,omitempty"` // "passed" or "failing" after a check
	Hints   int    `json:"hints,omitempty"`  // how many hints were shown
}

func (w *Workspace) progressFile() string {
	return filepath.Join(w.Root, "workspace", "progress.json")
}

// Progress returns the state of every exercise the learner touched.
func (w *Workspace) Progress() (map[string]State, error) {
	p := map[string]State{}
	b, err := os.ReadFile(w.progressFile())
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return map[string]State{}, fmt.Errorf("%s is damaged (%v); delete it to start the record afresh", w.progressFile(), err)
	}
	return p, nil
}

func (w *Workspace) saveProgress(p map[string]State) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	// Replaced whole, so that a reader (the notebook's server, another
	// runner) never sees half of it.
	return w.write(filepath.Join("workspace", "progress.json"), append(b, '\n'))
}

// progressMu makes each update a whole read-change-write within a process:
// the notebook's server saves several files of an exercise at once.
var progressMu sync.Mutex

// update changes one exercise's state and saves it.
func (w *Workspace) update(e *chapters.Exercise, f func(*State)) (State, error) {
	progressMu.Lock()
	defer progressMu.Unlock()
	p, err := w.Progress()
	if err != nil {
		return State{}, err
	}
	st := p[e.ID()]
	f(&st)
	p[e.ID()] = st
	return st, w.saveProgress(p)
}

// NextHint returns the hints shown so far plus one more, and remembers it.
func (w *Workspace) NextHint(e *chapters.Exercise) ([]string, error) {
	st, err := w.update(e, func(st *State) {
		if st.Hints < len(e.Hints) {
			st.Hints++
		}
	})
	if err != nil {
		return nil, err
	}
	return e.Hints[:st.Hints], nil
}

// A Report is the outcome of checking a solution.
type Report struct {
	Scenes []SceneReport
}

// Passed reports whether every scene passed.
func (r *Report) Passed() bool {
	for _, s := range r.Scenes {
		if !s.Result.Passed() {
			return false
		}
	}
	return len(r.Scenes) > 0
}

// A SceneReport is one checker scene's result.
type SceneReport struct {
	Scene  *chapters.Scene
	Result *scene.Result
}

// Programs returns the programs to check: the learner's files standing in
// for the chapter's programs. A missing file is an error that says how to
// start the exercise.
func (w *Workspace) Programs(e *chapters.Exercise) (map[*chapters.Program]*chapters.Program, error) {
	m := map[*chapters.Program]*chapters.Program{}
	for _, p := range e.Edit {
		file := w.File(e, p.Name)
		src, err := os.ReadFile(filepath.Join(w.Root, file))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s does not exist: start the exercise with make exercise-%d", file, e.Number)
		}
		if err != nil {
			return nil, err
		}
		m[p] = chapters.FileProgram(p, file, src)
	}
	return m, nil
}

// Check runs the exercise's checker scenes with the given programs in
// place of the chapter's, and records the result in the progress when
// record is set.
func (w *Workspace) Check(ctx context.Context, e *chapters.Exercise, programs map[*chapters.Program]*chapters.Program, opt scene.Options, record bool) (*Report, error) {
	opt.Replace = programs
	r := &Report{}
	for _, s := range e.Check {
		res := scene.Run(ctx, s, opt)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		r.Scenes = append(r.Scenes, SceneReport{s, res})
		var be *prog.BuildError
		if errors.As(res.Err, &be) {
			break // the same error would stop every scene
		}
	}
	if record {
		_, err := w.update(e, func(st *State) {
			st.Result = map[bool]string{true: "passed", false: "failing"}[r.Passed()]
		})
		if err != nil {
			return r, err
		}
	}
	return r, nil
}

// Find returns the exercise named by arg: its number in the workshop (1),
// its name (pingpong) or chapter/name (02/pingpong).
func Find(b *chapters.Book, arg string) (*chapters.Exercise, error) {
	all := b.Exercises()
	if n, err := strconv.Atoi(arg); err == nil {
		if n < 1 || n > len(all) {
			return nil, fmt.Errorf("there is no exercise %d: the workshop has exercises 1 to %d (make exercises lists them)", n, len(all))
		}
		return all[n-1], nil
	}
	for _, e := range all {
		if arg == e.Name || arg == e.ID() || strings.TrimLeft(arg, "0") == strings.TrimLeft(e.ID(), "0") {
			return e, nil
		}
	}
	return nil, fmt.Errorf("there is no exercise %q (make exercises lists them)", arg)
}
