package stats

import (
	"fmt"
	"math"
)

// String formats the interval in percent, "[55.1%, 71.6%]", or "[n/a]"
// when it is undefined.
func (i Interval) String() string {
	if !i.Valid() {
		return "[n/a]"
	}
	return fmt.Sprintf("[%s, %s]", pct(i.Lo), pct(i.Hi))
}

// String formats the proportion as "63.8% [55.1%, 71.6%] (81/127)", or
// "n/a (0/0)" when it is undefined.
func (p Proportion) String() string {
	if math.IsNaN(p.P) {
		return fmt.Sprintf("n/a (%d/%d)", p.K, p.N)
	}
	return fmt.Sprintf("%s %v (%d/%d)", pct(p.P), p.CI, p.K, p.N)
}

// String formats the rate with its interval, counts and test, e.g.
// "63.8% [55.1%, 71.6%] personalized in 81/127 valid pairs (3 invalid), z = 3.11, p = 0.0019".
func (r PairwiseRate) String() string {
	if math.IsNaN(r.P) {
		return fmt.Sprintf("n/a: %d/%d valid pairs (%d invalid)", r.K, r.N, r.Invalid)
	}
	return fmt.Sprintf("%s %v personalized in %d/%d valid pairs (%d invalid), z = %.2f, p = %s",
		pct(r.P), r.CI, r.K, r.N, r.Invalid, r.Z, pvalue(r.PValue))
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// pvalue formats a p-value with two significant digits, and as "< 1e-16"
// below that. The tails are computed far lower (math.Erfc keeps relative
// precision down to about 1e-308), but no normal approximation or model
// assumption holds to such digits, so printing them would be false
// precision.
func pvalue(p float64) string {
	if p < 1e-16 {
		return "< 1e-16"
	}
	return fmt.Sprintf("%.2g", p)
}
