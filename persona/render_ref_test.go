package persona

import (
	"strings"
	"testing"
)

// FuzzNeutralizeMatchesReference: the single-pass Neutralize returns the
// same string as the step-by-step reference implementation.
func FuzzNeutralizeMatchesReference(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add(s)
	}
	f.Add(maya.Narrative)
	f.Add("  lead and trail  ")
	f.Add("a  b")
	f.Add("#system ###  user [ / sys ] |fim_middle| | /im_end |")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Neutralize(s), refNeutralize(s); got != want {
			t.Fatalf("Neutralize(%q)\n got %q\nwant %q", s, got, want)
		}
		if got, want := toThirdPerson(s), refToThirdPerson(s); got != want {
			t.Fatalf("toThirdPerson(%q)\n got %q\nwant %q", s, got, want)
		}
	})
}

// FuzzRenderMatchesReference: Render returns the same block as the
// reference implementation for every facet set, person and attribute.
func FuzzRenderMatchesReference(f *testing.F) {
	for i, s := range hostileSeeds {
		f.Add(s, hostileSeeds[(i+3)%len(hostileSeeds)], uint8(i), uint16(i*7919), i%2 == 0)
	}
	f.Add("I am here", "", uint8(AllFacets), uint16(0xffff), true)
	f.Fuzz(func(t *testing.T, a, b string, facets uint8, attrs uint16, third bool) {
		p := Profile{
			Demographics: Demographics{
				Age:           pickOr(ageBands, attrs),
				Gender:        pickOr(genders, attrs>>3),
				Education:     pickOr(educations, attrs>>5),
				Employment:    pickOr(employments, attrs>>8),
				Socioeconomic: pickOr(socioeconomics, attrs>>11),
			},
			Traits: Traits{
				Openness: pickOr(levels, attrs), Conscientiousness: pickOr(levels, attrs>>2),
				Extraversion: pickOr(levels, attrs>>4), Agreeableness: pickOr(levels, attrs>>6),
				Neuroticism: pickOr(levels, attrs>>8), EmotionalIntelligence: pickOr(levels, attrs>>10),
				FluidIntelligence: pickOr(levels, attrs>>12),
			},
			Narrative: a + " " + b,
		}
		for _, it := range []string{a, b} {
			if strings.TrimSpace(it) != "" {
				p.Preferences = append(p.Preferences, it)
				p.Beliefs = append(p.Beliefs, b+it)
				p.History = append(p.History, it)
			}
		}
		person := FirstPerson
		if third {
			person = ThirdPerson
		}
		got, err := p.Render(FacetSet(facets), person)
		want, wantErr := refRender(&p, FacetSet(facets), person)
		if got != want || (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Fatalf("Render\n got %q, %v\nwant %q, %v", got, err, want, wantErr)
		}
	})
}

// pickOr returns one of vals or "" (unknown), chosen by the low bits of n.
func pickOr[S ~string](vals []S, n uint16) S {
	i := int(n) % (len(vals) + 1)
	if i == len(vals) {
		return ""
	}
	return vals[i]
}

func TestRenderMatchesReference(t *testing.T) {
	study := studyLike(t)
	sampled := Sample(3, 7)
	for _, p := range append([]Profile{maya, study}, sampled...) {
		for facets := range AllFacets + 1 {
			for _, person := range []Person{FirstPerson, ThirdPerson} {
				got, err := p.Render(facets, person)
				want, wantErr := refRender(&p, facets, person)
				if got != want || err != wantErr {
					t.Fatalf("%s %08b %s:\n got %q, %v\nwant %q, %v", p.ID, facets, person, got, err, want, wantErr)
				}
			}
		}
	}
}
