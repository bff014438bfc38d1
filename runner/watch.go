package main

import (
	"context"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// settle is how long a burst of file events must be quiet before a change
// is reported: an editor's save is often several writes and a rename.
const settle = 100 * time.Millisecond

// pollEvery is how often files are looked at where the system gives no
// events.
const pollEvery = 300 * time.Millisecond

// watchFiles sends on the returned channel after any of files may have
// changed, until ctx is done. It watches their folders (editors save by
// renaming a new file over the old one) for events, and falls back to a
// tick where events are unavailable.
func watchFiles(ctx context.Context, files []string) <-chan struct{} {
	changed := make(chan struct{}, 1)
	notify := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	w, err := fsnotify.NewWatcher()
	if err == nil {
		names := map[string]bool{}
		for _, f := range files {
			f = filepath.Clean(f)
			names[f] = true
			if err = w.Add(filepath.Dir(f)); err != nil {
				break
			}
		}
		if err == nil {
			go func() {
				defer w.Close()
				quiet := time.NewTimer(time.Hour)
				quiet.Stop()
				for {
					select {
					case <-ctx.Done():
						return
					case e := <-w.Events:
						if names[filepath.Clean(e.Name)] {
							quiet.Reset(settle)
						}
					case <-w.Errors:
						// An overflowed queue lost events: look anyway.
						quiet.Reset(settle)
					case <-quiet.C:
						notify()
					}
				}
			}()
			return changed
		}
		w.Close()
	}
	go func() {
		t := time.NewTicker(pollEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				notify()
			}
		}
	}()
	return changed
}
