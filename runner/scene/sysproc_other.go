//go:build !linux

package scene

import "syscall"

// sysProcAttr puts each process in a group of its own, so that the whole
// group can be killed.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// groupAlive reports whether a process of the group is still there.
func groupAlive(pgid int) bool {
	return syscall.Kill(-pgid, 0) == nil
}
