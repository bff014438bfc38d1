package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/zmq-workshop/workshop/chapters"
)

func cmdExtract(args []string) error {
	fs := newFlags("extract", "[N] DIR")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return usageError(fs, "want an optional chapter number and a directory")
	}
	b, err := loadBook()
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
	for _, c := range chs {
		for _, p := range c.Programs {
			path := filepath.Join(dir, c.Slug, p.Name, "main.go")
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(path, p.Source(), 0o644); err != nil {
				return err
			}
			n++
		}
	}
	fmt.Printf("wrote %d programs under %s\n", n, dir)
	return nil
}
