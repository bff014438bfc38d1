package scene

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
)

// An endpoint a scene uses: a tcp port or an ipc path.
type endpoint struct {
	key     string // tcp-5555 or ipc-/tmp/x
	literal string // as written in the program
	program string
	port    string // tcp only
	path    string // ipc only
}

var endpointRE = regexp.MustCompile(`"(tcp://[^"]*:(\d+)|ipc://([^"]+))"`)

// endpoints lists the tcp ports and ipc paths named by string literals in
// the scene's programs, sorted so that locks are always taken in one order.
func endpoints(s *chapters.Scene) []endpoint {
	seen := map[string]bool{}
	var eps []endpoint
	for _, p := range s.Programs() {
		for _, m := range endpointRE.FindAllStringSubmatch(string(p.Source()), -1) {
			e := endpoint{literal: m[1], program: p.Name, port: m[2], path: m[3]}
			if e.port != "" {
				e.key = "tcp-" + e.port
			} else {
				e.key = "ipc-" + e.path
			}
			if !seen[e.key] {
				seen[e.key] = true
				eps = append(eps, e)
			}
		}
	}
	sort.Slice(eps, func(i, j int) bool { return eps[i].key < eps[j].key })
	return eps
}

// Endpoints names the endpoints the scene's programs use (tcp-5555,
// ipc-/tmp/x): scenes that share one take turns.
func Endpoints(s *chapters.Scene) []string {
	var keys []string
	for _, e := range endpoints(s) {
		keys = append(keys, e.key)
	}
	return keys
}

// Locks serializes scenes that use the same endpoint, within one runner
// (scenes run in parallel) and across runners on one machine (a file lock
// per endpoint). Serial scenes run alone in this runner.
type Locks struct {
	Dir  string        // where lock files live
	Wait time.Duration // how long to wait for another runner
	// Notify, if set, is told once when a scene waits for another runner.
	Notify func(msg string)

	serial sync.RWMutex
	mu     sync.Mutex
	held   map[string]chan struct{}
}

// NewLocks returns locks kept in the system's temporary directory.
func NewLocks() *Locks {
	return &Locks{Dir: filepath.Join(os.TempDir(), "zmq-workshop-locks"), Wait: 2 * time.Minute}
}

// Acquire takes the scene's endpoints and checks that no other program
// holds its tcp ports. It returns the function that releases them.
func (l *Locks) Acquire(ctx context.Context, s *chapters.Scene) (release func(), err error) {
	if s.Serial {
		l.serial.Lock()
	} else {
		l.serial.RLock()
	}
	var undo []func()
	release = func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
		if s.Serial {
			l.serial.Unlock()
		} else {
			l.serial.RUnlock()
		}
	}
	for _, e := range endpoints(s) {
		if err := l.local(ctx, e.key); err != nil {
			release()
			return nil, err
		}
		key := e.key
		undo = append(undo, func() { l.unlocal(key) })
		f, err := l.file(ctx, s, e)
		if err != nil {
			release()
			return nil, err
		}
		undo = append(undo, func() { f.Close() })
		if e.port != "" {
			if err := probe(e.port); err != nil {
				release()
				return nil, fmt.Errorf("%s: endpoint %s (program %s) is busy: %v; another program holds tcp port %s, stop it and run again", s.ID(), e.literal, e.program, err, e.port)
			}
		}
	}
	return release, nil
}

func (l *Locks) local(ctx context.Context, key string) error {
	for {
		l.mu.Lock()
		if l.held == nil {
			l.held = map[string]chan struct{}{}
		}
		ch, busy := l.held[key]
		if !busy {
			l.held[key] = make(chan struct{})
			l.mu.Unlock()
			return nil
		}
		l.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (l *Locks) unlocal(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	close(l.held[key])
	delete(l.held, key)
}

// file takes the machine-wide lock of an endpoint, waiting for another
// runner that holds it.
func (l *Locks) file(ctx context.Context, s *chapters.Scene, e endpoint) (*os.File, error) {
	if err := os.MkdirAll(l.Dir, 0o777); err != nil {
		return nil, err
	}
	name := filepath.Join(l.Dir, strings.NewReplacer("/", "_", ":", "_").Replace(e.key)+".lock")
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(l.Wait)
	told := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			f.Truncate(0)
			fmt.Fprintf(f, "%d\n", os.Getpid())
			return f, nil
		}
		if err != syscall.EWOULDBLOCK {
			f.Close()
			return nil, fmt.Errorf("locking %s: %v", name, err)
		}
		if !told && l.Notify != nil {
			owner, _ := os.ReadFile(name)
			l.Notify(fmt.Sprintf("%s waits: endpoint %s is in use by another workshop run (pid %s)", s.ID(), e.literal, strings.TrimSpace(string(owner))))
			told = true
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%s: endpoint %s is still in use by another workshop run after %v; stop it and run again", s.ID(), e.literal, l.Wait)
		}
		select {
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		}
	}
}

// probe reports whether a tcp port can be bound on every interface.
func probe(port string) error {
	ln, err := net.Listen("tcp", ":"+port)
	if err != nil {
		return err
	}
	return ln.Close()
}

// Cleanup removes the ipc socket files the scene's programs may have left.
func (l *Locks) Cleanup(s *chapters.Scene) {
	for _, e := range endpoints(s) {
		if e.path != "" && !strings.ContainsAny(e.path, "*") {
			if fi, err := os.Lstat(e.path); err == nil && fi.Mode()&os.ModeSocket != 0 {
				os.Remove(e.path)
			}
		}
	}
}
