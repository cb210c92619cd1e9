package stats

import (
	"math"
	"testing"
)

// Reference values derived by hand.
//
// Cohen (1960)-style worked example used in many textbooks (e.g. the Wikipedia
// article on Cohen's kappa): two raters, 50 items, yes/yes 20, yes/no 5,
// no/yes 10, no/no 15. po = 35/50 = 0.7; P(yes) = 25/50 * 30/50 = 0.3,
// P(no) = 25/50 * 20/50 = 0.2, pe = 0.5, kappa = (0.7-0.5)/(1-0.5) = 0.4.
func TestConfusionTextbook(t *testing.T) {
	c := Confusion{TP: 20, FP: 5, FN: 10, TN: 15}
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"n", float64(c.N()), 50},
		{"accuracy", c.Accuracy(), 0.7},
		{"precision", c.Precision(), 20.0 / 25}, // 0.8
		{"recall", c.Recall(), 20.0 / 30},       // 0.6667
		{"f1", c.F1(), 40.0 / 55},               // 2*20/(40+5+10)
		{"kappa", c.Kappa(), 0.4},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestConfusionAddAndEdges(t *testing.T) {
	var c Confusion
	for _, p := range [][2]bool{{true, true}, {true, false}, {false, true}, {false, false}, {false, false}} {
		c.Add(p[0], p[1])
	}
	if want := (Confusion{TP: 1, FP: 1, FN: 1, TN: 2}); c != want {
		t.Fatalf("Add: got %+v, want %+v", c, want)
	}
	if got := c.Merge(c); got.N() != 10 || got.TN != 4 {
		t.Errorf("Merge: got %+v", got)
	}
	var empty Confusion
	for name, v := range map[string]float64{"acc": empty.Accuracy(), "prec": empty.Precision(), "kappa": empty.Kappa()} {
		if !math.IsNaN(v) {
			t.Errorf("empty %s = %v, want NaN", name, v)
		}
	}
	// Both raters always say no: pe = 1, kappa undefined.
	if k := (Confusion{TN: 5}).Kappa(); !math.IsNaN(k) {
		t.Errorf("constant raters kappa = %v, want NaN", k)
	}
	// Perfect disagreement on a balanced set: po=0, pe=0.5, kappa=-1.
	if k := (Confusion{FP: 5, FN: 5}).Kappa(); math.Abs(k+1) > 1e-12 {
		t.Errorf("perfect disagreement kappa = %v, want -1", k)
	}
}
