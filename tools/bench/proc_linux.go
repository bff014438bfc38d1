package main

import (
	"os/exec"
	"syscall"
)

// bindToParent makes the kernel kill cmd if bench dies before it, even
// by SIGKILL, so that no measurement outlives the bench.
func bindToParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
