package scene

import "syscall"

// sysProcAttr puts each process in a group of its own, so that the whole
// group can be killed, and has the kernel kill it if the runner dies.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
