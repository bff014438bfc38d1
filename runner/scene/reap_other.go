//go:build !linux

package scene

// becomeSubreaper does nothing: child subreapers are Linux's.
func becomeSubreaper() {}

// cleanUp does nothing: without a subreaper the runner inherits nothing,
// and a process that leaves its group outlives it.
func cleanUp(pgid int, mark string) {}
