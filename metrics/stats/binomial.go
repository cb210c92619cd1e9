package stats

import "math"

// BinomialZ is the two-sided binomial z-test of H0: p = 0.5 for k
// successes in n trials, with the standard error under the null:
// z = (k - n/2) / sqrt(n/4), pValue = 2·(1 - Φ(|z|)). It is the test
// [Pairwise] reports. Both are NaN when n <= 0 or k is outside [0, n].
func BinomialZ(k, n int) (z, pValue float64) {
	if n <= 0 || k < 0 || k > n {
		return math.NaN(), math.NaN()
	}
	fk, fn := float64(k), float64(n)
	z = (fk - fn/2) / math.Sqrt(fn/4)
	return z, twoSidedP(z)
}

// exactBinomialMaxN is the largest n for which [BinomialTest] sums the
// tail exactly; beyond it the tail sum would need millions of terms and the
// continuity-corrected normal approximation is used instead.
const exactBinomialMaxN = 1 << 30

// BinomialTest is the exact two-sided binomial test of H0: p = 0.5 for k
// successes in n trials. Because the null distribution is symmetric, the
// two-sided p-value (the probability of an outcome at most as likely as k)
// is min(1, 2·P(X <= min(k, n-k))), the value R's binom.test(k, n) gives
// up to n of about 2·10⁷ (beyond, R and SciPy count outcomes within a
// relative 1e-7 of k's probability as ties, and give larger p-values).
//
// The tail is summed term by term from Loader's saddle-point binomial
// probability, which keeps its relative precision for any n: against exact
// enumeration the p-value is good to about 1e-15 relative for moderate
// values and 1e-13 near 1e-300, where exponentiating a large log-probability
// costs digits. For n > 2^30 it uses the normal approximation with
// continuity correction, 2·Φ((min(k,n-k) + 0.5 - n/2)/sqrt(n/4)): with a
// symmetric null its error is O(1/n), below 1e-9 there in absolute terms
// (in the far tail, up to about 5e-7 relative).
//
// It returns NaN when n <= 0 or k is outside [0, n].
func BinomialTest(k, n int) float64 {
	if n <= 0 || k < 0 || k > n {
		return math.NaN()
	}
	m := min(k, n-k)
	if 2*float64(m) == float64(n) {
		return 1
	}
	var tail float64
	if n > exactBinomialMaxN {
		tail = NormalCDF((float64(m) + 0.5 - float64(n)/2) / math.Sqrt(float64(n)/4))
	} else {
		tail = binomialLowerTailHalf(m, n)
	}
	return math.Min(1, 2*tail)
}

// binomialLowerTailHalf is P(X <= m) for X ~ Binomial(n, 1/2), m < n/2,
// summed downward from m with pmf(j-1) = pmf(j)·j/(n-j+1) until the terms
// no longer change the sum.
func binomialLowerTailHalf(m, n int) float64 {
	term := binomialPMF(m, n, 0.5)
	sum := term
	for j := m; j > 0 && term > sum*1e-17; j-- {
		term *= float64(j) / float64(n-j+1)
		sum += term
	}
	return sum
}

// binomialPMF is P(X = k) for X ~ Binomial(n, p), computed with Loader's
// saddle-point expansion ("Fast and accurate computation of binomial
// probabilities", 2000), which keeps full relative precision for large n
// where exp(lgamma(...)) differences lose it.
func binomialPMF(k, n int, p float64) float64 {
	q := 1 - p
	fk, fn := float64(k), float64(n)
	switch k {
	case 0:
		return math.Exp(fn * math.Log1p(-p))
	case n:
		return math.Exp(fn * math.Log(p))
	}
	lc := stirlingError(fn) - stirlingError(fk) - stirlingError(fn-fk) -
		devianceTerm(fk, fn*p) - devianceTerm(fn-fk, fn*q)
	lf := math.Log(2*math.Pi) + math.Log(fk) + math.Log1p(-fk/fn)
	return math.Exp(lc - 0.5*lf)
}

// stirlingError is log(n!) - log(sqrt(2πn)(n/e)^n), the error of
// Stirling's formula, from its asymptotic series for n > 15 and directly
// from lgamma below (where lgamma is small enough to be exact to rounding).
func stirlingError(n float64) float64 {
	const (
		s0 = 1.0 / 12
		s1 = 1.0 / 360
		s2 = 1.0 / 1260
		s3 = 1.0 / 1680
		s4 = 1.0 / 1188
	)
	if n <= 15 {
		lg, _ := math.Lgamma(n + 1)
		return lg - (n+0.5)*math.Log(n) + n - 0.5*math.Log(2*math.Pi)
	}
	nn := n * n
	switch {
	case n > 500:
		return (s0 - s1/nn) / n
	case n > 80:
		return (s0 - (s1-s2/nn)/nn) / n
	case n > 35:
		return (s0 - (s1-(s2-s3/nn)/nn)/nn) / n
	}
	return (s0 - (s1-(s2-(s3-s4/nn)/nn)/nn)/nn) / n
}

// devianceTerm is x·log(x/np) + np - x, computed by a series when x is
// close to np to avoid cancellation (Loader's bd0).
func devianceTerm(x, np float64) float64 {
	if math.Abs(x-np) < 0.1*(x+np) {
		v := (x - np) / (x + np)
		s := (x - np) * v
		ej := 2 * x * v
		v *= v
		for j := 1; j < 1000; j++ {
			ej *= v
			s1 := s + ej/float64(2*j+1)
			if s1 == s {
				return s1
			}
			s = s1
		}
		return s
	}
	return x*math.Log(x/np) + np - x
}

// LogOddsTest is the Wald test of H0: p = 0.5 on the log-odds scale.
type LogOddsTest struct {
	// LogOdds is log(k/(n-k)), the estimated log-odds; 0 means 50%.
	LogOdds float64
	// SE is its standard error sqrt(1/k + 1/(n-k)) (delta method).
	SE float64
	// CI is the 95% Wald interval of the log-odds, LogOdds ± 1.96·SE.
	CI Interval
	// Z is LogOdds/SE and PValue its two-sided normal p-value.
	Z, PValue float64
}

// LogitTest is the logit z-test of H0: p = 0.5 for k successes in n
// trials: the Wald test of the intercept of an intercept-only logistic
// regression, which is the study's one-turn mixed model without its random
// intercept per item. Unlike [BinomialZ] its standard error is estimated
// at p̂, so it is undefined at k = 0 and k = n (the log-odds is infinite:
// separation); all fields are then NaN, as they are when n <= 0 or k is
// outside [0, n].
func LogitTest(k, n int) LogOddsTest {
	if n <= 0 || k <= 0 || k >= n {
		return LogOddsTest{math.NaN(), math.NaN(), nanInterval, math.NaN(), math.NaN()}
	}
	fk, fm := float64(k), float64(n-k)
	lo := math.Log(fk / fm)
	se := math.Sqrt(1/fk + 1/fm)
	z := lo / se
	h := CriticalValue(DefaultLevel) * se
	return LogOddsTest{LogOdds: lo, SE: se, CI: Interval{lo - h, lo + h}, Z: z, PValue: twoSidedP(z)}
}
