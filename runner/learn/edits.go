package learn

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/zmq-workshop/workshop/chapters"
)

// A learner may keep their own version of any program of a chapter, made in
// the notebook page or in any editor: workspace/chapters/02-ping-pong/server/main.go.
// runner run and the live site play it in place of the chapter's;
// runner check never does, since it checks the chapters.

// MaxSource bounds the size of a program a learner saves.
const MaxSource = 256 << 10

// EditFile is the learner's file for a chapter's program, relative to the
// root.
func (w *Workspace) EditFile(p *chapters.Program) string {
	return filepath.Join("workspace", "chapters", p.Chapter.Slug, p.Name, "main.go")
}

// Edit returns the learner's version of p, or nil when they have none.
func (w *Workspace) Edit(p *chapters.Program) (*chapters.Program, error) {
	file := w.EditFile(p)
	src, err := os.ReadFile(filepath.Join(w.Root, file))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return chapters.FileProgram(p, filepath.ToSlash(file), src), nil
}

// Edits returns the learner's versions of the given programs, for
// scene.Options.Replace; programs without one are left out.
func (w *Workspace) Edits(ps []*chapters.Program) (map[*chapters.Program]*chapters.Program, error) {
	m := map[*chapters.Program]*chapters.Program{}
	for _, p := range ps {
		e, err := w.Edit(p)
		if err != nil {
			return nil, err
		}
		if e != nil {
			m[p] = e
		}
	}
	return m, nil
}

// SaveEdit writes the learner's version of p. A version equal to the
// chapter's removes the learner's file instead: nothing is left to mark.
func (w *Workspace) SaveEdit(p *chapters.Program, src []byte) error {
	if bytes.Equal(src, []byte(p.Code())) {
		return w.ResetEdit(p)
	}
	return w.write(w.EditFile(p), src)
}

// ResetEdit removes the learner's version of p, if any.
func (w *Workspace) ResetEdit(p *chapters.Program) error {
	path := filepath.Join(w.Root, w.EditFile(p))
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// Empty folders are removed too, so that the workspace holds only
	// what the learner changed.
	for dir := filepath.Dir(path); dir != filepath.Join(w.Root, "workspace"); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break
		}
	}
	return nil
}

// SaveSolution writes the learner's file for one program of an exercise.
func (w *Workspace) SaveSolution(e *chapters.Exercise, program string, src []byte) error {
	if e.Starter(program) == nil {
		return fmt.Errorf("exercise %s has no program %q", e.ID(), program)
	}
	if err := w.write(w.File(e, program), src); err != nil {
		return err
	}
	_, err := w.update(e, func(st *State) { st.Started = true })
	return err
}

// write replaces the file at rel (relative to the root, inside the
// workspace) atomically: a crash leaves the old file or the new one,
// never half of one.
func (w *Workspace) write(rel string, data []byte) error {
	if len(data) > MaxSource {
		return fmt.Errorf("%s: %d bytes is more than the %d a program may have", rel, len(data), MaxSource)
	}
	path := filepath.Join(w.Root, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".save-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// Read returns the learner's file at rel, relative to the root.
func (w *Workspace) Read(rel string) (string, error) {
	b, err := os.ReadFile(filepath.Join(w.Root, rel))
	return string(b), err
}
