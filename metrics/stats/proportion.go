package stats

import "math"

// DefaultLevel is the confidence level of the intervals the package computes
// without an explicit level: 95%, as in the study.
const DefaultLevel = 0.95

// Proportion is a count of successes K out of N trials with its rate
// P = K/N and the 95% [Wilson] interval CI. When N is 0, P and CI are NaN.
type Proportion struct {
	K, N int
	P    float64
	CI   Interval
}

// NewProportion returns the proportion k/n with its 95% Wilson interval.
// Invalid counts (n <= 0, k < 0 or k > n) give NaN for P and CI; the counts
// are kept as given so the caller can see what was wrong.
func NewProportion(k, n int) Proportion {
	pr := Proportion{K: k, N: n, P: math.NaN(), CI: nanInterval}
	if n <= 0 || k < 0 || k > n {
		return pr
	}
	pr.P = float64(k) / float64(n)
	pr.CI = Wilson(k, n, DefaultLevel)
	return pr
}
