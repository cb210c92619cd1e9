package metrics

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rolegate/rolegate/internal/textfold"
)

// A phrase can be hidden from the scan without changing how a message
// reads: "You\u200b're abso\u00adlutely right" shows as "You're absolutely
// right" but holds no word the lexicon knows, and so does "Yоu're
// аbsolutely right" with a Cyrillic о and а. Before its scan, the analyzer
// reads such a message folded: invisible characters dropped
// ([textfold.Invisible]), fullwidth letters, digits and apostrophes folded
// to ASCII, other Unicode spaces read as a space, and Cyrillic and Greek
// letters drawn like a Latin one ([textfold.Homoglyph]: а е о р с у х і ...,
// Α Β Ε Η Ο ..., ο ν ρ) folded to that letter inside a mixed-script word.
// Evidence spans are mapped back to the message as it was sent, so they
// still quote it.
//
// A mixed-script word is a word of the folded text, by the tokenizer's
// rules (letters and digits, with inner apostrophes, hyphens and slashes;
// homoglyphs count as letters, invisible characters are not there), that
// holds a Latin letter: an ASCII letter or its fullwidth form. "Yоu're" is
// one ("Y", "u", "r" are Latin), so its о folds; "сор", "о" and "Αθήνα"
// are not, so Russian and Greek text reads as it did. A word of digits and
// homoglyphs ("2х3") is not either.
//
// Folding costs nothing for most text: the tokenizer checks the non-ASCII
// runes it meets anyway (tokenizeText). Most scripts take one comparison
// (noFoldBlock), and CJK ideographs and Greek and Cyrillic letters are
// told by their leading byte without being decoded. A Greek or Cyrillic
// letter costs a look at the bytes on either side of it (nearBits):
// only a homoglyph next to a character of a possible mixed-script word
// has its word read (mixedWord), once. Only a message that holds a
// character that folds is folded and scanned again (a second scan, and
// one allocation for the folded text); fold reads the word of a homoglyph
// only when it is not a word of its own (folded.alone).

// folded is a folded message and the way back to the original.
type folded struct {
	orig string
	text string // orig folded
	// segs maps text back to orig: from each segment's at to the next
	// one's, byte at+k of text comes from the character at orig+k of
	// orig. A segment starts wherever that run breaks (a character
	// dropped or folded to one byte), so most text needs a few, where a
	// position per byte took four times the text.
	segs []foldSeg
}

// foldSeg is a segment of a folded text (folded.segs).
type foldSeg struct{ at, orig int32 }

// pos returns the offset in f.orig of the character that gave byte k
// (< len(f.text)) of the folded text.
func (f *folded) pos(k int) int {
	// The last segment that starts at or before k; the first starts at 0.
	i, j := 0, len(f.segs)
	for j-i > 1 {
		h := int(uint(i+j) >> 1)
		if int(f.segs[h].at) <= k {
			i = h
		} else {
			j = h
		}
	}
	sg := f.segs[i]
	return int(sg.orig) + k - int(sg.at)
}

// mark records that the folded text's next byte, at, comes from orig's
// byte o, and the ones after it from the bytes that follow o, starting a
// segment unless the last one runs on to it.
func (f *folded) mark(at, o int) {
	if n := len(f.segs); n > 0 {
		if last := f.segs[n-1]; int(last.orig)+at-int(last.at) == o {
			return
		}
	}
	f.segs = append(f.segs, foldSeg{at: int32(at), orig: int32(o)})
}

// homoglyph marks a result of foldsTo that holds only inside a
// mixed-script word: homoglyph|c folds to c there, and stays elsewhere.
const homoglyph = 0x100

// foldsTo returns what a rune of n bytes folds to: -1 when it stays as it
// is, 0 when it is dropped, the ASCII byte it reads as, or homoglyph|c for
// a Cyrillic or Greek letter drawn like the ASCII letter c, which folds to
// it only inside a mixed-script word (mixedWord). Only fullwidth
// letters, digits and apostrophes fold to ASCII: fullwidth punctuation is
// ordinary in Chinese and Japanese text and hides no word.
func foldsTo(r rune, n int) int {
	switch {
	case r < 0xa0 && r != 0x85:
		return -1 // ASCII
	case noFoldBlock(r):
		return -1 // whole blocks that hold no such character
	case r >= greekCyrillicLo && r < greekCyrillicHi:
		// Greek and Cyrillic hold no invisible character, space or
		// fullwidth form: homoglyphs, or nothing that folds.
		return int(greekCyrillic[r-greekCyrillicLo])
	case r == utf8.RuneError && n == 1:
		return -1 // invalid UTF-8 stays: the scan reads it as a non-word byte
	}
	return foldsToSlow(r)
}

// greekCyrillicLo and greekCyrillicHi bound the Greek and Cyrillic blocks,
// where the homoglyphs are, and the first code points of Armenian
// (U+0370..U+053F): every rune that a leading byte 0xCE..0xD4 starts is in.
const greekCyrillicLo, greekCyrillicHi = 0x370, 0x540

// The tokenizer tells two kinds of rune by their leading byte, without
// decoding them (TestNoFoldBlocks checks both ranges rune by rune):
const (
	// 0xCE..0xD4 lead the two-byte runes U+0380..U+053F: Greek and
	// Cyrillic, where only homoglyphs fold.
	greekCyrillicLead0, greekCyrillicLead1 = 0xce, 0xd4
	// 0xE4..0xEC lead the three-byte runes U+4000..U+CFFF: CJK
	// ideographs, Yi and Hangul syllables, a noFoldBlock.
	noFoldLead0, noFoldLead1 = 0xe4, 0xec
)

// greekCyrillic is foldsTo on the Greek and Cyrillic blocks.
var greekCyrillic = func() (t [greekCyrillicHi - greekCyrillicLo]int16) {
	for i := range t {
		t[i] = -1
		if c, ok := textfold.Homoglyph(rune(i + greekCyrillicLo)); ok {
			t[i] = homoglyph | int16(c)
		}
	}
	return t
}()

// greekCyrillicAt returns foldsTo of the two-byte rune at s[j] when a
// byte of greekCyrillicLead0..1 leads it (a Greek or Cyrillic letter),
// else -1.
func greekCyrillicAt(s string, j int) int {
	if j+1 < len(s) && s[j] >= greekCyrillicLead0 && s[j] <= greekCyrillicLead1 && s[j+1]&0xc0 == 0x80 {
		return int(greekCyrillic[rune(s[j]&0x1f)<<6|rune(s[j+1]&0x3f)-greekCyrillicLo])
	}
	return -1
}

// noFoldBlock reports whether r lies in a block of scripts that holds no
// invisible character, no space, no fullwidth form and no homoglyph
// (Armenian and Hebrew, Indic to Georgian, kana, CJK, Hangul syllables,
// private use): the text of most non-English replies takes this one check
// per rune. TestNoFoldBlocks checks it against the Unicode tables.
func noFoldBlock(r rune) bool {
	return r >= greekCyrillicHi && r < 0x600 || r >= 0x900 && r < 0x1100 || r > 0x3000 && r < 0x3164 || r > 0x3164 && r < 0xfe00
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
	if c, ok := textfold.Homoglyph(r); ok {
		return homoglyph | int(c)
	}
	return -1
}

// What a character is to a word of the folded text (wordClass).
const (
	wBreak  = iota // not in a word: ends one
	wHidden        // dropped by the fold: neither ends a word nor is in it
	wJoin          // ' - / ’ ‘ (and a fullwidth '): in a word between two of its characters
	wOther         // a digit or a homoglyph: in a word, not a Latin letter
	wLatin         // an ASCII letter or its fullwidth form
)

// wordClass returns what the rune r of n bytes is to a word of the folded
// text: the tokenizer's word rules, with homoglyphs read as letters.
func wordClass(r rune, n int) uint8 {
	c := byte(r)
	if r >= utf8.RuneSelf {
		switch to := foldsTo(r, n); {
		case to == 0:
			return wHidden
		case to >= homoglyph:
			return wOther
		case to > 0:
			c = byte(to)
		case r == '\u2019' || r == '\u2018':
			return wJoin
		default:
			return wBreak
		}
	}
	switch {
	case lower[c] >= 'a' && lower[c] <= 'z':
		return wLatin
	case c >= '0' && c <= '9':
		return wOther
	case byteKind[c] == kJoin:
		return wJoin
	}
	return wBreak
}

// classAfter returns the class of the first character at or after s[j]
// that the fold does not drop, and where it ends (wBreak at the end of s).
func classAfter(s string, j int) (uint8, int) {
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		j += n
		if c := wordClass(r, n); c != wHidden {
			return c, j
		}
	}
	return wBreak, j
}

// classBefore returns the class of the last character before s[j] that
// the fold does not drop, and where it starts (wBreak at the start of s).
func classBefore(s string, j int) (uint8, int) {
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		j -= n
		if c := wordClass(r, n); c != wHidden {
			return c, j
		}
	}
	return wBreak, j
}

// mixedWord reads the word of the folded text that holds the homoglyph
// s[i:i+n] and reports whether it is a mixed-script word (it holds a Latin
// letter), and where it ends in s: every homoglyph before end that follows
// i is in the same word. The word runs both ways over letters, digits and
// homoglyphs, over a joiner (' - / ’ ‘) that has one of those on each
// side, and over the characters the fold drops.
func mixedWord(s string, i, n int) (end int, mixed bool) {
	end = i + n
	for {
		c, e := classAfter(s, end)
		if c == wJoin {
			c, e = classAfter(s, e)
		}
		if c < wOther {
			break
		}
		mixed = mixed || c == wLatin
		end = e
	}
	for j := i; !mixed; {
		c, b := classBefore(s, j)
		if c == wJoin {
			c, b = classBefore(s, b)
		}
		if c < wOther {
			break
		}
		mixed = c == wLatin
		j = b
	}
	return end, mixed
}

// nearWord reports whether a character next to the homoglyph s[i:i+n]
// may be in its word without being a Greek or Cyrillic letter: the filter
// before the tokenizer reads the word (tokenizer.folds). In a
// mixed-script word some homoglyph has such a neighbor; in Russian or
// Greek text a homoglyph's neighbors are letters of its script, spaces and
// punctuation, and one look at a byte on each side rules them out.
//
// After the homoglyph, such a character starts with an ASCII letter, digit
// or joiner or with a byte that leads a character outside U+0380..U+053F,
// where every character but a homoglyph ends a word (TestNoFoldBlocks).
// Before it, the tokenizer has met no character that folds (it stops
// checking at the first), so such a character is an ASCII letter, digit or
// joiner or a typographic apostrophe.
func nearWord(s string, i, n int) bool {
	near := nearBits(s, i, n)
	// Before it, 0x98 and 0x99 end ‘ and ’ (E2 80 98, E2 80 99) but also
	// many other characters.
	return near&nearAfter != 0 || near != 0 && (s[i-1] < utf8.RuneSelf || i >= 3 && s[i-2] == 0x80 && s[i-3] == 0xe2)
}

// nearBits returns the nearAfter bit of the byte after s[i:i+n] and the
// nearBefore bit of the byte before it: 0 rules out that s[i:i+n] is in a
// word with a character that is not Greek or Cyrillic (see nearWord).
func nearBits(s string, i, n int) uint8 {
	var near uint8
	if j := i + n; j < len(s) {
		near = nearByte[s[j]] & nearAfter
	}
	if i > 0 {
		near |= nearByte[s[i-1]] & nearBefore
	}
	return near
}

// Bits of nearByte.
const (
	nearAfter  = 1 << iota // the byte may start, after a homoglyph, a character of its word
	nearBefore             // the byte may end, before it, such a character
)

// nearByte classifies the bytes next to a homoglyph for nearWord.
var nearByte = func() (t [256]uint8) {
	for b := range t {
		if byteKind[b] == kWord || byteKind[b] == kJoin {
			t[b] = nearAfter | nearBefore
		}
		if b >= 0xc0 && (b < greekCyrillicLead0 || b > greekCyrillicLead1) {
			t[b] |= nearAfter // a leading byte outside U+0380..U+053F
		}
	}
	t[0x98] |= nearBefore
	t[0x99] |= nearBefore
	return t
}()

// fold sets f to the folded form of s. The folded text takes one
// allocation, of len(s) bytes (folding never lengthens a text), and is
// the string the scan reads: no buffer of the analyzer holds a second copy.
func (f *folded) fold(s string) {
	f.orig = s
	f.segs = f.segs[:0]
	var b strings.Builder
	b.Grow(len(s))
	// The word of the last homoglyph met: where it ends, and whether it is
	// a mixed-script word (homoglyphs fold only there).
	wordEnd, mixed := 0, false
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			j := i + 1
			for j < len(s) && s[j] < utf8.RuneSelf {
				j++
			}
			f.mark(b.Len(), i)
			b.WriteString(s[i:j])
			i = j
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		to := foldsTo(r, n)
		if to >= homoglyph {
			switch {
			case i < wordEnd:
			case f.alone(b.String(), i, n):
				wordEnd, mixed = i+n, false
			default:
				wordEnd, mixed = mixedWord(s, i, n)
			}
			if mixed {
				to &^= homoglyph
			} else {
				to = -1
			}
		}
		switch {
		case to == 0:
		case to > 0:
			f.mark(b.Len(), i)
			b.WriteByte(byte(to))
		default:
			f.mark(b.Len(), i)
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	f.text = b.String()
}

// release drops the texts f holds, keeping its segments' buffer.
func (f *folded) release() { f.orig, f.text = "", "" }

// alone reports whether the homoglyph f.orig[i:i+n], which fold meets
// past the last word it read, is a word of its own, as most homoglyphs of
// Russian or Greek text are: then fold need not read its word. Before it,
// the folded text so far (done) ends with an ASCII letter, digit or joiner or a
// typographic apostrophe when a character of its word is there (a
// homoglyph there would have put this one in the word read last). After
// it, see nearWord, and a homoglyph continues its word.
func (f *folded) alone(done string, i, n int) bool {
	if k := len(done); k > 0 && nearByte[done[k-1]]&nearBefore != 0 {
		return false
	}
	s, j := f.orig, i+n
	return j == len(s) || nearByte[s[j]]&nearAfter == 0 && greekCyrillicAt(s, j) < homoglyph
}

// span maps a span of the folded text back to the original: it starts
// where the character of its first byte starts and ends where the
// character of its last byte ends, so it sits on UTF-8 boundaries of the
// original and leaves out invisible characters around it.
func (f *folded) span(start, end int) (int, int) {
	if start >= len(f.text) {
		return len(f.orig), len(f.orig)
	}
	s := f.pos(start)
	if end <= start {
		return s, s
	}
	e := f.pos(min(end, len(f.text))-1) + 1
	for e < len(f.orig) && !utf8.RuneStart(f.orig[e]) {
		e++
	}
	return s, e
}
