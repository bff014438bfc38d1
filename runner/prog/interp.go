package prog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"github.com/traefik/yaegi/stdlib/syscall"
	"github.com/traefik/yaegi/stdlib/unrestricted"

	"github.com/zmq-workshop/workshop/tools/zmqsym"
)

// Interpret runs the Go file at path under yaegi, as if it were a program
// started with args, and returns its exit status. It is the body of the
// runner's hidden interp subcommand: each interpreted program gets a
// process of its own, so a panic, os.Exit or a stuck context in one
// program touches no other.
func Interpret(path string, args []string) int {
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	name := filepath.Base(path)
	name = name[:len(name)-len(filepath.Ext(name))]
	// Interpreted code that calls flag.Parse uses the host's os.Args.
	os.Args = append([]string{name}, args...)
	i, err := newInterpreter(os.Args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "runner:", err)
		return 1
	}
	_, err = i.EvalWithContext(context.Background(), string(src))
	var p interp.Panic
	switch {
	case err == nil:
		return 0
	case errors.As(err, &p):
		// yaegi has already printed the interpreted frames as
		// chapters/NAME.md:LINE lines.
		fmt.Fprintf(os.Stderr, "panic: %v\n", p.Value)
		return 2
	default:
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
}

func newInterpreter(args []string) (*interp.Interpreter, error) {
	i := interp.New(interp.Options{Args: args, Unrestricted: true})
	for _, syms := range []interp.Exports{stdlib.Symbols, syscall.Symbols, unrestricted.Symbols, zmqsym.Symbols} {
		if err := i.Use(syms); err != nil {
			return nil, err
		}
	}
	return i, nil
}

// checkInterp compiles src with yaegi without running it, so that an
// interpreted program's compile errors are reported before any scene
// starts.
func checkInterp(src []byte) (err error) {
	defer func() {
		// yaegi panics on some constructs it does not support.
		if r := recover(); r != nil {
			err = fmt.Errorf("yaegi cannot compile this program: %v", r)
		}
	}()
	i, err := newInterpreter(nil)
	if err != nil {
		return err
	}
	_, err = i.Compile(string(src))
	return err
}
