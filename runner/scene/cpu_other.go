//go:build !linux

package scene

import (
	"errors"
	"time"
)

// procCPU needs Linux's /proc; elsewhere a cpu step on a running process
// fails with this error.
func procCPU(pid int) (time.Duration, error) {
	return 0, errors.New("measuring a running process's CPU time needs Linux's /proc")
}
