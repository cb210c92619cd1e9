package metrics

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
		needs          bool
	}{
		{"ASCII", "You're right.", "You're right.", false},
		{"typographic punctuation stays", "You’re right — “really”…", "You’re right — “really”…", false},
		{"zero-width dropped", "ab\u200bc\u200d", "abc", true},
		{"soft hyphen dropped", "apo\u00adlogize", "apologize", true},
		{"fullwidth folded", "\uff39\uff4f\uff55", "You", true},
		{"fullwidth punctuation stays", "好，是的。对！", "好，是的。对！", false},
		{"no-break space read as a space", "a\u00a0b\u3000c", "a b c", true},
		{"invalid UTF-8 stays", "a\xffb\u200b", "a\xffb", true},
		{"accented letters stay", "café naïve", "café naïve", false},
		{"long ASCII run then a hidden character", "0123456789abcdefghij\u2060k", "0123456789abcdefghijk", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, got := tokenizeText(tt.in, nil, nil); got != tt.needs {
				t.Errorf("tokenizer reports hidden characters: %v, want %v", got, tt.needs)
			}
			var f folded
			f.fold(tt.in)
			if string(f.buf) != tt.want {
				t.Errorf("fold = %q, want %q", f.buf, tt.want)
			}
		})
	}
}

func TestFoldedSpan(t *testing.T) {
	var f folded
	in := "\u2066You\u200b're abso\u00adlutely \uff52\uff49\uff47\uff48\uff54\u2069!"
	f.fold(in)
	if got := string(f.buf); got != "You're absolutely right!" {
		t.Fatalf("fold = %q", got)
	}
	for _, tc := range []struct {
		start, end int
		want       string
	}{
		{0, 6, "You\u200b're"},
		{7, 17, "abso\u00adlutely"},
		{18, 23, "\uff52\uff49\uff47\uff48\uff54"},
		{23, 24, "!"},
		{0, 24, "You\u200b're abso\u00adlutely \uff52\uff49\uff47\uff48\uff54\u2069!"},
	} {
		s, e := f.span(tc.start, tc.end)
		if got := in[s:e]; got != tc.want {
			t.Errorf("span(%d, %d) = %q, want %q", tc.start, tc.end, got, tc.want)
		}
	}
}

// FuzzFold: folding never grows the text, changes it exactly when the
// tokenizer reports a hidden character, and maps every span of the folded text to a span of
// the original on UTF-8 boundaries.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "You're right", "a\u200bb", "\uff41\u00ad", "\xff\xfe\u2060", "ｙｏｕ’ｒｅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var fl folded
		fl.fold(s)
		if len(fl.buf) > len(s) || len(fl.pos) != len(fl.buf) {
			t.Fatalf("fold(%q) = %q with %d positions", s, fl.buf, len(fl.pos))
		}
		if _, hidden := tokenizeText(s, nil, nil); hidden != (string(fl.buf) != s) {
			t.Fatalf("tokenizer reports hidden characters in %q: %v, but fold gives %q", s, hidden, fl.buf)
		}
		for i := 0; i <= len(fl.buf); i++ {
			for _, j := range []int{i, i + 1, len(fl.buf)} {
				if j < i || j > len(fl.buf) {
					continue
				}
				a, b := fl.span(i, j)
				if a < 0 || b < a || b > len(s) {
					t.Fatalf("span(%d, %d) = %d, %d outside %q", i, j, a, b, s)
				}
				if i < len(fl.buf) && utf8.RuneStart(fl.buf[i]) && !utf8.RuneStart(s[a]) {
					t.Fatalf("span(%d, %d) starts inside a character of %q", i, j, s)
				}
				if b < len(s) && j > i && !utf8.RuneStart(s[b]) {
					t.Fatalf("span(%d, %d) ends inside a character of %q", i, j, s)
				}
			}
		}
	})
}

// TestNoFoldBlocks: every rune of the blocks foldsTo skips would stay as it
// is, and foldsTo agrees with its plain definition on every rune.
func TestNoFoldBlocks(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xd800 && r < 0xe000 {
			continue // surrogates: not runes of valid UTF-8
		}
		want := foldsToSlow(r)
		if noFoldBlock(r) && want != -1 {
			t.Fatalf("noFoldBlock(%U) but it folds to %d", r, want)
		}
		if got := foldsTo(r, utf8.RuneLen(r)); got != want {
			t.Fatalf("foldsTo(%U) = %d, want %d", r, got, want)
		}
	}
}
