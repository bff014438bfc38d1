package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
)

func cmdList(args []string) error {
	fs := newFlags("list", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "list takes no arguments")
	}
	b, err := loadBook()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	for _, c := range b.Chapters {
		fmt.Fprintf(w, "%02d\t%s\t(make chapter-%d)\n", c.Number, c.Title, c.Number)
		if len(c.Programs) > 0 {
			var names []string
			for _, p := range c.Programs {
				names = append(names, p.Name)
			}
			fmt.Fprintf(w, "\tprograms:\t%s\n", strings.Join(names, ", "))
		}
		for _, s := range c.Scenes {
			fmt.Fprintf(w, "\tscene:\t%s\t%s:%d\n", s.Name, c.Path, s.Line)
		}
	}
	return w.Flush()
}
