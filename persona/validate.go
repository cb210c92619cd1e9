package persona

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rolegate/rolegate/internal/textfold"
)

// Limits on a [Profile], in bytes of UTF-8. A field over its limit is
// rejected, never truncated: cutting user text could change its meaning.
// The narrative limit is about 3.5 times the longest of the study's 500
// narratives (1,240 bytes), and 16 items of 512 bytes keep the largest
// profile near 30 KB of text. Rendered, it can be up to five times that
// (about 144 KB), since [Neutralize] writes each '&', '<' and '>' as a
// five- or four-byte entity; a caller that bounds prompt size should
// measure the rendered block, not the profile.
const (
	MaxIDBytes        = 128
	MaxItems          = 16  // items per list: preferences, beliefs, history
	MaxItemBytes      = 512 // bytes per list item
	MaxNarrativeBytes = 4096
)

// Validate reports the first problem with p as a [*FieldError] naming the
// field: text that is not valid UTF-8 ([ErrInvalidUTF8]), too long
// ([ErrTooLong]), too many list items ([ErrTooMany]), an empty list item or
// an attribute outside its enumeration ([ErrInvalidValue]). A nil profile is
// valid (it says nothing). Hostile but valid text is not an error: rendering
// neutralizes it.
func (p *Profile) Validate() error {
	if p == nil {
		return nil
	}
	if err := checkText("id", p.ID, MaxIDBytes); err != nil {
		return err
	}
	if err := p.Demographics.validate(); err != nil {
		return err
	}
	if err := p.Traits.validate(); err != nil {
		return err
	}
	for _, l := range []struct {
		name  string
		items []string
	}{{"preferences", p.Preferences}, {"beliefs", p.Beliefs}, {"history", p.History}} {
		if len(l.items) > MaxItems {
			return fieldErr(l.name, ErrTooMany, "%d items, max %d", len(l.items), MaxItems)
		}
		for i, it := range l.items {
			// The field name is built only for an error: this loop runs on
			// every Render.
			if err := checkText("", it, MaxItemBytes); err != nil {
				err.Field = fmt.Sprintf("%s[%d]", l.name, i)
				return err
			}
			if strings.TrimSpace(it) == "" {
				return &FieldError{Field: fmt.Sprintf("%s[%d]", l.name, i), Err: ErrInvalidValue, Detail: "empty item"}
			}
		}
	}
	if err := checkText("narrative", p.Narrative, MaxNarrativeBytes); err != nil {
		return err // not the *FieldError itself: a nil one is not a nil error
	}
	return nil
}

func checkText(field, s string, max int) *FieldError {
	if len(s) > max {
		return fieldErr(field, ErrTooLong, "%d bytes, max %d", len(s), max)
	}
	if !utf8.ValidString(s) {
		return fieldErr(field, ErrInvalidUTF8, "first bad byte at offset %d", textfold.InvalidUTF8At(s))
	}
	return nil
}

func (d Demographics) validate() error {
	switch {
	case !d.Age.Valid():
		return enumErr("demographics.age", string(d.Age), ageBands)
	case !d.Gender.Valid():
		return enumErr("demographics.gender", string(d.Gender), genders)
	case !d.Education.Valid():
		return enumErr("demographics.education", string(d.Education), educations)
	case !d.Employment.Valid():
		return enumErr("demographics.employment", string(d.Employment), employments)
	case !d.Socioeconomic.Valid():
		return enumErr("demographics.socioeconomic", string(d.Socioeconomic), socioeconomics)
	}
	return nil
}

func (t Traits) validate() error {
	for _, f := range []struct {
		name string
		l    Level
	}{
		{"openness", t.Openness}, {"conscientiousness", t.Conscientiousness},
		{"extraversion", t.Extraversion}, {"agreeableness", t.Agreeableness},
		{"neuroticism", t.Neuroticism}, {"emotional_intelligence", t.EmotionalIntelligence},
		{"fluid_intelligence", t.FluidIntelligence},
	} {
		if !f.l.Valid() {
			return enumErr("traits."+f.name, string(f.l), levels)
		}
	}
	return nil
}

func enumErr[S ~string](field, got string, want []S) error {
	names := make([]string, len(want))
	for i, w := range want {
		names[i] = string(w)
	}
	if len(got) > 40 || !utf8.ValidString(got) {
		got = strings.ToValidUTF8(truncate(got, 40), "\uFFFD") + "..."
	}
	return fieldErr(field, ErrInvalidValue, "%q, want one of %s", got, strings.Join(names, ", "))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
