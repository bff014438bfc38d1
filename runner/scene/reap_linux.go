package scene

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

var subreaper sync.Once

// becomeSubreaper makes this process the parent of every orphan among its
// descendants (PR_SET_CHILD_SUBREAPER): a program's child that leaves the
// process group, as one that calls setsid does, is inherited by the runner
// when its parent ends, instead of by init, and cleanUp finds it.
func becomeSubreaper() {
	subreaper.Do(func() { unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) })
}

// cleanUp is called when a lifetime of a process has ended and its group
// has been killed. It kills the descendants that escaped the group (they
// carry mark in their environment), and reaps what the runner inherited
// from the lifetime: the group's zombies, the escapees it killed, and the
// zombies of other sessions (the runner starts no command in a session of
// its own, so these are escapees that ended by themselves).
// It gives up after drainTime.
func cleanUp(pgid int, mark string) {
	sid, _ := unix.Getsid(0)
	killed := map[int]bool{}
	deadline := time.Now().Add(drainTime)
	for {
		again := false
		for _, pid := range children() {
			state, pgrp, session, ok := procStat(pid)
			switch {
			case !ok:
			case state == 'Z' && (pgrp == pgid || session != sid || killed[pid]):
				unix.Wait4(pid, nil, unix.WNOHANG, nil)
			case state != 'Z' && hasMark(pid, mark):
				unix.Kill(pid, unix.SIGKILL)
				killed[pid] = true
				again = true // reap it, and find the children it leaves
			}
		}
		if !again || time.Now().After(deadline) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// children lists this process's children, from every thread's list.
func children() []int {
	files, _ := filepath.Glob("/proc/self/task/*/children")
	var pids []int
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, s := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(s); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}

// procStat reads a process's state, process group and session.
func procStat(pid int) (state byte, pgrp, session int, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, 0, false
	}
	// pid (comm) state ppid pgrp session ...; comm may hold spaces.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 4 || len(f[0]) != 1 {
		return 0, 0, 0, false
	}
	pgrp, err1 := strconv.Atoi(f[2])
	session, err2 := strconv.Atoi(f[3])
	return f[0][0], pgrp, session, err1 == nil && err2 == nil
}

// hasMark reports whether mark is one of the process's environment
// variables.
func hasMark(pid int, mark string) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return false
	}
	for _, kv := range bytes.Split(b, []byte{0}) {
		if string(kv) == mark {
			return true
		}
	}
	return false
}
