package persona

import (
	"encoding/json"
	"math"
	"slices"
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
			t.Errorf("%s: narrative of %d words, want about 132-162 (the study's pool: 128-186)", p.ID, w)
		}
		if _, err := NeutralText.Context(&p); err != nil {
			t.Errorf("%s: no neutral control: %v", p.ID, err)
		}
	}
}

// TestSampleChiSquare holds the sampler to the study's design with
// chi-square tests on 12,000 profiles of a fixed seed: each attribute's
// levels are uniform (goodness of fit), and every pair of attributes is
// independent (a contingency test), each at the 0.001 level. The seed is
// fixed, so the test is deterministic; a sampler that favoured a level, or
// drew two attributes from one number, fails it.
func TestSampleChiSquare(t *testing.T) {
	const n = 12000
	// Upper 0.001 quantiles of the chi-square distribution by degrees of
	// freedom (the levels are 6, 4 or 2, so (k-1)(l-1) is one of these).
	crit := map[int]float64{1: 10.828, 3: 16.266, 5: 20.515, 9: 27.877, 15: 37.697}
	type attr struct {
		name   string
		levels int
		of     func(p Profile) int
	}
	attrs := []attr{
		{"age", 6, func(p Profile) int { return slices.Index(ageBands, p.Demographics.Age) }},
		{"gender", 2, func(p Profile) int { return slices.Index(genders[:2], p.Demographics.Gender) }},
		{"education", 4, func(p Profile) int { return slices.Index(educations, p.Demographics.Education) }},
		{"employment", 4, func(p Profile) int { return slices.Index(employments, p.Demographics.Employment) }},
		{"income", 4, func(p Profile) int { return slices.Index(socioeconomics, p.Demographics.Socioeconomic) }},
	}
	for i := range 5 {
		attrs = append(attrs, attr{bigFiveNames[i], 2, func(p Profile) int { return slices.Index(levels, p.Traits.BigFive()[i]) }})
	}
	attrs = append(attrs,
		attr{"emotional intelligence", 2, func(p Profile) int { return slices.Index(levels, p.Traits.EmotionalIntelligence) }},
		attr{"fluid intelligence", 2, func(p Profile) int { return slices.Index(levels, p.Traits.FluidIntelligence) }})

	ps := Sample(7, n)
	got := make([][]int, len(ps)) // got[p][a]: level index of attribute a
	for i, p := range ps {
		got[i] = make([]int, len(attrs))
		for a, at := range attrs {
			if got[i][a] = at.of(p); got[i][a] < 0 {
				t.Fatalf("%s: %s is not one of the study's levels", p.ID, at.name)
			}
		}
	}
	for a, at := range attrs {
		counts := make([]float64, at.levels)
		for i := range got {
			counts[got[i][a]]++
		}
		var x2 float64
		e := float64(n) / float64(at.levels)
		for _, c := range counts {
			x2 += (c - e) * (c - e) / e
		}
		if c := crit[at.levels-1]; x2 > c {
			t.Errorf("%s: chi-square %.1f > %.1f (df %d): not uniform: %v", at.name, x2, c, at.levels-1, counts)
		}
	}
	for a := range attrs {
		for b := a + 1; b < len(attrs); b++ {
			ka, kb := attrs[a].levels, attrs[b].levels
			table := make([]float64, ka*kb)
			ra, rb := make([]float64, ka), make([]float64, kb)
			for i := range got {
				table[got[i][a]*kb+got[i][b]]++
				ra[got[i][a]]++
				rb[got[i][b]]++
			}
			var x2 float64
			for i := range ka {
				for j := range kb {
					e := ra[i] * rb[j] / n
					d := table[i*kb+j] - e
					x2 += d * d / e
				}
			}
			df := (ka - 1) * (kb - 1)
			if x2 > crit[df] {
				t.Errorf("%s x %s: chi-square %.1f > %.1f (df %d): not independent", attrs[a].name, attrs[b].name, x2, crit[df], df)
			}
		}
	}
}
