package stats

import (
	"math"
	"math/big"
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
		if !closeAbs(tt.got, tt.want, 1e-12) {
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
	if k := (Confusion{FP: 5, FN: 5}).Kappa(); !closeAbs(k, -1, 1e-12) {
		t.Errorf("perfect disagreement kappa = %v, want -1", k)
	}
}

// TestKappaExact checks Kappa against the exact rational value of the
// binary form of Cohen's kappa, 2(TP·TN - FN·FP) / ((TP+FP)(FP+TN) +
// (TP+FN)(FN+TN)), computed with math/big: every table with counts 0..7,
// where an undefined kappa (zero denominator) must be NaN, and large,
// unbalanced tables, where a kappa computed from the rates po and pe loses
// digits to the cancellation in 1 - pe.
func TestKappaExact(t *testing.T) {
	check := func(c Confusion) {
		t.Helper()
		tp, fp, fn, tn := big.NewInt(int64(c.TP)), big.NewInt(int64(c.FP)), big.NewInt(int64(c.FN)), big.NewInt(int64(c.TN))
		mul := func(a, b *big.Int) *big.Int { return new(big.Int).Mul(a, b) }
		add := func(a, b *big.Int) *big.Int { return new(big.Int).Add(a, b) }
		num := new(big.Int).Lsh(new(big.Int).Sub(mul(tp, tn), mul(fn, fp)), 1)
		den := add(mul(add(tp, fp), add(fp, tn)), mul(add(tp, fn), add(fn, tn)))
		got := c.Kappa()
		if den.Sign() == 0 {
			if !math.IsNaN(got) {
				t.Errorf("%+v: kappa %v, want NaN (undefined)", c, got)
			}
			return
		}
		want, _ := new(big.Rat).SetFrac(num, den).Float64()
		if !closeRel(got, want, 1e-13) {
			t.Errorf("%+v: kappa %.17g, want %.17g", c, got, want)
		}
	}
	for i := range 8 * 8 * 8 * 8 {
		check(Confusion{TP: i % 8, FP: i / 8 % 8, FN: i / 64 % 8, TN: i / 512})
	}
	for _, c := range []Confusion{
		{TP: 1_000_000_000, FP: 1, TN: 1},
		{TP: 1_000_000, FP: 3, FN: 2, TN: 5},
		{TP: 5, FP: 1_000_000_000, FN: 3, TN: 1_000_000_000},
		{TP: 3_000_000_000, FP: 7, FN: 11, TN: 13},
	} {
		check(c)
	}
}
