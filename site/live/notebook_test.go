package live

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// send posts body to path as the page does, and returns the status and
// what the server answered.
func send(t *testing.T, srv string, client *http.Client, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", srv)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: testToken})
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// getJSON reads a notebook GET request's answer into v.
func getJSON(t *testing.T, srv string, client *http.Client, path string, v any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: cookieName, Value: testToken})
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s %s", path, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func TestLogin(t *testing.T) {
	_, srv := newServer(t, testBook(t))
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Get(srv.URL + "/01-live.html?token=" + testToken)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/01-live.html" {
		t.Errorf("login: %s to %q; want 303 to the page without its token", resp.Status, resp.Header.Get("Location"))
	}
	cookie := resp.Header.Get("Set-Cookie")
	for _, want := range []string{cookieName + "=" + testToken, "HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("Set-Cookie %q lacks %q", cookie, want)
		}
	}
}

// TestEditRunReset saves a changed program, runs a scene with it, and
// resets it, as the page does.
func TestEditRunReset(t *testing.T) {
	s, srv := newServer(t, testBook(t))
	client := srv.Client()
	var v programView
	getJSON(t, srv.URL, client, "/api/program?program=01/talk", &v)
	if v.Mine != nil || !strings.Contains(v.Chapter, `fmt.Println("hello from", os.Args[2])`) || v.File != "workspace/chapters/01-live/talk/main.go" {
		t.Fatalf("before an edit: %+v", v)
	}
	mine := strings.Replace(v.Chapter, `"hello from"`, `"HELLO from"`, 1)
	if code, body := send(t, srv.URL, client, "/api/save?program=01/talk", mine); code != http.StatusNoContent {
		t.Fatalf("save: %d %s", code, body)
	}
	file := filepath.Join(s.Workspace.Root, v.File)
	if b, err := os.ReadFile(file); err != nil || string(b) != mine {
		t.Fatalf("the saved file: %v %q", err, b)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".save-*")); len(left) > 0 {
		t.Errorf("a save left %v", left)
	}
	var edited []string
	getJSON(t, srv.URL, client, "/api/edits?chapter=1", &edited)
	if len(edited) != 1 || edited[0] != "01/talk" {
		t.Errorf("edits: %q; want [01/talk]", edited)
	}

	r := read(t, post(t, context.Background(), srv, "/run?scene=01/hello"))
	start := r.until(5*time.Second, "start", func(e event) bool { return true })
	if len(start.Edited) != 1 || start.Edited[0].Program != "talk" || start.Edited[0].File != v.File {
		t.Errorf("start %+v; want it to name the learner's talk", start)
	}
	end := r.end(30 * time.Second)
	diff := ""
	for _, d := range end.Diff {
		diff += d.Op + " " + d.Proc + " " + d.Text + "\n"
	}
	if end.OK || !strings.Contains(diff, "- talk hello from <world>\n+ talk HELLO from <world>\n") {
		t.Errorf("end %+v, diff:\n%s\nwant a failed comparison whose diff shows the changed line", end, diff)
	}

	if code, body := send(t, srv.URL, client, "/api/reset?program=01/talk", ""); code != http.StatusNoContent {
		t.Fatalf("reset: %d %s", code, body)
	}
	if _, err := os.Stat(filepath.Join(s.Workspace.Root, "workspace", "chapters")); !os.IsNotExist(err) {
		t.Errorf("workspace/chapters after a reset: %v; want it gone with the only edit", err)
	}
	r = read(t, post(t, context.Background(), srv, "/run?scene=01/hello"))
	if end := r.end(30 * time.Second); !end.OK {
		t.Errorf("after the reset: %+v", end)
	}
}

// TestCompileErrorAtLine runs a scene with a program that does not
// compile: the end names the learner's file and line.
func TestCompileErrorAtLine(t *testing.T) {
	_, srv := newServer(t, testBook(t))
	client := srv.Client()
	broken := "package main\n\nfunc main() {\n\tundefinedThing()\n}\n"
	if code, body := send(t, srv.URL, client, "/api/save?program=01/talk", broken); code != http.StatusNoContent {
		t.Fatalf("save: %d %s", code, body)
	}
	r := read(t, post(t, context.Background(), srv, "/run?scene=01/hello"))
	end := r.end(30 * time.Second)
	if end.OK || len(end.Diagnostics) == 0 {
		t.Fatalf("end %+v; want a compile error", end)
	}
	d := end.Diagnostics[0]
	if d.File != "workspace/chapters/01-live/talk/main.go" || d.Line != 4 || !strings.Contains(d.Message, "undefined") {
		t.Errorf("diagnostic %+v; want undefinedThing at line 4 of the learner's file", d)
	}
}

// TestCheckInPage checks an exercise as the page does: the starter fails,
// the solution passes, and the progress records it for make exercises.
func TestCheckInPage(t *testing.T) {
	s, srv := newServer(t, testBook(t))
	client := srv.Client()
	var ex exerciseView
	getJSON(t, srv.URL, client, "/api/exercise?exercise=01/greet", &ex)
	if ex.Number != 1 || len(ex.Programs) != 1 || ex.Programs[0].Mine != nil || !strings.Contains(ex.Programs[0].Chapter, "TODO") {
		t.Fatalf("exercise before a start: %+v", ex)
	}
	if code, body := send(t, srv.URL, client, "/api/check?exercise=01/greet", ""); code != http.StatusConflict || !strings.Contains(body, "make exercise-1") {
		t.Errorf("a check before any file: %d %q; want 409 saying how to start", code, body)
	}
	check := func(src string) (event, string) {
		t.Helper()
		if code, body := send(t, srv.URL, client, "/api/save?exercise=01/greet&program=greeter", src); code != http.StatusNoContent {
			t.Fatalf("save: %d %s", code, body)
		}
		r := read(t, post(t, context.Background(), srv, "/api/check?exercise=01/greet"))
		end := r.end(60 * time.Second)
		var text strings.Builder
		for _, e := range r.all {
			if e.Kind == "text" {
				text.WriteString(e.Text + "\n")
			}
		}
		return end, text.String()
	}
	end, text := check(ex.Programs[0].Chapter)
	if end.OK || !strings.Contains(text, "FAIL  greeting") || !strings.Contains(text, "greeter | TODO") {
		t.Errorf("the starter: %+v\n%s", end, text)
	}
	end, text = check("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello, learner\") }\n")
	if !end.OK || !strings.Contains(text, "All 1 checks pass") {
		t.Errorf("the solution: %+v\n%s", end, text)
	}
	p, err := s.Workspace.Progress()
	if err != nil || p["01/greet"].Result != "passed" {
		t.Errorf("progress %+v, %v; want 01/greet passed", p, err)
	}
	var hints []string
	for i := 1; i <= 3; i++ {
		if code, body := send(t, srv.URL, client, "/api/hint?exercise=01/greet", ""); code != http.StatusOK || json.Unmarshal([]byte(body), &hints) != nil || len(hints) != min(i, 2) {
			t.Errorf("hint %d: %d %q; want %d hints", i, code, body, min(i, 2))
		}
	}
}

// TestCheckWhileRunning: a check waits for no run; it is refused while one
// is in progress, as a second run is.
func TestCheckWhileRunning(t *testing.T) {
	_, srv := newServer(t, testBook(t))
	client := srv.Client()
	if code, body := send(t, srv.URL, client, "/api/save?exercise=01/greet&program=greeter", "package main\n\nfunc main() {}\n"); code != http.StatusNoContent {
		t.Fatalf("save: %d %s", code, body)
	}
	r := read(t, post(t, context.Background(), srv, "/run?scene=01/long"))
	r.until(30*time.Second, "talk hanging", isLine("hanging "+marker))
	if code, body := send(t, srv.URL, client, "/api/check?exercise=01/greet", ""); code != http.StatusConflict || !strings.Contains(body, "01/long is running") {
		t.Errorf("a check during a run: %d %q; want 409", code, body)
	}
	if code, _ := send(t, srv.URL, client, "/stop?scene=01/long", ""); code != http.StatusNoContent {
		t.Fatalf("stop: %d", code)
	}
	r.end(10 * time.Second)
}
