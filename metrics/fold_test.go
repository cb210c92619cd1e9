package metrics

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rolegate/rolegate/internal/textfold"
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

		// Homoglyphs fold inside a word with a Latin letter, and only there.
		{"Cyrillic in an English word", "Yоu're аbsolutely right", "You're absolutely right", true},
		{"Cyrillic on both sides of an apostrophe", "Yоu'ре", "You'pe", true},
		{"typographic apostrophe inside the word", "Yоu’rе", "You’re", true},
		{"Greek capitals", "ΑSSΙSΤΑΝΤ: ok", "ASSISTANT: ok", true},
		{"Cyrillic capitals", "ВRILLIANT", "BRILLIANT", true},
		{"Latin letter last", "ореn", "open", true},
		{"hyphen joins a word", "о-x", "o-x", true},
		{"hyphen joins a Russian compound", "Wi-Fi-сеть", "Wi-Fi-ceть", true},
		{"invisible character inside the word", "Yо\u200bu", "You", true},
		{"soft hyphen before the homoglyph", "x\u00adо", "xo", true},
		{"fullwidth letters are Latin", "\uff39о\uff55", "You", true},
		{"pure Russian", "Это вполне понятно, и я понимаю, почему.", "Это вполне понятно, и я понимаю, почему.", false},
		{"pure Russian word of homoglyphs", "сор", "сор", false},
		{"single homoglyph", "о", "о", false},
		{"Greek word", "Αθήνα", "Αθήνα", false},
		{"Ukrainian apostrophe", "м'ясо і сім'я", "м'ясо і сім'я", false},
		{"Russian next to English words", "Hello, мир. Привет, world", "Hello, мир. Привет, world", false},
		{"digits are not Latin", "2х3 и 4-х", "2х3 и 4-х", false},
		{"space separates", "x о y", "x о y", false},
		{"two hyphens separate", "x--о", "x--о", false},
		{"accented letter separates", "éо", "éо", false},
		{"non-homoglyph Cyrillic separates", "xпо", "xпо", false},
		{"invalid UTF-8 separates", "x\xffо", "x\xffо", false},
		{"invalid UTF-8 stays in a folded text", "\xffYо\xff", "\xffYo\xff", true},
		{"small-capital shapes stay", "xвкмнт", "xвкмнт", false},
		{"Greek alpha and iota stay", "xαι", "xαι", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, got := tokenizeText(tt.in, nil, nil); got != tt.needs {
				t.Errorf("tokenizer reports hidden characters: %v, want %v", got, tt.needs)
			}
			var f folded
			f.fold(tt.in)
			if f.text != tt.want {
				t.Errorf("fold = %q, want %q", f.text, tt.want)
			}
		})
	}
}

func TestFoldedSpan(t *testing.T) {
	var f folded
	in := "\u2066You\u200b're abso\u00adlutely \uff52\uff49\uff47\uff48\uff54\u2069!"
	f.fold(in)
	if got := f.text; got != "You're absolutely right!" {
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

func TestFoldedSpanHomoglyphs(t *testing.T) {
	var f folded
	in := "Yоu'rе аbsolutely right, сор"
	f.fold(in)
	if got := f.text; got != "You're absolutely right, сор" {
		t.Fatalf("fold = %q", got)
	}
	for _, tc := range []struct {
		start, end int
		want       string
	}{
		{0, 6, "Yоu'rе"},
		{1, 2, "о"},
		{5, 6, "е"},
		{7, 17, "аbsolutely"},
		{0, 23, "Yоu'rе аbsolutely right"},
		{25, 31, "сор"},
	} {
		s, e := f.span(tc.start, tc.end)
		if got := in[s:e]; got != tc.want {
			t.Errorf("span(%d, %d) = %q, want %q", tc.start, tc.end, got, tc.want)
		}
	}
}

// refFoldPos is fold by its definition, for FuzzFold: drop the invisible
// characters, fold fullwidth letters, digits and apostrophes and read
// other spaces as one, split what is left into the tokenizer's words with
// homoglyphs read as letters, and fold the homoglyphs of the words that
// hold an ASCII or fullwidth Latin letter.
//
// It also returns, for each byte of the folded text, the offset in s of
// the character that gave it: the byte's own offset when the character is
// kept, the character's when it folds to one byte (the table fold kept
// before its segments).
func refFoldPos(s string) (string, []int) {
	type char struct {
		at         int
		text       string
		to         string // what it folds to outside a mixed word
		homoglyph  byte
		word, join bool
		latin      bool
	}
	var cs []char
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		c := char{at: i, text: s[i : i+n], to: s[i : i+n]}
		i += n
		if n == 1 && r == utf8.RuneError {
			cs = append(cs, c) // a byte of invalid UTF-8: in no word
			continue
		}
		if textfold.Invisible(r) {
			continue
		}
		if r >= utf8.RuneSelf && unicode.IsSpace(r) {
			c.to = " "
		}
		a := r
		if b, ok := textfold.Fullwidth(r); ok && (unicode.IsLetter(rune(b)) || unicode.IsDigit(rune(b)) || b == '\'') {
			a, c.to = rune(b), string(b)
		}
		switch {
		case a < utf8.RuneSelf && unicode.IsLetter(a):
			c.word, c.latin = true, true
		case a < utf8.RuneSelf && unicode.IsDigit(a):
			c.word = true
		case strings.ContainsRune("'-/\u2019\u2018", a):
			c.join = true
		}
		if b, ok := textfold.Homoglyph(r); ok {
			c.word, c.homoglyph = true, b
		}
		cs = append(cs, c)
	}
	var out strings.Builder
	var pos []int
	write := func(c char, to string) {
		out.WriteString(to)
		for k := range len(to) {
			if to == c.text {
				pos = append(pos, c.at+k)
			} else {
				pos = append(pos, c.at)
			}
		}
	}
	for k := 0; k < len(cs); {
		if !cs[k].word {
			write(cs[k], cs[k].to)
			k++
			continue
		}
		start, latin := k, false
		for k < len(cs) && (cs[k].word || cs[k].join && k+1 < len(cs) && cs[k+1].word && cs[k-1].word) {
			latin = latin || cs[k].latin
			k++
		}
		for _, c := range cs[start:k] {
			if latin && c.homoglyph != 0 {
				write(c, string(c.homoglyph))
			} else {
				write(c, c.to)
			}
		}
	}
	return out.String(), pos
}

// FuzzFold: folding gives what its definition says (refFoldPos), never grows
// the text, changes it exactly when the tokenizer reports a hidden
// character, maps each byte back (folded.pos, by segments) where the
// definition's position per byte puts it, and every span of the folded
// text to the span that table gives, on UTF-8 boundaries of the original.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "You're right", "a\u200bb", "\uff41\u00ad", "\xff\xfe\u2060", "ｙｏｕ’ｒｅ",
		"Yоu'rе аpologize", "сор о", "Αθήνα ΑSSΙSΤΑΝΤ", "x-о-'о", "о’x", "2х3", "\u00adо\u200bx", "м'ясо"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var fl folded
		fl.fold(s)
		if len(fl.text) > len(s) {
			t.Fatalf("fold(%q) = %q, longer", s, fl.text)
		}
		// Each byte of the folded text comes from a later byte of s than
		// the one before it: the same byte, or the first byte of a
		// character folded to that ASCII byte.
		for k, prev := 0, -1; k < len(fl.text); k++ {
			p := fl.pos(k)
			if p <= prev || p >= len(s) || s[p] != fl.text[k] && (fl.text[k] >= utf8.RuneSelf || s[p] < 0xc0) {
				t.Fatalf("fold(%q) = %q: byte %d comes from %d (after %d)", s, fl.text, k, p, prev)
			}
			prev = p
		}
		want, wantPos := refFoldPos(s)
		if fl.text != want {
			t.Fatalf("fold(%q) = %q, want %q", s, fl.text, want)
		}
		for k, p := range wantPos {
			if got := fl.pos(k); got != p {
				t.Fatalf("fold(%q) = %q: byte %d comes from %d, want %d (segments %v)", s, fl.text, k, got, p, fl.segs)
			}
		}
		if _, hidden := tokenizeText(s, nil, nil); hidden != (fl.text != s) {
			t.Fatalf("tokenizer reports hidden characters in %q: %v, but fold gives %q", s, hidden, fl.text)
		}
		for i := 0; i <= len(fl.text); i++ {
			for _, j := range []int{i, i + 1, len(fl.text)} {
				if j < i || j > len(fl.text) {
					continue
				}
				a, b := fl.span(i, j)
				if wa, wb := tableSpan(s, wantPos, i, j); a != wa || b != wb {
					t.Fatalf("fold(%q) = %q: span(%d, %d) = %d, %d, want %d, %d", s, fl.text, i, j, a, b, wa, wb)
				}
				if a < 0 || b < a || b > len(s) {
					t.Fatalf("span(%d, %d) = %d, %d outside %q", i, j, a, b, s)
				}
				if i < len(fl.text) && utf8.RuneStart(fl.text[i]) && !utf8.RuneStart(s[a]) {
					t.Fatalf("span(%d, %d) starts inside a character of %q", i, j, s)
				}
				if b < len(s) && j > i && !utf8.RuneStart(s[b]) {
					t.Fatalf("span(%d, %d) ends inside a character of %q", i, j, s)
				}
			}
		}
	})
}

// tableSpan is folded.span read from a position per byte of the folded
// text.
func tableSpan(orig string, pos []int, start, end int) (int, int) {
	if start >= len(pos) {
		return len(orig), len(orig)
	}
	s := pos[start]
	if end <= start {
		return s, s
	}
	e := pos[min(end, len(pos))-1] + 1
	for e < len(orig) && !utf8.RuneStart(orig[e]) {
		e++
	}
	return s, e
}

// TestFoldReuse: a folded value folds one text after another (the
// analyzer's, from call to call, with release between) and maps each back
// by its own segments, however many the text before it needed.
func TestFoldReuse(t *testing.T) {
	var f folded
	for _, s := range []string{
		"a\u200bb\u200bc\u200bd\u200be\u200bf", "", "plain ASCII text", "\u200b", "x\u00ad", "\u00adx",
		"ｙｏｕ’ｒｅ right", "Yоu'rе аbsolutely right\u2069", "\u2066\u2066\u2066", "a\u200bb\u200bc\u200bd\u200be\u200bf",
	} {
		f.fold(s)
		want, pos := refFoldPos(s)
		if f.text != want || f.orig != s {
			t.Fatalf("fold(%q) = %q of %q, want %q", s, f.text, f.orig, want)
		}
		for k, p := range pos {
			if got := f.pos(k); got != p {
				t.Fatalf("fold(%q): byte %d comes from %d, want %d (segments %v)", s, k, got, p, f.segs)
			}
		}
		for i := 0; i <= len(want); i++ {
			for j := i; j <= len(want)+1; j++ {
				a, b := f.span(i, j)
				if wa, wb := tableSpan(s, pos, i, j); a != wa || b != wb {
					t.Fatalf("fold(%q): span(%d, %d) = %d, %d, want %d, %d", s, i, j, a, b, wa, wb)
				}
			}
		}
		f.release()
		if f.orig != "" || f.text != "" {
			t.Fatalf("release kept %q, %q", f.orig, f.text)
		}
		if a, b := f.span(0, 1); a != 0 || b != 0 {
			t.Fatalf("span of a released fold = %d, %d, want 0, 0", a, b)
		}
	}
}

// TestNoFoldBlocks: every rune of the blocks foldsTo skips would stay as it
// is, every rune of the Greek and Cyrillic blocks but a homoglyph too, and
// foldsTo agrees with its plain definition, and so with the homoglyph
// table, on every rune. The tokenizer's shortcuts by leading byte hold:
// 0xCE..0xD4 lead only Greek and Cyrillic runes, none of which is in a
// word of the folded text, or dropped by the fold, unless it is a
// homoglyph (what nearWord assumes of a homoglyph's neighbors); 0xE4..0xEC
// lead only runes of noFoldBlock.
func TestNoFoldBlocks(t *testing.T) {
	var buf [utf8.UTFMax]byte
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xd800 && r < 0xe000 {
			continue // surrogates: not runes of valid UTF-8
		}
		want := foldsToSlow(r)
		c, isHomoglyph := textfold.Homoglyph(r)
		if noFoldBlock(r) && want != -1 {
			t.Fatalf("noFoldBlock(%U) but it folds to %d", r, want)
		}
		if r >= greekCyrillicLo && r < greekCyrillicHi && want != -1 && !isHomoglyph {
			t.Fatalf("%U, Greek or Cyrillic, folds to %d", r, want)
		}
		if isHomoglyph != (want >= homoglyph) || isHomoglyph && want != homoglyph|int(c) {
			t.Fatalf("foldsToSlow(%U) = %#x; the homoglyph table says %q, %v", r, want, c, isHomoglyph)
		}
		if got := foldsTo(r, utf8.RuneLen(r)); got != want {
			t.Fatalf("foldsTo(%U) = %d, want %d", r, got, want)
		}
		n := utf8.EncodeRune(buf[:], r)
		switch lead := buf[0]; {
		case lead >= greekCyrillicLead0 && lead <= greekCyrillicLead1:
			if n != 2 || r < greekCyrillicLo || r >= greekCyrillicHi {
				t.Fatalf("%U, led by %#x, is not a two-byte Greek or Cyrillic rune", r, lead)
			}
			if class := wordClass(r, n); !isHomoglyph && class != wBreak {
				t.Fatalf("wordClass(%U) = %d: nearWord would miss it", r, class)
			}
		case lead >= noFoldLead0 && lead <= noFoldLead1:
			if n != 3 || !noFoldBlock(r) {
				t.Fatalf("%U, led by %#x, is not a three-byte rune of noFoldBlock", r, lead)
			}
		}
	}
	// The tokenizer checks only that continuation bytes follow: every
	// such sequence must be valid UTF-8 (no surrogate, no overlong form).
	for c1 := byte(0x80); c1 < 0xc0; c1++ {
		for b := byte(greekCyrillicLead0); b <= greekCyrillicLead1; b++ {
			if !utf8.Valid([]byte{b, c1}) {
				t.Fatalf("% x is not valid UTF-8", []byte{b, c1})
			}
		}
		for c2 := byte(0x80); c2 < 0xc0; c2++ {
			for b := byte(noFoldLead0); b <= noFoldLead1; b++ {
				if !utf8.Valid([]byte{b, c1, c2}) {
					t.Fatalf("% x is not valid UTF-8", []byte{b, c1, c2})
				}
			}
		}
	}
}

// TestMixedWordLinear: a word of homoglyphs and digits a megabyte long,
// every homoglyph next to a digit, is read once, not once per homoglyph,
// by the tokenizer and by the fold.
func TestMixedWordLinear(t *testing.T) {
	for _, unit := range []string{"о1", "о1\u200b", "оa"} {
		s := strings.Repeat(unit, 1<<20/len(unit))
		start := time.Now()
		_, hidden := tokenizeText(s, nil, nil)
		var f folded
		f.fold(s)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%q x %d: %v", unit, len(s)/len(unit), d)
		}
		if hidden != (f.text != s) {
			t.Errorf("%q: tokenizer reports %v", unit, hidden)
		}
	}
}

// FuzzTokenize: tokenizeText, with its shortcuts by leading byte, gives
// the tokens of nextToken, the plain tokenizer.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"You're right", "Это понятно, Yоu", "这是完全可以理解的", "\xce\xce\x80\xe4\xb8", "\xed\xa0\x80\xe4\xb8\xad\xd0", "Ωmega 한국어 x’о"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		raw, _ := tokenizeText(s, nil, nil)
		i := 0
		for k := 0; ; k++ {
			tok, ok := nextToken(s, i)
			if !ok {
				if k != len(raw) {
					t.Fatalf("%q: %d tokens, nextToken %d", s, len(raw), k)
				}
				return
			}
			if k >= len(raw) {
				t.Fatalf("%q: %d tokens, nextToken has more: %+v", s, len(raw), tok)
			}
			if raw[k] != (rawTok{hash: tok.hash, start: tok.start, end: tok.end}) {
				t.Fatalf("%q: token %d is %+v, nextToken %+v", s, k, raw[k], tok)
			}
			i = int(tok.end)
		}
	})
}

// FuzzWordEnd: wordEnd ends a word where wordToken does, and addressed
// finds the first token nextToken reads as a word of addressWords.
func FuzzWordEnd(f *testing.F) {
	for _, s := range []string{"You're right", "d\u2019you know", "re-you", "ur wrong", "Yоu", "your\xff you"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i := 0; i < len(s); i++ {
			if foldWord[s[i]] == 0 {
				continue
			}
			if _, want := wordToken(s, i); wordEnd(s, i) != want {
				t.Fatalf("%q: wordEnd(%d) = %d, wordToken ends at %d", s, i, wordEnd(s, i), want)
			}
		}
		want := [3]int{}
		for i := 0; ; {
			tok, ok := nextToken(s, i)
			if !ok {
				break
			}
			if tok.word && addressWords[wordHash(tok)] && endsOnRune(s, int(tok.end)) {
				want = [3]int{int(tok.start), int(tok.end), 1}
				break
			}
			i = int(tok.end)
		}
		start, end, ok := addressed(s)
		got := [3]int{start, end, 0}
		if ok {
			got[2] = 1
		}
		if got != want {
			t.Fatalf("%q: addressed = %v, nextToken's first address word %v", s, got, want)
		}
	})
}

// FuzzByteSet: the byte sets' searches find what strings.IndexAny and
// strings.LastIndexAny find for the same bytes, in any text, valid UTF-8
// or not.
func FuzzByteSet(f *testing.F) {
	for _, s := range []string{"", "No.", "one line\nanother", "e.g. this; that, and\nmore?", "\xff.\xe2\x80\x99!", "日本語。. x", "?!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tc := range []struct {
			set   *byteSet
			chars string
		}{{&sentenceMark, ".!?\n"}, {&goalMark, ".\n"}, {&clauseMark, ".?!\n,;"}} {
			if got, want := tc.set.index(s), strings.IndexAny(s, tc.chars); got != want {
				t.Errorf("index(%q) of %q = %d, strings.IndexAny %d", s, tc.chars, got, want)
			}
			if got, want := tc.set.lastIndex(s), strings.LastIndexAny(s, tc.chars); got != want {
				t.Errorf("lastIndex(%q) of %q = %d, strings.LastIndexAny %d", s, tc.chars, got, want)
			}
		}
	})
}
