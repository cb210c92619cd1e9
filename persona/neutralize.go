package persona

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rolegate/rolegate/internal/textfold"
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
//     "(system)", likewise the other roles of the supported providers and
//     frameworks: "assistant:", "user:", "developer:", "tool:" and
//     "function:" (OpenAI), "human:" (Anthropic's legacy prompt format,
//     LangChain), "model:" (Gemini), "ai:" (LangChain); "### Instruction" becomes "(Instruction)"; "[INST]" and
//     "[/INST]" become "(INST)", likewise Mistral's "[SYSTEM_PROMPT]",
//     "[AVAILABLE_TOOLS]", "[TOOL_CALLS]" and "[TOOL_RESULTS]";
//     "|im_start|" and the other pipe-delimited special tokens become
//     "(im_start)".
//
// Letter homoglyphs (a Cyrillic "ѕуѕtеm:") are not folded; they cannot close
// a block, because block delimiters depend only on the escaped punctuation.
func Neutralize(s string) string {
	if plain(s) && !strings.ContainsAny(s, markerBytes) {
		return s // the common case: nothing to change, nothing to allocate
	}
	b := getBuffers()
	defer putBuffers(b)
	b.out = appendNeutralized(b.out[:0], s, b)
	if string(b.out) == s {
		return s
	}
	return string(b.out)
}

// text is what the append functions read: a profile field (string) or the
// scratch output of an earlier step ([]byte), so no step has to turn its
// input into a string first.
type text interface{ ~string | ~[]byte }

// markerBytes are the bytes a role marker needs (see appendMarkers).
const markerBytes = ":#[|"

// appendNeutralized appends [Neutralize](s) to dst, using b.fold as
// scratch space (so s must not be b.fold).
func appendNeutralized[T text](dst []byte, s T, b *buffers) []byte {
	if plain(s) {
		return appendMarkers(dst, s)
	}
	b.fold = appendFold(b.fold[:0], s)
	return appendMarkers(dst, b.fold)
}

// plain reports whether fold would return s unchanged: printable ASCII
// other than & < >, with single spaces between words and none at the ends.
// It is the one scan that lets most text skip the rune-by-rune pass.
func plain[T text](s T) bool {
	if len(s) == 0 {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	space := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			if space {
				return false
			}
			space = true
		case c < ' ' || c >= 0x7f || c == '&' || c == '<' || c == '>':
			return false
		default:
			space = false
		}
	}
	return true
}

// appendFold appends the character-level steps of [Neutralize] applied to
// s, escapes included, to dst.
func appendFold[T text](dst []byte, s T) []byte {
	start := len(dst)
	space := false // a space is pending
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf { // ASCII fast path
			if c <= ' ' || c == 0x7f {
				space = len(dst) > start
				i++
				continue
			}
			if space {
				dst = append(dst, ' ')
				space = false
			}
			// Copy the run of bytes that need nothing in one append.
			j := i
			for j < len(s) && s[j] > ' ' && s[j] < 0x7f && s[j] != '&' && s[j] != '<' && s[j] != '>' {
				j++
			}
			if j > i {
				dst = append(dst, s[i:j]...)
				i = j
				continue
			}
			dst = appendEscaped(dst, c)
			i++
			continue
		}
		r, n := decodeRune(s, i) // an invalid byte decodes as U+FFFD, kept as such
		i += n
		switch {
		case textfold.Invisible(r):
			continue
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || unicode.IsSpace(r) ||
			unicode.In(r, unicode.Zl, unicode.Zp, unicode.Zs):
			space = len(dst) > start
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		if r = foldRune(r); r < utf8.RuneSelf {
			dst = appendEscaped(dst, byte(r))
		} else {
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

// decodeRune decodes the rune at s[i:]. The string conversion of at most
// utf8.UTFMax bytes does not escape, so it does not allocate.
func decodeRune[T text](s T, i int) (rune, int) {
	return utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
}

// appendEscaped appends c, or its entity when c is &, < or >.
func appendEscaped(dst []byte, c byte) []byte {
	switch c {
	case '&':
		return append(dst, "&amp;"...)
	case '<':
		return append(dst, "&lt;"...)
	case '>':
		return append(dst, "&gt;"...)
	}
	return append(dst, c)
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
	if c, ok := textfold.Fullwidth(r); ok {
		return rune(c)
	}
	if a, ok := lookalikes[r]; ok {
		return a
	}
	return r
}

// Role markers, lower case. A marker's word is matched case-insensitively
// on ASCII letters (after fold, which maps the letter look-alikes that Go's
// case folding knows, such as the long s, to ASCII).
var (
	speakerWords = []string{"system", "assistant", "user", "human", "developer", "tool", "function", "model", "ai"}
	headerWords  = []string{"instruction", "instructions", "system", "response", "input", "assistant", "user", "human", "context", "prompt"}
	bracketWords = []string{"inst", "sys", "system", "user", "assistant", "human",
		"system_prompt", "available_tools", "tool_calls", "tool_results"} // Mistral's control tokens
	pipeWords = []string{"im_start", "im_end", "im_sep", "endoftext", "eot_id", "eom_id", "start_header_id",
		"end_header_id", "begin_of_text", "end_of_text", "system", "user", "assistant", "tool", "pad"}
)

// oneOf reports whether w, which holds only ASCII letters and '_', is one
// of words (lower case), ignoring case.
func oneOf[T text](words []string, w T) bool {
	for _, x := range words {
		if len(x) == len(w) && lowerEqual(x, w) {
			return true
		}
	}
	return false
}

// lowerEqual reports whether w equals lower, which is lower-case ASCII, when
// w's ASCII letters are lowered; len(w) must be len(lower).
func lowerEqual[T text](lower string, w T) bool {
	for i := 0; i < len(lower); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// appendMarkers appends s to dst with role markers rewritten as "(word)":
//   - "word:" and "word :" for a speaker word at a word start;
//   - "#word", "### word" for a header word followed by a word end;
//   - "[word]", "[/word]", "[ word ]" for a bracket word;
//   - "|word|", "|/word|" for a special-token word, or "fim_" and letters.
//
// It is a hand-written scanner rather than regular expressions because it
// runs on every rendered field on the guard's hot path. Each replacement
// removes the punctuation it matched, and the input has no other spaces
// than single ASCII ones (see appendFold).
func appendMarkers[T text](dst []byte, s T) []byte {
	last := 0 // s[last:] is not yet written
	replace := func(start, end int, word T) {
		dst = append(dst, s[last:start]...)
		dst = append(dst, '(')
		dst = append(dst, word...)
		dst = append(dst, ')')
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
			closer, words := byte(']'), bracketWords
			if s[i] == '|' {
				closer, words = '|', pipeWords
			}
			k := skipSpace(s, i+1)
			if k < len(s) && s[k] == '/' {
				k = skipSpace(s, k+1)
			}
			e := scan(s, k, isTokenByte)
			c := skipSpace(s, e)
			if e > k && c < len(s) && s[c] == closer {
				if w := s[k:e]; oneOf(words, w) || (s[i] == '|' && isFIM(w)) {
					replace(i, c+1, w)
					i = c
				}
			}
		}
	}
	return append(dst, s[last:]...)
}

func isLetter(c byte) bool    { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isWordByte(c byte) bool  { return isLetter(c) || '0' <= c && c <= '9' || c == '_' }
func isTokenByte(c byte) bool { return isLetter(c) || c == '_' }

// isFIM reports whether w is a fill-in-the-middle token name: fim_ and letters.
func isFIM[T text](w T) bool {
	if len(w) <= 4 || !lowerEqual("fim_", w[:4]) {
		return false
	}
	for i := 4; i < len(w); i++ {
		if !isLetter(w[i]) {
			return false
		}
	}
	return true
}

func skipSpace[T text](s T, i int) int {
	if i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

func scan[T text](s T, i int, ok func(byte) bool) int {
	for i < len(s) && ok(s[i]) {
		i++
	}
	return i
}
