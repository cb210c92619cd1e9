// Package textfold names the characters that let hostile text hide a word
// from a reader that matches ASCII: characters that render as nothing
// (zero-width spaces and joiners, soft hyphens, bidirectional controls,
// variation selectors), the fullwidth forms of ASCII, and the Cyrillic and
// Greek letters drawn like a Latin one. persona drops and folds the first
// two before a profile reaches a model; metrics folds all three before its
// phrase scan (homoglyphs only inside a word that also holds a Latin
// letter), so "You\u200b're abso\u00adlutely right" and "Yоu're аbsolutely
// right" (Cyrillic о and а) read as the capitulation they are. It also
// finds the first byte of text that is not UTF-8 at all, for the errors
// that reject it.
package textfold

import (
	"unicode"
	"unicode/utf8"
)

// InvalidUTF8At returns the offset of the first byte of s that does not
// start a valid UTF-8 sequence, or -1 when s is valid UTF-8. (Callers with
// bytes convert them: they look only after utf8.Valid said no.)
func InvalidUTF8At(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

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

// homoglyphs lists, group by group, the Cyrillic and Greek letters that
// common fonts draw like an ASCII letter, each over the letter it reads as
// (the two strings pair up rune by rune). Unicode's confusables.txt maps
// these and more to ASCII; kept here are only the near-identical ones, so
// that folding one never turns a word into something a reader would not
// have read:
var homoglyphs = [...]struct{ from, to string }{
	// Russian letters with the shape of a Latin letter of the same case.
	{"аеорсух", "aeopcyx"},
	{"АВЕКМНОРСТХ", "ABEKMHOPCTX"},
	// Ukrainian and Belarusian і, Serbian and Macedonian ј and ѕ.
	{"іјѕ", "ijs"},
	{"ІЈЅ", "IJS"},
	// Letters of other Cyrillic alphabets (Kazakh, Bashkir, Komi, Kurdish).
	{"һԁԛԝү", "hdqwy"},
	{"ԚԜҮ", "QWY"},
	// Greek capitals with the shape of a Latin capital, and the capital
	// lunate sigma and yot.
	{"ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹͿ", "ABEZHIKMNOPTYXCJ"},
	// Greek small letters: omicron, nu, rho, lunate sigma and yot.
	{"ονρϲϳ", "ovpcj"},
}

// Left out, because they differ visibly from the Latin letter in common
// fonts: Cyrillic в к м н т (small capitals, without the ascender of b k m
// h t) and У (curved arms); Greek α (the open "fish" alpha, not a), ι (no
// dot), υ (round, not u), κ τ (small capitals), γ σ. The palochka (Ӏ ӏ) is
// left out too: it reads as I or l, and a fold cannot tell which.

// homoglyphLo and homoglyphHi bound the runes of homoglyphs: all of them
// are two-byte UTF-8 sequences in the Greek and Cyrillic blocks.
const homoglyphLo, homoglyphHi = 0x370, 0x530

// homoglyphTable is homoglyphs indexed by rune - homoglyphLo (0: none).
var homoglyphTable = func() (t [homoglyphHi - homoglyphLo]byte) {
	for _, g := range homoglyphs {
		to := []byte(g.to)
		for i, r := range []rune(g.from) {
			t[r-homoglyphLo] = to[i]
		}
	}
	return t
}()

// Homoglyph returns the ASCII letter that r, a Cyrillic or Greek letter,
// is drawn like ("о" for "o", "Α" for "A"), and whether it is one of those
// (the homoglyphs table: near-identical shapes only). A caller that folds
// them should do so only in a word that also holds a Latin letter: whole
// Russian or Greek words are made of these letters too.
func Homoglyph(r rune) (byte, bool) {
	if r -= homoglyphLo; uint32(r) < uint32(len(homoglyphTable)) {
		if c := homoglyphTable[r]; c != 0 {
			return c, true
		}
	}
	return 0, false
}
