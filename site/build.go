package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/site/render"
)

// build renders the embedded chapters into a folder.
func build(args []string) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	out := fs.String("o", "_site", "write the site into `DIR`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: site build [-o DIR]\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{msg: err.Error(), shown: true}
	}
	if fs.NArg() > 0 {
		return usageError{msg: fmt.Sprintf("build takes no arguments, not %q", fs.Arg(0))}
	}
	start := time.Now()
	book, err := chapters.LoadEmbedded()
	if err != nil {
		return err
	}
	if err := render.WriteDir(book, *out, render.Options{}); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "site: %d chapters in %s (%v)\n", len(book.Chapters), *out, time.Since(start).Round(time.Millisecond))
	return nil
}
