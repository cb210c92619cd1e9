package bench

import (
	"math"
	"slices"
	"strconv"
	"testing"
)

// TestPersonaAssignmentIsRandom holds the item-to-persona assignment to the
// study's "personas randomly assigned to scenarios" for pools of every
// size, with items numbered as the loaders number them ("1", "2", ...):
// another seed is another draw, not the same assignment relabelled, and
// over many seeds the number of distinct personas 250 items use is that of
// independent uniform draws.
func TestPersonaAssignmentIsRandom(t *testing.T) {
	assign := func(seed int64, items, n int) []int {
		out := make([]int, items)
		for i := range out {
			out[i] = personaFor(seed, strconv.Itoa(i+1), n)
		}
		return out
	}
	t.Run("seeds give different assignments", func(t *testing.T) {
		for _, n := range []int{2, 4, 200} {
			var seen [][]int
			for seed := range int64(16) {
				a := assign(seed, 32, n)
				// Two uniform draws of 32 items agree with probability
				// at most 2^-32.
				if i := slices.IndexFunc(seen, func(b []int) bool { return slices.Equal(a, b) }); i >= 0 {
					t.Fatalf("pool of %d: seeds %d and %d assign every item the same persona: %v", n, i, seed, a)
				}
				seen = append(seen, a)
			}
		}
	})
	t.Run("distinct personas as for uniform draws", func(t *testing.T) {
		const items, seeds = 250, 200
		for _, n := range []int{200, 256, 499} {
			var total float64
			for seed := range int64(seeds) {
				total += float64(len(slices.Compact(slices.Sorted(slices.Values(assign(seed, items, n))))))
			}
			mean := total / seeds
			// Expected distinct values among m uniform draws from n;
			// the sd of one count is below 6, of the mean below 0.5.
			want := float64(n) * (1 - math.Pow(1-1/float64(n), items))
			if math.Abs(mean-want) > 2 {
				t.Errorf("pool of %d: %d items use %.1f distinct personas on average over %d seeds, want %.1f ± 2", n, items, mean, seeds, want)
			}
		}
	})
}
