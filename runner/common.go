package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/zmq-workshop/workshop/chapters"
)

// loadBook parses the chapters embedded in the runner, or those in the
// folder named by $WORKSHOP_CHAPTERS.
func loadBook() (*chapters.Book, error) {
	var b *chapters.Book
	var err error
	if dir := os.Getenv("WORKSHOP_CHAPTERS"); dir != "" {
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
func newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: runner %s %s\n", name, synopsis)
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
	fmt.Fprintf(os.Stderr, "runner %s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
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
