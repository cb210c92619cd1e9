package stats

import (
	"math"
	"testing"
)

// Invariants of the interval functions for any input: no panic; either a
// NaN interval (documented invalid input) or 0 <= Lo <= P <= Hi <= 1.
func FuzzWilson(f *testing.F) {
	f.Add(81, 263, 0.95)
	f.Add(0, 0, 0.95)
	f.Add(1, 1_000_000_000_000_000, 0.99)
	f.Add(5, 5, 0.5)
	f.Add(-1, 3, 1.0)
	f.Add(math.MaxInt, math.MaxInt, 0.95)
	f.Fuzz(func(t *testing.T, k, n int, level float64) {
		ci := Wilson(k, n, level)
		valid := n > 0 && k >= 0 && k <= n && level > 0 && level < 1
		if !valid {
			if !math.IsNaN(ci.Lo) || !math.IsNaN(ci.Hi) {
				t.Fatalf("Wilson(%d, %d, %v) = %+v, want NaN", k, n, level, ci)
			}
			return
		}
		p := float64(k) / float64(n)
		if !(0 <= ci.Lo && ci.Lo <= p && p <= ci.Hi && ci.Hi <= 1) {
			t.Fatalf("Wilson(%d, %d, %v) = %+v, p = %v", k, n, level, ci, p)
		}
	})
}

func FuzzPairwise(f *testing.F) {
	f.Add(60, 100, 3)
	f.Add(0, 0, 0)
	f.Add(7, 7, 1)
	f.Add(math.MaxInt/2, math.MaxInt, 0)
	f.Fuzz(func(t *testing.T, k, n, invalid int) {
		r := Pairwise(k, n, invalid)
		if r.K != k || r.N != n || r.Invalid != invalid {
			t.Fatalf("counts not kept: %+v", r)
		}
		if n <= 0 || k < 0 || k > n || invalid < 0 {
			if !math.IsNaN(r.P) || !math.IsNaN(r.PValue) {
				t.Fatalf("invalid input gave numbers: %+v", r)
			}
			return
		}
		if !(0 <= r.CI.Lo && r.CI.Lo <= r.P && r.P <= r.CI.Hi && r.CI.Hi <= 1) {
			t.Fatalf("interval invariant broken: %+v", r)
		}
		if !(r.PValue >= 0 && r.PValue <= 1) || math.IsNaN(r.Z) {
			t.Fatalf("z-test out of range: %+v", r)
		}
		if lt := LogitTest(k, n); k > 0 && k < n && (math.IsNaN(lt.Z) || !(lt.PValue >= 0 && lt.PValue <= 1)) {
			t.Fatalf("LogitTest(%d, %d) = %+v", k, n, lt)
		}
	})
}

// The exact test is a probability and symmetric in k and n-k. n is kept
// below 2^32 so that the fuzzer spends its time on values, not on summing.
func FuzzBinomialTest(f *testing.F) {
	f.Add(uint32(2), uint32(10))
	f.Add(uint32(0), uint32(1))
	f.Add(uint32(1<<29), uint32(1<<30+7))
	f.Fuzz(func(t *testing.T, k, n uint32) {
		p := BinomialTest(int(k), int(n))
		if n == 0 || k > n {
			if !math.IsNaN(p) {
				t.Fatalf("BinomialTest(%d, %d) = %v, want NaN", k, n, p)
			}
			return
		}
		if !(p >= 0 && p <= 1) {
			t.Fatalf("BinomialTest(%d, %d) = %v", k, n, p)
		}
		if q := BinomialTest(int(n-k), int(n)); q != p {
			t.Fatalf("not symmetric: %v vs %v", p, q)
		}
	})
}

func FuzzNormalQuantile(f *testing.F) {
	for _, p := range []float64{0.5, 0.975, 1e-300, 0.425, 0.075, 1 - 1e-16, 0, 1, -1, math.NaN()} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p float64) {
		x := NormalQuantile(p)
		if !(p > 0 && p < 1) {
			return // NaN or ±Inf, checked in the unit tests
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			t.Fatalf("NormalQuantile(%v) = %v", p, x)
		}
		// Φ(x) recovers p to a relative 1e-9 in the lower half; in the
		// upper half 1-p carries the precision, so compare survival.
		if p <= 0.5 {
			if got := NormalCDF(x); !closeRel(got, p, 1e-9) {
				t.Fatalf("NormalCDF(NormalQuantile(%v)) = %v", p, got)
			}
		} else if got := NormalSF(x); !closeAbs(got, 1-p, 1e-9*(1-p)+1e-16) {
			t.Fatalf("NormalSF(NormalQuantile(%v)) = %v, want %v", p, got, 1-p)
		}
	})
}

func FuzzChiSquare(f *testing.F) {
	f.Add(3.84, 1.0, 30, 10, 20, 40)
	f.Add(0.0, 0.5, 0, 0, 0, 0)
	f.Add(1e300, 1e6, math.MaxInt, 1, 1, math.MaxInt)
	f.Fuzz(func(t *testing.T, x, df float64, a, b, c, d int) {
		p := ChiSquareSF(x, df)
		if !math.IsNaN(p) && !(p >= 0 && p <= 1) {
			t.Fatalf("ChiSquareSF(%v, %v) = %v", x, df, p)
		}
		if df > 0 && df < 1e6 && x >= 0 && !math.IsInf(x, 0) && math.IsNaN(p) {
			t.Fatalf("ChiSquareSF(%v, %v) = NaN", x, df)
		}
		for _, yates := range []bool{false, true} {
			r := ChiSquare2x2(a, b, c, d, yates)
			if math.IsNaN(r.Statistic) {
				continue
			}
			if r.Statistic < 0 || !(r.PValue >= 0 && r.PValue <= 1) {
				t.Fatalf("ChiSquare2x2(%d,%d,%d,%d,%v) = %+v", a, b, c, d, yates, r)
			}
		}
	})
}

func FuzzFlips(f *testing.F) {
	f.Add([]byte{1, 1, 0, 1, 0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		a := make([]bool, len(raw))
		for i, b := range raw {
			a[i] = b&1 == 1
		}
		tof, nof := TurnOfFlip(a), NumberOfFlips(a)
		if tof < 0 || tof > len(a) || nof < 0 || (len(a) > 0 && nof > len(a)-1) {
			t.Fatalf("ToF %d NoF %d for %v", tof, nof, a)
		}
		if tof < len(a) && a[tof] {
			t.Fatalf("turn %d counted as the flip but is aligned", tof)
		}
		if tof == len(a) && nof != 0 {
			t.Fatalf("never flipped but NoF = %d", nof)
		}
	})
}

// A logistic fit of any small design returns an error or finite
// coefficients with positive SEs; it never panics or loops.
func FuzzFitLogistic(f *testing.F) {
	f.Add([]byte{0, 1, 1, 0, 2, 1, 3, 0, 1, 1, 2, 0})
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{255, 1, 0, 0, 7, 1, 200, 0})
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > 400 {
			raw = raw[:400]
		}
		var obs []Observation
		for i := 0; i+1 < len(raw); i += 2 {
			obs = append(obs, Observation{
				Item:      string(rune('a' + i%5)),
				Condition: []string{"g", "p", "p+"}[int(raw[i])%3],
				Round:     int(raw[i]) / 3 % 11,
				Outcome:   raw[i+1]&1 == 1,
			})
		}
		d, err := RoundConditionDesign(obs, RoundConditionSpec{})
		if err != nil {
			return
		}
		fit, err := FitLogistic(d, LogisticOptions{})
		if err != nil {
			return
		}
		for _, c := range fit.Coefficients {
			if math.IsNaN(c.Estimate) || math.IsInf(c.Estimate, 0) || !(c.SE > 0) || math.IsInf(c.SE, 0) {
				t.Fatalf("non-finite coefficient %+v", c)
			}
		}
	})
}
