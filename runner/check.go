package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
)

func cmdCheck(rn *runner, args []string) error {
	fs := rn.newFlags("check", "[--mode=interp|compiled|both] [-update] [-v] [-j N] [-count N] [-exercises] [N[/SCENE]...]")
	modes := prog.Modes{prog.Interp, prog.Compiled}
	fs.Var(&modes, "mode", "how programs run (`MODE`): interp, compiled or both")
	update := fs.Bool("update", false, "rewrite the transcripts of the scenes that ran")
	verbose := fs.Bool("v", false, "show every scene's output, not only failures'")
	jobs := fs.Int("j", scene.Jobs, "scenes run at once (scenes that share an endpoint take turns)")
	count := fs.Int("count", 1, "run each scene this many times, and report each scene's failure rate")
	exercises := fs.Bool("exercises", false, "only the scenes that the exercises' checkers run")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *jobs < 1 {
		return usageError(fs, "-j must be at least 1")
	}
	if *count < 1 || (*count > 1 && *update) {
		return usageError(fs, "-count must be at least 1, and 1 with -update")
	}
	b, err := rn.loadBook()
	if err != nil {
		return err
	}
	scenes, err := selectScenes(b, fs.Args())
	if err != nil {
		return usageError(fs, "%v", err)
	}
	if *exercises {
		scenes = exerciseScenes(scenes)
	}
	builder, err := prog.NewBuilder()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// The compiled run goes first: with -update, it writes the transcript
	// that the interpreted run is then held to.
	if len(modes) == 2 {
		modes = []prog.Mode{prog.Compiled, prog.Interp}
	}
	c := &checker{
		out: rn.Stdout, builder: builder, locks: scene.NewLocks(), modes: modes,
		update: *update, verbose: *verbose, updates: map[*chapters.Scene][]chapters.Line{},
		failures: map[string]int{},
	}
	c.locks.Notify = func(msg string) { c.print(msg + "\n") }
	start := time.Now()
	sem := make(chan struct{}, *jobs)
	var wg sync.WaitGroup
	var queue []*chapters.Scene
	for range *count {
		queue = append(queue, scene.Schedule(scenes)...)
	}
	for _, s := range queue {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c.scene(ctx, s)
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted; every process was stopped")
	}
	if *update {
		if err := writeUpdates(rn.Stdout, builder.Root, c.updates); err != nil {
			return err
		}
	}
	if *count > 1 {
		c.printRates(scenes, *count)
	}
	fmt.Fprintf(rn.Stdout, "%d passed, %d failed (%.1fs)\n", c.passed, c.failed, time.Since(start).Seconds())
	if c.failed > 0 {
		return errFailed
	}
	return nil
}

type checker struct {
	out     io.Writer
	builder *prog.Builder
	locks   *scene.Locks
	modes   []prog.Mode
	update  bool
	verbose bool

	mu             sync.Mutex
	passed, failed int
	updates        map[*chapters.Scene][]chapters.Line
	failures       map[string]int // by scene ID and mode
}

// printRates prints the failure rate of each scene and mode, for -count.
func (c *checker) printRates(scenes []*chapters.Scene, count int) {
	fmt.Fprintf(c.out, "\nfailure rate per scene over %d runs:\n", count)
	for _, s := range scenes {
		for _, m := range c.modes {
			n := c.failures[s.ID()+" "+string(m)]
			fmt.Fprintf(c.out, "  %-28s %-8s %3d/%d failed\n", s.ID(), m, n, count)
		}
	}
}

func (c *checker) print(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	io.WriteString(c.out, s)
}

// scene runs one scene in every mode, one mode after the other. With
// -update, the first mode's output is the new transcript, and later modes
// are held to it.
func (c *checker) scene(ctx context.Context, s *chapters.Scene) {
	var fresh *chapters.Transcript
	for _, mode := range c.modes {
		if ctx.Err() != nil {
			return
		}
		res := scene.Run(ctx, s, scene.Options{Mode: mode, Builder: c.builder, Locks: c.locks, Transcript: fresh})
		if ctx.Err() != nil {
			return
		}
		if c.update && res.Err == nil && mode == c.modes[0] {
			c.mu.Lock()
			c.updates[s] = res.Lines
			c.mu.Unlock()
			fresh = &chapters.Transcript{Lines: res.Lines}
			res.Problems = scene.Compare(s, fresh, res.Lines)
		}
		c.report(s, mode, res)
	}
}

func (c *checker) report(s *chapters.Scene, mode prog.Mode, res *scene.Result) {
	var b bytes.Buffer
	status := "ok  "
	if !res.Passed() {
		status = "FAIL"
	}
	fmt.Fprintf(&b, "%s %-28s %-8s %5.1fs\n", status, s.ID(), mode, res.Elapsed.Seconds())
	if res.Err != nil {
		fmt.Fprintf(&b, "    %s\n", indent(res.Err.Error()))
	}
	for _, p := range res.Problems {
		fmt.Fprintf(&b, "    %s:%d: %s\n", s.Chapter.Path, transcriptLine(s), indent(p))
	}
	if (!res.Passed() || c.verbose) && len(res.Lines) > 0 {
		fmt.Fprintf(&b, "    output:\n")
		for _, l := range strings.Split(strings.TrimSuffix(chapters.FormatTranscript(res.Lines), "\n"), "\n") {
			fmt.Fprintf(&b, "      %s\n", l)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if res.Passed() {
		c.passed++
	} else {
		c.failed++
		c.failures[s.ID()+" "+string(mode)]++
	}
	c.out.Write(b.Bytes())
}

func transcriptLine(s *chapters.Scene) int {
	if s.Transcript != nil && s.Transcript.Block != nil {
		return s.Transcript.Block.Line
	}
	return s.Line
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n    ") }

// selectScenes picks the scenes named by arguments N or N/SCENE; none
// means every scene.
func selectScenes(b *chapters.Book, args []string) ([]*chapters.Scene, error) {
	var out []*chapters.Scene
	if len(args) == 0 {
		for _, c := range b.Chapters {
			out = append(out, c.Scenes...)
		}
		return out, nil
	}
	for _, a := range args {
		num, name, _ := strings.Cut(a, "/")
		c, err := chapterArg(b, num)
		if err != nil {
			return nil, err
		}
		if name == "" {
			out = append(out, c.Scenes...)
			continue
		}
		s := c.Scene(name)
		if s == nil {
			var names []string
			for _, s := range c.Scenes {
				names = append(names, s.Name)
			}
			return nil, fmt.Errorf("chapter %d has no scene %q (it has %s)", c.Number, name, strings.Join(names, ", "))
		}
		out = append(out, s)
	}
	return out, nil
}

// exerciseScenes keeps the scenes that some exercise's checker runs.
func exerciseScenes(scenes []*chapters.Scene) []*chapters.Scene {
	var out []*chapters.Scene
	for _, s := range scenes {
		for _, e := range s.Chapter.Exercises {
			if slices.Contains(e.Check, s) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// writeUpdates rewrites the transcripts in the chapter files on disk.
func writeUpdates(w io.Writer, root string, updates map[*chapters.Scene][]chapters.Line) error {
	byChapter := map[*chapters.Chapter]map[*chapters.Scene][]chapters.Line{}
	for s, lines := range updates {
		if byChapter[s.Chapter] == nil {
			byChapter[s.Chapter] = map[*chapters.Scene][]chapters.Line{}
		}
		byChapter[s.Chapter][s] = lines
	}
	for ch, ts := range byChapter {
		path := ch.Path
		if !filepath.IsAbs(path) {
			path = filepath.Join(root, path)
		}
		disk, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !bytes.Equal(disk, ch.Source) {
			return fmt.Errorf("%s changed while the check ran; nothing written, run again", ch.Path)
		}
		if err := os.WriteFile(path, ch.WithTranscripts(ts), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(w, "updated %d transcripts in %s\n", len(ts), ch.Path)
	}
	return nil
}
