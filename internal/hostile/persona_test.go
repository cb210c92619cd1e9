package hostile_test

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/rolegate/rolegate/internal/hostile"
	"github.com/rolegate/rolegate/persona"
)

// Independent oracles for an inert block: they restate what persona's
// documentation promises without reusing its code.
var (
	// roleMarker is an ASCII role name followed by a colon, as a chat
	// transcript or template would start a turn.
	roleMarker = regexp.MustCompile(`(?i)\b(system|assistant|user|human|developer|tool|function|model|ai)\s*:`)
	// templateTokens are chat-template special tokens and headers.
	templateTokens = []string{"[inst]", "[/inst]", "<<sys>>", "|im_start|", "|im_end|", "<|", "|>", "### instruction", "###instruction", "</s>", "<s>"}
)

// checkBlock fails unless out is one persona block whose structure no
// field could change: valid UTF-8, its own delimiters only, the fixed note,
// wantLines lines, each of them free of invisible and control characters,
// fullwidth and look-alike delimiters, role markers and template tokens.
func checkBlock(t *testing.T, out string, wantLines int) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("invalid UTF-8 in the block")
	}
	body, ok := strings.CutPrefix(strings.TrimSuffix(out, "\n"), persona.BlockStart+"\n"+persona.BlockNote+"\n")
	if !ok {
		t.Fatalf("block does not start with its delimiter and note:\n%.300q", out)
	}
	body, ok = strings.CutSuffix(body, "\n"+persona.BlockEnd)
	if !ok {
		t.Fatalf("block does not end with its delimiter:\n%.300q", out)
	}
	lines := strings.Split(body, "\n")
	if len(lines) != wantLines {
		t.Fatalf("%d lines in the block, want %d: a field added lines:\n%.500q", len(lines), wantLines, body)
	}
	for _, line := range lines {
		checkInert(t, "the block", line)
	}
}

// checkInert fails t when line, a line of prompt text rolegate wrote around
// untrusted text (where names it), holds something that could act as
// markup or instructions: an angle bracket, a role marker, a chat-template
// token, a control or invisible character, a fullwidth form or a look-alike
// delimiter.
func checkInert(t *testing.T, where, line string) {
	t.Helper()
	if strings.ContainsAny(line, "<>") {
		t.Fatalf("angle bracket inside %s: %.300q", where, line)
	}
	if m := roleMarker.FindString(line); m != "" {
		t.Fatalf("role marker %q inside %s: %.300q", m, where, line)
	}
	low := strings.ToLower(line)
	for _, tok := range templateTokens {
		if strings.Contains(low, tok) {
			t.Fatalf("template token %q inside %s: %.300q", tok, where, line)
		}
	}
	for _, r := range line {
		switch {
		case r == utf8.RuneError:
			// the documented replacement of invalid bytes; harmless
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '\u2028', r == '\u2029':
			t.Fatalf("control or invisible %U inside %s: %.300q", r, where, line)
		case r >= 0xFF01 && r <= 0xFF5E:
			t.Fatalf("fullwidth %U inside %s: %.300q", r, where, line)
		case strings.ContainsRune("\uFE64\uFE65\u2039\u203A\u276E\u276F\u27E8\u27E9\u3008\u3009\u2329\u232A\u2215\u2044\u29F8\u2236\uA789\uFE55\u2223\u01C0", r):
			t.Fatalf("look-alike delimiter %U inside %s: %.300q", r, where, line)
		}
	}
}

// fields are the free-text fields of a profile, each with a setter.
var fields = []struct {
	name string
	set  func(p *persona.Profile, s string)
	max  int
	list bool
}{
	{"narrative", func(p *persona.Profile, s string) { p.Narrative = s }, persona.MaxNarrativeBytes, false},
	{"preferences[0]", func(p *persona.Profile, s string) { p.Preferences = []string{s} }, persona.MaxItemBytes, true},
	{"beliefs[0]", func(p *persona.Profile, s string) { p.Beliefs = []string{s} }, persona.MaxItemBytes, true},
	{"history[0]", func(p *persona.Profile, s string) { p.History = []string{s} }, persona.MaxItemBytes, true},
}

// base is a profile with every facet, so every field renders on its line.
func base() persona.Profile {
	return persona.Profile{
		Demographics: persona.Demographics{Age: persona.Age25to34, Gender: persona.Female, Education: persona.Bachelors},
		Traits:       persona.Traits{Openness: persona.High, Neuroticism: persona.Low},
		Preferences:  []string{"prefers short answers"},
		Beliefs:      []string{"thinks remote work is more productive"},
		History:      []string{"asked about a career change"},
		Narrative:    "I am a nurse.",
	}
}

// TestPersonaRender puts every entry in every free field of a profile and
// renders it in both persons: the result is an inert block with as many
// lines as a benign profile, or an error naming the field. Valid, non-blank
// text within the limits is never refused, so nothing is lost silently.
func TestPersonaRender(t *testing.T) {
	all := append(stored(t), generated()...)
	ref := base()
	for _, person := range []persona.Person{persona.FirstPerson, persona.ThirdPerson} {
		refOut, err := ref.Render(persona.AllFacets, person)
		if err != nil {
			t.Fatal(err)
		}
		wantLines := strings.Count(refOut, "\n") - 2 // minus the start and note lines
		if !strings.HasSuffix(refOut, "\n") {
			wantLines++
		}
		wantLines-- // the end line
		for _, e := range all {
			for _, f := range fields {
				t.Run(fmt.Sprintf("%s/%s/%s", person, f.name, e.Name), func(t *testing.T) {
					p := base()
					f.set(&p, e.Text)
					out, err := p.Render(persona.AllFacets, person)
					if err != nil {
						checkFieldError(t, err, f.name, e.Text, f.max, f.list)
						return
					}
					if reasons := mustReject(e.Text, f.max, f.list); len(reasons) > 0 {
						t.Fatalf("rendered a field that should be refused (%v)", reasons)
					}
					lines := wantLines
					if persona.Neutralize(e.Text) == "" {
						lines-- // nothing visible to say: the field's line is left out
					}
					checkBlock(t, out, lines)
					if person == persona.FirstPerson && strings.TrimSpace(e.Text) != "" {
						if n := persona.Neutralize(e.Text); !strings.Contains(out, n) {
							t.Fatalf("the field's neutralized text %.200q is not in the block: dropped", n)
						}
					}
				})
			}
		}
	}
}

// mustReject returns the sentinel errors persona may refuse s in a field
// with; any of them is right when several apply.
func mustReject(s string, max int, list bool) []error {
	var errs []error
	if !utf8.ValidString(s) {
		errs = append(errs, persona.ErrInvalidUTF8)
	}
	if len(s) > max {
		errs = append(errs, persona.ErrTooLong)
	}
	if list && strings.TrimSpace(s) == "" {
		errs = append(errs, persona.ErrInvalidValue)
	}
	return errs
}

// checkFieldError fails unless err is a *persona.FieldError naming field and
// wrapping the sentinel for the reason s must be refused.
func checkFieldError(t *testing.T, err error, field, s string, max int, list bool) {
	t.Helper()
	var fe *persona.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v is not a *persona.FieldError", err)
	}
	if fe.Field != field {
		t.Fatalf("error names field %q, want %q: %v", fe.Field, field, err)
	}
	want := mustReject(s, max, list)
	if len(want) == 0 {
		t.Fatalf("refused a valid field: %v", err)
	}
	if !slices.ContainsFunc(want, func(w error) bool { return errors.Is(err, w) }) {
		t.Fatalf("error %v wraps none of %v", err, want)
	}
	if !strings.Contains(err.Error(), field) {
		t.Fatalf("message %q does not name the field", err)
	}
}

// TestPersonaDecode embeds every entry, raw, in a JSON profile document and
// gives the entry itself as a document: Decode refuses it with an error or
// returns a profile that renders inert.
func TestPersonaDecode(t *testing.T) {
	all := append(stored(t), generated()...)
	for _, e := range all {
		t.Run(e.Name, func(t *testing.T) {
			docs := map[string][]byte{
				"raw":       []byte(e.Text),
				"narrative": []byte(`{"narrative":"` + jsonRaw(e.Text) + `"}`),
				"beliefs":   []byte(`{"beliefs":["` + jsonRaw(e.Text) + `"],"demographics":{"age":"25-34"}}`),
				"key":       []byte(`{"` + jsonRaw(e.Text) + `":"x"}`),
			}
			for name, doc := range docs {
				p, err := persona.Decode(doc)
				if err != nil {
					if p != nil {
						t.Fatalf("%s: a profile and an error", name)
					}
					if !strings.HasPrefix(err.Error(), "persona: ") {
						t.Fatalf("%s: error %q lacks the package prefix", name, err)
					}
					continue
				}
				out, err := p.Render(persona.AllFacets, persona.FirstPerson)
				if err != nil {
					t.Fatalf("%s: decoded profile does not render: %v", name, err)
				}
				if out != "" {
					lines := strings.Count(strings.TrimSuffix(out, "\n"), "\n") - 2
					checkBlock(t, out, lines)
				}
			}
		})
	}
}

// jsonRaw escapes s for a JSON string the minimal way, leaving every other
// byte (invalid UTF-8, controls above the ones JSON forbids) as it is, so the
// decoder, not the test, meets them.
func jsonRaw(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
	return r.Replace(s)
}

// TestPersonaLinear: rendering and decoding take time linear in the input.
func TestPersonaLinear(t *testing.T) {
	linear(t, hostile.MB, func(s string) {
		p := persona.Profile{Narrative: s}
		_, _ = p.Render(persona.AllFacets, persona.ThirdPerson)
		_ = persona.Neutralize(s)
		_, _ = persona.Decode([]byte(s))
	})
}
