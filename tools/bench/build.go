package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/zmq-workshop/workshop/runner/prog"
)

// programs are the three ways of making one measurement, ready to run.
type programs struct {
	c     string // the C baseline, built by the system C compiler
	goBin string // tools/bench/perf compiled by go build
	goSrc string // tools/bench/perf/main.go, for the interpreter
	// The binary re-executed to interpret goSrc: this one (its main calls
	// prog.Main), or with -runner a built runner.
	interpreter string
}

const (
	cSource  = "tools/bench/c/zmqperf.c"
	goSource = "tools/bench/perf/main.go"
)

// findRoot returns the root of the workshop module, as the runner finds it.
func findRoot() (string, error) {
	root, err := prog.FindRoot()
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(root, cSource)); err != nil {
		return "", fmt.Errorf("%s holds no %s: run bench inside the workshop", root, cSource)
	}
	return root, nil
}

// build builds what a measurement needs into cache: the C program (only when
// its source, compiler or flags changed) and the Go program (go build has
// its own cache). With useRunner, the runner is built too.
func build(ctx context.Context, root, cache string, useRunner bool) (*programs, error) {
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	p := &programs{interpreter: self, goSrc: filepath.Join(root, goSource)}
	if p.c, err = buildC(ctx, filepath.Join(root, cSource), cache); err != nil {
		return nil, err
	}
	p.goBin = filepath.Join(cache, "perf")
	if err := goBuild(ctx, root, p.goBin, "./tools/bench/perf"); err != nil {
		return nil, err
	}
	if useRunner {
		p.interpreter = filepath.Join(cache, "runner")
		if err := goBuild(ctx, root, p.interpreter, "./runner"); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func buildC(ctx context.Context, src, cache string) (string, error) {
	code, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	out, err := output(ctx, "", "pkg-config", "--cflags", "--libs", "libzmq")
	if err != nil {
		return "", fmt.Errorf("pkg-config libzmq (is libzmq3-dev installed?): %w", err)
	}
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	args := append([]string{"-O2", "-o", "", src}, strings.Fields(out)...)
	args = append(args, "-lpthread")
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%q\x00", cc, args)
	h.Write(code)
	bin := filepath.Join(cache, "zmqperf-"+hex.EncodeToString(h.Sum(nil))[:16])
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	tmp := bin + ".tmp"
	args[2] = tmp
	if _, err := output(ctx, "", cc, args...); err != nil {
		return "", err
	}
	return bin, os.Rename(tmp, bin)
}

func goBuild(ctx context.Context, root, out, pkg string) error {
	_, err := output(ctx, root, "go", "build", "-o", out, pkg)
	return err
}

// output runs a build command and returns its standard output; its error
// carries the command's standard error.
func output(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, stderr.Bytes())
	}
	return string(out), nil
}
