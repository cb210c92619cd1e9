package textfold

import (
	"testing"
	"unicode"
)

func TestInvisible(t *testing.T) {
	for _, r := range []rune{0x00ad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x2066, 0x2069, 0x202e, 0xfe0f, 0xe0041, 0x034f, 0x3164} {
		if !Invisible(r) {
			t.Errorf("Invisible(%U) = false", r)
		}
	}
	for _, r := range []rune{'a', ' ', '\n', 0x00a0, 0x00e9, 0x2019, 0x2014, 0x4e00, 0xff21} {
		if Invisible(r) {
			t.Errorf("Invisible(%U) = true", r)
		}
	}
}

func TestFullwidth(t *testing.T) {
	for r, want := range map[rune]byte{0xff21: 'A', 0xff41: 'a', 0xff10: '0', 0xff01: '!', 0xff5e: '~'} {
		if got, ok := Fullwidth(r); !ok || got != want {
			t.Errorf("Fullwidth(%U) = %q, %v; want %q", r, got, ok, want)
		}
	}
	for _, r := range []rune{'A', 0xff00, 0xff5f, 0x3000} {
		if _, ok := Fullwidth(r); ok {
			t.Errorf("Fullwidth(%U) reported a fullwidth form", r)
		}
	}
}

func TestHomoglyph(t *testing.T) {
	for r, want := range map[rune]byte{'а': 'a', 'о': 'o', 'Ѕ': 'S', 'і': 'i', 'ԝ': 'w', 'Α': 'A', 'Ο': 'O', 'ο': 'o', 'ρ': 'p'} {
		if got, ok := Homoglyph(r); !ok || got != want {
			t.Errorf("Homoglyph(%q) = %q, %v; want %q", r, got, ok, want)
		}
	}
	for _, r := range []rune{'a', 'в', 'т', 'п', 'α', 'ι', 'θ', 'Ӏ', 0xff41, 0x36f, 0x530} {
		if c, ok := Homoglyph(r); ok {
			t.Errorf("Homoglyph(%q) = %q, want none", r, c)
		}
	}
}

// TestHomoglyphTable checks the table and its index against each other on
// every rune: every pair is a Cyrillic or Greek letter over an ASCII letter
// of the same case, listed once, and Homoglyph reports exactly those.
func TestHomoglyphTable(t *testing.T) {
	want := map[rune]byte{}
	for _, g := range homoglyphs {
		from := []rune(g.from)
		if len(from) != len(g.to) {
			t.Fatalf("group %q over %q: %d letters over %d", g.from, g.to, len(from), len(g.to))
		}
		for i, r := range from {
			c := g.to[i]
			if !unicode.In(r, unicode.Cyrillic, unicode.Greek) || !unicode.IsLetter(r) {
				t.Errorf("%q (%U) is not a Cyrillic or Greek letter", r, r)
			}
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') || unicode.IsUpper(r) != (c <= 'Z') {
				t.Errorf("%q folds to %q: not an ASCII letter of the same case", r, c)
			}
			if _, dup := want[r]; dup {
				t.Errorf("%q listed twice", r)
			}
			want[r] = c
		}
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		got, ok := Homoglyph(r)
		if c, in := want[r]; ok != in || got != c {
			t.Fatalf("Homoglyph(%U) = %q, %v; the table says %q, %v", r, got, ok, c, in)
		}
	}
}

func TestInvalidUTF8At(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"", -1},
		{"plain", -1},
		{"caf\u00e9 \u4e16\U0001F600", -1},
		{"\ufffd written out is valid", -1},
		{"\xff", 0},
		{"ab\xffc", 2},
		{"caf\xc3", 3},            // a sequence cut short
		{"\u00e9\xed\xa0\x80", 2}, // an encoded surrogate
		{"ok\xc0\xaf", 2},         // an overlong encoding
	} {
		if got := InvalidUTF8At(tt.in); got != tt.want {
			t.Errorf("InvalidUTF8At(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
