package stats

import "math"

// ChiSquareSF is the survival function of the chi-square distribution with
// df degrees of freedom, P(X >= x): the p-value of a chi-square statistic.
// It is the regularized upper incomplete gamma function Q(df/2, x/2),
// evaluated by its power series when x/2 < df/2 + 1 and by its continued
// fraction (modified Lentz) otherwise (Numerical Recipes, 3rd ed., §6.2);
// for df = 1 it is the exact identity erfc(sqrt(x/2)).
//
// It returns 1 for x <= 0 and NaN for df <= 0, NaN arguments, or when the
// expansion does not converge (df beyond about 10^9).
func ChiSquareSF(x, df float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsNaN(df) || df <= 0 || math.IsInf(df, 0):
		return math.NaN()
	case x <= 0:
		return 1
	case math.IsInf(x, 1):
		return 0
	case df == 1:
		return math.Erfc(math.Sqrt(x / 2))
	}
	return gammaQ(df/2, x/2)
}

const (
	gammaEps     = 1e-16
	gammaMaxIter = 1_000_000
	lentzTiny    = 1e-300
)

// gammaQ is the regularized upper incomplete gamma function Q(a, x) for
// a > 0, x > 0.
func gammaQ(a, x float64) float64 {
	lg, _ := math.Lgamma(a)
	logPrefix := -x + a*math.Log(x) - lg // log(x^a e^-x / Γ(a))
	if x < a+1 {
		// P(a,x) = prefix · Σ x^n / (a(a+1)...(a+n)).
		ap, del := a, 1/a
		sum := del
		for i := 0; ; i++ {
			if i == gammaMaxIter {
				return math.NaN()
			}
			ap++
			del *= x / ap
			sum += del
			if math.Abs(del) < math.Abs(sum)*gammaEps {
				break
			}
		}
		return 1 - math.Exp(logPrefix)*sum
	}
	// Q(a,x) = prefix · 1/(x+1-a- 1·(1-a)/(x+3-a- 2·(2-a)/(x+5-a- ...))).
	// Here x >= a+1, where the fraction is below 1, so a prefix that
	// underflows means Q does too (and skipping the fraction avoids
	// overflow in it for astronomically large x).
	if logPrefix < -750 {
		return 0
	}
	b := x + 1 - a
	c := 1 / lentzTiny
	d := 1 / b
	h := d
	for i := 1; ; i++ {
		if i == gammaMaxIter {
			return math.NaN()
		}
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < lentzTiny {
			d = lentzTiny
		}
		c = b + an/c
		if math.Abs(c) < lentzTiny {
			c = lentzTiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < gammaEps {
			break
		}
	}
	return math.Exp(logPrefix) * h
}
