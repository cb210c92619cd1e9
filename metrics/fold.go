package metrics

import (
	"unicode"
	"unicode/utf8"

	"github.com/rolegate/rolegate/internal/textfold"
)

// A phrase can be hidden from the scan without changing how a message
// reads: "You\u200b're abso\u00adlutely right" shows as "You're absolutely
// right" but holds no word the lexicon knows. Before its scan, the analyzer
// reads such a message folded: invisible characters dropped
// ([textfold.Invisible]), fullwidth letters, digits and apostrophes folded
// to ASCII, and other Unicode spaces read as a space. Evidence spans are
// mapped back to the message as it was sent, so they still quote it.
//
// Folding costs nothing for most text: the tokenizer checks the non-ASCII
// runes it meets anyway ([tokenizeText]; most scripts in one comparison,
// [noFoldBlock]), and only a message that holds one of these characters is
// folded and scanned again (a second scan, and one allocation for the
// folded text).

// folded is a folded message and the way back to the original.
type folded struct {
	orig string
	buf  []byte
	// pos[i] is the offset in orig of the character that gave byte i of
	// the folded text.
	pos []int32
}

// foldsTo returns what a rune of n bytes folds to: -1 when it stays as it
// is, 0 when it is dropped, else the ASCII byte it reads as. Only fullwidth
// letters, digits and apostrophes fold to ASCII: fullwidth punctuation is
// ordinary in Chinese and Japanese text and hides no word.
func foldsTo(r rune, n int) int {
	switch {
	case r < 0xa0 && r != 0x85, noFoldBlock(r):
		return -1 // ASCII, and whole blocks that hold no such character
	case r == utf8.RuneError && n == 1:
		return -1 // invalid UTF-8 stays: the scan reads it as a non-word byte
	}
	return foldsToSlow(r)
}

// noFoldBlock reports whether r lies in a block of scripts that holds no
// invisible character, no space and no fullwidth form (Greek to Hebrew,
// Indic to Georgian, kana, CJK, Hangul syllables, private use): the text
// of most non-English replies takes this one check per rune.
// TestNoFoldBlocks checks it against the Unicode tables.
func noFoldBlock(r rune) bool {
	return r >= 0x370 && r < 0x600 || r >= 0x900 && r < 0x1100 || r > 0x3000 && r < 0x3164 || r > 0x3164 && r < 0xfe00
}

// foldsToSlow is foldsTo without the shortcuts.
func foldsToSlow(r rune) int {
	switch {
	case r < utf8.RuneSelf:
		return -1
	case textfold.Invisible(r):
		return 0
	case unicode.IsSpace(r):
		return ' '
	}
	if c, ok := textfold.Fullwidth(r); ok && (foldWord[c] != 0 || c == '\'') {
		return int(c)
	}
	return -1
}

// fold sets f to the folded form of s.
func (f *folded) fold(s string) {
	f.orig = s
	f.buf, f.pos = f.buf[:0], f.pos[:0]
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			f.buf, f.pos = append(f.buf, c), append(f.pos, int32(i))
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch to := foldsTo(r, n); {
		case to == 0:
		case to > 0:
			f.buf, f.pos = append(f.buf, byte(to)), append(f.pos, int32(i))
		default:
			for k := range n {
				f.buf, f.pos = append(f.buf, s[i+k]), append(f.pos, int32(i+k))
			}
		}
		i += n
	}
}

// span maps a span of the folded text back to the original: it starts
// where the character of its first byte starts and ends where the
// character of its last byte ends, so it sits on UTF-8 boundaries of the
// original and leaves out invisible characters around it.
func (f *folded) span(start, end int) (int, int) {
	if start >= len(f.pos) {
		return len(f.orig), len(f.orig)
	}
	s := int(f.pos[start])
	if end <= start {
		return s, s
	}
	e := int(f.pos[min(end, len(f.pos))-1]) + 1
	for e < len(f.orig) && !utf8.RuneStart(f.orig[e]) {
		e++
	}
	return s, e
}
