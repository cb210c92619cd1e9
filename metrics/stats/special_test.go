package stats

import (
	"math"
	"testing"
)

// Reference values:
//   - closed forms: df=1: erfc(sqrt(x/2)); df=2: exp(-x/2);
//     df=3: erfc(sqrt(x/2)) + sqrt(2x/π)·exp(-x/2); df=4: exp(-x/2)(1+x/2);
//     evaluated by hand below where the inputs are round;
//   - the 5% and 1% critical values of standard chi-square tables (e.g.
//     NIST/SEMATECH e-Handbook 1.3.6.7.4), printed to 3 decimals, so those
//     p-values are checked to the table's own precision (2e-5).
func TestChiSquareSF(t *testing.T) {
	tests := []struct {
		name  string
		x, df float64
		want  float64
		tol   float64
	}{
		// exp(-1) = 0.36787944117144233
		{"df2 x2 closed form", 2, 2, 0.36787944117144233, 1e-12},
		// exp(-5) = 0.006737946999085467
		{"df2 x10 closed form", 10, 2, 0.006737946999085467, 1e-12},
		// exp(-2)(1+2) = 3·0.1353352832366127 = 0.4060058497098381
		{"df4 x4 closed form", 4, 4, 0.4060058497098381, 1e-12},
		// exp(-0.5)(1+0.5) = 1.5·0.6065306597126334 = 0.9097959895689501
		{"df4 x1 closed form (series branch)", 1, 4, 0.9097959895689501, 1e-12},
		// erfc(1) + sqrt(4/π)·exp(-1) = 0.15729920705028513 + 1.1283791670955126·0.36787944117144233 = 0.5724067044708798
		{"df3 x2 closed form", 2, 3, 0.5724067044708798, 1e-12},
		// df=1: 3.841459 is z_0.975^2; p = 0.05
		{"df1 3.841459", 3.841458820694124, 1, 0.05, 1e-9},
		{"df1 x4 = z 2", 4, 1, 0.04550026389635842, 1e-12},
		{"table df1 1% 6.635", 6.635, 1, 0.01, 2e-5},
		{"table df3 5% 7.815", 7.815, 3, 0.05, 2e-5},
		{"table df5 5% 11.070", 11.070, 5, 0.05, 2e-5},
		{"table df10 5% 18.307", 18.307, 10, 0.05, 2e-5},
		{"table df10 1% 23.209", 23.209, 10, 0.01, 2e-5},
		{"table df30 5% 43.773", 43.773, 30, 0.05, 2e-5},
		{"table df100 5% 124.342", 124.342, 100, 0.05, 2e-5},
		{"zero", 0, 3, 1, 0},
		{"negative", -1, 3, 1, 0},
		{"inf", math.Inf(1), 3, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ChiSquareSF(tt.x, tt.df)
			if !closeAbs(got, tt.want, tt.tol) {
				t.Errorf("ChiSquareSF(%v, %v) = %.17g, want %.17g ± %g", tt.x, tt.df, got, tt.want, tt.tol)
			}
		})
	}
	for _, df := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if got := ChiSquareSF(1, df); !math.IsNaN(got) {
			t.Errorf("ChiSquareSF(1, %v) = %v, want NaN", df, got)
		}
	}
}

// For every df, the series and continued-fraction branches must agree with
// the closed forms for even df: Q(m, y) = e^-y Σ_{j<m} y^j/j!.
func TestChiSquareSFEvenDF(t *testing.T) {
	for _, df := range []int{2, 4, 6, 8, 20} {
		for _, x := range []float64{0.1, 1, 5, 9.9, 10.1, 30, 80} {
			y := x / 2
			sum, term := 0.0, 1.0
			for j := 0; j < df/2; j++ {
				if j > 0 {
					term *= y / float64(j)
				}
				sum += term
			}
			want := math.Exp(-y) * sum
			if got := ChiSquareSF(x, float64(df)); !closeRel(got, want, 1e-10) {
				t.Errorf("ChiSquareSF(%v, %d) = %.17g, want %.17g", x, df, got, want)
			}
		}
	}
}
