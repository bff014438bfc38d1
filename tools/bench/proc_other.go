//go:build !linux

package main

import "os/exec"

// bindToParent does nothing where the kernel cannot tie a child's life to its
// parent's; the timeout still bounds every run.
func bindToParent(cmd *exec.Cmd) {}
