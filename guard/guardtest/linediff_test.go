package guardtest

import (
	"strings"
	"testing"
)

// TestLineDiff: the diff is minimal (only lines outside the longest common
// subsequence are marked), shows one line of context before each change,
// and stops after maxDiffLines lines.
func TestLineDiff(t *testing.T) {
	many := func(prefix string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = prefix + strings.Repeat("x", i)
		}
		return out
	}
	tests := []struct {
		name string
		x, y []string
		want string
	}{
		{"equal", []string{"a", "b"}, []string{"a", "b"}, ""},
		{"line added first", []string{"b"}, []string{"a", "b"}, "+a"},
		{"line added last", []string{"a"}, []string{"a", "b"}, " a\n+b"},
		{"line removed last", []string{"a", "b"}, []string{"a"}, " a\n-b"},
		{"first line moved", []string{"a", "b", "c"}, []string{"b", "a", "c"}, "-a\n b\n+a"},
		{"change with context", []string{"a", "b", "c"}, []string{"a", "B", "c"}, " a\n-b\n+B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lineDiff(tt.x, tt.y); got != tt.want {
				t.Errorf("lineDiff(%q, %q) =\n%s\nwant\n%s", tt.x, tt.y, got, tt.want)
			}
		})
	}
	t.Run("long diff is cut", func(t *testing.T) {
		lines := strings.Split(lineDiff(many("-", 100), many("+", 100)), "\n")
		if len(lines) != maxDiffLines+1 || lines[maxDiffLines] != "..." {
			t.Errorf("diff of 200 changed lines has %d lines ending %q, want %d lines then ...", len(lines), lines[len(lines)-1], maxDiffLines)
		}
	})
}
