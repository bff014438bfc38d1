//go:build !cgo

package prog

import (
	"errors"
	"fmt"
	"os"
)

// CanRun is nil when this binary can run the chapters' programs, or says
// why not.
var CanRun = errors.New("this binary was built without cgo (CGO_ENABLED=0), and the chapters' programs need cgo and libzmq")

// Interpret reports that this binary cannot interpret programs.
func Interpret(path string, args []string) int {
	fmt.Fprintf(os.Stderr, "%s: %v\n", path, CanRun)
	return 1
}

func checkInterp(src []byte) error { return CanRun }
