package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/zmq-workshop/workshop/chapters"
)

// A runner runs one subcommand: where it reads and prints, and where it
// finds the chapters. main makes one of the process's own; tests make one
// of buffers.
type runner struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Chapters       string // a folder of chapters, or "" for those built in
}

// loadBook parses the chapters embedded in the runner, or those in the
// folder rn.Chapters.
func (rn *runner) loadBook() (*chapters.Book, error) {
	var b *chapters.Book
	var err error
	if dir := rn.Chapters; dir != "" {
		b, err = chapters.Load(os.DirFS(dir), filepath.ToSlash(filepath.Clean(dir)))
	} else {
		b, err = chapters.LoadEmbedded()
	}
	if err != nil {
		return nil, &chapterError{err}
	}
	return b, nil
}

// newFlags returns a flag set whose errors print the subcommand's usage.
func (rn *runner) newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(rn.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: runner %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning a bad flag into errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return errUsage // the flag package has printed the problem and the usage
	}
	return nil
}

// usageError prints a message and the subcommand's usage.
func usageError(fs *flag.FlagSet, format string, args ...any) error {
	fmt.Fprintf(fs.Output(), "runner %s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return errUsage
}

// chapterArg finds a chapter by its number, written 2 or 02.
func chapterArg(b *chapters.Book, arg string) (*chapters.Chapter, error) {
	n, err := strconv.Atoi(arg)
	if err != nil {
		return nil, fmt.Errorf("%q is not a chapter number", arg)
	}
	c := b.Chapter(n)
	if c == nil {
		var have []string
		for _, c := range b.Chapters {
			have = append(have, strconv.Itoa(c.Number))
		}
		return nil, fmt.Errorf("there is no chapter %d (chapters: %s)", n, strings.Join(have, ", "))
	}
	return c, nil
}

// isTerminal reports whether f, a reader or writer, is a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}
