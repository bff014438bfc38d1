package scene

import (
	"strings"
	"testing"

	"github.com/zmq-workshop/workshop/chapters"
)

// sceneWith parses a one-scene chapter whose scene has the given checks
// and transcript.
func sceneWith(t *testing.T, checks, transcript string) *chapters.Scene {
	t.Helper()
	src := "# T\n\n```go program=p\npackage main\nfunc main() {}\n```\n\n" +
		"```scene name=s\nstart client-{1..2} = p\nstart server = p\n" + checks + "```\n\n" +
		"```transcript\n" + transcript + "```\n"
	c, err := chapters.Parse("chapters/01-t.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return c.Scene("s")
}

func lines(s string) []chapters.Line {
	var out []chapters.Line
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		line, ok := chapters.ParseLine(l)
		if !ok {
			panic("bad line " + l)
		}
		out = append(out, line)
	}
	return out
}

const pingTranscript = `server   | ready
client-1 | got pong 1 in 120µs
server   | received ping 1 from 1
server   | received ping 1 from 2
client-2 | got pong 1 in 1.5ms
client-1 : exit 0
client-2 : exit 0
server   : signal interrupt
`

func TestCompareAccepts(t *testing.T) {
	tests := []struct {
		name, checks, transcript, got string
	}{
		{"identical", "", pingTranscript, pingTranscript},
		{"other interleaving and durations", "", pingTranscript, `
client-2 | got pong 1 in 3.25ms
client-2 : exit 0
server   | ready
server   | received ping 1 from 1
server   | received ping 1 from 2
client-1 | got pong 1 in 40 ms
client-1 : exit 0
server   : signal interrupt`},
		{"unordered", "unordered server\n", pingTranscript, `
server   | ready
server   | received ping 1 from 2
server   | received ping 1 from 1
server   : signal interrupt
client-1 | got pong 1 in 1s
client-1 : exit 0
client-2 | got pong 1 in 1s
client-2 : exit 0`},
		{"range and vary", "range server /lost (\\d+)/ 1..100\nvary client-* /id [0-9a-f]+/\n",
			"server | lost 7\nclient-1 | id 00ff\nclient-2 | id 12ab\n",
			"server | lost 93\nclient-1 | id a0a0\nclient-2 | id 77\n"},
		{"count", "count server /^tick/ 2..\n",
			"server | start\nserver | tick\nserver | tick\nserver | done\nclient-1 | x\nclient-2 | x\n",
			"server | start\nserver | tick\nserver | tick\nserver | tick\nserver | tick\nserver | done\nclient-1 | x\nclient-2 | x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sceneWith(t, tt.checks, tt.transcript)
			if p := Compare(s, s.Transcript, lines(tt.got)); len(p) > 0 {
				t.Errorf("rejected:\n%s", strings.Join(p, "\n"))
			}
		})
	}
}

func TestCompareRejects(t *testing.T) {
	tests := []struct {
		name, checks, transcript, got, want string
	}{
		{"wrong reply", "", pingTranscript, strings.Replace(pingTranscript, "got pong 1 in 120µs", "got ping 1 in 120µs", 1),
			"client-1, line 1 of its output:\n\twant client-1 | got pong 1 in …\n\tgot  client-1 | got ping 1 in …"},
		{"missing line", "", pingTranscript, strings.Replace(pingTranscript, "server   | received ping 1 from 2\n", "", 1),
			`server ended (signal interrupt) too early: the transcript expects "server | received ping 1 from 2" next`},
		{"missing process", "", pingTranscript, strings.ReplaceAll(pingTranscript, "client-2 ", "client-1 "),
			"client-2 printed nothing"},
		{"unexpected process", "", "server | ready\nclient-1 | a\nclient-2 | a\n", "server | ready\nclient-1 | a\nclient-2 | a\nclient-3 | a\n",
			"client-3 printed lines the transcript does not have"},
		{"wrong status", "", pingTranscript, strings.Replace(pingTranscript, "client-1 : exit 0", "client-1 : exit 1", 1),
			"want client-1 : exit 0"},
		{"unordered still counts", "unordered server\n", pingTranscript, strings.Replace(pingTranscript, "from 2", "from 1", 1),
			"server did not print (in any order):\n\tserver | received ping 1 from 2"},
		{"count out of bounds", "count server /^tick/ 2..3\n", "server | tick\nserver | tick\nclient-1 | x\nclient-2 | x\n",
			"server | tick\nserver | tick\nserver | tick\nserver | tick\nclient-1 | x\nclient-2 | x\n",
			"4 lines of server match /^tick/; the scene expects 2..3"},
		{"range out of bounds", "range server /lost (\\d+)/ 1..100\n", "server | lost 7\nclient-1 | x\nclient-2 | x\n",
			"server | lost 0\nclient-1 | x\nclient-2 | x\n", `"lost 0": 0 is outside 1..100`},
		{"range with no line", "range server /lost (\\d+)/ 1..\n", "server | lost 7\nclient-1 | x\nclient-2 | x\n",
			"server | nothing\nclient-1 | x\nclient-2 | x\n", "no line of server matches"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sceneWith(t, tt.checks, tt.transcript)
			p := strings.Join(Compare(s, s.Transcript, lines(tt.got)), "\n")
			if !strings.Contains(p, tt.want) {
				t.Errorf("problems:\n%s\nwant them to contain:\n%s", p, tt.want)
			}
		})
	}
}

func TestCompareNoTranscript(t *testing.T) {
	s := sceneWith(t, "", "x | y\n")
	s.Transcript = nil
	p := Compare(s, s.Transcript, lines("server | ready"))
	if len(p) != 1 || !strings.Contains(p[0], "check -update 1") {
		t.Errorf("problems = %q", p)
	}
}

func TestCountedProcessNeedNotBeInTranscript(t *testing.T) {
	s := sceneWith(t, "count server /^debug/ 0..\n", "client-1 | got pong 1\n")
	got := lines("client-1 | got pong 1\nserver   | debug: one\nserver   | debug: two")
	if problems := Compare(s, s.Transcript, got); len(problems) != 0 {
		t.Errorf("every line of server is counted, yet: %q", problems)
	}
	got = append(got, lines("server   | something else")...)
	if problems := Compare(s, s.Transcript, got); len(problems) != 1 || !strings.Contains(problems[0], "something else") {
		t.Errorf("an uncounted line of server: %q", problems)
	}
}
