// Package prog turns a chapter's program into a command to run, in one of
// two modes: interpreted by yaegi inside a re-executed runner process, or
// compiled by go build into a cache keyed by the program's content.
package prog

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/zmq-workshop/workshop/chapters"
)

// Mode says how programs run. A *Mode is a flag.Value that takes interp or
// compiled.
type Mode string

const (
	Interp   Mode = "interp"
	Compiled Mode = "compiled"
)

func (m Mode) String() string { return string(m) }

// Set parses a -mode value: interp or compiled.
func (m *Mode) Set(s string) error {
	switch Mode(s) {
	case Interp, Compiled:
		*m = Mode(s)
		return nil
	}
	return fmt.Errorf("unknown mode %q: want interp or compiled", s)
}

// Modes are the modes a check runs in. A *Modes is a flag.Value that takes
// interp, compiled or both.
type Modes []Mode

func (ms Modes) String() string {
	if len(ms) == 2 {
		return "both"
	}
	var names []string
	for _, m := range ms {
		names = append(names, string(m))
	}
	return strings.Join(names, ",")
}

// Set parses a -mode value: interp, compiled or both.
func (ms *Modes) Set(s string) error {
	if s == "both" {
		*ms = Modes{Interp, Compiled}
		return nil
	}
	var m Mode
	if err := m.Set(s); err != nil {
		return fmt.Errorf("unknown mode %q: want interp, compiled or both", s)
	}
	*ms = Modes{m}
	return nil
}

// A Builder prepares programs. It is safe for concurrent use; each program
// is prepared once per mode, and a build cancelled by its context is
// forgotten. Make one with NewBuilder, and keep it: it remembers what it
// prepared.
type Builder struct {
	Root string // the module root, where go.mod is

	cache string // where sources and binaries are kept
	self  string // this binary, re-executed for interpreted programs (see Main)

	mu   sync.Mutex
	done map[string]*result
}

type result struct {
	once sync.Once
	path string
	err  error
}

// NewBuilder finds the workshop's module root from the working directory
// and the cache under the user's cache directory, or $WORKSHOP_CACHE.
// Interpreted programs re-execute the running binary, whose main must call
// Main first.
func NewBuilder() (*Builder, error) {
	root, err := FindRoot()
	if err != nil {
		return nil, err
	}
	cache := os.Getenv("WORKSHOP_CACHE")
	if cache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		cache = filepath.Join(dir, "zmq-workshop")
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return &Builder{Root: root, cache: cache, self: self}, nil
}

const modulePath = "github.com/zmq-workshop/workshop"

// FindRoot returns the directory holding the workshop's go.mod, searching
// upward from the working directory.
func FindRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil &&
			bytes.Contains(b, []byte("module "+modulePath+"\n")) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%s is not inside the workshop's folder: run the runner from the folder that holds its go.mod", dir)
		}
	}
}

// Key is the content key of a program: its source and the toolchain.
func Key(p *chapters.Program) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", runtime.Version(), p.Name)
	h.Write(p.Source())
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// Prepare makes the program runnable in the mode and returns the path of
// its file: the Go source for Interp, the binary for Compiled. A compile
// error names the chapter line.
func (b *Builder) Prepare(ctx context.Context, p *chapters.Program, mode Mode) (string, error) {
	if b.cache == "" {
		return "", fmt.Errorf("prog: a Builder is made by NewBuilder")
	}
	if CanRun != nil {
		return "", CanRun
	}
	key := Key(p)
	return b.once(ctx, string(mode)+key, func() (string, error) {
		return b.prepare(ctx, p, mode, key)
	})
}

// once runs build at most once per key for the Builder's life, and returns
// its result to every caller. A build cancelled with ctx is forgotten, so
// that the next call builds again: it says nothing of what it built.
func (b *Builder) once(ctx context.Context, key string, build func() (string, error)) (string, error) {
	b.mu.Lock()
	if b.done == nil {
		b.done = map[string]*result{}
	}
	r := b.done[key]
	if r == nil {
		r = &result{}
		b.done[key] = r
	}
	b.mu.Unlock()
	r.once.Do(func() {
		r.path, r.err = build()
		if r.err != nil && ctx.Err() != nil {
			b.mu.Lock()
			delete(b.done, key)
			b.mu.Unlock()
		}
	})
	return r.path, r.err
}

func (b *Builder) prepare(ctx context.Context, p *chapters.Program, mode Mode, key string) (string, error) {
	src := filepath.Join(b.cache, "src", key, p.Name+".go")
	if err := writeOnce(src, p.Source()); err != nil {
		return "", err
	}
	if mode == Interp {
		if err := checkInterp(p.Source()); err != nil {
			return "", &BuildError{Program: p.Name, Output: err.Error()}
		}
		return src, nil
	}
	bin := filepath.Join(b.cache, "bin", key, p.Name)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", err
	}
	tmp := fmt.Sprintf("%s.%d.tmp", bin, os.Getpid())
	cmd := exec.CommandContext(ctx, "go", "build", "-o", tmp, src)
	cmd.Dir = b.Root
	out, err := cmd.CombinedOutput()
	if err != nil {
		os.Remove(tmp)
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", &BuildError{Program: p.Name, Output: cleanBuildOutput(string(out))}
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", err
	}
	return bin, nil
}

// A BuildError is a program that does not compile; Output names chapter
// lines.
type BuildError struct {
	Program string
	Output  string
}

func (e *BuildError) Error() string {
	return fmt.Sprintf("program %s does not compile:\n%s", e.Program, e.Output)
}

func cleanBuildOutput(s string) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if strings.HasPrefix(l, "# ") {
			continue
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

func writeOnce(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Command returns the command that runs a prepared program with arguments.
func (b *Builder) Command(path string, mode Mode, args []string) *exec.Cmd {
	if mode == Interp {
		return exec.Command(b.self, append([]string{InterpCommand, path}, args...)...)
	}
	cmd := exec.Command(path, args...)
	// The program sees its own name, not the cache's path, as in
	// interpreted mode.
	cmd.Args[0] = filepath.Base(path)
	return cmd
}
