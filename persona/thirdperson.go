package persona

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// firstToThird maps first-person words to third person. "am" and "was" are
// handled separately: they change only next to "I".
var firstToThird = [][2]string{
	{"i", "they"}, {"me", "them"}, {"my", "their"}, {"mine", "theirs"}, {"myself", "themselves"},
	{"i'm", "they're"}, {"i've", "they've"}, {"i'd", "they'd"}, {"i'll", "they'll"},
	{"i’m", "they’re"}, {"i’ve", "they’ve"}, {"i’d", "they’d"}, {"i’ll", "they’ll"},
}

// thirdFor returns the third-person form of w, matched case-insensitively
// without allocating.
func thirdFor(w string) (string, bool) {
	for _, p := range firstToThird {
		if len(p[0]) == len(w) && strings.EqualFold(p[0], w) {
			return p[1], true
		}
	}
	return "", false
}

// toThirdPerson converts first-person pronouns in s to the singular "they",
// keeping capitalization and everything between words. It is a word-level
// rewrite, not a parser: it fixes "I am"/"am I" and "I was" (to "they
// are"/"they were") and leaves other verbs, which agree with "they" in
// English, unchanged.
func toThirdPerson(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	prevI := false // the previous word was "I"
	for i := 0; i < len(s); {
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !isWordRune(r) {
				break
			}
			j += n
		}
		if j == i { // not a word: copy one rune
			_, n := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		w := s[i:j]
		if len(w) > 6 || !strings.ContainsRune("iImMaAwW", rune(w[0])) { // no pronoun, am or was
			b.WriteString(w)
			prevI = false
			i = j
			continue
		}
		out, isI := w, false
		if repl, ok := thirdFor(w); ok {
			isI = len(w) == 1
			switch {
			case w[0] != 'i' && w[0] != 'I': // me, my, mine, myself
				out = matchCase(w, repl)
			case sentenceStart(s[:i]): // I and I'm, which are always capitalized
				out = strings.ToUpper(repl[:1]) + repl[1:]
			default:
				out = repl
			}
		} else if strings.EqualFold(w, "am") && (prevI || nextWordIsI(s[j:])) {
			out = matchCase(w, "are")
		} else if strings.EqualFold(w, "was") && prevI {
			out = matchCase(w, "were")
		}
		b.WriteString(out)
		prevI = isI
		i = j
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’'
}

// matchCase gives repl the capitalization of w's first letter.
func matchCase(w, repl string) string {
	r, _ := utf8.DecodeRuneInString(w)
	if unicode.IsUpper(r) {
		return strings.ToUpper(repl[:1]) + repl[1:]
	}
	return repl
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
