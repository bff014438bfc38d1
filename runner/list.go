package main

import (
	"fmt"
	"strings"
)

func cmdList(rn *runner, args []string) error {
	fs := rn.newFlags("list", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "list takes no arguments")
	}
	b, err := rn.loadBook()
	if err != nil {
		return err
	}
	for _, c := range b.Chapters {
		fmt.Fprintf(rn.Stdout, "%02d  %s  (make chapter-%d, %s)\n", c.Number, c.Title, c.Number, c.Path)
		var names []string
		for _, p := range c.Programs {
			names = append(names, p.Name)
		}
		if len(names) > 0 {
			fmt.Fprintf(rn.Stdout, "    programs:  %s\n", strings.Join(names, ", "))
		}
		names = names[:0]
		for _, s := range c.Scenes {
			names = append(names, s.Name)
		}
		if len(names) > 0 {
			fmt.Fprintf(rn.Stdout, "    scenes:    %s\n", strings.Join(names, ", "))
		}
		for _, e := range c.Exercises {
			fmt.Fprintf(rn.Stdout, "    exercise:  %d. %s (make exercise-%d)\n", e.Number, e.Title, e.Number)
		}
	}
	return nil
}
