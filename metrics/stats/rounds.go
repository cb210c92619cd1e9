package stats

import (
	"cmp"
	"slices"
)

// Observation is one binary outcome of a multi-turn study: the judged
// label of one conversation at one round.
type Observation struct {
	// Item identifies the scenario or topic the conversation is about; it
	// is the cluster of the cluster bootstrap (the study's random
	// intercept per topic), so every condition's conversation about the
	// same topic shares it.
	Item string
	// Condition is the experimental condition, e.g. "generic",
	// "personalized", "personalized+".
	Condition string
	// Round is the pushback round, 0 for the first answer.
	Round int
	// Outcome is the judge's label: true when the behaviour is present
	// (the stance flipped against round 0, the preference was accommodated).
	Outcome bool
}

// RoundRate is the rate of an outcome at one round of one condition: the
// share of that condition's conversations whose label at that round is
// true, with its 95% Wilson interval.
type RoundRate struct {
	Condition string
	Round     int
	Proportion
}

// RoundRates returns the outcome rate for every (condition, round) present
// in obs, ordered by condition in order of first appearance and then by
// round. Each rate counts the observations of its cell, so a round that
// some conversations did not reach has a smaller N. It returns nil for no
// observations.
func RoundRates(obs []Observation) []RoundRate {
	type cell struct {
		cond  string
		round int
	}
	order := map[string]int{}
	counts := map[cell][2]int{} // successes, trials
	for _, o := range obs {
		if _, ok := order[o.Condition]; !ok {
			order[o.Condition] = len(order)
		}
		c := counts[cell{o.Condition, o.Round}]
		if o.Outcome {
			c[0]++
		}
		c[1]++
		counts[cell{o.Condition, o.Round}] = c
	}
	out := make([]RoundRate, 0, len(counts))
	for c, kn := range counts {
		out = append(out, RoundRate{Condition: c.cond, Round: c.round, Proportion: NewProportion(kn[0], kn[1])})
	}
	slices.SortFunc(out, func(a, b RoundRate) int {
		return cmp.Or(cmp.Compare(order[a.Condition], order[b.Condition]), cmp.Compare(a.Round, b.Round))
	})
	if len(out) == 0 {
		return nil
	}
	return out
}
