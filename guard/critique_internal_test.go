package guard

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestClip: clip keeps a text of at most n bytes whole, and cuts a longer
// one at a rune boundary to at most n bytes, ending in an ellipsis.
func TestClip(t *testing.T) {
	for _, tt := range []struct {
		name, s string
		n       int
		want    string
	}{
		{"shorter", "abc", 5, "abc"},
		{"exactly n", "abcde", 5, "abcde"},
		{"one byte over", "abcdef", 5, "ab…"},
		{"cut inside a rune", "aéééé", 6, "aé…"},
		{"cut inside a 4-byte rune", "a😀😀", 7, "a…"},
		{"no rune start to cut at", "\x80\x80\x80\x80\x80\x80", 5, "…"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := clip(tt.s, tt.n)
			if got != tt.want {
				t.Errorf("clip(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
			}
			if len(got) > tt.n || utf8.ValidString(tt.s) && !utf8.ValidString(got) || !strings.HasPrefix(tt.s, strings.TrimSuffix(got, "…")) {
				t.Errorf("clip(%q, %d) = %q: want a valid prefix of at most %d bytes", tt.s, tt.n, got, tt.n)
			}
		})
	}
}
