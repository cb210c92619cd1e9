package judge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// ParseMode says how a verdict was read from a judge's reply.
type ParseMode int8

// Parse modes.
const (
	// ParseInvalid: the reply holds no readable verdict; nothing was guessed.
	ParseInvalid ParseMode = iota
	// ParseStrict: the whole reply is exactly the requested JSON object.
	ParseStrict
	// ParseTolerant: the verdict came from a JSON object inside prose or a
	// code fence, or from a clear verdict line such as "Verdict: A".
	ParseTolerant
)

var parseModeNames = [...]string{ParseInvalid: "invalid", ParseStrict: "strict", ParseTolerant: "tolerant"}

// String returns "invalid", "strict" or "tolerant".
func (m ParseMode) String() string {
	if m >= 0 && int(m) < len(parseModeNames) {
		return parseModeNames[m]
	}
	return fmt.Sprintf("ParseMode(%d)", int8(m))
}

// MarshalText encodes the mode as its name.
func (m ParseMode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText decodes a mode's name.
func (m *ParseMode) UnmarshalText(b []byte) error {
	for i, n := range parseModeNames {
		if n == string(b) {
			*m = ParseMode(i)
			return nil
		}
	}
	return fmt.Errorf("judge: unknown parse mode %q", b)
}

// Limits of the tolerant parser: a judge asked for a short JSON object that
// answers with more than this is not read further, so hostile or runaway
// replies cost bounded time.
const (
	maxTolerantBytes   = 64 << 10
	maxObjectAttempts  = 256
	maxReasonBytes     = 2000
	pairwiseVerdictKey = "verdict"
	labelVerdictKey    = "label"
)

// ParsePairwise reads a pairwise verdict from a judge's reply. It first
// requires the reply to be exactly a [PairwiseAnswer] object (keys "reason"
// and "verdict", verdict "A" or "B"); failing that it accepts a JSON object
// with a verdict inside prose or a code fence, or a line that clearly states
// the verdict ("Verdict: B", "**Answer:** A", a line that is just "A"; a
// heading such as "### Response B" counts only as the last line, since prose
// after it is a section about that response). Several verdicts that
// disagree, in lines, objects or the keys of one object ("winner": "A",
// "verdict": "B"), make the reply invalid. The reason is trimmed and, past
// 2000 bytes, cut on a rune boundary and ended with "…". On failure it
// returns a [*ReplyError] wrapping [ErrInvalidReply]; it never guesses.
func ParsePairwise(reply string) (PairwiseAnswer, ParseMode, error) {
	v, reason, mode, err := parse(reply, pairwiseSpec)
	if err != nil {
		return PairwiseAnswer{}, ParseInvalid, err
	}
	return PairwiseAnswer{Reason: reason, Verdict: v}, mode, nil
}

// ParseLabel reads a 0/1 label from a judge's reply, with the same strict
// then tolerant rules as [ParsePairwise] (keys "reason" and "label"; a label
// line such as "Label: 1" or a line that is just "0" or "1").
func ParseLabel(reply string) (LabelAnswer, ParseMode, error) {
	v, reason, mode, err := parse(reply, labelSpec)
	if err != nil {
		return LabelAnswer{}, ParseInvalid, err
	}
	n := 0
	if v == "1" {
		n = 1
	}
	return LabelAnswer{Reason: reason, Label: n}, mode, nil
}

// answerSpec describes one reply format for the shared parser.
type answerSpec struct {
	key      string   // the schema's verdict key
	synonyms []string // other keys a tolerant read accepts for the verdict
	// value canonicalizes a JSON verdict value ("A"/"B" or "0"/"1"); strict
	// requires the exact schema type and value.
	value func(raw json.RawMessage, strict bool) (string, bool)
	line  *regexp.Regexp // a verdict line; group 1 is the verdict
	bare  *regexp.Regexp // a line that is only the verdict; group 1
	canon func(string) string
}

var pairwiseSpec = &answerSpec{
	key:      pairwiseVerdictKey,
	synonyms: []string{"answer", "choice", "winner", "decision"},
	value:    pairwiseValue,
	line:     regexp.MustCompile(`(?i)^(?:(?:the|my)\s+)?(?:final\s+)?(?:verdict|answer|choice|winner|decision)\s*(?:is\s*)?[:=\-–—]?\s*(?:response\s+|option\s+)?["'(\[]?\s*([AB])\s*["')\]]?\s*[.!]?$`),
	bare:     regexp.MustCompile(`^(?i:response\s+|option\s+)?["'(\[]?([AB])["')\]]?[.!]?$`),
	canon:    strings.ToUpper,
}

var labelSpec = &answerSpec{
	key:      labelVerdictKey,
	synonyms: []string{"verdict", "answer", "score", "decision"},
	value:    labelValue,
	line:     regexp.MustCompile(`(?i)^(?:(?:the|my)\s+)?(?:final\s+)?(?:label|verdict|answer|score|decision)\s*(?:is\s*)?[:=\-–—]?\s*["'(\[]?\s*([01])\s*["')\]]?\s*[.!]?$`),
	bare:     regexp.MustCompile(`^["'(\[]?([01])["')\]]?[.!]?$`),
	canon:    func(s string) string { return s },
}

func pairwiseValue(raw json.RawMessage, strict bool) (string, bool) {
	var s string
	if !isJSONString(raw) || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	if strict {
		return s, s == "A" || s == "B"
	}
	s = strings.ToLower(strings.Trim(strings.TrimSpace(s), `"'.()[] `))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "response "), "option ")
	switch s {
	case "a":
		return "A", true
	case "b":
		return "B", true
	}
	return "", false
}

func labelValue(raw json.RawMessage, strict bool) (string, bool) {
	t := string(bytes.TrimSpace(raw))
	if strict {
		return t, t == "0" || t == "1"
	}
	if t == "null" { // json.Unmarshal would leave a zero value: label 0
		return "", false
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		switch f {
		case 0:
			return "0", true
		case 1:
			return "1", true
		}
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		s = strings.TrimSpace(s)
		return s, s == "0" || s == "1"
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		if b {
			return "1", true
		}
		return "0", true
	}
	return "", false
}

// parse is the shared strict-then-tolerant reader.
func parse(reply string, spec *answerSpec) (verdict, reason string, mode ParseMode, err error) {
	if v, r, ok := parseStrict(reply, spec); ok {
		return v, clip(r), ParseStrict, nil
	}
	text := reply
	if len(text) > maxTolerantBytes {
		return "", "", ParseInvalid, &ReplyError{Problem: "reply too long to read tolerantly", Raw: reply}
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	verdicts, reason, rest, found := jsonVerdicts(text, spec)
	// Verdict lines count too, outside the verdict objects: a reply whose
	// JSON says A and whose last line says "final verdict: B" has changed
	// its mind, and picking either would be a guess.
	lines, prose := lineVerdicts(rest, spec)
	verdicts = append(verdicts, lines...)
	if !found {
		reason = prose
	}
	if slices.Contains(verdicts, unreadable) {
		return "", "", ParseInvalid, &ReplyError{Problem: "verdict value out of range", Raw: reply}
	}
	switch {
	case len(verdicts) == 0 && strings.TrimSpace(text) == "":
		return "", "", ParseInvalid, &ReplyError{Problem: "empty reply", Raw: reply}
	case len(verdicts) == 0:
		return "", "", ParseInvalid, &ReplyError{Problem: "no verdict found", Raw: reply}
	}
	for _, v := range verdicts[1:] {
		if v != verdicts[0] {
			return "", "", ParseInvalid, &ReplyError{Problem: "conflicting verdicts", Raw: reply}
		}
	}
	return verdicts[0], clip(reason), ParseTolerant, nil
}

// parseStrict accepts exactly one JSON object with exactly the schema's two
// keys, each once, a string reason and an exact verdict value.
func parseStrict(reply string, spec *answerSpec) (verdict, reason string, ok bool) {
	dec := json.NewDecoder(strings.NewReader(reply))
	fields, err := readObject(dec)
	if err != nil || len(fields) != 2 {
		return "", "", false
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", "", false
	}
	var r string
	if raw, ok := fields.get("reason"); !ok || !isJSONString(raw) || json.Unmarshal(raw, &r) != nil {
		return "", "", false
	}
	raw, ok := fields.get(spec.key)
	if !ok {
		return "", "", false
	}
	v, ok := spec.value(raw, true)
	return v, r, ok
}

// isJSONString reports whether raw is a JSON string (not null, which
// json.Unmarshal would quietly accept into a string).
func isJSONString(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '"'
}

// object is a decoded JSON object's fields in order.
type object []field

type field struct {
	key string
	val json.RawMessage
}

// get returns the value of key, matched exactly.
func (o object) get(key string) (json.RawMessage, bool) {
	for _, f := range o {
		if f.key == key {
			return f.val, true
		}
	}
	return nil, false
}

var errDuplicateKey = errors.New("duplicate key")

// readObject reads one JSON object from dec, rejecting duplicate keys (which
// encoding/json would silently resolve to the last one).
func readObject(dec *json.Decoder) (object, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not an object")
	}
	var o object
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errors.New("bad key")
		}
		if seen[key] {
			return nil, errDuplicateKey
		}
		seen[key] = true
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, err
		}
		o = append(o, field{key, val})
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, err
	}
	return o, nil
}

// jsonVerdicts finds JSON objects anywhere in text (in a code fence or in
// prose) that carry a verdict key, and returns their verdicts, and rest: the
// text with those objects cut out, for the verdict lines. found reports
// whether any object had a verdict key at all, even with an unreadable value
// (which then makes the reply invalid whatever the lines say).
func jsonVerdicts(text string, spec *answerSpec) (verdicts []string, reason, rest string, found bool) {
	var outside strings.Builder
	last := 0 // text[last:] is not yet in outside
	attempts := 0
	for i := 0; i < len(text) && attempts < maxObjectAttempts; {
		j := strings.IndexByte(text[i:], '{')
		if j < 0 {
			break
		}
		i += j
		attempts++
		dec := json.NewDecoder(strings.NewReader(text[i:]))
		o, err := readObject(dec)
		if err != nil {
			i++
			continue
		}
		vs := o.verdicts(spec)
		if len(vs) == 0 {
			i++ // an object without a verdict may wrap one: look inside it
			continue
		}
		found = true
		verdicts = append(verdicts, vs...)
		if reason == "" {
			for _, k := range []string{"reason", "explanation", "rationale", "justification"} {
				if r, ok := o.lookupFold(k); ok {
					var s string
					if json.Unmarshal(r, &s) == nil {
						reason = s
						break
					}
				}
			}
		}
		end := i + int(dec.InputOffset())
		outside.WriteString(text[last:i])
		outside.WriteByte('\n')
		i, last = end, end
	}
	outside.WriteString(text[last:])
	return verdicts, reason, outside.String(), found
}

// unreadable stands for a verdict key whose value is not an allowed verdict;
// one of them makes the whole reply invalid.
const unreadable = "?"

// verdicts returns the verdicts an object states, ignoring the case of its
// keys: the value of the schema key or, failing that, of the first synonym
// present (unreadable if it is not an allowed verdict), then the readable
// values of the other synonyms, so that an object saying "winner": "A" and
// "verdict": "B" is read as two conflicting verdicts rather than one of
// them. A synonym whose value is not a verdict (a "score" of 0.8 beside the
// label, say) is some other field and is ignored. It returns nil when the
// object has no verdict key.
func (o object) verdicts(spec *answerSpec) []string {
	var vs []string
	for _, k := range append([]string{spec.key}, spec.synonyms...) {
		raw, ok := o.lookupFold(k)
		if !ok {
			continue
		}
		v, ok := spec.value(raw, false)
		switch {
		case len(vs) == 0 && !ok:
			vs = append(vs, unreadable)
		case ok:
			vs = append(vs, v)
		}
	}
	return vs
}

func (o object) lookupFold(key string) (json.RawMessage, bool) {
	for _, f := range o {
		if strings.EqualFold(strings.TrimSpace(f.key), key) {
			return f.val, true
		}
	}
	return nil, false
}

// lineVerdicts reads verdict lines. Markdown emphasis and quoting are
// removed before matching; a verdict must fill its line, so a sentence that
// merely mentions "A" is not read as a verdict. A line that is only a
// verdict but set as a heading or in bold ("### Response B", "**Response
// B**") counts only as the last line: followed by prose, it is the title of
// a section about that response, which may well say it shows less.
func lineVerdicts(text string, spec *answerSpec) (verdicts []string, reason string) {
	var rest []string
	title := -1 // index in rest of the last title-like bare verdict line
	titleVerdict := ""
	for line := range strings.Lines(text) {
		clean := strings.Map(func(r rune) rune {
			switch r {
			case '*', '_', '`', '#', '>':
				return -1
			}
			return r
		}, line)
		clean = strings.TrimSpace(clean)
		if m := spec.line.FindStringSubmatch(clean); m != nil {
			verdicts = append(verdicts, spec.canon(m[1]))
			continue
		}
		if m := spec.bare.FindStringSubmatch(clean); m != nil {
			if !titleLike(line) {
				verdicts = append(verdicts, spec.canon(m[1]))
				continue
			}
			title, titleVerdict = len(rest), spec.canon(m[1])
		}
		if clean != "" {
			rest = append(rest, clean)
		}
	}
	if title >= 0 && title == len(rest)-1 {
		verdicts = append(verdicts, titleVerdict)
		rest = rest[:title]
	}
	return verdicts, strings.Join(rest, " ")
}

// titleLike reports whether a line is set as a Markdown heading, or is all
// in bold and names a response ("**Response A**"; a bold "**A**" alone is
// how judges state a verdict).
func titleLike(line string) bool {
	t := strings.TrimSpace(line)
	if strings.HasPrefix(t, "#") {
		return true
	}
	l := strings.ToLower(t)
	if !strings.Contains(l, "response") && !strings.Contains(l, "option") {
		return false
	}
	for _, m := range []string{"**", "__"} {
		if len(t) > 2*len(m) && strings.HasPrefix(t, m) && strings.HasSuffix(strings.TrimRight(t, ":."), m) {
			return true
		}
	}
	return false
}

// clip trims s and, when it is longer than maxReasonBytes, cuts it on a rune
// boundary at or before that many bytes and appends "…". Both parse modes
// clip: a reason is for a report, and a strict reply can be as long as a
// tolerant one.
func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= maxReasonBytes {
		return s
	}
	n := maxReasonBytes
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
