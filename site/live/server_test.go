package live

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/learn"
	"github.com/zmq-workshop/workshop/runner/proctest"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
)

// TestMain lets the test binary stand in for the site binary: interpreted
// programs re-execute it with the interp subcommand.
func TestMain(m *testing.M) {
	prog.Main()
	os.Exit(m.Run())
}

// marker is in the arguments of every process the test chapter starts.
const marker = "zzlivetest"

// testBook is the test chapter in testdata.
func testBook(t *testing.T) *chapters.Book {
	t.Helper()
	src, err := os.ReadFile("testdata/01-live.md")
	if err != nil {
		t.Fatal(err)
	}
	c, err := chapters.Parse("site/live/testdata/01-live.md", src)
	if err != nil {
		t.Fatal(err)
	}
	return &chapters.Book{Chapters: []*chapters.Chapter{c}}
}

// newServer serves book on 127.0.0.1, with endpoint locks of its own.
func newServer(t *testing.T, book *chapters.Book) (*Server, *httptest.Server) {
	t.Helper()
	b, err := prog.NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(book, prog.Interp, b)
	if err != nil {
		t.Fatal(err)
	}
	s.Locks = &scene.Locks{Dir: t.TempDir(), Wait: time.Minute}
	s.Token = testToken
	s.Workspace = &learn.Workspace{Root: t.TempDir()}
	s.Locks.Notify = s.note
	srv := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		srv.Close()
		if pids := leftovers(marker); len(pids) > 0 {
			t.Errorf("processes left behind: %v", pids)
		}
	})
	return s, srv
}

// testToken is the test servers' token.
const testToken = "t0k3n"

// post sends a POST as the server's own page does.
func post(t *testing.T, ctx context.Context, srv *httptest.Server, path string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", srv.URL)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: testToken})
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// A reader reads a run's stream.
type reader struct {
	t      *testing.T
	events chan event
	all    []event
}

func read(t *testing.T, resp *http.Response) *reader {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		t.Fatalf("status %s: %s", resp.Status, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-ndjson") {
		t.Errorf("Content-Type %q", ct)
	}
	r := &reader{t: t, events: make(chan event, 1000)}
	go func() {
		defer resp.Body.Close()
		defer close(r.events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var e event
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Errorf("bad event %q: %v", sc.Text(), err)
				return
			}
			r.events <- e
		}
	}()
	return r
}

// until reads events until one satisfies ok, and fails the test if the
// stream ends first or takes longer than d.
func (r *reader) until(d time.Duration, what string, ok func(event) bool) event {
	r.t.Helper()
	timeout := time.After(d)
	for {
		select {
		case e, more := <-r.events:
			if !more {
				r.t.Fatalf("the stream ended without %s; it had:\n%s", what, r.dump())
			}
			r.all = append(r.all, e)
			if ok(e) {
				return e
			}
		case <-timeout:
			r.t.Fatalf("no %s after %v; the stream had:\n%s", what, d, r.dump())
		}
	}
}

// end reads up to the end event, which must be the last.
func (r *reader) end(d time.Duration) event {
	r.t.Helper()
	e := r.until(d, "end event", func(e event) bool { return e.Kind == "end" })
	if extra, more := <-r.events; more {
		r.t.Errorf("an event after the end: %+v", extra)
	}
	return e
}

func (r *reader) dump() string {
	var b strings.Builder
	for _, e := range r.all {
		data, _ := json.Marshal(e)
		b.Write(data)
		b.WriteByte('\n')
	}
	return b.String()
}

func isLine(text string) func(event) bool {
	return func(e event) bool { return e.Kind == "line" && strings.Contains(e.Text, text) }
}

// leftovers returns the processes whose command line holds s.
func leftovers(s string) []string { return proctest.Processes(s) }

func TestListenLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0", "example.com:0", "8080"} {
		if ln, err := Listen(addr); err == nil {
			ln.Close()
			t.Errorf("Listen(%q) listens on %v; want an error", addr, ln.Addr())
		} else if !strings.Contains(err.Error(), "loopback") {
			t.Errorf("Listen(%q): %v; want it to say loopback", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		ln, err := Listen(addr)
		if err != nil {
			t.Errorf("Listen(%q): %v", addr, err)
			continue
		}
		ln.Close()
	}
}

func TestGuards(t *testing.T) {
	_, srv := newServer(t, testBook(t))
	port := srv.URL[strings.LastIndexByte(srv.URL, ':')+1:]
	tests := []struct {
		name, method, path, host, origin string
		status                           int
		says                             string
		token                            string // the cookie's: "" the server's, "-" none
		body                             string
	}{
		{"page", "GET", "/01-live.html", "", "", 200, `class="run" data-scene="01/hello"`, "", ""},
		{"index", "GET", "/", "", "", 200, "<title>", "", ""},
		{"page as localhost", "GET", "/", "localhost:" + port, "", 200, "", "", ""},
		{"page as [::1]", "GET", "/", "[::1]:" + port, "", 200, "", "", ""},
		{"rebound host", "GET", "/", "evil.example:" + port, "", 403, "DNS rebinding", "", ""},
		{"rebound host runs", "POST", "/run?scene=01/hello", "evil.example:" + port, "http://evil.example:" + port, 403, "DNS rebinding", "", ""},
		{"host without port", "GET", "/", "localhost", "", 403, "refused", "", ""},
		{"host with another port", "GET", "/", "127.0.0.1:1", "", 403, "refused", "", ""},
		{"foreign origin", "POST", "/run?scene=01/hello", "", "http://evil.example", 403, `origin "http://evil.example" is not`, "", ""},
		{"origin of another port", "POST", "/run?scene=01/hello", "", "http://127.0.0.1:1", 403, "is not the workshop's own", "", ""},
		{"null origin", "POST", "/run?scene=01/hello", "", "null", 403, "is not the workshop's own", "", ""},
		{"no origin", "POST", "/run?scene=01/hello", "", "-", 403, "no Origin header", "", ""},
		{"foreign origin stops", "POST", "/stop?scene=01/long", "", "http://evil.example", 403, "is not the workshop's own", "", ""},
		{"run by GET", "GET", "/run?scene=01/hello", "", "", 405, "POST only", "", ""},
		{"page by POST", "POST", "/index.html", "", "", 405, "GET only", "", ""},
		{"unknown scene", "POST", "/run?scene=01/nope", "", "", 404, `no scene "01/nope"`, "", ""},
		{"code for a scene", "POST", "/run?scene=" + "rm+-rf+%2F", "", "", 404, "no scene", "", ""},
		{"no scene", "POST", "/run", "", "", 404, `no scene ""`, "", ""},
		{"stop what does not run", "POST", "/stop?scene=01/long", "", "", 409, "is not running", "", ""},

		// The notebook's requests, and the token that guards every request
		// that reads the learner's files, saves, runs or checks.
		{"run without token", "POST", "/run?scene=01/hello", "", "", 403, "no token", "-", ""},
		{"run with a wrong token", "POST", "/run?scene=01/hello", "", "", 403, "wrong token", "guess", ""},
		{"stop without token", "POST", "/stop?scene=01/long", "", "", 403, "no token", "-", ""},
		{"save without token", "POST", "/api/save?program=01/talk", "", "", 403, "no token", "-", "package main"},
		{"save with a wrong token", "POST", "/api/save?program=01/talk", "", "", 403, "wrong token", "guess", "package main"},
		{"read without token", "GET", "/api/program?program=01/talk", "", "", 403, "no token", "-", ""},
		{"check without token", "POST", "/api/check?exercise=01/greet", "", "", 403, "no token", "-", ""},
		{"save from a foreign origin", "POST", "/api/save?program=01/talk", "", "http://evil.example", 403, "is not the workshop's own", "", "package main"},
		{"save without origin", "POST", "/api/save?program=01/talk", "", "-", 403, "no Origin header", "", "package main"},
		{"save from a foreign host", "POST", "/api/save?program=01/talk", "evil.example:" + port, "http://evil.example:" + port, 403, "DNS rebinding", "", "package main"},
		{"save an unknown program", "POST", "/api/save?program=01/nope", "", "", 404, `no program "01/nope"`, "", "package main"},
		{"save a path", "POST", "/api/save?program=" + url.QueryEscape("../../etc/passwd"), "", "", 404, "no program", "", "x"},
		{"save into an unknown exercise", "POST", "/api/save?exercise=01/nope&program=talk", "", "", 404, `no exercise "01/nope"`, "", "x"},
		{"save a program the exercise lacks", "POST", "/api/save?exercise=01/greet&program=../talk", "", "", 404, "has no program", "", "x"},
		{"save an oversized program", "POST", "/api/save?program=01/talk", "", "", 413, "larger than", "", strings.Repeat("/", learn.MaxSource+1)},
		{"save by GET", "GET", "/api/save?program=01/talk", "", "", 405, "POST only", "", ""},
		{"read by POST", "POST", "/api/program?program=01/talk", "", "", 405, "GET only", "", ""},
		{"read", "GET", "/api/program?program=01/talk", "", "", 200, `"id":"01/talk"`, "", ""},
		{"log in with a wrong token", "GET", "/?token=guess", "", "", 403, "wrong token", "-", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.host != "" {
				req.Host = tt.host
			}
			switch tt.token {
			case "":
				req.AddCookie(&http.Cookie{Name: cookieName, Value: testToken})
			case "-":
			default:
				req.AddCookie(&http.Cookie{Name: cookieName, Value: tt.token})
			}
			switch tt.origin {
			case "":
				if tt.method == "POST" {
					req.Header.Set("Origin", srv.URL)
				}
			case "-":
			default:
				req.Header.Set("Origin", tt.origin)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.says) {
				t.Errorf("%s %s: %s %.300q; want %d and %q", tt.method, tt.path, resp.Status, body, tt.status, tt.says)
			}
			if resp.StatusCode == 200 && resp.Header.Get("Access-Control-Allow-Origin") != "" {
				t.Errorf("a CORS header was sent")
			}
			if tt.status == 200 && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("the page may be framed: Content-Security-Policy %q", resp.Header.Get("Content-Security-Policy"))
			}
		})
	}
}

func TestRunMatches(t *testing.T) {
	_, srv := newServer(t, testBook(t))
	r := read(t, post(t, context.Background(), srv, "/run?scene=01/hello"))
	start := r.until(5*time.Second, "start event", func(e event) bool { return true })
	if start.Kind != "start" || start.Scene != "01/hello" || start.Mode != "interp" || start.Bound != "1m10s" {
		t.Errorf("first event %+v; want the start of 01/hello in interp mode, bound 1m10s", start)
	}
	r.until(30*time.Second, "the start step", func(e event) bool { return e.Kind == "step" && e.Text == "start talk = talk hello <world>" })
	r.until(30*time.Second, "talk's line", isLine("hello from <world>"))
	exit := r.until(30*time.Second, "talk's end", func(e event) bool { return e.Kind == "line" && e.Status })
	if exit.Text != "exit 0" || exit.Fail {
		t.Errorf("talk ended with %+v", exit)
	}
	end := r.end(30 * time.Second)
	if !end.OK || !strings.HasPrefix(end.Verdict, "matched the chapter's transcript") || len(end.Problems) > 0 {
		t.Errorf("end %+v; want a match", end)
	}
}

// A run that differs from its transcript must say so, and how.
func TestRunDiffers(t *testing.T) {
	_, srv := newServer(t, testBook(t))
	r := read(t, post(t, context.Background(), srv, "/run?scene=01/differs"))
	end := r.end(30 * time.Second)
	if end.OK || end.Verdict != "differs from the chapter's transcript (site/live/testdata/01-live.md:53):" ||
		len(end.Problems) != 1 || !strings.Contains(end.Problems[0], "talk | hello from mars") {
		t.Errorf("end %+v; want the difference", end)
	}
}

// The scene's own timeout is enforced by the runner, and the stream says
// so.
func TestRunSceneBound(t *testing.T) {
	_, srv := newServer(t, testBook(t))
	start := time.Now()
	r := read(t, post(t, context.Background(), srv, "/run?scene=01/sleepy"))
	end := r.end(20 * time.Second)
	if end.OK || !strings.Contains(end.Verdict, `the scene ran out of its 1s at "sleep 20s"`) {
		t.Errorf("end %+v; want the scene's bound", end)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the run took %v", d)
	}
}

// A run that cannot start within the scene's timeout and the margin (here:
// another runner holds its port) is stopped by the server.
func TestRunServerBound(t *testing.T) {
	s, srv := newServer(t, testBook(t))
	s.Margin = 500 * time.Millisecond
	other := &scene.Locks{Dir: s.Locks.Dir, Wait: time.Minute}
	release, err := other.Acquire(context.Background(), testBook(t).Chapters[0].Scene("sleepy"))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	start := time.Now()
	r := read(t, post(t, context.Background(), srv, "/run?scene=01/sleepy"))
	r.until(10*time.Second, "the note that the run waits", func(e event) bool {
		return e.Kind == "note" && strings.Contains(e.Text, "01/sleepy waits: endpoint tcp://127.0.0.1:5699 is in use by another workshop run")
	})
	end := r.end(10 * time.Second)
	want := "stopped: the run went past its bound of 1.5s (the scene's 1s, and 500ms to build its programs and wait for its ports); every process of the scene was stopped"
	if end.OK || end.Verdict != want {
		t.Errorf("end %+v; want %q", end, want)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the run took %v", d)
	}
}

func TestOneRunAtATime(t *testing.T) {
	_, srv := newServer(t, testBook(t))
	r := read(t, post(t, context.Background(), srv, "/run?scene=01/long"))
	r.until(30*time.Second, "talk hanging", isLine("hanging "+marker))

	for _, path := range []string{"/run?scene=01/long", "/run?scene=01/hello"} {
		resp := post(t, context.Background(), srv, path)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), "01/long is running: one run at a time") {
			t.Errorf("a second run (%s) while 01/long runs: %s %q; want 409", path, resp.Status, body)
		}
	}
	// Stopping another scene does not stop this one.
	if resp := post(t, context.Background(), srv, "/stop?scene=01/hello"); resp.StatusCode != http.StatusConflict {
		t.Errorf("stopping 01/hello: %s; want 409", resp.Status)
	}

	stopped := time.Now()
	if resp := post(t, context.Background(), srv, "/stop?scene=01/long"); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("stop: %s", resp.Status)
	}
	end := r.end(10 * time.Second)
	if end.OK || end.Verdict != "stopped: you pressed Stop; every process of the scene was stopped" {
		t.Errorf("end %+v; want stopped", end)
	}
	if d := time.Since(stopped); d > 5*time.Second {
		t.Errorf("stopping took %v", d)
	}
	if pids := leftovers(marker); len(pids) > 0 {
		t.Errorf("processes left after the stream ended: %v", pids)
	}
	// The next run may start at once.
	r = read(t, post(t, context.Background(), srv, "/run?scene=01/hello"))
	if end := r.end(30 * time.Second); !end.OK {
		t.Errorf("the run after a stopped one: %+v", end)
	}
}

func TestOutputCap(t *testing.T) {
	s, srv := newServer(t, testBook(t))
	s.MaxOutput = 64 << 10
	r := read(t, post(t, context.Background(), srv, "/run?scene=01/flood"))
	end := r.end(30 * time.Second)
	want := "stopped: the run printed more than 64 KiB, the most the page is sent; every process of the scene was stopped"
	if end.OK || end.Verdict != want {
		t.Errorf("end %+v; want %q", end, want)
	}
	n := 0
	for _, e := range r.all {
		n += len(e.Proc) + len(e.Text)
	}
	if n > s.MaxOutput {
		t.Errorf("%d bytes of output streamed; the cap is %d", n, s.MaxOutput)
	}
	if n < s.MaxOutput/2 {
		t.Errorf("only %d bytes of output streamed before the cap of %d", n, s.MaxOutput)
	}
}

// A page that goes away stops its run.
func TestDisconnectStops(t *testing.T) {
	s, srv := newServer(t, testBook(t))
	ctx, cancel := context.WithCancel(context.Background())
	r := read(t, post(t, ctx, srv, "/run?scene=01/long"))
	r.until(30*time.Second, "talk hanging", isLine("hanging "+marker))
	cancel()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.mu.Lock()
		cur := s.current
		s.mu.Unlock()
		if cur == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the run goes on after its page went away")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if pids := leftovers(marker); len(pids) > 0 {
		t.Errorf("processes left after the page went away: %v", pids)
	}
}
