package scene

import (
	"strings"
	"testing"

	"github.com/zmq-workshop/workshop/chapters"
)

// spinner busy-loops after its ready line when given "spin", and sleeps in
// a blocking read otherwise.
const spinner = "# T\n\n```go program=p\npackage main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"time\"\n)\n\n" +
	"func main() {\n\tfmt.Println(\"ready\")\n\tif len(os.Args) > 1 {\n\t\tfor n := 0; ; n++ {\n\t\t}\n\t}\n\ttime.Sleep(time.Hour)\n}\n```\n\n"

func TestCPUCatchesABusyLoop(t *testing.T) {
	c := parse(t, spinner+"```scene name=spin\nstart p spin\nwait p /ready/\nmark m\nsleep 500ms\ncpu p < 20ms since m else \"it spins\"\n```\n\n"+
		"```scene name=idle\nstart p\nwait p /ready/\nmark m\nsleep 500ms\ncpu p < 20ms since m\n```\n")
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			res := runScene(t, c.Scene("spin"), mode)
			if res.Err == nil || !strings.Contains(res.Err.Error(), "p used") || !strings.Contains(res.Err.Error(), "it spins") {
				t.Errorf("a busy loop: err = %v; want it to say p used ... it spins", res.Err)
			}
			if res := runScene(t, c.Scene("idle"), mode); res.Err != nil {
				t.Errorf("a sleeping process: %v", res.Err)
			}
		})
	}
}

func TestCPUAfterExitUsesRusage(t *testing.T) {
	c := parse(t, "# T\n\n```go program=p\npackage main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"ready\"); var b [1]byte; fmt.Scan(&b) }\n```\n\n"+
		"```scene name=s\nstart p\nwait p /ready/\nmark m\nkill p\ncpu p < 1s since m\n```\n")
	res := runScene(t, c.Scene("s"), modes[1])
	if res.Err != nil {
		t.Fatal(res.Err)
	}
}

func TestCPUAndElseParse(t *testing.T) {
	bad := map[string]string{
		"start p\ncpu p < 1s since m\n":                     "no mark m",
		"start p\nmark m\ncpu p 1s since m\n":               "usage: cpu PROC < DURATION since MARK",
		"start p\nmark m\ncpu p < x since m\n":              "bad bound",
		"start p\nwait p exit else\n":                       "else takes one quoted message",
		"start p\nwait p exit else \"a\" 2s\n":              "else takes one quoted message",
		"start p\nmark m\nmark m\n":                         "already set",
		"start p\nmark m\ncpu q < 1s since m\n":             "no process named q",
		"start p\nwait p exit 2s else \"why\"\nmark 1bad\n": "usage: mark NAME",
	}
	for script, want := range bad {
		_, err := parseScene(script)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v; want %q", script, err, want)
		}
	}
	c := parse(t, spinner+"```scene name=s\nstart p\nwait p exit 2s else \"why it failed\"\n```\n")
	st := c.Scene("s").Steps[1]
	if st.Else != "why it failed" || st.Text != "wait p exit 2s" {
		t.Errorf("Else = %q, Text = %q", st.Else, st.Text)
	}
}

func parseScene(script string) (any, error) {
	return chaptersParse(spinner + "```scene name=s\n" + script + "```\n")
}

func chaptersParse(src string) (any, error) {
	return chapters.Parse("chapters/01-t.md", []byte(src))
}
