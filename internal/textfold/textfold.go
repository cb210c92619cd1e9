// Package textfold names the characters that let hostile text hide a word
// from a reader that matches ASCII: characters that render as nothing
// (zero-width spaces and joiners, soft hyphens, bidirectional controls,
// variation selectors) and the fullwidth forms of ASCII. persona drops and
// folds them before a profile reaches a model; metrics folds them before
// its phrase scan, so "You\u200b're abso\u00adlutely right" reads as the
// capitulation it is.
package textfold

import "unicode"

// Invisible reports whether r renders as nothing and so can hide inside a
// word or a marker without showing: format characters (category Cf: zero
// width spaces and joiners, soft hyphen, bidirectional controls, BOM, tag
// characters), variation selectors, the combining grapheme joiner and the
// Hangul and Khmer fillers.
func Invisible(r rune) bool {
	switch {
	case r < 0xad:
		return false
	case unicode.Is(unicode.Cf, r):
		return true
	case r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef: // variation selectors
		return true
	case r == 0x034f, r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0, r == 0x17b4, r == 0x17b5:
		return true
	}
	return false
}

// Fullwidth returns the ASCII character of which r is the fullwidth form
// (U+FF01..U+FF5E, "Ｙｏｕ" for "You"), and whether it is one.
func Fullwidth(r rune) (byte, bool) {
	if r >= 0xff01 && r <= 0xff5e {
		return byte(r - 0xfee0), true
	}
	return 0, false
}
