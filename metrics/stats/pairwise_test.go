package stats

import (
	"math"
	"testing"
)

// Hand derivations (z uses the null SE sqrt(n/4)):
//
//	k=60, n=100: z = (60-50)/5 = 2, p = 2(1-Φ(2)) = 0.04550026389635842
//	k=50, n=100: z = 0, p = 1
//	k=0, n=16:   z = (0-8)/2 = -4, p = 2(1-Φ(4)) = 6.334248366623996e-05
//	k=27, n=36:  z = (27-18)/3 = 3, p = 2(1-Φ(3)) = 0.0026997960632601866
//
// Φ values from standard normal tables (A&S 26.1). Wilson bounds for 60/100
// from bc -l: 0.502002873218839, 0.690598808939559.
func TestPairwise(t *testing.T) {
	tests := []struct {
		name             string
		k, n, invalid    int
		p, z, pv, lo, hi float64
	}{
		{"60 of 100", 60, 100, 3, 0.6, 2, 0.04550026389635842, 0.502002873218839, 0.690598808939559},
		{"no effect", 50, 100, 0, 0.5, 0, 1, math.NaN(), math.NaN()},
		{"never personalized", 0, 16, 1, 0, -4, 6.334248366623996e-05, 0, math.NaN()},
		{"27 of 36", 27, 36, 0, 0.75, 3, 0.0026997960632601866, math.NaN(), math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Pairwise(tt.k, tt.n, tt.invalid)
			if got.K != tt.k || got.N != tt.n || got.Invalid != tt.invalid {
				t.Errorf("counts = %d/%d/%d", got.K, got.N, got.Invalid)
			}
			if !close6(got.P, tt.p) || !close6(got.Z, tt.z) || !closeRel(got.PValue, tt.pv, 1e-9) {
				t.Errorf("got P=%v Z=%v PValue=%v, want %v %v %v", got.P, got.Z, got.PValue, tt.p, tt.z, tt.pv)
			}
			if !math.IsNaN(tt.lo) && !close6(got.CI.Lo, tt.lo) {
				t.Errorf("CI.Lo = %v, want %v", got.CI.Lo, tt.lo)
			}
			if !math.IsNaN(tt.hi) && !close6(got.CI.Hi, tt.hi) {
				t.Errorf("CI.Hi = %v, want %v", got.CI.Hi, tt.hi)
			}
		})
	}
}

// The null-SE z test and the Wilson interval are the same score test, so
// 0.5 is outside the 95% interval exactly when the p-value is below 0.05.
func TestPairwiseMatchesWilson(t *testing.T) {
	for n := 1; n <= 120; n++ {
		for k := 0; k <= n; k++ {
			r := Pairwise(k, n, 0)
			if math.Abs(r.PValue-0.05) < 1e-9 {
				continue // on the boundary either answer is right
			}
			if outside := !r.CI.Contains(0.5); outside != (r.PValue < 0.05) {
				t.Fatalf("k=%d n=%d: CI %+v, p=%v", k, n, r.CI, r.PValue)
			}
		}
	}
}

func TestPairwiseInvalid(t *testing.T) {
	for _, c := range [][3]int{{0, 0, 5}, {3, 2, 0}, {1, 4, -1}} {
		r := Pairwise(c[0], c[1], c[2])
		if !math.IsNaN(r.P) || !math.IsNaN(r.Z) || !math.IsNaN(r.PValue) || r.CI.Valid() {
			t.Errorf("Pairwise%v = %+v, want NaN", c, r)
		}
	}
}
