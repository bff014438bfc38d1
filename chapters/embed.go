package chapters

import "embed"

// Files holds the chapter files.
//
//go:embed *.md
var Files embed.FS

// LoadEmbedded parses the chapters carried in the binary.
func LoadEmbedded() (*Book, error) { return Load(Files, "chapters") }
