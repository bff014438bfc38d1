// Site renders the workshop as a web site: static, or live with the scenes
// runnable from the page.
//
// Usage:
//
//	go run ./site build [-o DIR]
//	go run ./site serve [-addr HOST:PORT] [-mode interp|compiled]
//
// The build subcommand renders every chapter carried in the binary into
// DIR (default _site): index.html, one page per chapter and the assets.
// The site works opened from disk (file://) and offline. Scenes are not
// run: each shows the transcript recorded in its chapter by the runner.
//
// The serve subcommand serves the same site from memory on a loopback
// address (default 127.0.0.1:8080; any other address is refused), with a
// Run and a Stop button on each scene. Run plays the scene through the
// runner, in -mode interp (the default) or compiled, and streams its steps
// and its processes' output into the page, ending with whether it matched
// the chapter's transcript. One scene runs at a time; every run is bounded
// in time and output. The guards against other sites and DNS rebinding are
// described in the package doc of site/live.
//
// Example:
//
//	$ go run ./site build -o /tmp/workshop
//	site: 11 chapters in /tmp/workshop (84ms)
//	$ xdg-open /tmp/workshop/index.html
//	$ go run ./site serve
//	site: the workshop, live (interp mode), on http://127.0.0.1:8080/ (Ctrl-C stops it)
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/zmq-workshop/workshop/runner/prog"
)

const usage = `usage: site build [-o DIR]
       site serve [-addr HOST:PORT] [-mode interp|compiled]

Subcommands:
  build   render the chapters into a static site (default DIR: _site)
  serve   serve the site live, with Run buttons (default 127.0.0.1:8080)
`

func main() {
	prog.Main() // the interpreted programs of live runs re-execute this binary
	if err := run(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "site: %v\n", err)
		var u usageError
		if errors.As(err, &u) {
			if !u.shown {
				fmt.Fprint(os.Stderr, usage)
			}
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake on the command line; shown says that the usage
// has been printed already (by a subcommand's flag set).
type usageError struct {
	msg   string
	shown bool
}

func (e usageError) Error() string { return e.msg }

func run(args []string) error {
	if len(args) == 0 {
		return usageError{msg: "no subcommand"}
	}
	switch args[0] {
	case "build":
		return build(args[1:])
	case "serve":
		return serve(args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Print(usage)
		return nil
	}
	return usageError{msg: fmt.Sprintf("unknown subcommand %q", args[0])}
}

// newFlags returns the flag set of a subcommand that takes no arguments.
func newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: site %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses a subcommand's flags; a mistake is a usageError, and
// -h is flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{msg: err.Error(), shown: true}
	}
	if fs.NArg() > 0 {
		return usageError{msg: fmt.Sprintf("%s takes no arguments, not %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}
