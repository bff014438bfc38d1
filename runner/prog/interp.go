//go:build cgo

// The interpreter needs cgo: the programs it runs use zmq4, which links
// libzmq. A binary built without cgo renders and lists chapters, and says
// so when asked to run one (interp_nocgo.go).

package prog

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"log"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"github.com/traefik/yaegi/stdlib/syscall"
	"github.com/traefik/yaegi/stdlib/unrestricted"

	"github.com/zmq-workshop/workshop/runner/zmqsym"
)

// CanRun is nil when this binary can run the chapters' programs, or says
// why not.
var CanRun error

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
	// Interpreted code that calls flag.Parse uses the host's os.Args and
	// flag set; the program gets a fresh one, without the flags that the
	// host's packages registered.
	os.Args = append([]string{name}, args...)
	flag.CommandLine = flag.NewFlagSet(name, flag.ExitOnError)
	i, err := newInterpreter(os.Args, imports(src))
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

// newInterpreter returns an interpreter with the standard library, zmq4
// and the process-wide symbols. With only (the import paths of the program
// to run), it loads no more of the standard library than the program
// imports: loading all of it costs a few milliseconds of every start.
func newInterpreter(args []string, only map[string]bool) (*interp.Interpreter, error) {
	i := interp.New(interp.Options{Args: args, Unrestricted: true})
	for _, syms := range []interp.Exports{stdlib.Symbols, syscall.Symbols, unrestricted.Symbols, zmqsym.Symbols, processSymbols} {
		if err := i.Use(filter(syms, only)); err != nil {
			return nil, err
		}
	}
	return i, nil
}

// alwaysUsed are the packages yaegi itself needs: it adjusts fmt, log,
// flag and os, and compiles its generic cmp, maps and slices from source
// that imports the others.
var alwaysUsed = []string{"fmt", "log", "flag", "os", "cmp", "iter", "math/bits", "unsafe"}

// imports returns the import paths of a Go file, or nil if it does not
// parse (the interpreter then reports the error with all symbols loaded).
func imports(src []byte) map[string]bool {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if err != nil {
		return nil
	}
	m := map[string]bool{}
	for _, p := range alwaysUsed {
		m[p] = true
	}
	for _, imp := range f.Imports {
		if p, err := strconv.Unquote(imp.Path.Value); err == nil {
			m[p] = true
		}
	}
	return m
}

// filter keeps the symbols of the packages in only, and everything when
// only is nil. Keys are "import/path/name"; entries that are not packages
// (yaegi's wrapper tables) are kept.
func filter(syms interp.Exports, only map[string]bool) interp.Exports {
	if only == nil {
		return syms
	}
	out := interp.Exports{}
	for key, v := range syms {
		dir := path.Dir(key)
		if only[dir] || dir == "." || strings.Contains(strings.SplitN(dir, "/", 2)[0], ".") && !strings.HasPrefix(dir, "github.com/pebbe/") {
			out[key] = v
		}
	}
	return out
}

// processSymbols undo yaegi's sandboxing of the log and flag packages: an
// interpreted program has a process of its own, so log.Fatal must print
// with the program's prefix and exit 1, and a bad flag must exit 2, as
// they do when the program is compiled.
var processSymbols = interp.Exports{
	"log/log": {
		"Fatal": reflect.ValueOf(log.Fatal), "Fatalf": reflect.ValueOf(log.Fatalf), "Fatalln": reflect.ValueOf(log.Fatalln),
		"Panic": reflect.ValueOf(log.Panic), "Panicf": reflect.ValueOf(log.Panicf), "Panicln": reflect.ValueOf(log.Panicln),
		"Print": reflect.ValueOf(log.Print), "Printf": reflect.ValueOf(log.Printf), "Println": reflect.ValueOf(log.Println),
		"Flags": reflect.ValueOf(log.Flags), "SetFlags": reflect.ValueOf(log.SetFlags),
		"Prefix": reflect.ValueOf(log.Prefix), "SetPrefix": reflect.ValueOf(log.SetPrefix),
		"Output": reflect.ValueOf(log.Output), "SetOutput": reflect.ValueOf(log.SetOutput),
		"Writer": reflect.ValueOf(log.Writer), "Default": reflect.ValueOf(log.Default),
	},
	"flag/flag": {
		"CommandLine": reflect.ValueOf(&flag.CommandLine).Elem(),
	},
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
	i, err := newInterpreter(nil, nil)
	if err != nil {
		return err
	}
	_, err = i.Compile(string(src))
	return err
}
