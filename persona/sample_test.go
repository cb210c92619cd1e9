package persona

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestSampleDeterministic(t *testing.T) {
	a, b := Sample(42, 20), Sample(42, 20)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatal("same seed, different profiles")
	}
	c, _ := json.Marshal(Sample(43, 20))
	if string(ja) == string(c) {
		t.Fatal("different seeds, same profiles")
	}
	first, _ := json.MarshalIndent(Sample(1, 1)[0], "", "  ")
	golden(t, "sample_seed1.golden", string(first)+"\n")
	if n := len(Sample(1, -3)); n != 0 {
		t.Errorf("Sample(n<0) returned %d profiles", n)
	}
}

// TestSampleUniform draws 6000 profiles and checks every level of every
// attribute appears within 5 standard deviations of its expected count,
// and that the sampler draws only male and female, as the study did.
func TestSampleUniform(t *testing.T) {
	const n = 6000
	counts := map[string]map[string]int{}
	add := func(attr, v string) {
		if counts[attr] == nil {
			counts[attr] = map[string]int{}
		}
		counts[attr][v]++
	}
	for _, p := range Sample(2026, n) {
		if err := p.Validate(); err != nil {
			t.Fatalf("%s: %v", p.ID, err)
		}
		d, tr := p.Demographics, p.Traits
		add("age", string(d.Age))
		add("gender", string(d.Gender))
		add("education", string(d.Education))
		add("employment", string(d.Employment))
		add("income", string(d.Socioeconomic))
		for i, l := range tr.BigFive() {
			add(bigFiveNames[i], string(l))
		}
		add("ei", string(tr.EmotionalIntelligence))
		add("fi", string(tr.FluidIntelligence))
	}
	levelsOf := map[string]int{"age": 6, "gender": 2, "education": 4, "employment": 4, "income": 4,
		"openness": 2, "conscientiousness": 2, "extraversion": 2, "agreeableness": 2, "neuroticism": 2, "ei": 2, "fi": 2}
	for attr, k := range levelsOf {
		c := counts[attr]
		if len(c) != k {
			t.Errorf("%s: %d levels drawn, want %d: %v", attr, len(c), k, c)
		}
		p := 1 / float64(k)
		mean, sd := n*p, math.Sqrt(n*p*(1-p))
		for v, got := range c {
			if d := float64(got) - mean; d > 5*sd || d < -5*sd {
				t.Errorf("%s=%s drawn %d times, expected %.0f ± %.0f", attr, v, got, mean, 5*sd)
			}
		}
	}
}

func TestSampleNarrativeLength(t *testing.T) {
	for _, p := range Sample(3, 200) {
		if w := len(strings.Fields(p.Narrative)); w < 100 || w > 175 {
			t.Errorf("%s: narrative of %d words, want about 130-160 (the study's are 100-150)", p.ID, w)
		}
		if _, err := NeutralText.Context(&p); err != nil {
			t.Errorf("%s: no neutral control: %v", p.ID, err)
		}
	}
}
