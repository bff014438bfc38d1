package scene

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/proctest"
	"github.com/zmq-workshop/workshop/runner/prog"
)

// TestMain lets the test binary stand in for the runner: interpreted
// programs re-execute it with the interp subcommand.
func TestMain(m *testing.M) {
	prog.Main()
	os.Exit(m.Run())
}

var modes = []prog.Mode{prog.Interp, prog.Compiled}

func parse(t *testing.T, src string) *chapters.Chapter {
	t.Helper()
	c, err := chapters.Parse("chapters/01-t.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func builder(t *testing.T) *prog.Builder {
	t.Helper()
	b, err := prog.NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func runScene(t *testing.T, s *chapters.Scene, mode prog.Mode) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return Run(ctx, s, Options{Mode: mode, Builder: builder(t)})
}

func TestCompileErrorNamesChapterLine(t *testing.T) {
	c := parse(t, "# T\n\n```go program=p\npackage main\n\nfunc main() {\n\tvar x int = \"s\"\n\t_ = x\n}\n```\n\n```scene name=s\nstart p\n```\n")
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			res := runScene(t, c.Scene("s"), mode)
			if res.Err == nil || !strings.Contains(res.Err.Error(), "chapters/01-t.md:7:") {
				t.Errorf("err = %v; want it to name chapters/01-t.md:7", res.Err)
			}
		})
	}
}

func TestPanicNamesChapterLine(t *testing.T) {
	c := parse(t, "# T\n\n```go program=p\npackage main\n\nfunc main() {\n\tvar m map[string]int\n\tpanic(m)\n}\n```\n\n```scene name=s\nstart p\nwait p exit\n```\n")
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			res := runScene(t, c.Scene("s"), mode)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			out := chapters.FormatTranscript(res.Lines)
			// yaegi names the first statement of the function that
			// panicked, not the panicking statement (see YAEGI.md).
			want := map[prog.Mode]string{prog.Compiled: "chapters/01-t.md:8 ", prog.Interp: "chapters/01-t.md:7:"}[mode]
			if !strings.Contains(out, want) || !strings.Contains(out, "p : exit 2") {
				t.Errorf("output does not name %s or exit 2:\n%s", want, out)
			}
		})
	}
}

// forker is a program that starts a child process, prints "started", and
// then misbehaves as its second argument says.
var forker = strings.ReplaceAll(`# T

'''go program=p
package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	child := exec.Command("sleep", os.Args[1])
	if err := child.Start(); err != nil {
		panic(err)
	}
	fmt.Println("started")
	switch os.Args[2] {
	case "crash":
		panic("crash")
	case "goroutine-panic":
		go func() { panic("in a goroutine") }()
	case "exit":
		os.Exit(3)
	case "flood":
		for {
			fmt.Println("flood flood flood flood flood flood flood flood")
		}
	case "close-stdout":
		os.Stdout.Close()
		os.Stderr.Close()
	case "ignore-interrupt":
		signal.Ignore(os.Interrupt)
		fmt.Println("ignoring interrupts")
	case "setsid", "setsid-exit":
		// A grandchild of the runner in a session of its own: out of the
		// process group that the runner kills.
		d := exec.Command("sleep", os.Args[1])
		d.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := d.Start(); err != nil {
			panic(err)
		}
		fmt.Println("daemon started")
		if os.Args[2] == "setsid-exit" {
			os.Exit(0)
		}
	}
	time.Sleep(time.Hour)
}
'''

`, "'''", "```")

// leftovers returns the processes whose command line holds marker.
func leftovers(t *testing.T, marker string) []string {
	t.Helper()
	if !proctest.Supported() {
		t.Skip("reads the process table from /proc")
	}
	return proctest.Processes(marker)
}

func TestNoProcessOutlivesScene(t *testing.T) {
	tests := []struct {
		name, script, want string
		wantErr            string
	}{
		{"end of script", "start p = p {M} hang\nwait p /started/\n", "p : killed at end of scene", ""},
		{"scene bound", "start p = p {M} hang\nwait p exit\n", "", "the scene ran out of its 1s"},
		{"crashed child", "start p = p {M} crash\nwait p exit\n", "p : exit 2", ""},
		{"runaway output", "start p = p {M} flood\nwait p exit\n", "p : killed: printed more than", "p printed more than"},
		{"panic in a goroutine", "start p = p {M} goroutine-panic\nwait p exit\n", "p : exit 2", ""},
		{"os.Exit", "start p = p {M} exit\nwait p exit\n", "p : exit 3", ""},
		{"closed stdout", "start p = p {M} close-stdout\n! wait p exit 300ms\n", "p : killed at end of scene", ""},
		{"ignores interrupt", "start p = p {M} ignore-interrupt\nwait p /ignoring/\ninterrupt p\n! wait p exit 300ms\n", "p : killed at end of scene", ""},
		{"setsid grandchild", "start p = p {M} setsid\nwait p /daemon started/\n", "p : killed at end of scene", ""},
		{"setsid grandchild of an ended process", "start p = p {M} setsid-exit\nwait p exit\n", "p : exit 0", ""},
	}
	for i, tt := range tests {
		for _, mode := range modes {
			t.Run(tt.name+"/"+string(mode), func(t *testing.T) {
				// A duration that names this test in the process table.
				marker := fmt.Sprintf("%d.%d%d", 3000+i, os.Getpid(), len(mode))
				script := strings.ReplaceAll(tt.script, "{M}", marker)
				c := parse(t, forker+"```scene name=s timeout=1s\n"+script+"```\n")
				res := runScene(t, c.Scene("s"), mode)
				out := chapters.FormatTranscript(res.Lines)
				if tt.wantErr == "" && res.Err != nil {
					t.Errorf("err = %v", res.Err)
				}
				if tt.wantErr != "" && (res.Err == nil || !strings.Contains(res.Err.Error(), tt.wantErr)) {
					t.Errorf("err = %v; want %q", res.Err, tt.wantErr)
				}
				if !strings.Contains(out, tt.want) {
					t.Errorf("output lacks %q:\n%.2000s", tt.want, out)
				}
				if pids := leftovers(t, marker); len(pids) > 0 {
					t.Errorf("processes left behind: %v", pids)
				}
			})
		}
	}
}

func TestRunnerCancelStopsEverything(t *testing.T) {
	marker := fmt.Sprintf("4000.%d", os.Getpid())
	c := parse(t, forker+"```scene name=s timeout=30s\nstart p = p "+marker+" hang\nstart q = p "+marker+" hang\nsleep 20s\n```\n")
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan *Result)
			started := make(chan struct{}, 2)
			go func() {
				done <- Run(ctx, c.Scene("s"), Options{Mode: mode, Builder: builder(t), Event: func(e Event) {
					if e.Line != nil && e.Line.Text == "started" {
						started <- struct{}{}
					}
				}})
			}()
			for range 2 {
				select {
				case <-started:
				case <-time.After(30 * time.Second):
					t.Fatal("the processes did not start")
				}
			}
			cancel()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return after its context was cancelled")
			}
			if pids := leftovers(t, marker); len(pids) > 0 {
				t.Errorf("processes left behind: %v", pids)
			}
		})
	}
}

func TestWaitFailsWhenProcessEnds(t *testing.T) {
	c := parse(t, "# T\n\n```go program=p\npackage main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"bye\") }\n```\n\n```scene name=s\nstart p\nwait p /hello/\n```\n")
	res := runScene(t, c.Scene("s"), prog.Interp)
	if res.Err == nil || !strings.Contains(res.Err.Error(), "chapters/01-t.md:13: wait p /hello/: p ended (exit 0) without printing a line matching /hello/; its last lines:\n\tbye") {
		t.Errorf("err = %v", res.Err)
	}
}

func TestNegatedWait(t *testing.T) {
	c := parse(t, forker+"```scene name=s timeout=5s\nstart p = p 1 hang\n! wait p /nothing/ 200ms\n! wait p /started/ 2s else \"p must not start\"\n```\n")
	res := runScene(t, c.Scene("s"), prog.Interp)
	if res.Err == nil || !strings.Contains(res.Err.Error(), "this was expected not to happen, but it did\np must not start") {
		t.Errorf("err = %v; want the wait's else message after the failure", res.Err)
	}
}

// TestLogAndFlagAsCompiled: log.Fatal and a bad flag behave the same in
// both modes (yaegi's defaults would panic instead).
func TestLogAndFlagAsCompiled(t *testing.T) {
	c := parse(t, "# T\n\n```go program=p\npackage main\n\nimport (\n\t\"flag\"\n\t\"log\"\n)\n\n"+
		"func main() {\n\tn := flag.Int(\"n\", 1, \"count\")\n\tflag.Parse()\n\tlog.SetFlags(0)\n\tlog.SetPrefix(\"p: \")\n\tlog.Fatalf(\"n is %d\", *n)\n}\n```\n\n"+
		"```scene name=s\nstart a = p -n 3\nstart b = p -x\nwait a exit\nwait b exit\n```\n")
	want := "a | p: n is 3\na : exit 1\nb | flag provided but not defined: -x\nb | Usage of p:\nb |   -n int\nb |     \tcount (default 1)\nb : exit 2\n"
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			res := runScene(t, c.Scene("s"), mode)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			var a, b []chapters.Line
			for _, l := range res.Lines {
				if l.Proc == "a" {
					a = append(a, l)
				} else {
					b = append(b, l)
				}
			}
			if got := chapters.FormatTranscript(append(a, b...)); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestNoIPCFileLeft: a killed program cannot remove its ipc socket file;
// the runner does.
func TestNoIPCFileLeft(t *testing.T) {
	path := fmt.Sprintf("/tmp/zmq-workshop-test-%d", os.Getpid())
	c := parse(t, strings.ReplaceAll(`# T

'''go program=p
package main

import (
	"fmt"
	"time"

	zmq "github.com/pebbe/zmq4"
)

func main() {
	s, err := zmq.NewSocket(zmq.PULL)
	if err != nil {
		panic(err)
	}
	if err := s.Bind("ipc://`+path+`"); err != nil {
		panic(err)
	}
	fmt.Println("bound")
	time.Sleep(time.Hour)
}
'''

'''scene name=s
start p
wait p /bound/
'''
`, "'''", "```"))
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			locks := NewLocks()
			locks.Dir = t.TempDir()
			res := Run(ctx, c.Scene("s"), Options{Mode: mode, Builder: builder(t), Locks: locks})
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if _, err := os.Stat(path); err == nil {
				os.Remove(path)
				t.Errorf("%s is left behind", path)
			}
		})
	}
}

func TestEnvReachesLaterProcesses(t *testing.T) {
	c := parse(t, "# T\n\n```go program=p\npackage main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\n"+
		"func main() { fmt.Println(\"greeting:\", os.Getenv(\"WORKSHOP_GREETING\")) }\n```\n\n"+
		"```scene name=s\nstart a = p\nwait a exit\nenv \"WORKSHOP_GREETING=hi there\"\nstart b = p\nwait b exit\n```\n")
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			res := runScene(t, c.Scene("s"), mode)
			got := chapters.FormatTranscript(res.Lines)
			if res.Err != nil || got != "a | greeting:\na : exit 0\nb | greeting: hi there\nb : exit 0\n" {
				t.Errorf("err %v, output:\n%s", res.Err, got)
			}
		})
	}
}
