package stats

import "math"

// Interval is a confidence interval [Lo, Hi]. An interval that cannot be
// computed (no data, invalid input) has both bounds NaN.
type Interval struct{ Lo, Hi float64 }

// nanInterval is the interval of a statistic that is undefined.
var nanInterval = Interval{math.NaN(), math.NaN()}

// Valid reports whether both bounds are numbers and Lo <= Hi.
func (i Interval) Valid() bool {
	return !math.IsNaN(i.Lo) && !math.IsNaN(i.Hi) && i.Lo <= i.Hi
}

// Contains reports whether x lies in the closed interval.
func (i Interval) Contains(x float64) bool { return i.Lo <= x && x <= i.Hi }

// Width is Hi - Lo (NaN for an undefined interval).
func (i Interval) Width() float64 { return i.Hi - i.Lo }

// Wilson is the Wilson score interval for a binomial proportion k/n at the
// given confidence level (0.95 for 95%). It is the interval of p for which
// the score test |p̂ - p| / sqrt(p(1-p)/n) <= z, z = Φ⁻¹((1+level)/2)
// (Wilson 1927; method 3 of Newcombe 1998):
//
//	centre ± half = (k + z²/2)/(n + z²) ± z·sqrt(k(n-k)/n + z²/4)/(n + z²)
//
// Unlike the Wald interval it stays inside [0, 1] and is not degenerate at
// k = 0 or k = n (Lo is exactly 0 when k = 0 and Hi exactly 1 when k = n).
// Each bound is computed in a form without cancellation, so tiny rates over
// huge n keep their relative precision.
//
// The interval is NaN when n <= 0, k < 0, k > n, or level is not in (0, 1).
func Wilson(k, n int, level float64) Interval {
	if n <= 0 || k < 0 || k > n || !(level > 0 && level < 1) {
		return nanInterval
	}
	z := CriticalValue(level)
	fk, fn := float64(k), float64(n)
	// lower(k) = ((2k+z²) - z·sqrt(z²+4k(n-k)/n)) / (2(n+z²)); multiplying
	// by the conjugate gives 2k² / (n·(2k + z² + z·sqrt(z²+4k(n-k)/n))),
	// which has no subtraction. The upper bound is the sum
	// ((2k+z²) + z·sqrt(...)) / (2(n+z²)) while it is small (k <= n/2),
	// where 1 - lower(n-k) would cancel (Hi of 0/10⁹ had a relative error
	// of 3e-9), and 1 - lower(n-k), which keeps Hi <= 1, above.
	root := z * math.Sqrt(z*z+4*fk*((fn-fk)/fn))
	lower := func(s float64) float64 {
		if s == 0 {
			return 0
		}
		return 2 * s * (s / fn) / (2*s + z*z + root)
	}
	lo := lower(fk)
	var hi float64
	if 2*fk <= fn {
		hi = (2*fk + z*z + root) / (2 * (fn + z*z))
	} else {
		hi = 1 - lower(fn-fk)
	}
	// Guard the invariants Lo <= p̂ <= Hi against rounding.
	p := fk / fn
	return Interval{Lo: math.Min(lo, p), Hi: math.Max(hi, p)}
}
