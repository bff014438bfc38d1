package prog

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

//go:embed zmqtrace/zmqtrace.c
var tracerSource []byte

// Tracer returns the path of the shared library that traces a program's
// calls into libzmq and holds the calls a scene names, built from zmqtrace/zmqtrace.c
// with the C compiler cgo uses ($CC, or gcc) into the cache, once per
// version of the source. It is loaded with LD_PRELOAD; the scene package
// sets the variables it reads.
func (b *Builder) Tracer(ctx context.Context) (string, error) {
	if b.cache == "" {
		return "", fmt.Errorf("prog: a Builder is made by NewBuilder")
	}
	if CanRun != nil {
		return "", CanRun
	}
	if runtime.GOOS != "linux" {
		return "", fmt.Errorf("tracing a program's ZeroMQ calls needs LD_PRELOAD, which this runner supports on Linux only")
	}
	sum := sha256.Sum256(tracerSource)
	key := hex.EncodeToString(sum[:])[:20]
	return b.once(ctx, "tracer"+key, func() (string, error) {
		return b.buildTracer(ctx, key)
	})
}

func (b *Builder) buildTracer(ctx context.Context, key string) (string, error) {
	lib := filepath.Join(b.cache, "tracer", key, "zmqtrace.so")
	if _, err := os.Stat(lib); err == nil {
		return lib, nil
	}
	src := filepath.Join(b.cache, "tracer", key, "zmqtrace.c")
	if err := writeOnce(src, tracerSource); err != nil {
		return "", err
	}
	cc := strings.Fields(os.Getenv("CC"))
	if len(cc) == 0 {
		cc = []string{"gcc"}
	}
	tmp := fmt.Sprintf("%s.%d.tmp", lib, os.Getpid())
	args := append(cc[1:], "-shared", "-fPIC", "-O2", "-o", tmp, src, "-ldl", "-lzmq", "-lpthread")
	out, err := exec.CommandContext(ctx, cc[0], args...).CombinedOutput()
	if err != nil {
		os.Remove(tmp)
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("building the ZeroMQ tracer (%s) with %s: %v\n%s\nThe tracer needs the C compiler and libzmq's header that cgo needs: make deps installs them",
			src, cc[0], err, strings.TrimSpace(string(out)))
	}
	if err := os.Rename(tmp, lib); err != nil {
		return "", err
	}
	return lib, nil
}
