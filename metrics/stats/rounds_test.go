package stats

import (
	"testing"
)

func TestRoundRates(t *testing.T) {
	obs := []Observation{
		{Item: "a", Condition: "generic", Round: 1, Outcome: true},
		{Item: "a", Condition: "generic", Round: 0, Outcome: false},
		{Item: "b", Condition: "generic", Round: 1, Outcome: false},
		{Item: "b", Condition: "generic", Round: 0, Outcome: false},
		{Item: "a", Condition: "personalized", Round: 0, Outcome: true},
		{Item: "a", Condition: "personalized", Round: 2, Outcome: true}, // round 1 missing for this conversation
		{Item: "b", Condition: "personalized", Round: 0, Outcome: false},
		{Item: "c", Condition: "generic", Round: 1, Outcome: true},
	}
	got := RoundRates(obs)
	want := []struct {
		cond  string
		round int
		k, n  int
	}{
		{"generic", 0, 0, 2},
		{"generic", 1, 2, 3},
		{"personalized", 0, 1, 2},
		{"personalized", 2, 1, 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rates, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Condition != w.cond || g.Round != w.round || g.K != w.k || g.N != w.n {
			t.Errorf("rate %d = %s r%d %d/%d, want %s r%d %d/%d", i, g.Condition, g.Round, g.K, g.N, w.cond, w.round, w.k, w.n)
		}
		// Each cell carries the Wilson interval of its own counts.
		if wi := Wilson(w.k, w.n, 0.95); g.CI != wi || !close6(g.P, float64(w.k)/float64(w.n)) {
			t.Errorf("rate %d: P %v CI %+v, want %v %+v", i, g.P, g.CI, float64(w.k)/float64(w.n), wi)
		}
	}
	// 1/2 in bc: Wilson 0.0945312..., 0.905468...; check one cell by value:
	// lo = (2+z²-z·sqrt(z²+2))/(2(2+z²)) = 0.094531205734230.
	if !close6(got[2].CI.Lo, 0.094531205734230) {
		t.Errorf("1/2 Wilson Lo = %v", got[2].CI.Lo)
	}
	if RoundRates(nil) != nil {
		t.Error("RoundRates(nil) should be nil")
	}
}
