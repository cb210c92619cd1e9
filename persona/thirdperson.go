package persona

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// firstToThird maps first-person words to third person. "am" and "was" are
// handled separately: they change only next to "I".
var firstToThird = [][3]string{
	{"i", "they", "They"}, {"me", "them", "Them"}, {"my", "their", "Their"}, {"mine", "theirs", "Theirs"},
	{"myself", "themselves", "Themselves"},
	{"i'm", "they're", "They're"}, {"i've", "they've", "They've"}, {"i'd", "they'd", "They'd"}, {"i'll", "they'll", "They'll"},
	{"i’m", "they’re", "They’re"}, {"i’ve", "they’ve", "They’ve"}, {"i’d", "they’d", "They’d"}, {"i’ll", "they’ll", "They’ll"},
}

// thirdFor returns the lower- and upper-case third-person forms of w,
// matched ignoring ASCII case (the only case the words have) without
// allocating.
func thirdFor(w string) (lower, upper string, ok bool) {
	if c := w[0] | 0x20; c != 'i' && c != 'm' { // every pronoun starts so
		return "", "", false
	}
	for _, p := range firstToThird {
		if len(p[0]) == len(w) && lowerEqual(p[0], w) {
			return p[1], p[2], true
		}
	}
	return "", "", false
}

// toThirdPerson converts first-person pronouns in s to the singular "they"
// (see appendThird).
func toThirdPerson(s string) string { return string(appendThird(nil, s)) }

// appendThird appends s to dst with first-person pronouns converted to the
// singular "they", keeping capitalization and everything between words. It
// is a word-level rewrite, not a parser: it fixes "I am"/"am I" and "I was"
// (to "they are"/"they were") and leaves other verbs, which agree with
// "they" in English, unchanged.
func appendThird(dst []byte, s string) []byte {
	prevI := false // the previous word was "I"
	for i := 0; i < len(s); {
		j := i
		for j < len(s) {
			if c := s[j]; c < utf8.RuneSelf { // ASCII fast path
				if !isWordByte(c) && c != '\'' {
					break
				}
				j++
				continue
			}
			r, n := utf8.DecodeRuneInString(s[j:])
			if !isWordRune(r) {
				break
			}
			j += n
		}
		if j == i { // not a word: copy one rune
			n := 1
			if s[i] >= utf8.RuneSelf {
				_, n = utf8.DecodeRuneInString(s[i:])
			}
			dst = append(dst, s[i:i+n]...)
			i += n
			continue
		}
		w := s[i:j]
		if len(w) > 6 || !mayChange(w[0]) { // no pronoun, am or was
			dst = append(dst, w...)
			prevI = false
			i = j
			continue
		}
		out, isI := w, false
		if lo, up, ok := thirdFor(w); ok {
			isI = len(w) == 1
			switch {
			case w[0] != 'i' && w[0] != 'I': // me, my, mine, myself
				out = pickCase(w, lo, up)
			case sentenceStart(s[:i]): // I and I'm, which are always capitalized
				out = up
			default:
				out = lo
			}
		} else if strings.EqualFold(w, "am") && (prevI || nextWordIsI(s[j:])) {
			out = pickCase(w, "are", "Are")
		} else if strings.EqualFold(w, "was") && prevI {
			out = pickCase(w, "were", "Were")
		}
		dst = append(dst, out...)
		prevI = isI
		i = j
	}
	return dst
}

// mayChange reports whether a word starting with c may be a first-person
// pronoun, "am" or "was".
func mayChange(c byte) bool {
	switch c {
	case 'i', 'I', 'm', 'M', 'a', 'A', 'w', 'W':
		return true
	}
	return false
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’'
}

// pickCase returns upper when w starts with an upper-case letter, else lower.
func pickCase(w, lower, upper string) string {
	if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
		return upper
	}
	return lower
}

func sentenceStart(before string) bool {
	t := strings.TrimRightFunc(before, unicode.IsSpace)
	if t == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune(".!?:;\"“(", r)
}

func nextWordIsI(after string) bool {
	t := strings.TrimLeftFunc(after, unicode.IsSpace)
	if !strings.HasPrefix(t, "I") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t[1:])
	return len(t) == 1 || !isWordRune(r)
}
