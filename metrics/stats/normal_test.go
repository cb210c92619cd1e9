package stats

import (
	"math"
	"testing"
)

// Reference values are the standard published ones (e.g. Abramowitz & Stegun
// table 26.1, to the digits printed in any statistical table), quoted to 16
// significant digits.
func TestNormalCDF(t *testing.T) {
	tests := []struct {
		name string
		x    float64
		want float64
	}{
		{"zero", 0, 0.5},
		{"one", 1, 0.8413447460685429},
		{"minus one", -1, 0.15865525393145707},
		{"1.96", 1.96, 0.9750021048517795},
		{"two", 2, 0.9772498680518208},
		{"three", 3, 0.9986501019683699},
		{"minus ten", -10, 7.619853024160527e-24},
		{"+inf", math.Inf(1), 1},
		{"-inf", math.Inf(-1), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NormalCDF(tt.x)
			if !closeRel(got, tt.want, 1e-12) {
				t.Errorf("NormalCDF(%v) = %.17g, want %.17g", tt.x, got, tt.want)
			}
			if sf := NormalSF(-tt.x); !closeRel(sf, tt.want, 1e-12) {
				t.Errorf("NormalSF(%v) = %.17g, want %.17g", -tt.x, sf, tt.want)
			}
		})
	}
}

func TestNormalQuantile(t *testing.T) {
	tests := []struct {
		name string
		p    float64
		want float64
	}{
		{"median", 0.5, 0},
		{"0.975 (95% two-sided)", 0.975, 1.959963984540054},
		{"0.95", 0.95, 1.6448536269514722},
		{"0.995 (99% two-sided)", 0.995, 2.5758293035489004},
		{"0.025", 0.025, -1.959963984540054},
		{"Phi(1)", 0.8413447460685429, 1},
		{"Phi(-10) deep tail (third branch)", 7.619853024160527e-24, -10},
		{"zero", 0, math.Inf(-1)},
		{"one", 1, math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalQuantile(tt.p); !closeRel(got, tt.want, 1e-12) && !closeAbs(got, tt.want, 1e-14) {
				t.Errorf("NormalQuantile(%v) = %.17g, want %.17g", tt.p, got, tt.want)
			}
		})
	}
	for _, p := range []float64{-0.1, 1.1, math.NaN()} {
		if got := NormalQuantile(p); !math.IsNaN(got) {
			t.Errorf("NormalQuantile(%v) = %v, want NaN", p, got)
		}
	}
}

// The quantile inverts the CDF over the whole range, including all three
// branches of AS 241 (|q| <= 0.425, r <= 5, r > 5).
func TestNormalQuantileRoundTrip(t *testing.T) {
	// Upper-tail points go through the survival function (Φ(7.5) rounds to
	// 1 - 3e-14 in float64, which would test the rounding, not the inverse).
	for _, x := range []float64{-37, -20, -8, -5, -3.2, -1.5, -0.3, 0.1, 0.9, 1.7, 4, 7.5} {
		got := NormalQuantile(NormalCDF(x))
		if x > 0 {
			got = -NormalQuantile(NormalSF(x))
		}
		if !closeAbs(got, x, 1e-9*math.Max(1, math.Abs(x))) {
			t.Errorf("NormalQuantile(NormalCDF(%v)) = %.17g", x, got)
		}
	}
}

// closeRel reports whether got is within rel relative error of want
// (absolute for want = 0); infinities must match exactly.
func closeRel(got, want, rel float64) bool {
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	if want == 0 {
		return math.Abs(got) <= rel
	}
	return math.Abs(got-want) <= rel*math.Abs(want)
}

// close6 reports whether got is within 1e-6 of want, the tolerance the
// package promises against independent reference values.
func close6(got, want float64) bool { return closeAbs(got, want, 1e-6) }

// closeAbs reports whether got is within tol of want. It is false when
// either is NaN: write !closeAbs(got, want, tol), never
// math.Abs(got-want) > tol, which lets a NaN result pass.
func closeAbs(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// TestCriticalValue checks the two-sided critical values through the
// complementary error function (NormalSF, independent of the quantile's
// AS 241): 2·Φ(-z) must give back 1-level, and that they stay finite as
// the level nears 1, where Φ⁻¹((1+level)/2) reads Φ⁻¹(1) = +Inf
// (FuzzWilson found Wilson(3, 212, 0.9999999999999999) undefined).
func TestCriticalValue(t *testing.T) {
	if got := CriticalValue(0.95); !closeAbs(got, 1.959963984540054, 1e-14) {
		t.Errorf("CriticalValue(0.95) = %.17g, want 1.959963984540054", got)
	}
	for _, level := range []float64{0.5, 0.9, 0.95, 0.99, 0.999999, 1 - 1e-12, 1 - 0x1p-53} {
		z := CriticalValue(level)
		if tail := 2 * NormalSF(z); math.IsInf(z, 0) || !closeAbs(tail, 1-level, 1e-13*(1-level)) {
			t.Errorf("CriticalValue(%v) = %.17g: 2·Φ(-z) = %.17g, want %.17g", level, z, tail, 1-level)
		}
	}
	for _, level := range []float64{0, 1, -0.5, 1.5, math.NaN()} {
		if got := CriticalValue(level); !math.IsNaN(got) {
			t.Errorf("CriticalValue(%v) = %v, want NaN", level, got)
		}
	}
	if got := Wilson(3, 212, 1-0x1p-53); !got.Valid() || math.IsInf(got.Hi, 0) {
		t.Errorf("Wilson(3, 212, 1-2^-53) = %v, want a valid interval", got)
	}
}
