package persona

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// firstToThird maps lower-cased first-person words to third person. "am"
// and "was" are handled separately: they change only next to "I".
var firstToThird = map[string]string{
	"i": "they", "me": "them", "my": "their", "mine": "theirs", "myself": "themselves",
	"i'm": "they're", "i've": "they've", "i'd": "they'd", "i'll": "they'll",
	"i’m": "they’re", "i’ve": "they’ve", "i’d": "they’d", "i’ll": "they’ll",
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
		lw := strings.ToLower(w)
		out, isI := w, false
		switch {
		case firstToThird[lw] != "":
			repl := firstToThird[lw]
			isI = lw == "i"
			switch {
			case lw[0] != 'i': // me, my, mine, myself
				out = matchCase(w, repl)
			case sentenceStart(s[:i]): // I and I'm, which are always capitalized
				out = strings.ToUpper(repl[:1]) + repl[1:]
			default:
				out = repl
			}
		case lw == "am" && (prevI || nextWordIsI(s[j:])):
			out = matchCase(w, "are")
		case lw == "was" && prevI:
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
