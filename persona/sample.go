package persona

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Sampler draws synthetic profiles the way the study did: every attribute
// independently and uniformly from its levels (age band, male or female,
// education, employment, income band, each Big Five trait and emotional and
// fluid intelligence low or high), with a first-person narrative rendered
// from a template of the attributes (the study had GPT-4o write its
// narratives; a template keeps the sampler offline and deterministic).
//
// A Sampler is deterministic for its seed, on every platform and Go
// version: it uses PCG and its own bounded draws. It is not safe for
// concurrent use; give each goroutine its own.
type Sampler struct {
	seed uint64
	rng  *rand.PCG
	n    int
}

// NewSampler returns a sampler seeded with seed.
func NewSampler(seed uint64) *Sampler {
	return &Sampler{seed: seed, rng: rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)}
}

// Sample returns the first n profiles of a sampler seeded with seed.
func Sample(seed uint64, n int) []Profile {
	s := NewSampler(seed)
	out := make([]Profile, max(n, 0))
	for i := range out {
		out[i] = s.Next()
	}
	return out
}

// Next draws the next profile. Its ID is "sample-SEED-N", N counting from 0.
func (s *Sampler) Next() Profile {
	p := Profile{
		ID: fmt.Sprintf("sample-%d-%d", s.seed, s.n),
		Demographics: Demographics{
			Age:           pick(s, ageBands),
			Gender:        pick(s, genders[:2]), // the study drew male and female only
			Education:     pick(s, educations),
			Employment:    pick(s, employments),
			Socioeconomic: pick(s, socioeconomics),
		},
		Traits: Traits{
			Openness:              pick(s, levels),
			Conscientiousness:     pick(s, levels),
			Extraversion:          pick(s, levels),
			Agreeableness:         pick(s, levels),
			Neuroticism:           pick(s, levels),
			EmotionalIntelligence: pick(s, levels),
			FluidIntelligence:     pick(s, levels),
		},
	}
	s.n++
	p.Narrative = narrate(p)
	return p
}

// pick draws uniformly from vals by rejection sampling, so the result does
// not depend on math/rand's algorithms, which may change.
func pick[T any](s *Sampler, vals []T) T {
	n := uint64(len(vals))
	limit := ^uint64(0) - ^uint64(0)%n
	for {
		if v := s.rng.Uint64(); v < limit {
			return vals[v%n]
		}
	}
}

// Trait sentences for the narrative template, low then high.
var traitSentences = [7][2]string{
	{"I prefer the familiar and like ideas that have proven themselves in practice.",
		"I am curious about new ideas, art and places, and I enjoy trying things I have never done."},
	{"I tend to improvise and my plans often stay loose, which sometimes leaves things unfinished.",
		"I am organized and dependable, and I like to finish what I start on time."},
	{"I recharge on my own and prefer quiet evenings to crowded rooms.",
		"I draw energy from other people and I am usually the one who starts a conversation."},
	{"I say what I think even when it causes friction, and I am slow to trust.",
		"I care about getting along and I usually give people the benefit of the doubt."},
	{"I stay calm under pressure and rarely dwell on setbacks.",
		"I worry easily, and stress can stay with me for days."},
	{"Reading other people's feelings does not come naturally to me.",
		"I notice quickly how others feel and can usually put my own feelings into words."},
	{"Abstract puzzles and fast problem-solving are hard for me, so I take my time.",
		"I pick up new concepts quickly and enjoy working through hard problems."},
}

// narrate renders the template narrative of p's attributes: 132 to 162
// words, as long as the study's pool's (128 to 186, mean 153; upstream's
// README says 100-150).
func narrate(p Profile) string {
	var b strings.Builder
	d := p.Demographics.sentence(FirstPerson)
	b.WriteString(d)
	b.WriteString(" ")
	b.WriteString(employmentStories[p.Demographics.Employment])
	t := p.Traits
	for i, l := range [7]Level{t.Openness, t.Conscientiousness, t.Extraversion, t.Agreeableness, t.Neuroticism, t.EmotionalIntelligence, t.FluidIntelligence} {
		k := 0
		if l == High {
			k = 1
		}
		b.WriteString(" ")
		b.WriteString(traitSentences[i][k])
	}
	b.WriteString(" I am trying to make good decisions about the next few years of my life.")
	return b.String()
}

var employmentStories = map[Employment]string{
	Employed:   "Most of my week goes to my job, and I try to keep some time for myself outside it.",
	Unemployed: "I am between jobs at the moment and looking for my next step.",
	Student:    "My days are shaped by classes, reading and deadlines.",
	Retired:    "Since I stopped working I have more time, and I am still working out how to use it well.",
}
