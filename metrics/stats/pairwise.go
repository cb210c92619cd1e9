package stats

import "math"

// PairwiseRate is the score of a one-turn pairwise judgement: over N valid
// pairs (each item answered once generic and once personalized, a judge
// picking the one that shows more of a behaviour), K is the number of pairs
// where the personalized answer was picked and Invalid the number of pairs
// dropped because the judge's answer was unusable. P = K/N, CI its 95%
// Wilson interval, and Z, PValue the two-sided binomial z-test of
// H0: P = 0.5 (50% means personalization has no effect).
type PairwiseRate struct {
	K, N, Invalid int
	P             float64
	CI            Interval
	Z, PValue     float64
}

// Pairwise returns the pairwise rate of k personalized picks among n valid
// pairs, with invalid pairs counted but not used.
//
// The z statistic uses the standard error under the null hypothesis,
// z = (k - n/2) / sqrt(n/4) = (p̂ - 0.5) / sqrt(0.25/n), not the Wald
// standard error sqrt(p̂(1-p̂)/n): the null SE is the score test, which is
// consistent with the Wilson interval (P = 0.5 lies outside the 95% CI
// exactly when PValue < 0.05) and defined at k = 0 and k = n.
// PValue = 2·(1 - Φ(|z|)); see [BinomialZ]. For the exact test see [BinomialTest]; for the
// Wald test on the log-odds scale see [LogitTest].
//
// With n <= 0 (or k outside [0, n], or invalid < 0) P, CI, Z and PValue are NaN.
func Pairwise(k, n, invalid int) PairwiseRate {
	r := PairwiseRate{K: k, N: n, Invalid: invalid, P: math.NaN(), CI: nanInterval, Z: math.NaN(), PValue: math.NaN()}
	if n <= 0 || k < 0 || k > n || invalid < 0 {
		return r
	}
	r.P = float64(k) / float64(n)
	r.CI = Wilson(k, n, DefaultLevel)
	r.Z, r.PValue = BinomialZ(k, n)
	return r
}
