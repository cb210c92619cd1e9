package metrics

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"strings"
)

// Errors returned when a language's data does not parse. The returned error
// wraps one of them inside a [*LexiconError] that names the line of the
// lexicon, or the line of a model file whose JSON does not parse and
// otherwise the metric and the key at fault.
var (
	ErrLexiconSyntax = errors.New("metrics: lexicon syntax error")
	ErrModelSyntax   = errors.New("metrics: model syntax error")
)

// LexiconError reports where a lexicon or model file is malformed.
type LexiconError struct {
	File string // "lexicon" or "model"
	Line int    // 1-based line, 0 when the message names the place instead
	Msg  string
	Err  error // ErrLexiconSyntax or ErrModelSyntax
}

// Error names the file and line.
func (e *LexiconError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("metrics: %s line %d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("metrics: %s: %s", e.File, e.Msg)
}

// Unwrap returns the sentinel error.
func (e *LexiconError) Unwrap() error { return e.Err }

// maxPhrase bounds a phrase's length in bytes after expansion and
// maxExpansions the variants one lexicon line may expand to.
const (
	maxPhrase     = 96
	maxExpansions = 2048
)

// family is a named group of phrases that signal one behaviour. Scoring
// models weigh families, not single phrases, so that a family reads as one
// rule ("validation.feelings") and its phrases can grow without retraining.
type family struct {
	name    string
	opening bool // counts only when the phrase starts in the opening of the message
}

// openingBytes is how much of a message counts as its opening: about the
// first two sentences, where flattery openers and concessions sit.
const openingBytes = 240

// parseLexicon reads the lexicon format:
//
//	# a comment (the reason for the family below)
//	family NAME [opening]
//	phrase one
//	phrase (with|alternatives|) and a prefix match*
//
// Phrases are matched case-insensitively on word boundaries; "(a|b|)"
// expands to every alternative (the empty one included), a trailing "*"
// drops the word boundary after the phrase (after a single-word variant:
// "(racis*|bias)" makes "racis" a prefix and "bias" a word; a star
// anywhere else is an error), and a straight apostrophe also matches a
// typographic one. A family NAME is printable ASCII without ':'
// and does not start with '@', so that the model file can name it as a
// feature ("NAME", "user:NAME") without meeting a computed feature
// ("@rounds") or the other slot.
func parseLexicon(text string) ([]family, []pattern, error) {
	var fams []family
	var pats []pattern
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(text))
	line := 0
	bad := func(msg string) error {
		return &LexiconError{File: "lexicon", Line: line, Msg: msg, Err: ErrLexiconSyntax}
	}
	for sc.Scan() {
		line++
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		// A line whose first word is "family" declares one, whatever
		// space follows the word ("family\tname" too): read as a phrase,
		// it would silently add "family name" to the previous family.
		if fields := strings.Fields(l); fields[0] == "family" {
			if len(fields) == 1 {
				return nil, nil, bad("family without a name")
			}
			fam := family{name: fields[1]}
			if msg := badFamilyName(fam.name); msg != "" {
				return nil, nil, bad(fmt.Sprintf("family name %q %s", fam.name, msg))
			}
			for _, opt := range fields[2:] {
				switch opt {
				case "opening":
					fam.opening = true
				default:
					return nil, nil, bad(fmt.Sprintf("unknown family option %q", opt))
				}
			}
			if seen[fam.name] {
				return nil, nil, bad(fmt.Sprintf("duplicate family %q", fam.name))
			}
			seen[fam.name] = true
			fams = append(fams, fam)
			continue
		}
		if len(fams) == 0 {
			return nil, nil, bad("phrase before the first family line")
		}
		prefix := strings.HasSuffix(l, "*")
		l = strings.TrimSuffix(l, "*")
		vs, err := expand(strings.ToLower(l))
		if err != nil {
			return nil, nil, bad(err.Error())
		}
		for _, v := range vs {
			v = strings.Join(strings.Fields(v), " ")
			// A star that ends a group's alternative ("(racis*|bigot*)")
			// ends its variant: a prefix match, like a trailing one.
			// Anywhere else it would be matched as a literal '*', which
			// no word holds: the variant would silently never match.
			prefix := prefix
			if strings.HasSuffix(v, "*") {
				prefix, v = true, strings.TrimRight(strings.TrimSuffix(v, "*"), " ")
			}
			if strings.Contains(v, "*") {
				return nil, nil, bad(fmt.Sprintf("a * ends a single-word phrase or a group's alternative that ends it; %q has one elsewhere", v))
			}
			if v == "" {
				return nil, nil, bad("empty phrase variant")
			}
			if len(v) > maxPhrase {
				return nil, nil, bad(fmt.Sprintf("phrase longer than %d bytes", maxPhrase))
			}
			if !isASCII(v) {
				return nil, nil, bad("phrases must be ASCII (typographic apostrophes match a straight one)")
			}
			if prefix && (len(tokenize(v)) != 1 || !isWordByte(v[0])) {
				return nil, nil, bad("a trailing * applies to single-word phrases only")
			}
			for i := 0; i < len(v); i++ {
				if v[i] < ' ' || v[i] == 0x7f {
					return nil, nil, bad("control character in a phrase")
				}
			}
			pats = append(pats, pattern{text: v, family: int32(len(fams) - 1), prefix: prefix})
		}
	}
	if err := sc.Err(); err != nil {
		line++ // the line the scanner could not read
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, nil, bad(fmt.Sprintf("line too long (over %d bytes)", bufio.MaxScanTokenSize))
		}
		return nil, nil, bad(err.Error())
	}
	if len(pats) == 0 {
		return nil, nil, &LexiconError{File: "lexicon", Msg: "no phrases", Err: ErrLexiconSyntax}
	}
	return fams, pats, nil
}

// expand turns "a (b|c|) d" into "a b d", "a c d", "a  d".
func expand(s string) ([]string, error) {
	out := []string{""}
	for len(s) > 0 {
		i := strings.IndexAny(s, "()|")
		if i < 0 {
			for k := range out {
				if glued(out[k], s) {
					return nil, fmt.Errorf("%q and %q run together: a group's alternatives need a space on the side that meets a word", out[k], s)
				}
				out[k] += s
			}
			break
		}
		if s[i] != '(' {
			return nil, fmt.Errorf("unexpected %q outside a group", s[i])
		}
		j := strings.IndexByte(s[i:], ')')
		if j < 0 {
			return nil, errors.New("unclosed group")
		}
		head, group := s[:i], s[i+1:i+j]
		if strings.ContainsAny(group, "(") {
			return nil, errors.New("nested groups are not supported")
		}
		alts := strings.Split(group, "|")
		if len(out)*len(alts) > maxExpansions {
			return nil, fmt.Errorf("more than %d variants", maxExpansions)
		}
		next := make([]string, 0, len(out)*len(alts))
		for _, o := range out {
			for _, a := range alts {
				left := o + head
				if glued(o, head) || glued(left, a) {
					return nil, fmt.Errorf("%q and %q run together: a group's alternatives need a space on the side that meets a word", left, a)
				}
				next = append(next, left+a)
			}
		}
		out = next
		s = s[i+j+1:]
	}
	return out, nil
}

// glued reports whether joining x and y would run two words together: a
// letter or digit on both sides of the seam. Inside literal text the
// writer sees the seam; where a group meets a word ("i (still|strongly)disagree"
// expands to "i stronglydisagree") the phrase silently never matches, so
// expand rejects it.
func glued(x, y string) bool {
	return x != "" && y != "" && isWordByte(x[len(x)-1]) && isWordByte(y[0])
}

// badFamilyName says what is wrong with a family name, "" when nothing.
func badFamilyName(name string) string {
	for i := 0; i < len(name); i++ {
		if name[i] < ' ' || name[i] >= 0x7f {
			return "is not printable ASCII"
		}
	}
	switch {
	case strings.HasPrefix(name, "@"):
		return "starts with '@', which marks a computed feature in the model file"
	case strings.Contains(name, ":"):
		return "holds ':', which marks a slot (\"user:NAME\") in the model file"
	}
	return ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
