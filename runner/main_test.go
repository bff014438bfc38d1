package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zmq-workshop/workshop/runner/proctest"
	"github.com/zmq-workshop/workshop/runner/prog"
)

// runIn runs the runner in this process on the chapters in dir, and
// returns its exit status and what it printed.
func runIn(dir string, args ...string) (code int, stdout, stderr string) {
	var out, errs strings.Builder
	rn := &runner{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Chapters: dir}
	code = rn.run(args)
	return code, out.String(), errs.String()
}

// runnerProcess returns a command that runs this test binary as the
// runner, on the chapters in dir: for the tests whose point is a real
// process, such as one that gets Ctrl-C.
func runnerProcess(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), "WORKSHOP_RUNNER_MAIN=1", "WORKSHOP_CHAPTERS="+dir)
	return cmd
}

// TestMain lets the test binary stand in for the runner: interpreted
// programs re-execute it with the interp subcommand, and the tests that
// need a runner process start it with WORKSHOP_RUNNER_MAIN=1.
func TestMain(m *testing.M) {
	prog.Main()
	if os.Getenv("WORKSHOP_RUNNER_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func writeChapter(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "01-t.md"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

const okChapter = "# T\n\n```go program=p\npackage main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n```\n\n```scene name=s\nstart p\nwait p exit\n```\n"

func TestUsageErrorsExit2(t *testing.T) {
	dir := writeChapter(t, okChapter)
	for _, args := range [][]string{
		{}, {"frobnicate"}, {"run"}, {"run", "x"}, {"run", "7"}, {"check", "--mode=fast"},
		{"check", "1/nope"}, {"extract"}, {"list", "extra"}, {"exercise", "99"},
	} {
		code, stdout, stderr := runIn(dir, args...)
		if code != 2 || !strings.Contains(stderr, "usage: runner") {
			t.Errorf("runner %s: exit %d, output:\n%s%s\nwant exit 2 and a usage line", strings.Join(args, " "), code, stdout, stderr)
		}
	}
}

func TestMalformedChapterExit2(t *testing.T) {
	dir := writeChapter(t, okChapter+"\n```scene name=s\nstart p\n```\n")
	for _, args := range [][]string{{"list"}, {"check"}, {"run", "1"}} {
		code, stdout, stderr := runIn(dir, args...)
		want := filepath.ToSlash(dir) + "/01-t.md:16: a scene named s is already defined at line 11"
		if code != 2 || !strings.Contains(stderr, want) || stdout != "" {
			t.Errorf("runner %s: exit %d, stdout %q, stderr %q; want exit 2, no output and %q", args[0], code, stdout, stderr, want)
		}
	}
}

func TestCheckPassesAndFails(t *testing.T) {
	dir := writeChapter(t, okChapter)
	code, out, errs := runIn(dir, "check", "-update")
	if code != 0 {
		t.Fatalf("check -update: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "2 passed, 0 failed") {
		t.Errorf("check -update output:\n%s", out)
	}
	src, _ := os.ReadFile(filepath.Join(dir, "01-t.md"))
	if !strings.Contains(string(src), "```transcript\np | hi\np : exit 0\n```") {
		t.Fatalf("transcript not written:\n%s", src)
	}
	// The same chapter with another reply must fail, naming the chapter.
	bad := strings.Replace(string(src), `fmt.Println(\"hi\")`, `fmt.Println(\"ho\")`, 1)
	bad = strings.Replace(bad, `fmt.Println("hi")`, `fmt.Println("ho")`, 1)
	os.WriteFile(filepath.Join(dir, "01-t.md"), []byte(bad), 0o644)
	code, out, errs = runIn(dir, "check")
	if code != 1 || !strings.Contains(out, "01-t.md:16: p, line 1 of its output:") || !strings.Contains(out, "0 passed, 2 failed") {
		t.Errorf("check of a changed reply: exit %d\n%s%s", code, out, errs)
	}
}

func TestBusyPortIsNamed(t *testing.T) {
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	src := strings.Replace(okChapter, `import "fmt"`, fmt.Sprintf("import \"fmt\"\n\nconst endpoint = \"tcp://*:%d\"", port), 1)
	dir := writeChapter(t, src)
	code, out, errs := runIn(dir, "check", "--mode=interp")
	want := fmt.Sprintf("endpoint tcp://*:%d (program p) is busy", port)
	if code != 1 || !strings.Contains(out, want) {
		t.Errorf("exit %d, output:\n%s%s\nwant it to say %q", code, out, errs, want)
	}
}

// TestInterruptStopsEverything sends Ctrl-C's signal to a runner playing a
// scene whose program has started a child: the runner must exit and leave
// no process behind.
func TestInterruptStopsEverything(t *testing.T) {
	if !proctest.Supported() {
		t.Skip("reads the process table from /proc")
	}
	marker := fmt.Sprintf("5000.%d", os.Getpid())
	dir := writeChapter(t, "# T\n\n```go program=p\npackage main\n\nimport (\n\t\"fmt\"\n\t\"os/exec\"\n\t\"time\"\n)\n\n"+
		"func main() {\n\tif err := exec.Command(\"sleep\", \""+marker+"\").Start(); err != nil {\n\t\tpanic(err)\n\t}\n\tfmt.Println(\"started\")\n\ttime.Sleep(time.Hour)\n}\n```\n\n"+
		"```scene name=s timeout=60s\nstart p\nsleep 50s\n```\n")
	for _, mode := range []string{"interp", "compiled"} {
		t.Run(mode, func(t *testing.T) {
			cmd := runnerProcess(t, dir, "run", "--mode="+mode, "1")
			stdout, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			started := make(chan bool)
			go func() {
				sc := bufio.NewScanner(stdout)
				ok := false
				for sc.Scan() {
					if strings.Contains(sc.Text(), "| started") && !ok {
						ok = true
						started <- true
					}
				}
				if !ok {
					started <- false
				}
			}()
			select {
			case ok := <-started:
				if !ok {
					t.Fatal("the program did not start")
				}
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the program did not start in time")
			}
			cmd.Process.Signal(syscall.SIGINT)
			done := make(chan error)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if exitCode(err) != 1 {
					t.Errorf("runner exit %d after Ctrl-C; want 1", exitCode(err))
				}
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the runner did not exit after Ctrl-C")
			}
			if pids := proctest.Processes(marker); len(pids) > 0 {
				t.Errorf("processes left behind: %v", pids)
			}
		})
	}
}

// TestMakefileTargets: make chapter-N and make exercise-N exist for every
// chapter and exercise (the Makefile lists them, so that they are .PHONY).
func TestMakefileTargets(t *testing.T) {
	b, err := (&runner{}).loadBook()
	if err != nil {
		t.Fatal(err)
	}
	mk, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	list := func(name string) map[string]bool {
		m := map[string]bool{}
		for _, line := range strings.Split(string(mk), "\n") {
			if v, ok := strings.CutPrefix(line, name+" := "); ok {
				for _, f := range strings.Fields(v) {
					m[f] = true
				}
			}
		}
		return m
	}
	chapters, exercises := list("CHAPTERS"), list("EXERCISES")
	for _, c := range b.Chapters {
		if !chapters[fmt.Sprint(c.Number)] {
			t.Errorf("the Makefile's CHAPTERS lacks %d: make chapter-%d does not work", c.Number, c.Number)
		}
	}
	for i := range b.Exercises() {
		if !exercises[fmt.Sprint(i+1)] {
			t.Errorf("the Makefile's EXERCISES lacks %d: make exercise-%d does not work", i+1, i+1)
		}
	}
}
