// Package proctest reads the process table, for the tests that prove that
// nothing outlived a run. It links no part of the runner: the site's render
// test uses it without cgo or libzmq. (A test binary that starts
// interpreted programs stands in for the runner by calling prog.Main first
// in its TestMain.)
package proctest

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

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
