package stats

import (
	"math"
	"math/big"
	"testing"
)

// Wilson reference values. The 4-digit values are Newcombe (1998),
// "Two-sided confidence intervals for the single proportion", Statistics in
// Medicine 17, Table II, method 3 (score interval without continuity
// correction). The 1e-6 checks use the closed form evaluated in bc -l with
// scale=30 and z = 1.95996398454005423552:
//
//	lo = ((2k+z^2) - z*sqrt(z^2+4k(n-k)/n)) / (2(n+z^2)), hi with +
//
//	81/263: 0.255288519878274, 0.366209576982800 (Newcombe 0.2553, 0.3662)
//	15/148: 0.062386399530736, 0.160487241723309 (Newcombe 0.0624, 0.1605)
//	 0/20:  0,                 0.161125158052819 (Newcombe 0.0000, 0.1611)
//	 1/29:  0.006113214292763, 0.171755218793203 (Newcombe 0.0061, 0.1718)
//	29/29:  0.883030201500259, 1                 (mirror of 0/29)
//	 7/10:  0.396778147461145, 0.892208732593699
func TestWilsonReference(t *testing.T) {
	tests := []struct {
		name         string
		k, n         int
		lo, hi       float64
		newLo, newHi float64 // Newcombe's printed values, 4 digits (NaN: not in the table)
	}{
		{"81/263", 81, 263, 0.255288519878274, 0.366209576982800, 0.2553, 0.3662},
		{"15/148", 15, 148, 0.062386399530736, 0.160487241723309, 0.0624, 0.1605},
		{"0/20", 0, 20, 0, 0.161125158052819, 0, 0.1611},
		{"1/29", 1, 29, 0.006113214292763, 0.171755218793203, 0.0061, 0.1718},
		{"29/29", 29, 29, 0.883030201500259, 1, math.NaN(), math.NaN()},
		{"7/10", 7, 10, 0.396778147461145, 0.892208732593699, math.NaN(), math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Wilson(tt.k, tt.n, 0.95)
			if !close6(got.Lo, tt.lo) || !close6(got.Hi, tt.hi) {
				t.Errorf("Wilson(%d, %d) = %+v, want [%v, %v]", tt.k, tt.n, got, tt.lo, tt.hi)
			}
			if !math.IsNaN(tt.newLo) && (!closeAbs(got.Lo, tt.newLo, 5e-5) || !closeAbs(got.Hi, tt.newHi, 5e-5)) {
				t.Errorf("Wilson(%d, %d) = %+v, Newcombe prints [%v, %v]", tt.k, tt.n, got, tt.newLo, tt.newHi)
			}
		})
	}
}

func TestWilsonEdges(t *testing.T) {
	t.Run("k=0 gives Lo exactly 0", func(t *testing.T) {
		if got := Wilson(0, 1_000_000, 0.95); got.Lo != 0 || !(got.Hi > 0) {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("k=n gives Hi exactly 1", func(t *testing.T) {
		if got := Wilson(12, 12, 0.95); got.Hi != 1 || !(got.Lo < 1) {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("invalid inputs are NaN", func(t *testing.T) {
		for _, c := range []struct {
			k, n  int
			level float64
		}{{0, 0, 0.95}, {1, 0, 0.95}, {-1, 5, 0.95}, {6, 5, 0.95}, {1, 5, 0}, {1, 5, 1}, {1, 5, math.NaN()}, {1, -3, 0.95}} {
			if got := Wilson(c.k, c.n, c.level); !math.IsNaN(got.Lo) || !math.IsNaN(got.Hi) || got.Valid() {
				t.Errorf("Wilson(%d, %d, %v) = %+v, want NaN", c.k, c.n, c.level, got)
			}
		}
	})
	// Huge n: 1 success in 10^15. The cancellation-free form of the lower
	// bound is lo = 2/(n(2+z^2+z*sqrt(z^2+4(1-1/n)))); bc -l with scale=60:
	// 2/(10^15*(2+z^2+z*sqrt(z^2+4-4/10^15))) = 1.76524554935152940e-16.
	// The textbook form (2k+z^2 - z*sqrt(...))/(2(n+z^2)) would lose most
	// digits here to cancellation.
	t.Run("huge n keeps relative precision", func(t *testing.T) {
		got := Wilson(1, 1_000_000_000_000_000, 0.95)
		if !closeRel(got.Lo, 1.76524554935152940e-16, 1e-9) || !(got.Hi > 1e-15) || got.Hi > 1e-14 {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("higher level is wider", func(t *testing.T) {
		a, b := Wilson(30, 100, 0.90), Wilson(30, 100, 0.99)
		if !(b.Lo < a.Lo && a.Hi < b.Hi) {
			t.Errorf("90%% %+v not inside 99%% %+v", a, b)
		}
	})
}

// TestWilsonHighPrecision checks both bounds against the textbook closed
// form evaluated in 256-bit arithmetic (math/big), with the same z, to a
// relative 1e-13 over small and huge n, k at the edges and in the middle,
// and several levels. Tiny upper bounds (k = 0 or 1 over 10⁹ trials and
// more) are where the form 1 - lower(n-k) would lose digits.
func TestWilsonHighPrecision(t *testing.T) {
	for _, level := range []float64{0.5, 0.9, 0.95, 0.99, 0.999999, 1 - 0x1p-53} {
		z := CriticalValue(level)
		for _, n := range []int{1, 2, 3, 10, 29, 263, 12345, 1_000_000_000, 1_000_000_000_000_000} {
			for _, k := range []int{0, 1, 2, n / 3, n / 2, n - 2, n - 1, n} {
				if k < 0 || k > n {
					continue
				}
				got := Wilson(k, n, level)
				lo, hi := wilsonBig(k, n, z)
				if !closeRel(got.Lo, lo, 1e-13) || !closeRel(got.Hi, hi, 1e-13) {
					t.Errorf("Wilson(%d, %d, %v) = [%.17g, %.17g], want [%.17g, %.17g]", k, n, level, got.Lo, got.Hi, lo, hi)
				}
			}
		}
	}
}

// wilsonBig is ((2k+z²) ∓ z·sqrt(z²+4k(n-k)/n)) / (2(n+z²)) in 256 bits.
func wilsonBig(k, n int, z float64) (lo, hi float64) {
	f := func(x float64) *big.Float { return new(big.Float).SetPrec(256).SetFloat64(x) }
	bk, bn, bz := f(float64(k)), f(float64(n)), f(z)
	z2 := f(0).Mul(bz, bz)
	inner := f(0).Mul(f(4), bk)
	inner.Mul(inner, f(0).Sub(bn, bk))
	inner.Quo(inner, bn)
	inner.Add(inner, z2)
	root := f(0).Mul(bz, f(0).Sqrt(inner))
	centre := f(0).Add(f(0).Mul(f(2), bk), z2)
	den := f(0).Mul(f(2), f(0).Add(bn, z2))
	lo, _ = f(0).Quo(f(0).Sub(centre, root), den).Float64()
	hi, _ = f(0).Quo(f(0).Add(centre, root), den).Float64()
	return lo, hi
}

func TestNewProportion(t *testing.T) {
	p := NewProportion(81, 263)
	if p.K != 81 || p.N != 263 || !close6(p.P, 81.0/263) || !close6(p.CI.Lo, 0.255288519878274) || !close6(p.CI.Hi, 0.366209576982800) {
		t.Errorf("NewProportion(81, 263) = %+v", p)
	}
	if !p.CI.Contains(p.P) {
		t.Errorf("CI %+v does not contain P %v", p.CI, p.P)
	}
	for _, c := range [][2]int{{0, 0}, {3, 2}, {-1, 4}} {
		if got := NewProportion(c[0], c[1]); !math.IsNaN(got.P) || got.CI.Valid() || got.K != c[0] || got.N != c[1] {
			t.Errorf("NewProportion(%d, %d) = %+v, want NaN with counts kept", c[0], c[1], got)
		}
	}
}

// Contains is closed at both ends, and a point interval (the bootstrap of
// one unit gives one) is valid.
func TestIntervalMethods(t *testing.T) {
	tests := []struct {
		name  string
		i     Interval
		x     float64
		in    bool
		valid bool
		width float64
	}{
		{"inside", Interval{0.2, 0.4}, 0.3, true, true, 0.2},
		{"at Lo", Interval{0.2, 0.4}, 0.2, true, true, 0.2},
		{"at Hi", Interval{0.2, 0.4}, 0.4, true, true, 0.2},
		{"below", Interval{0.2, 0.4}, 0.1, false, true, 0.2},
		{"above", Interval{0.2, 0.4}, 0.5, false, true, 0.2},
		{"point", Interval{0.5, 0.5}, 0.5, true, true, 0},
		{"reversed", Interval{0.4, 0.2}, 0.3, false, false, -0.2},
		{"unbounded", Interval{math.Inf(-1), math.Inf(1)}, 7, true, true, math.Inf(1)},
		{"undefined", nanInterval, 0.5, false, false, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.i.Contains(tt.x); got != tt.in {
				t.Errorf("%v.Contains(%v) = %v, want %v", tt.i, tt.x, got, tt.in)
			}
			if got := tt.i.Valid(); got != tt.valid {
				t.Errorf("%v.Valid() = %v, want %v", tt.i, got, tt.valid)
			}
			if got := tt.i.Width(); !(closeRel(got, tt.width, 1e-12) || math.IsNaN(got) && math.IsNaN(tt.width)) {
				t.Errorf("%v.Width() = %v, want %v", tt.i, got, tt.width)
			}
		})
	}
}
