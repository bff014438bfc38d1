package scene

import (
	"strings"
	"testing"

	"github.com/zmq-workshop/workshop/chapters"
)

func TestDiff(t *testing.T) {
	src := "# T\n\n```go program=p\npackage main\n\nfunc main() {}\n```\n\n```scene name=s\nstart server\nstart client\n```\n\n```transcript\n" +
		"server | ready\nserver | got ping after 3ms\nserver : exit 0\nclient | pong\nclient : exit 0\n```\n"
	src = strings.ReplaceAll(src, "start server\nstart client", "start server = p\nstart client = p")
	c, err := chapters.Parse("chapters/01-t.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Scenes[0]
	got := []chapters.Line{
		{Proc: "client", Text: "PONG"},
		{Proc: "server", Text: "ready"},
		{Proc: "server", Text: "got ping after 12ms"},
		{Proc: "client", Status: true, Text: "exit 0"},
		{Proc: "server", Status: true, Text: "exit 0"},
	}
	var b strings.Builder
	for _, d := range Diff(s, got) {
		b.WriteString(string(d.Op) + " " + d.Line.String() + "\n")
	}
	want := "  server | ready\n" +
		"  server | got ping after 12ms\n" + // a duration differs: not a difference
		"  server : exit 0\n" +
		"- client | pong\n" +
		"+ client | PONG\n" +
		"  client : exit 0\n"
	if b.String() != want {
		t.Errorf("Diff:\n%s\nwant:\n%s", b.String(), want)
	}
}
