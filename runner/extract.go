package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/zmq-workshop/workshop/chapters"
)

func cmdExtract(rn *runner, args []string) error {
	fs := rn.newFlags("extract", "[N] DIR")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return usageError(fs, "want an optional chapter number and a directory")
	}
	b, err := rn.loadBook()
	if err != nil {
		return err
	}
	chs := b.Chapters
	if fs.NArg() == 2 {
		c, err := chapterArg(b, fs.Arg(0))
		if err != nil {
			return usageError(fs, "%v", err)
		}
		chs = []*chapters.Chapter{c}
	}
	dir := fs.Arg(fs.NArg() - 1)
	n := 0
	write := func(path string, p *chapters.Program) error {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		n++
		return os.WriteFile(path, p.Source(), 0o644)
	}
	for _, c := range chs {
		for _, p := range c.Programs {
			if err := write(filepath.Join(dir, c.Slug, p.Name, "main.go"), p); err != nil {
				return err
			}
		}
		for _, e := range c.Exercises {
			for _, p := range e.Starters {
				if err := write(filepath.Join(dir, c.Slug, "starter-"+e.Name, p.Name, "main.go"), p); err != nil {
					return err
				}
			}
		}
	}
	fmt.Fprintf(rn.Stdout, "wrote %d programs under %s\n", n, dir)
	return nil
}
