// Package live serves the workshop as a notebook: every scene has a Run
// button, every program an Edit button that opens it in a code editor in
// the page, and every exercise can be solved and checked there. The page
// asks the server to play a scene or check an exercise, and the server runs
// it through the runner (runner/scene, runner/learn) and streams what
// happens back into the page.
//
// # Where the learner's files go
//
// The learner's files are the workspace's (runner/learn), next to nothing
// else: an edited program of a chapter is
// workspace/chapters/02-ping-pong/server/main.go, an exercise's program is
// workspace/02-pingpong/server/main.go (what make exercise-N starts), and
// the progress is workspace/progress.json. An edit made in the page is what
// make chapter-N and runner run then play, and an edit made in another
// editor shows in the page when it is opened again; runner check never
// plays them. Saving the chapter's own text back removes the learner's file.
//
// # Protocol
//
// Every page, stylesheet and script is the site rendered by render.Render
// with Live set, served from memory, with the editor (site/editor) under
// assets/editor/. These requests act:
//
//	POST /run?scene=02/server-first    play the scene, streaming its events
//	POST /stop?scene=02/server-first   stop that scene's run, if it runs
//	POST /stop?exercise=02/pingpong    stop that exercise's check
//	GET  /api/edits?chapter=2          the chapter's programs the learner edited
//	GET  /api/program?program=02/server
//	                                   the program: the chapter's text, the
//	                                   learner's file and version (if any)
//	POST /api/save?program=02/server   save the body as the learner's version
//	POST /api/reset?program=02/server  remove the learner's version
//	GET  /api/exercise?exercise=02/pingpong
//	                                   the exercise's starters, the learner's
//	                                   files, its result and the hints shown
//	POST /api/save?exercise=02/pingpong&program=server
//	                                   save the body as the learner's file
//	POST /api/hint?exercise=02/pingpong
//	                                   show one more hint (as make hint-N)
//	POST /api/check?exercise=02/pingpong
//	                                   check it as make check-N does, streaming
//
// A run uses the learner's version of every program it starts: its start
// event lists them ("edited"), and when it differs from the transcript its
// end event carries the run set beside the transcript as a line diff
// ("diff"). A program that does not compile ends the run with
// "diagnostics": file, line, column and message, for the editor to show at
// the line. A check streams make check-N's explanation as text events
// ({"kind":"text","text":"  FAIL  five-clients ..."}) and ends with its
// verdict, and records the result in the progress.
//
// The answer to /run is a stream of JSON objects, one a line
// (application/x-ndjson), sent as they happen:
//
//	{"kind":"start","scene":"02/server-first","mode":"interp","bound":"1m10s"}
//	{"kind":"note","text":"02/server-first waits: endpoint ... is in use"}
//	{"kind":"step","text":"start server"}
//	{"kind":"line","proc":"server","pad":"  ","colour":0,"text":"ready on tcp://*:5555"}
//	{"kind":"line","proc":"server","colour":0,"status":true,"fail":true,"text":"signal interrupt"}
//	{"kind":"end","ok":true,"verdict":"matched the chapter's transcript (0.4s)"}
//
// The end object is always last, once every process of the scene is gone.
// When ok is false, verdict says why (the scene failed, differs from its
// transcript, or was stopped) and problems lists the differences.
//
// # Security
//
// The server runs programs on the learner's machine, and now programs the
// page sends, so a request that reads, saves, runs or checks must come
// from the learner's own page, in the learner's own browser:
//
//   - A random token is made at start and printed in the address the
//     server announces (http://127.0.0.1:8080/?token=...), as Jupyter's
//     server does. Opening it sets a cookie (HttpOnly, SameSite=Strict)
//     and sends the browser on to the page without the token. Every
//     /run, /stop and /api/ request must carry that cookie: without it, or
//     with another, it is refused with 403. Pages themselves, which show
//     only the chapters, need no token.
//
//   - The page never names a path: it names a chapter's program, a scene or
//     an exercise, which the server looks up in the chapters (404 for any
//     other), and maps to a file under workspace/. A save writes a new
//     file beside the old and renames it over, so a crash leaves the old
//     file or the new one, never half of one; a body larger than
//     learn.MaxSource is refused with 413.
//
//   - It listens on loopback only: Listen refuses any other address.
//
//   - Every request must name the server by a loopback name and the port it
//     was accepted on (Host 127.0.0.1:PORT, localhost:PORT or [::1]:PORT);
//     anything else is refused with 403, so a DNS-rebinding host name that
//     resolves to 127.0.0.1 cannot read pages or start runs.
//
//   - /run, /stop and the /api/ POSTs must be POSTs whose Origin header is the server's own
//     origin. Browsers send Origin on every POST, cross-site forms included,
//     and a page cannot forge it; a POST without Origin is refused too, so
//     that only a browser page of this server (or a deliberate local tool
//     that sets the header) can start a run. No CORS header is ever sent.
//
//   - Pages may not be framed (frame-ancestors 'none'), so another site
//     cannot trick a click on Run inside a frame.
//
//   - The page names a scene, never a command: /run looks the name up in
//     the chapters and answers 404 for any other. The code a page sends is
//     saved as the learner's version of a chapter's program, and runs only
//     as that program, in that chapter's scenes, as make chapter-N would
//     run it.
//
//   - One run or check at a time across the server: a second one gets 409
//     until the first has ended. This also keeps two scenes off one port; the
//     runner's endpoint locks keep the server's runs and a concurrent
//     runner check (another process) apart.
//
//   - Every run is bounded in time (the scene's own timeout, which the
//     runner enforces, plus Margin for building its programs and waiting
//     for its ports) and in output (MaxOutput bytes streamed); past either
//     bound, or when the page stops it or goes away, its context is
//     cancelled and the runner kills every process of the scene.
package live

import (
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing/fstest"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/learn"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
	"github.com/zmq-workshop/workshop/site/editor"
	"github.com/zmq-workshop/workshop/site/render"
)

// Defaults of the bounds of a run.
const (
	DefaultMaxOutput = 1 << 20
	DefaultMargin    = time.Minute
)

// A Server serves the live site of one book. Its fields are set by New and
// may be changed before it serves.
type Server struct {
	Mode prog.Mode
	// Builder prepares the programs of every run; it forgets a build that
	// a stopped run cancelled.
	Builder *prog.Builder
	Locks   *scene.Locks
	// MaxOutput caps the bytes of steps and lines streamed in one run.
	MaxOutput int
	// Margin is added to a scene's timeout to bound its run: the time to
	// build its programs and to wait for another runner's ports.
	Margin time.Duration
	// Token is required, as a cookie, by every request that reads the
	// learner's files, saves, runs or checks; URL hands it to the browser.
	Token string
	// Workspace holds the learner's files: their versions of the chapters'
	// programs and their exercises.
	Workspace *learn.Workspace

	book      *chapters.Book
	files     fstest.MapFS
	static    http.Handler
	scenes    map[string]*chapters.Scene
	programs  map[string]*chapters.Program  // 02/server
	exercises map[string]*chapters.Exercise // 02/pingpong

	mu      sync.Mutex
	current *active // the run in progress, or nil
	closing bool
}

// New renders book for live mode and returns its server. Programs are
// prepared by builder, in mode.
func New(book *chapters.Book, mode prog.Mode, builder *prog.Builder) (*Server, error) {
	files, err := render.Render(book, render.Options{Live: true})
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"editor.js", "LICENSES.txt"} {
		data, err := fs.ReadFile(editor.FS, "dist/"+name)
		if err != nil {
			return nil, err
		}
		files["assets/editor/"+name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	s := &Server{
		Mode:      mode,
		Builder:   builder,
		Locks:     scene.NewLocks(),
		MaxOutput: DefaultMaxOutput,
		Margin:    DefaultMargin,
		Token:     token,
		Workspace: &learn.Workspace{Root: builder.Root},
		book:      book,
		files:     files,
		static:    http.FileServerFS(files),
		scenes:    map[string]*chapters.Scene{},
		programs:  map[string]*chapters.Program{},
		exercises: map[string]*chapters.Exercise{},
	}
	s.Locks.Notify = s.note
	for _, c := range book.Chapters {
		for _, sc := range c.Scenes {
			s.scenes[sc.ID()] = sc
		}
		for _, p := range c.Programs {
			s.programs[p.ID()] = p
		}
	}
	for i, e := range book.Exercises() {
		s.exercises[e.ID()] = e
		e.Number = i + 1
	}
	return s, nil
}

// Listen listens on addr, which must be a loopback address: 127.0.0.1:8080,
// [::1]:8080 or localhost:8080 (which listens on 127.0.0.1). Port 0 picks a
// free port.
func Listen(addr string) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("-addr %q: %v; want HOST:PORT on loopback, such as 127.0.0.1:8080", addr, err)
	}
	if host == "localhost" {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		what := fmt.Sprintf("%q is not a loopback address", host)
		if host == "" {
			what = "an empty host listens on every interface"
		}
		return nil, fmt.Errorf("-addr %s: %s; the live site runs programs on this machine, so it listens on loopback only (127.0.0.1, [::1] or localhost)", addr, what)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, err
	}
	if a, ok := ln.Addr().(*net.TCPAddr); !ok || !a.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("-addr %s: listening on %v, which is not loopback", addr, ln.Addr())
	}
	return ln, nil
}

// HTTPServer returns an http.Server for s with timeouts for reading
// requests; a run's stream is bounded by the run, not by a write timeout.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
}

// ServeHTTP checks the Host header of every request, then serves a page,
// or runs or stops a scene.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := checkHost(r); err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	if t := r.URL.Query().Get("token"); t != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		s.login(w, r, t)
		return
	}
	acts := r.URL.Path == "/run" || r.URL.Path == "/stop" || strings.HasPrefix(r.URL.Path, "/api/")
	if acts {
		if err := s.checkToken(r); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		if r.Method == http.MethodPost {
			if err := checkOrigin(r); err != nil {
				http.Error(w, err.Error(), http.StatusForbidden)
				return
			}
		}
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		s.api(w, r)
	case r.URL.Path == "/run" || r.URL.Path == "/stop":
		if r.Method != http.MethodPost {
			h.Set("Allow", "POST")
			http.Error(w, r.URL.Path+" takes POST only", http.StatusMethodNotAllowed)
			return
		}
		if ex := r.URL.Query().Get("exercise"); ex != "" && r.URL.Path == "/stop" {
			s.stop(w, "exercise "+ex)
			return
		}
		sc := s.scenes[r.URL.Query().Get("scene")]
		if sc == nil {
			http.Error(w, fmt.Sprintf("there is no scene %q in the chapters", r.URL.Query().Get("scene")), http.StatusNotFound)
			return
		}
		if r.URL.Path == "/run" {
			s.run(w, r, sc)
		} else {
			s.stop(w, sc.ID())
		}
	default:
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "pages take GET only", http.StatusMethodNotAllowed)
			return
		}
		h.Set("Cache-Control", "no-cache")
		s.static.ServeHTTP(w, r)
	}
}

// checkHost accepts the loopback names of the server, with the port the
// request came in on.
func checkHost(r *http.Request) error {
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	tcp, ok := local.(*net.TCPAddr)
	if !ok {
		return fmt.Errorf("host %q refused: the server cannot tell its own address", r.Host)
	}
	port := strconv.Itoa(tcp.Port)
	host, p, err := net.SplitHostPort(r.Host)
	if err == nil && p == port && (host == "127.0.0.1" || host == "localhost" || host == "::1") {
		return nil
	}
	return fmt.Errorf("host %q refused: this server answers only to 127.0.0.1:%s, localhost:%s and [::1]:%s (a guard against DNS rebinding)", r.Host, port, port, port)
}

// checkOrigin accepts a request whose Origin is the server's own, as the
// Host header (already checked) names it.
func checkOrigin(r *http.Request) error {
	origin := r.Header.Get("Origin")
	want := "http://" + r.Host
	switch {
	case origin == "":
		return fmt.Errorf("%s refused: the request has no Origin header; runs start from the workshop's own page, %s", r.URL.Path, want)
	case origin != want:
		return fmt.Errorf("%s refused: origin %q is not the workshop's own, %s", r.URL.Path, origin, want)
	}
	return nil
}
