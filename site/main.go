// Site renders the workshop as a static web site.
//
// Usage:
//
//	go run ./site build [-o DIR]
//
// The build subcommand renders every chapter carried in the binary into
// DIR (default _site): index.html, one page per chapter and the assets.
// The site works opened from disk (file://) and offline. Scenes are not
// run: each shows the transcript recorded in its chapter by the runner.
//
// Example:
//
//	$ go run ./site build -o /tmp/workshop
//	site: 11 chapters in /tmp/workshop (84ms)
//	$ xdg-open /tmp/workshop/index.html
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
)

const usage = `usage: site build [-o DIR]

Subcommands:
  build   render the chapters into a static site (default DIR: _site)
`

func main() {
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
	case "help", "-h", "-help", "--help":
		fmt.Print(usage)
		return nil
	}
	return usageError{msg: fmt.Sprintf("unknown subcommand %q", args[0])}
}
