package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zmq-workshop/workshop/runner/prog"
)

// TestMain lets the test binary stand in for bench when it re-executes itself
// to interpret a program.
func TestMain(m *testing.M) {
	prog.Main()
	os.Exit(m.Run())
}

// TestPrograms builds the C and Go programs and runs a few small
// measurements in every mode: each must report the count it was given.
func TestPrograms(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the measurement programs")
	}
	root, err := findRoot()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	progs, err := build(ctx, root, t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	b := &bench{progs: progs, tmp: t.TempDir(), timeout: 20 * time.Second}
	for _, c := range []config{
		{"thr", "tcp", 1024}, {"thr", "ipc", 1}, {"thr", "inproc", 100},
		{"lat", "tcp", 1}, {"lat", "inproc", 1},
	} {
		for m := mode(0); m < numModes; m++ {
			r, err := b.once(ctx, m, c, 2000)
			if err != nil {
				t.Errorf("%s %s: %v", modeNames[m], c, err)
				continue
			}
			if r.count != 2000 || r.value <= 0 {
				t.Errorf("%s %s: got %+v, want count 2000 and a positive figure", modeNames[m], c, r)
			}
		}
	}

	// A run that overstays its timeout is killed and reported.
	b.timeout = 50 * time.Millisecond
	_, err = b.once(ctx, modeInterp, config{"thr", "inproc", 1}, 100_000_000)
	if err == nil || !strings.Contains(err.Error(), "killed after") {
		t.Errorf("run past its timeout: err = %v, want it killed", err)
	}
}
