//go:build !linux

package scene

import "syscall"

// sysProcAttr puts each process in a group of its own, so that the whole
// group can be killed.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
