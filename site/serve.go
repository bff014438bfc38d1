package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/site/live"
)

// serve serves the site in live mode, with a Run button on each scene,
// until interrupted.
func serve(args []string) error {
	fs := newFlags("serve", "[-addr HOST:PORT] [-mode interp|compiled]")
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`, a loopback address")
	mode := prog.Interp
	fs.Var(&mode, "mode", "how programs run (`MODE`): interp or compiled")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if prog.CanRun != nil {
		return fmt.Errorf("serve cannot run scenes: %v; make serve builds it with them", prog.CanRun)
	}
	ln, err := live.Listen(*addr)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	defer ln.Close()
	book, err := chapters.LoadEmbedded()
	if err != nil {
		return err
	}
	builder, err := prog.NewBuilder()
	if err != nil {
		return err
	}
	s, err := live.New(book, mode, builder)
	if err != nil {
		return err
	}
	srv := s.HTTPServer()
	fmt.Fprintf(os.Stderr, "site: the workshop as a notebook (%s mode); your edits are saved under workspace/. Open\n\n    %s\n\n(the token in it lets your browser run programs; Ctrl-C stops the server)\n", mode, s.URL(ln.Addr().String()))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// The processes of a run live in process groups of their own: stop the
	// run and wait for them before exiting.
	fmt.Fprintf(os.Stderr, "site: stopping\n")
	s.Close()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
