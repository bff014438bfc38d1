package prog

import (
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestModeFlags(t *testing.T) {
	for _, tt := range []struct {
		arg   string
		mode  Mode  // "" when -mode takes no such value
		modes Modes // nil when -mode of a check takes no such value
	}{
		{"interp", Interp, Modes{Interp}},
		{"compiled", Compiled, Modes{Compiled}},
		{"both", "", Modes{Interp, Compiled}},
		{"fast", "", nil},
		{"", "", nil},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		m := Interp
		fs.Var(&m, "mode", "")
		err := fs.Parse([]string{"-mode=" + tt.arg})
		if (err == nil) != (tt.mode != "") || err == nil && m != tt.mode {
			t.Errorf("-mode=%s: mode %q, err %v; want %q", tt.arg, m, err, tt.mode)
		}
		if err != nil && !strings.Contains(err.Error(), "want interp or compiled") {
			t.Errorf("-mode=%s: the error %q does not say what is wanted", tt.arg, err)
		}

		fs = flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		ms := Modes{Interp, Compiled}
		fs.Var(&ms, "mode", "")
		err = fs.Parse([]string{"-mode=" + tt.arg})
		if (err == nil) != (tt.modes != nil) || err == nil && !slices.Equal(ms, tt.modes) {
			t.Errorf("check -mode=%s: modes %v, err %v; want %v", tt.arg, ms, err, tt.modes)
		}
		if err == nil && tt.arg != "" && ms.String() != tt.arg {
			t.Errorf("check -mode=%s: String() = %q", tt.arg, ms.String())
		}
	}
}

// A Builder that NewBuilder did not make refuses to prepare, rather than
// write into a cache of the empty path.
func TestBuilderLiteralRefuses(t *testing.T) {
	var b Builder
	if _, err := b.Prepare(t.Context(), nil, Interp); err == nil || !strings.Contains(err.Error(), "NewBuilder") {
		t.Errorf("Prepare of a Builder literal: err = %v, want one that names NewBuilder", err)
	}
}
