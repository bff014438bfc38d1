package main

import (
	"fmt"
	"os"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/site/render"
)

// build renders the embedded chapters into a folder.
func build(args []string) error {
	fs := newFlags("build", "[-o DIR]")
	out := fs.String("o", "_site", "write the site into `DIR`")
	if err := parseFlags(fs, args); err != nil {
		return err
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
