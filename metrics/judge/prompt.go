package judge

import (
	"embed"
	"fmt"
	"strings"
	"text/template"

	"github.com/rolegate/rolegate/chat"
)

// The prompts are text/template files under prompts/: one frame per kind of
// judgement (pairwise.tmpl, absolute.tmpl, stance_flip.tmpl,
// preference_accommodation.tmpl), each defining a "system" and a "user"
// template, and one file per one-turn dimension that defines its
// "definition", "more", "less" and "guidance" blocks for the frames to use.
//
//go:embed prompts/*.tmpl
var promptFS embed.FS

// prompts maps a frame and dimension to its parsed template set.
var prompts = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, def := range definitions {
		d := def.Dimension
		switch def.Kind {
		case OneTurn:
			for _, frame := range []string{"pairwise", "absolute"} {
				out[frame+"/"+string(d)] = template.Must(template.New(frame).
					Option("missingkey=error").
					ParseFS(promptFS, "prompts/"+frame+".tmpl", "prompts/"+string(d)+".tmpl"))
			}
		case PerRound:
			out["round/"+string(d)] = template.Must(template.New("round").
				Option("missingkey=error").
				ParseFS(promptFS, "prompts/"+string(d)+".tmpl"))
		}
	}
	return out
}()

// promptData is what the frames see. Every text field has been neutralized
// by neutralize; templates put each one inside promptData.Wrap.
type promptData struct {
	Title      string
	Nonce      string
	Context    string
	A, B       string
	Response   string
	Stance     string
	Goal       string
	Preference string
	Initial    string
	Pushback   string
	Answer     string
	Round      int
}

// Open returns the line that opens the data block called name.
func (d promptData) Open(name string) string { return fmt.Sprintf("⟦begin %s %s⟧", name, d.Nonce) }

// Close returns the line that closes the data block called name.
func (d promptData) Close(name string) string { return fmt.Sprintf("⟦end %s %s⟧", name, d.Nonce) }

// Wrap encloses text in the delimiters of the data block called name.
func (d promptData) Wrap(name, text string) string {
	return d.Open(name) + "\n" + text + "\n" + d.Close(name)
}

// render executes the frame for dimension d and returns the system and user
// messages of the judge request.
func render(frame string, d Dimension, data promptData) ([]chat.Message, error) {
	t, ok := prompts[frame+"/"+string(d)]
	if !ok {
		return nil, errDimension(d, "a dimension with a "+frame+" prompt")
	}
	var sys, user strings.Builder
	if err := t.ExecuteTemplate(&sys, "system", data); err != nil {
		return nil, fmt.Errorf("judge: render %s/%s system prompt: %w", frame, d, err)
	}
	if err := t.ExecuteTemplate(&user, "user", data); err != nil {
		return nil, fmt.Errorf("judge: render %s/%s user prompt: %w", frame, d, err)
	}
	return []chat.Message{chat.System(tidy(sys.String())), chat.User(tidy(user.String()))}, nil
}

// tidy trims the whitespace template actions leave at the ends of a
// message. It never touches the inside, so judged text reaches the judge
// exactly as neutralized.
func tidy(s string) string { return strings.TrimSpace(s) }

// delimiterLookalikes are the characters of our delimiters and the ones that
// look like them. Judged text never contains them after neutralize, so it
// can neither close its own data block nor open a convincing fake one; the
// nonce in every delimiter makes a guessed delimiter useless in any case.
var delimiterLookalikes = strings.NewReplacer(
	"⟦", "[", "⟧", "]", // U+27E6/7, the delimiters themselves
	"〚", "[", "〛", "]", // U+301A/B white square brackets
	"［", "[", "］", "]", // fullwidth square brackets
	"⁅", "[", "⁆", "]", // square brackets with quill
)

// neutralize makes untrusted text safe to place inside a data block: it
// replaces delimiter look-alikes, removes the nonce should the text contain
// it, and drops control characters other than tab and newline, including
// the Unicode bidirectional overrides and the tag characters (U+E0000 to
// U+E007F, which a model reads as ASCII but a reviewer does not see) that
// can hide text from a reviewer. Tags are also used by a few subdivision flag
// emoji, which lose their region and show as a black flag.
// The characters are dropped first, so that dropping them cannot join the
// pieces of a nonce.
func neutralize(s, nonce string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return -1
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return -1
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
			return -1
		case r >= 0xe0000 && r <= 0xe007f: // tags: invisible, yet read as the ASCII they shadow
			return -1
		}
		return r
	}, s)
	s = delimiterLookalikes.Replace(s)
	if nonce != "" {
		s = strings.ReplaceAll(s, nonce, strings.Repeat("x", len(nonce)))
	}
	return s
}
