package scene

import (
	"strings"
	"testing"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
)

// relay sends one message from a PAIR to another over inproc, printing
// before and after; with "leave" it neither closes its sockets nor
// terminates its context.
const relay = "# T\n\n```go program=p\npackage main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\n\tzmq \"github.com/pebbe/zmq4\"\n)\n\n" +
	"func main() {\n\tctx, _ := zmq.NewContext()\n\tin, _ := ctx.NewSocket(zmq.PAIR)\n\tin.Bind(\"inproc://x\")\n" +
	"\tout, _ := ctx.NewSocket(zmq.PUSH)\n\tout.SetLinger(-1)\n\tout.Connect(\"inproc://x\")\n\tout.Connect(\"bogus://x\")\n" +
	"\tfmt.Println(\"sending\")\n\tout.Send(\"hi\", 0)\n\tfmt.Println(\"sent\")\n\tif len(os.Args) > 1 {\n\t\treturn\n\t}\n" +
	"\tout.Close()\n\tin.Close()\n\tctx.Term()\n}\n```\n\n"

func TestTraceRecordsZMQCalls(t *testing.T) {
	c := parse(t, relay+"```scene name=s\ntrace p\nstart p\nwait p exit\n```\n\n"+
		"```scene name=leave\ntrace p\nstart p leave\nwait p exit\nwait p.zmq /^at exit: sockets open: none/ 10ms else \"close them\"\n```\n\n"+
		"```scene name=held\ndelay p send 1 400ms\ndelay p after send 1 300ms\ndelay p after bind 1 100ms\ndelay p connect 2 100ms\nstart p\nwait p.zmq /^send 1 held/\nmark held\nwait p exit\ncpu p < 100ms since held\n```\n")
	want := []string{
		"context 1", "context 2", "socket PAIR in context 2", "bind PAIR inproc://x",
		"socket PUSH in context 2", "set PUSH LINGER -1", "connect PUSH inproc://x",
		"connect PUSH bogus://x failed: Protocol not supported",
		"close PUSH", "close PAIR", "term context 2", "context 2 terminated",
		"at exit: sockets open: none; contexts not terminated: none",
	}
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			res := runScene(t, c.Scene("s"), mode)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if got := linesOf(res.Lines, "p.zmq"); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("p.zmq printed\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}

			res = runScene(t, c.Scene("leave"), mode)
			if res.Err == nil || !strings.Contains(res.Err.Error(), "close them") {
				t.Errorf("a process that leaves its sockets: err = %v", res.Err)
			}
			if got := linesOf(res.Lines, "p.zmq"); got[len(got)-1] != "at exit: sockets open: PAIR, PUSH; contexts not terminated: 2" {
				t.Errorf("its summary: %q", got[len(got)-1])
			}

			start := time.Now()
			res = runScene(t, c.Scene("held"), mode)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if d := time.Since(start); d < 900*time.Millisecond {
				t.Errorf("the scene took %v; the calls were held 900ms", d)
			}
			got := strings.Join(linesOf(res.Lines, "p.zmq"), "\n")
			if !strings.Contains(got, "bind PAIR inproc://x\nbind 1 bound, then held 100ms\n") ||
				!strings.Contains(got, "connect PUSH inproc://x\nconnect 2 held 100ms\nconnect PUSH bogus://x failed") ||
				!strings.Contains(got, "send 1 held 400ms\nsend 1 sent, then held 300ms\n") {
				t.Errorf("p.zmq printed\n%s", got)
			}
		})
	}
}

func linesOf(lines []chapters.Line, proc string) []string {
	var out []string
	for _, l := range lines {
		if l.Proc == proc && !l.Status {
			out = append(out, l.Text)
		}
	}
	return out
}

func TestTraceParse(t *testing.T) {
	bad := map[string]string{
		"start p\ntrace p\n":                                 "set it before start p",
		"trace q\nstart p\n":                                 "no process named q is started after this line",
		"trace p\nstart p\ninterrupt p.zmq\n":                "p.zmq is the trace of p",
		"start p\nwait p.zmq exit\n":                         "no process named p.zmq",
		"delay p send 0 1s\nstart p\n":                       "bad call number",
		"delay p send 1 x\nstart p\n":                        "bad duration",
		"delay p before send 1 1s\nstart p\n":                "usage: delay PROC [after] send|bind|connect N DURATION",
		"delay p recv 1 1s\nstart p\n":                       "usage: delay PROC [after] send|bind|connect N DURATION",
		"trace p.zmq\nstart p\n":                             "name the process, not its trace",
		"start p.zmq = p\n":                                  "kept for the trace",
		"trace p\nstart p\nmark m\ncpu p.zmq < 1s since m\n": "p.zmq is the trace of p",
	}
	for script, want := range bad {
		_, err := parseScene(script)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v; want %q", script, err, want)
		}
	}
	if _, err := parseScene("trace p\ndelay p after send 2 10ms\nstart p\nwait p.zmq /x/\nunordered p.zmq\n"); err != nil {
		t.Error(err)
	}
}

func TestTraceSummary(t *testing.T) {
	for _, c := range []struct {
		lines []string
		want  string
	}{
		{[]string{"context 1", "socket REQ in context 1", "close REQ"}, "sockets open: none; contexts not terminated: none"},
		{[]string{"context 1", "context 2", "socket REQ in context 2", "socket REQ in context 2", "close REQ", "term context 2"},
			"sockets open: REQ; contexts not terminated: 2"},
		{[]string{"context 1", "socket PUB in context 1", "close PUB", "close PUB failed: Socket operation on non-socket"}, "sockets open: PUB; contexts not terminated: none"},
		{[]string{"context 1", "context 2", "context 3", "context 3 terminated", "socket DEALER in context 2 failed: Too many open files"}, "sockets open: none; contexts not terminated: 2"},
	} {
		if got := summary(c.lines); got != "at exit: "+c.want {
			t.Errorf("summary(%q) = %q; want %q", c.lines, got, "at exit: "+c.want)
		}
	}
}
