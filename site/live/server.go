// Package live serves the workshop's site with a Run button on each scene:
// the page asks the server to play a scene, and the server runs it through
// the runner (runner/scene) and streams what happens back into the page.
//
// # Protocol
//
// Every page, stylesheet and script is the site rendered by render.Render
// with Live set, served from memory. Two requests act:
//
//	POST /run?scene=02/server-first    play the scene, streaming its events
//	POST /stop?scene=02/server-first   stop that scene's run, if it runs
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
// The server runs programs on the learner's machine, so a request that
// starts one must come from the learner's own page:
//
//   - It listens on loopback only: Listen refuses any other address.
//   - Every request must name the server by a loopback name and the port it
//     was accepted on (Host 127.0.0.1:PORT, localhost:PORT or [::1]:PORT);
//     anything else is refused with 403, so a DNS-rebinding host name that
//     resolves to 127.0.0.1 cannot read pages or start runs.
//   - /run and /stop must be POSTs whose Origin header is the server's own
//     origin. Browsers send Origin on every POST, cross-site forms included,
//     and a page cannot forge it; a POST without Origin is refused too, so
//     that only a browser page of this server (or a deliberate local tool
//     that sets the header) can start a run. No CORS header is ever sent.
//   - Pages may not be framed (frame-ancestors 'none'), so another site
//     cannot trick a click on Run inside a frame.
//   - The page names a scene, never code or a command: /run looks the name
//     up in the chapters and answers 404 for any other.
//   - One run at a time across the server: a second one gets 409 until the
//     first has ended. This also keeps two scenes off one port; the
//     runner's endpoint locks keep the server's runs and a concurrent
//     runner check (another process) apart.
//   - Every run is bounded in time (the scene's own timeout, which the
//     runner enforces, plus Margin for building its programs and waiting
//     for its ports) and in output (MaxOutput bytes streamed); past either
//     bound, or when the page stops it or goes away, its context is
//     cancelled and the runner kills every process of the scene.
package live

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing/fstest"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
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

	files  fstest.MapFS
	static http.Handler
	scenes map[string]*chapters.Scene

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
	s := &Server{
		Mode:      mode,
		Builder:   builder,
		Locks:     scene.NewLocks(),
		MaxOutput: DefaultMaxOutput,
		Margin:    DefaultMargin,
		files:     files,
		static:    http.FileServerFS(files),
		scenes:    map[string]*chapters.Scene{},
	}
	s.Locks.Notify = s.note
	for _, c := range book.Chapters {
		for _, sc := range c.Scenes {
			s.scenes[sc.ID()] = sc
		}
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
	switch r.URL.Path {
	case "/run", "/stop":
		if r.Method != http.MethodPost {
			h.Set("Allow", "POST")
			http.Error(w, r.URL.Path+" takes POST only", http.StatusMethodNotAllowed)
			return
		}
		if err := checkOrigin(r); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
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
			s.stop(w, sc)
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
