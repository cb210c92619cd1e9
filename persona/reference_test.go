package persona

// This file keeps the straightforward implementation of Render, Neutralize
// and the third-person rewrite that preceded the single-buffer one, as an
// oracle: the differential fuzz tests in render_ref_test.go require both
// to produce the same bytes for every input.

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rolegate/rolegate/internal/textfold"
)

func refRender(p *Profile, allowed FacetSet, person Person) (string, error) {
	if person > ThirdPerson {
		return "", fmt.Errorf("%w: %d", ErrUnknownPerson, uint8(person))
	}
	if p == nil {
		return "", nil
	}
	if err := p.Validate(); err != nil {
		return "", err // whatever allowed says, even when it is empty
	}
	if allowed.Empty() {
		return "", nil
	}
	var lines []string
	for _, f := range allowed.Slice() {
		if l := refLine(p, f, person); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return "", nil
	}
	return refBlock(lines), nil
}

// refBlock wraps lines, which must already be neutralized, in the delimiters.
func refBlock(lines []string) string {
	var b strings.Builder
	n := len(BlockStart) + len(BlockNote) + len(BlockEnd) + 3
	for _, l := range lines {
		n += len(l) + 1
	}
	b.Grow(n)
	b.WriteString(BlockStart)
	b.WriteByte('\n')
	b.WriteString(BlockNote)
	b.WriteByte('\n')
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	b.WriteString(BlockEnd)
	return b.String()
}

func refLine(p *Profile, f Facet, person Person) string {
	switch f {
	case FacetDemographics:
		return refDemographics(p.Demographics, person)
	case FacetTraits:
		return refTraits(p.Traits, person)
	case FacetPreferences:
		return refListLine(person, "My preferences: ", "The user's preferences: ", p.Preferences)
	case FacetBeliefs:
		return refListLine(person, "My stated beliefs: ", "The user's stated beliefs: ", p.Beliefs)
	case FacetHistory:
		return refListLine(person, "My history: ", "The user's history: ", p.History)
	case FacetNarrative:
		return refListLine(person, "In my own words: ", "The user's self-description: ", []string{p.Narrative})
	}
	return ""
}

func refListLine(person Person, first, third string, items []string) string {
	var b strings.Builder
	for _, it := range items {
		if person == ThirdPerson {
			it = refToThirdPerson(it)
		}
		it = refNeutralize(it)
		if it == "" {
			continue
		}
		if b.Len() == 0 {
			if person == ThirdPerson {
				b.WriteString(third)
			} else {
				b.WriteString(first)
			}
		} else {
			b.WriteString("; ")
		}
		b.WriteString(it)
	}
	return b.String()
}

// sentence renders demographics as one or two sentences:
// "I am a woman aged 25-34. I have a bachelor's degree, I am employed and I have a middle income."
func refDemographics(d Demographics, person Person) string {
	subj, be, have := "I", "am", "have"
	if person == ThirdPerson {
		subj, be, have = "The user", "is", "has"
	}
	var out []string
	noun, age := genderNouns[d.Gender], ageWords[d.Age]
	switch {
	case noun != "" && age != "":
		out = append(out, fmt.Sprintf("%s %s %s %s.", subj, be, noun, age))
	case noun != "":
		out = append(out, fmt.Sprintf("%s %s %s.", subj, be, noun))
	case age != "":
		out = append(out, fmt.Sprintf("%s %s %s.", subj, be, age))
	}
	if person == FirstPerson {
		// Repeat "I" in every clause, so that the third-person rewrite of a
		// narrative built from this sentence can still find each "I am".
		be, have = "I am", "I have"
	} else if len(out) > 0 {
		subj, be, have = "They", "are", "have"
	}
	if clauses := refDemographicClauses(d, be, have); len(clauses) > 0 {
		s := refJoinAnd(clauses)
		if person == ThirdPerson {
			s = subj + " " + s
		}
		out = append(out, s+".")
	}
	return strings.Join(out, " ")
}

func refDemographicClauses(d Demographics, be, have string) []string {
	var clauses []string
	if e := educationWords[d.Education]; e != "" {
		clauses = append(clauses, have+" "+e)
	}
	if e := employmentWords[d.Employment]; e != "" {
		clauses = append(clauses, be+" "+e)
	}
	if e := incomeWords[d.Socioeconomic]; e != "" {
		clauses = append(clauses, have+" "+e)
	}
	return clauses
}

// sentence renders traits:
// "On the Big Five I score high in openness, low in conscientiousness, ...; I have high emotional intelligence and low fluid intelligence."
func refTraits(t Traits, person Person) string {
	subj, score, have := "I", "score", "have"
	if person == ThirdPerson {
		subj, score, have = "the user", "scores", "has"
	}
	var big []string
	for i, l := range t.BigFive() {
		if l != "" {
			big = append(big, string(l)+" in "+bigFiveNames[i])
		}
	}
	var intel []string
	if t.EmotionalIntelligence != "" {
		intel = append(intel, string(t.EmotionalIntelligence)+" emotional intelligence")
	}
	if t.FluidIntelligence != "" {
		intel = append(intel, string(t.FluidIntelligence)+" fluid intelligence")
	}
	var parts []string
	if len(big) > 0 {
		parts = append(parts, "On the Big Five "+subj+" "+score+" "+refJoinAnd(big))
	}
	if len(intel) > 0 {
		s := subj + " " + have + " " + refJoinAnd(intel)
		if len(parts) > 0 && person == ThirdPerson {
			s = "they have " + refJoinAnd(intel)
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, "; ") + "."
	return strings.ToUpper(s[:1]) + s[1:]
}

// refJoinAnd joins "a", "b", "c" as "a, b and c".
func refJoinAnd(ss []string) string {
	switch len(ss) {
	case 0:
		return ""
	case 1:
		return ss[0]
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " and " + ss[len(ss)-1]
}
func refNeutralize(s string) string {
	return refNeutralizeMarkers(refEscapeAngles(refFold(s)))
}

// refFold performs the character-level steps of [Neutralize].
func refFold(s string) string {
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
		case textfold.Invisible(r):
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
		b.WriteRune(refFoldRune(r))
	}
	return b.String()
}

func refFoldRune(r rune) rune {
	if r >= 0xff01 && r <= 0xff5e { // fullwidth ASCII
		return r - 0xfee0
	}
	if a, ok := lookalikes[r]; ok {
		return a
	}
	return r
}

func refEscapeAngles(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return refAngleEscaper.Replace(s)
}

var refAngleEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// refOneOf reports whether w is one of words, ignoring ASCII case, without
// allocating.
func refOneOf(words []string, w string) bool {
	for _, x := range words {
		if len(x) == len(w) && strings.EqualFold(x, w) {
			return true
		}
	}
	return false
}

// refNeutralizeMarkers rewrites role markers as "(word)":
//   - "word:" and "word :" for a speaker word at a word start;
//   - "#word", "### word" for a header word followed by a word end;
//   - "[word]", "[/word]", "[ word ]" for a bracket word;
//   - "|word|", "|/word|" for a special-token word, or "fim_" and letters.
//
// It is a hand-written scanner rather than regular expressions because it
// runs on every rendered field on the guard's hot path. Each replacement
// removes the punctuation it matched, and the input has no other spaces
// than single ASCII ones (see fold).
func refNeutralizeMarkers(s string) string {
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
			if k < j && (k == 0 || !isWordByte(s[k-1])) && refOneOf(speakerWords, s[k:j]) {
				replace(k, i+1, s[k:j])
			}
		case '#':
			j := i
			for j < len(s) && s[j] == '#' {
				j++
			}
			k := refSkipSpace(s, j)
			e := refScan(s, k, isLetter)
			if e > k && (e == len(s) || !isWordByte(s[e])) && refOneOf(headerWords, s[k:e]) {
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
			k := refSkipSpace(s, i+1)
			if k < len(s) && s[k] == '/' {
				k = refSkipSpace(s, k+1)
			}
			e := refScan(s, k, isTokenByte)
			c := refSkipSpace(s, e)
			if e > k && c < len(s) && s[c] == closer {
				if w := s[k:e]; refOneOf(words, w) || (s[i] == '|' && refIsFIM(w)) {
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

// refIsFIM reports whether w is a fill-in-the-middle token name: fim_ and letters.
func refIsFIM(w string) bool {
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

func refSkipSpace(s string, i int) int {
	if i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

func refScan(s string, i int, ok func(byte) bool) int {
	for i < len(s) && ok(s[i]) {
		i++
	}
	return i
}
func refToThirdPerson(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
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
		if lo, up, ok := refThirdFor(w); ok {
			isI = len(w) == 1
			switch {
			case w[0] != 'i' && w[0] != 'I': // me, my, mine, myself
				out = refPickCase(w, lo, up)
			case refSentenceStart(s[:i]): // I and I'm, which are always capitalized
				out = up
			default:
				out = lo
			}
		} else if strings.EqualFold(w, "am") && (prevI || refNextWordIsI(s[j:])) {
			out = refPickCase(w, "are", "Are")
		} else if strings.EqualFold(w, "was") && prevI {
			out = refPickCase(w, "were", "Were")
		}
		b.WriteString(out)
		prevI = isI
		i = j
	}
	return b.String()
}

// refPickCase returns upper when w starts with an upper-case letter, else lower.
func refPickCase(w, lower, upper string) string {
	if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
		return upper
	}
	return lower
}

func refSentenceStart(before string) bool {
	t := strings.TrimRightFunc(before, unicode.IsSpace)
	if t == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune(".!?:;\"“(", r)
}

func refNextWordIsI(after string) bool {
	t := strings.TrimLeftFunc(after, unicode.IsSpace)
	if !strings.HasPrefix(t, "I") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t[1:])
	return len(t) == 1 || !isWordRune(r)
}

var refFirstToThird = [][3]string{
	{"i", "they", "They"}, {"me", "them", "Them"}, {"my", "their", "Their"}, {"mine", "theirs", "Theirs"},
	{"myself", "themselves", "Themselves"},
	{"i'm", "they're", "They're"}, {"i've", "they've", "They've"}, {"i'd", "they'd", "They'd"}, {"i'll", "they'll", "They'll"},
	{"i’m", "they’re", "They’re"}, {"i’ve", "they’ve", "They’ve"}, {"i’d", "they’d", "They’d"}, {"i’ll", "they’ll", "They’ll"},
}

func refThirdFor(w string) (lower, upper string, ok bool) {
	for _, p := range refFirstToThird {
		if len(p[0]) == len(w) && strings.EqualFold(p[0], w) {
			return p[1], p[2], true
		}
	}
	return "", "", false
}
