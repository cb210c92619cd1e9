package stats

import "math"

// NormalCDF is the standard normal distribution function Φ(x) = P(Z <= x).
// It is computed from [math.Erfc], which keeps full relative precision in
// the lower tail (Φ(-30) is about 4.9e-198, not 0).
func NormalCDF(x float64) float64 {
	return 0.5 * math.Erfc(-x/math.Sqrt2)
}

// NormalSF is the standard normal survival function 1 - Φ(x) = P(Z > x),
// computed directly so that the upper tail keeps its relative precision.
func NormalSF(x float64) float64 {
	return 0.5 * math.Erfc(x/math.Sqrt2)
}

// CriticalValue is the two-sided standard normal critical value of a
// confidence level: the z with P(|Z| <= z) = level, Φ⁻¹((1+level)/2)
// (1.959964 for 0.95). It is computed from the tail, -Φ⁻¹((1-level)/2),
// which keeps its precision as level nears 1, where (1+level)/2 rounds to
// 1 (a level of 1-1e-16 gave +Inf and NaN intervals). It returns NaN for
// a level outside (0, 1).
func CriticalValue(level float64) float64 {
	if !(level > 0 && level < 1) {
		return math.NaN()
	}
	return -NormalQuantile((1 - level) / 2)
}

// NormalQuantile is the inverse of [NormalCDF]: the x with Φ(x) = p.
// It returns -Inf for p = 0, +Inf for p = 1 and NaN outside [0, 1].
//
// It is Wichura's algorithm AS 241 (PPND16, Applied Statistics 37(3),
// 477-484, 1988), a piecewise rational approximation accurate to about
// 1e-16 relative error over the whole open interval.
func NormalQuantile(p float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	}
	q := p - 0.5
	if math.Abs(q) <= 0.425 {
		r := 0.180625 - q*q
		return q * poly(as241A[:], r) / poly(as241B[:], r)
	}
	r := p
	if q > 0 {
		r = 1 - p
	}
	r = math.Sqrt(-math.Log(r))
	var x float64
	if r <= 5 {
		r -= 1.6
		x = poly(as241C[:], r) / poly(as241D[:], r)
	} else {
		r -= 5
		x = poly(as241E[:], r) / poly(as241F[:], r)
	}
	if q < 0 {
		return -x
	}
	return x
}

// twoSidedP is the two-sided normal p-value of a z statistic, P(|Z| >= |z|).
func twoSidedP(z float64) float64 {
	return math.Erfc(math.Abs(z) / math.Sqrt2)
}

// poly evaluates c[0] + c[1]x + ... + c[n]x^n by Horner's rule.
func poly(c []float64, x float64) float64 {
	y := 0.0
	for i := len(c) - 1; i >= 0; i-- {
		y = y*x + c[i]
	}
	return y
}

// Coefficients of AS 241 (PPND16), lowest degree first. They are the
// published algorithm and must be kept digit for digit.
var (
	as241A = [...]float64{
		3.3871328727963666080e0, 1.3314166789178437745e+2,
		1.9715909503065514427e+3, 1.3731693765509461125e+4,
		4.5921953931549871457e+4, 6.7265770927008700853e+4,
		3.3430575583588128105e+4, 2.5090809287301226727e+3,
	}
	as241B = [...]float64{
		1, 4.2313330701600911252e+1,
		6.8718700749205790830e+2, 5.3941960214247511077e+3,
		2.1213794301586595867e+4, 3.9307895800092710610e+4,
		2.8729085735721942674e+4, 5.2264952788528545610e+3,
	}
	as241C = [...]float64{
		1.42343711074968357734e0, 4.63033784615654529590e0,
		5.76949722146069140550e0, 3.64784832476320460504e0,
		1.27045825245236838258e0, 2.41780725177450611770e-1,
		2.27238449892691845833e-2, 7.74545014278341407640e-4,
	}
	as241D = [...]float64{
		1, 2.05319162663775882187e0,
		1.67638483018380384940e0, 6.89767334985100004550e-1,
		1.48103976427480074590e-1, 1.51986665636164571966e-2,
		5.47593808499534494600e-4, 1.05075007164441684324e-9,
	}
	as241E = [...]float64{
		6.65790464350110377720e0, 5.46378491116411436990e0,
		1.78482653991729133580e0, 2.96560571828504891230e-1,
		2.65321895265761230930e-2, 1.24266094738807843860e-3,
		2.71155556874348757815e-5, 2.01033439929228813265e-7,
	}
	as241F = [...]float64{
		1, 5.99832206555887937690e-1,
		1.36929880922735805310e-1, 1.48753612908506148525e-2,
		7.86869131145613259100e-4, 1.84631831751005468180e-5,
		1.42151175831644588870e-7, 2.04426310338993978564e-15,
	}
)
