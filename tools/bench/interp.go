package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"github.com/traefik/yaegi/stdlib/syscall"

	"github.com/zmq-workshop/workshop/tools/zmqsym"
)

// This file is the whole of the interpreted mode, kept apart so that it can be
// swapped for the runner's `runner interp FILE.go [ARGS...]`: interpCommand
// says how to start an interpreted program, interpMain is what runs in that
// process.

// interpArg is the hidden first argument with which bench re-executes itself
// to run one Go file under yaegi, in a process of its own: zmq4's default
// context and a panic or os.Exit in interpreted code are per process.
const interpArg = "interp"

// interpCommand returns the command that runs the Go file at path, with
// args, under yaegi. self is the bench binary; runner, when not empty, is a
// built runner whose interp subcommand is used instead.
func interpCommand(ctx context.Context, self, runner, path string, args []string) *exec.Cmd {
	bin := self
	if runner != "" {
		bin = runner
	}
	return exec.CommandContext(ctx, bin, append([]string{interpArg, path}, args...)...)
}

// interpMain runs the Go file at path under yaegi, as a program started with
// args, with the standard library (syscall included, as in the runner) and
// zmq4 available.
func interpMain(path string, args []string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	name := filepath.Base(path)
	// Interpreted code reads the host's os.Args.
	os.Args = append([]string{name[:len(name)-len(filepath.Ext(name))]}, args...)
	i := interp.New(interp.Options{Args: os.Args})
	for _, syms := range []interp.Exports{stdlib.Symbols, syscall.Symbols, zmqsym.Symbols} {
		if err := i.Use(syms); err != nil {
			return err
		}
	}
	if _, err := i.EvalWithContext(context.Background(), string(src)); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
