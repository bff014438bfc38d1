package prog

import (
	"fmt"
	"os"
)

// InterpCommand is the hidden first argument with which a binary re-executes
// itself to interpret one file: BINARY interp FILE.go [ARGS...].
const InterpCommand = "interp"

// Main makes this process an interpreted program's if it was started as one
// (by a Builder's Command in interp mode): it interprets the file and exits
// with the program's status. Otherwise it returns at once. Every main whose
// binary runs programs, and every TestMain of a test binary that does,
// calls it first.
func Main() {
	if len(os.Args) < 2 || os.Args[1] != InterpCommand {
		return
	}
	if len(os.Args) < 3 {
		fmt.Fprintf(os.Stderr, "usage: %s %s FILE.go [ARGS...]\n", os.Args[0], InterpCommand)
		os.Exit(2)
	}
	os.Exit(Interpret(os.Args[2], os.Args[3:]))
}
