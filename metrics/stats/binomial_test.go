package stats

import (
	"math"
	"math/big"
	"testing"
)

// Exact two-sided binomial p-values against 0.5, derived by hand as
// 2·Σ_{j<=min(k,n-k)} C(n,j) / 2^n:
//
//	k=2,  n=10: 2(1+10+45)/1024                       = 0.109375
//	k=0,  n=10: 2/1024                                = 0.001953125
//	k=9,  n=10: 2(1+10)/1024                          = 0.021484375
//	k=7,  n=20: 2(1+20+190+1140+4845+15504+38760+77520)/2^20
//	          = 2·137980/1048576                      = 0.26317596435546875
//	k=1,  n=1:  2·1/2 capped at 1                     = 1
//
// and for large n the same sum in exact integer arithmetic (bc, the
// binomial coefficients by C(n,j+1) = C(n,j)(n-j)/(j+1), scale=40):
//
//	k=450,    n=1000:   0.0017305360849763176
//	k=4900,   n=10000:  0.046585527704947389
//	k=49700,  n=100000: 0.058197353110193746
func TestBinomialTest(t *testing.T) {
	tests := []struct {
		name string
		k, n int
		want float64
	}{
		{"2 of 10", 2, 10, 0.109375},
		{"8 of 10 (mirror)", 8, 10, 0.109375},
		{"0 of 10", 0, 10, 0.001953125},
		{"10 of 10", 10, 10, 0.001953125},
		{"9 of 10", 9, 10, 0.021484375},
		{"7 of 20", 7, 20, 0.26317596435546875},
		{"half", 5, 10, 1},
		{"1 of 1 caps at 1", 1, 1, 1},
		{"450 of 1000", 450, 1000, 0.0017305360849763176},
		{"4900 of 10000", 4900, 10000, 0.046585527704947389},
		{"49700 of 100000", 49700, 100000, 0.058197353110193746},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BinomialTest(tt.k, tt.n); !closeRel(got, tt.want, 1e-12) {
				t.Errorf("BinomialTest(%d, %d) = %.17g, want %.17g", tt.k, tt.n, got, tt.want)
			}
		})
	}
	for _, c := range [][2]int{{0, 0}, {-1, 3}, {4, 3}} {
		if got := BinomialTest(c[0], c[1]); !math.IsNaN(got) {
			t.Errorf("BinomialTest%v = %v, want NaN", c, got)
		}
	}
}

// TestBinomialTestEnumeration checks every k of n across the thresholds of
// the Stirling-error series (15, 35, 80, 500) against the exact p-value
// 2·Σ_{j<=min(k,n-k)} C(n,j) / 2^n summed in math/big, to 1e-12 relative
// down to p-values near 1e-300 (where the exponential of a large log-pmf
// costs a few digits; moderate p-values are good to about 1e-15).
func TestBinomialTestEnumeration(t *testing.T) {
	ns := []int{1, 2, 3, 4, 5, 14, 15, 16, 17, 30, 35, 36, 37, 79, 80, 81, 82, 499, 500, 501, 502, 997}
	for _, n := range ns {
		// prefix[m] = Σ_{j<=m} C(n,j), exactly.
		prefix := make([]*big.Int, n+1)
		c, sum := big.NewInt(1), new(big.Int)
		for j := 0; j <= n; j++ {
			sum.Add(sum, c)
			prefix[j] = new(big.Int).Set(sum)
			c.Mul(c, big.NewInt(int64(n-j)))
			c.Quo(c, big.NewInt(int64(j+1)))
		}
		pow := new(big.Int).Lsh(big.NewInt(1), uint(n))
		for k := 0; k <= n; k++ {
			m := min(k, n-k)
			want := 1.0
			if 2*m != n {
				want, _ = new(big.Rat).SetFrac(new(big.Int).Lsh(prefix[m], 1), pow).Float64()
				want = math.Min(1, want)
			}
			if got := BinomialTest(k, n); !closeRel(got, want, 1e-12) {
				t.Errorf("BinomialTest(%d, %d) = %.17g, want %.17g", k, n, got, want)
			}
		}
	}
}

// Above 2^30 trials BinomialTest takes the continuity-corrected normal
// approximation; just above, it must agree with the exact sum to the
// documented 1e-9, on both tails.
func TestBinomialTestHugeN(t *testing.T) {
	n := exactBinomialMaxN + 2
	for _, d := range []int{1, 10_000, 30_000, 60_000} {
		m := n/2 - d
		exact := min(1, 2*binomialLowerTailHalf(m, n))
		for _, k := range []int{m, n - m} {
			if got := BinomialTest(k, n); !closeAbs(got, exact, 1e-9) {
				t.Errorf("BinomialTest(n/2%+d, 2^30+2) = %.15g, exact %.15g", k-n/2, got, exact)
			}
		}
	}
	if got := BinomialTest(1<<40, 1<<41); got != 1 {
		t.Errorf("BinomialTest(2^40, 2^41) = %v, want 1", got)
	}
	if got := BinomialTest(0, 1<<41); got != 0 {
		t.Errorf("BinomialTest(0, 2^41) = %v, want 0 (underflow)", got)
	}
}

// Binomial pmf by Loader's method against exact small cases:
// C(10,3)/1024 = 120/1024, C(20,7)·0.3^7·0.7^13 evaluated exactly.
func TestBinomialPMF(t *testing.T) {
	if got := binomialPMF(3, 10, 0.5); !closeRel(got, 120.0/1024, 1e-14) {
		t.Errorf("pmf(3;10,.5) = %.17g", got)
	}
	// 77520 · 0.3^7 · 0.7^13 = 77520 · 0.0002187 · 0.0096889010407 = 0.16426010748...
	want := 77520 * math.Pow(0.3, 7) * math.Pow(0.7, 13)
	if got := binomialPMF(7, 20, 0.3); !closeRel(got, want, 1e-13) {
		t.Errorf("pmf(7;20,.3) = %.17g, want %.17g", got, want)
	}
}

// Hand derivations: logit = log(k/(n-k)), SE = sqrt(1/k+1/(n-k)), z = logit/SE,
// p = 2(1-Φ(|z|)) with Φ from its Taylor series in bc -l (scale=40):
//
//	k=60, n=100: logit 0.40546510810816438, SE 0.20412414523193151,
//	             z 1.9863652467348421,  p 0.046992782617713940
//	k=3,  n=20:  logit -1.7346010553881064, SE 0.62622429108514949,
//	             z -2.7699357563762211, p 0.0056067350224583706
func TestLogitTest(t *testing.T) {
	tests := []struct {
		name             string
		k, n             int
		logit, se, z, pv float64
	}{
		{"60 of 100", 60, 100, 0.40546510810816438, 0.20412414523193151, 1.9863652467348421, 0.046992782617713940},
		{"3 of 20", 3, 20, -1.7346010553881064, 0.62622429108514949, -2.7699357563762211, 0.0056067350224583706},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LogitTest(tt.k, tt.n)
			if !close6(got.LogOdds, tt.logit) || !close6(got.SE, tt.se) || !close6(got.Z, tt.z) || !closeRel(got.PValue, tt.pv, 1e-9) {
				t.Errorf("LogitTest(%d, %d) = %+v, want logit %v se %v z %v p %v", tt.k, tt.n, got, tt.logit, tt.se, tt.z, tt.pv)
			}
			h := 1.959963984540054 * tt.se
			if !close6(got.CI.Lo, tt.logit-h) || !close6(got.CI.Hi, tt.logit+h) {
				t.Errorf("CI = %+v, want %v ± %v", got.CI, tt.logit, h)
			}
		})
	}
	for _, c := range [][2]int{{0, 10}, {10, 10}, {0, 0}, {-1, 3}} {
		got := LogitTest(c[0], c[1])
		if !math.IsNaN(got.LogOdds) || !math.IsNaN(got.Z) || !math.IsNaN(got.PValue) || got.CI.Valid() {
			t.Errorf("LogitTest%v = %+v, want NaN (log-odds infinite or undefined)", c, got)
		}
	}
}

func TestBinomialZ(t *testing.T) {
	// z = (60-50)/5 = 2, p = 2(1-Φ(2)) = 0.04550026389635842 (A&S 26.1).
	z, p := BinomialZ(60, 100)
	if !close6(z, 2) || !closeRel(p, 0.04550026389635842, 1e-12) {
		t.Errorf("BinomialZ(60, 100) = %v, %v", z, p)
	}
	// Huge n must not overflow: k = n = 2^62, z = sqrt(n) = 2^31.
	z, p = BinomialZ(1<<62, 1<<62)
	if z != 1<<31 || p != 0 {
		t.Errorf("BinomialZ(2^62, 2^62) = %v, %v", z, p)
	}
}
