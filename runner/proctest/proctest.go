// Package proctest helps the tests that start the workshop's programs: it
// lets a test binary stand in for the runner, and reads the process table
// to prove that nothing outlived a run.
package proctest

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/zmq-workshop/workshop/runner/prog"
)

// InterpMain interprets a program and exits if the test binary was
// started as the runner's interp subcommand, as interpreted programs are.
// Call it first in TestMain.
func InterpMain() {
	if len(os.Args) >= 3 && os.Args[1] == prog.InterpCommand {
		os.Exit(prog.Interpret(os.Args[2], os.Args[3:]))
	}
}

// Supported reports whether Processes can read the process table.
func Supported() bool { return runtime.GOOS == "linux" }

// Processes returns "pid: command line" for each running process whose
// command line holds s. It reads /proc, so it finds nothing elsewhere.
func Processes(s string) []string {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var found []string
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), s) {
			found = append(found, filepath.Base(filepath.Dir(p))+": "+strings.ReplaceAll(strings.TrimRight(string(b), "\x00"), "\x00", " "))
		}
	}
	return found
}
