package persona

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Neutralize returns s made inert for a prompt: safe to place inside a block
// rendered by this package, or anywhere else untrusted text must stay data.
// It is the function [Profile.Render] applies to every field, exported for
// other untrusted text such as a model answer quoted to a judge.
//
// In order, it
//   - replaces invalid UTF-8 with U+FFFD;
//   - drops invisible characters: format characters (zero-width spaces and
//     joiners, bidirectional controls and isolates, the byte-order mark,
//     soft hyphens, tag characters), variation selectors and Hangul fillers;
//   - turns control characters, line and paragraph separators and every
//     other kind of space into one ASCII space, collapses runs of spaces and
//     trims the ends, so the text is a single line that cannot start one of
//     the block's lines;
//   - folds fullwidth ASCII (U+FF01..U+FF5E) and common look-alikes of the
//     characters that delimit blocks and mark roles (< > | # : [ ] /)
//     to ASCII, so that the next steps see them;
//   - escapes &, < and > as the HTML entities &amp;, &lt; and &gt;, so
//     no tag, block delimiter or special token such as <|im_start|> survives;
//   - rewrites role markers as parenthesized words: "system:" becomes
//     "(system)", likewise "assistant:", "user:", "human:", "developer:",
//     "tool:"; "### Instruction" becomes "(Instruction)"; "[INST]" and
//     "[/INST]" become "(INST)"; "|im_start|" and the other pipe-delimited
//     special tokens become "(im_start)".
//
// Letter homoglyphs (a Cyrillic "ѕуѕtеm:") are not folded; they cannot close
// a block, because block delimiters depend only on the escaped punctuation.
func Neutralize(s string) string {
	return neutralizeMarkers(escapeAngles(fold(s)))
}

// fold performs the character-level steps of [Neutralize].
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf { // ASCII fast path
			i++
			if c <= ' ' || c == 0x7f {
				space = b.Len() > 0
				continue
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteByte(c)
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == utf8.RuneError && n == 1 {
			r = unicode.ReplacementChar
		}
		switch {
		case invisible(r):
			continue
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || unicode.IsSpace(r) ||
			unicode.In(r, unicode.Zl, unicode.Zp, unicode.Zs):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// invisible reports whether r renders as nothing and so could hide or split a
// marker.
func invisible(r rune) bool {
	switch {
	case unicode.Is(unicode.Cf, r): // zero-width, bidi, BOM, soft hyphen, tags
		return true
	case r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef: // variation selectors
		return true
	case r == 0x034f, r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0, r == 0x17b4, r == 0x17b5:
		return true
	}
	return false
}

// lookalikes maps characters that read like the punctuation of delimiters
// and role markers to that punctuation.
var lookalikes = map[rune]rune{
	// <
	'\u2039': '<', '\u2329': '<', '\u27e8': '<', '\u3008': '<', '\u02c2': '<',
	'\u1438': '<', '\ufe64': '<', '\u276e': '<', '\u276c': '<', '\u00ab': '<',
	'\u227a': '<', '\u2264': '<', '\u29fc': '<',
	// >
	'\u203a': '>', '\u232a': '>', '\u27e9': '>', '\u3009': '>', '\u02c3': '>',
	'\u1433': '>', '\ufe65': '>', '\u276f': '>', '\u276d': '>', '\u00bb': '>',
	'\u227b': '>', '\u2265': '>', '\u29fd': '>',
	// |
	'\u01c0': '|', '\u2502': '|', '\u2223': '|', '\uffe8': '|', '\u05c0': '|',
	'\u23d0': '|', '\u2758': '|', '\u2503': '|', '\u2016': '|',
	// #
	'\ufe5f': '#', '\u266f': '#', '\u2317': '#',
	// :
	'\ua789': ':', '\u2236': ':', '\u02f8': ':', '\u05c3': ':', '\ufe55': ':',
	'\ufe13': ':', '\u0703': ':', '\u0589': ':', '\u1361': ':', '\u205a': ':',
	// [ ]
	'\u27e6': '[', '\u27e7': ']', '\ufe5d': '[', '\ufe5e': ']', '\u2045': '[', '\u2046': ']',
	// letters that Unicode case folding maps to ASCII (long s, Kelvin sign)
	'\u017f': 's', '\u212a': 'K',
	// /
	'\u2044': '/', '\u2215': '/', '\u29f8': '/', '\u2571': '/', '\u27cb': '/',
}

func foldRune(r rune) rune {
	if r >= 0xff01 && r <= 0xff5e { // fullwidth ASCII
		return r - 0xfee0
	}
	if a, ok := lookalikes[r]; ok {
		return a
	}
	return r
}

func escapeAngles(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return angleEscaper.Replace(s)
}

var angleEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Role markers, lower case. A marker's word is matched case-insensitively
// on ASCII letters (after fold, which maps the letter look-alikes that Go's
// case folding knows, such as the long s, to ASCII).
var (
	speakerWords = []string{"system", "assistant", "user", "human", "developer", "tool"}
	headerWords  = []string{"instruction", "instructions", "system", "response", "input", "assistant", "user", "human", "context", "prompt"}
	bracketWords = []string{"inst", "sys", "system", "user", "assistant", "human"}
	pipeWords    = []string{"im_start", "im_end", "im_sep", "endoftext", "eot_id", "eom_id", "start_header_id",
		"end_header_id", "begin_of_text", "end_of_text", "system", "user", "assistant", "tool", "pad"}
)

// oneOf reports whether w is one of words, ignoring ASCII case, without
// allocating.
func oneOf(words []string, w string) bool {
	for _, x := range words {
		if len(x) == len(w) && strings.EqualFold(x, w) {
			return true
		}
	}
	return false
}

// neutralizeMarkers rewrites role markers as "(word)":
//   - "word:" and "word :" for a speaker word at a word start;
//   - "#word", "### word" for a header word followed by a word end;
//   - "[word]", "[/word]", "[ word ]" for a bracket word;
//   - "|word|", "|/word|" for a special-token word, or "fim_" and letters.
//
// It is a hand-written scanner rather than regular expressions because it
// runs on every rendered field on the guard's hot path. Each replacement
// removes the punctuation it matched, and the input has no other spaces
// than single ASCII ones (see fold).
func neutralizeMarkers(s string) string {
	if !strings.ContainsAny(s, ":#[|") {
		return s
	}
	var b strings.Builder
	last := 0 // s[last:] is not yet written
	replace := func(start, end int, word string) {
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:start])
		b.WriteByte('(')
		b.WriteString(word)
		b.WriteByte(')')
		last = end
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ':':
			j := i
			if j > last && s[j-1] == ' ' {
				j--
			}
			k := j
			for k > last && isLetter(s[k-1]) {
				k--
			}
			if k < j && (k == 0 || !isWordByte(s[k-1])) && oneOf(speakerWords, s[k:j]) {
				replace(k, i+1, s[k:j])
			}
		case '#':
			j := i
			for j < len(s) && s[j] == '#' {
				j++
			}
			k := skipSpace(s, j)
			e := scan(s, k, isLetter)
			if e > k && (e == len(s) || !isWordByte(s[e])) && oneOf(headerWords, s[k:e]) {
				replace(i, e, s[k:e])
				i = e - 1
			} else {
				i = j - 1
			}
		case '[', '|':
			closer := byte(']')
			words, letter := bracketWords, isLetter
			if s[i] == '|' {
				closer, words, letter = '|', pipeWords, isTokenByte
			}
			k := skipSpace(s, i+1)
			if k < len(s) && s[k] == '/' {
				k = skipSpace(s, k+1)
			}
			e := scan(s, k, letter)
			c := skipSpace(s, e)
			if e > k && c < len(s) && s[c] == closer {
				if w := s[k:e]; oneOf(words, w) || (s[i] == '|' && isFIM(w)) {
					replace(i, c+1, s[k:e])
					i = c
				}
			}
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isLetter(c byte) bool    { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isWordByte(c byte) bool  { return isLetter(c) || '0' <= c && c <= '9' || c == '_' }
func isTokenByte(c byte) bool { return isLetter(c) || c == '_' }

// isFIM reports whether w is a fill-in-the-middle token name: fim_ and letters.
func isFIM(w string) bool {
	if len(w) <= 4 || !strings.EqualFold(w[:4], "fim_") {
		return false
	}
	for i := 4; i < len(w); i++ {
		if !isLetter(w[i]) {
			return false
		}
	}
	return true
}

func skipSpace(s string, i int) int {
	if i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

func scan(s string, i int, ok func(byte) bool) int {
	for i < len(s) && ok(s[i]) {
		i++
	}
	return i
}
