package stats

import (
	"fmt"
	"math"
)

// LogisticOptions tunes [FitLogistic]. The zero value gives the defaults.
type LogisticOptions struct {
	// MaxIter bounds the IRLS iterations (default 100).
	MaxIter int
	// Tol is the convergence tolerance on the largest coefficient change,
	// relative to max(1, |coefficient|) (default 1e-10).
	Tol float64
}

// Coefficient is one estimated coefficient of a logistic regression.
type Coefficient struct {
	Name     string
	Estimate float64  // log-odds (intercept) or log odds ratio
	SE       float64  // asymptotic standard error from the observed information
	Z        float64  // Wald z = Estimate/SE
	PValue   float64  // two-sided normal p-value of Z
	CI       Interval // 95% Wald interval Estimate ± 1.96·SE
}

// LogisticFit is a fitted logistic regression.
type LogisticFit struct {
	Coefficients []Coefficient `json:"coefficients"`
	N            int           `json:"n"`          // rows used
	Deviance     float64       `json:"deviance"`   // -2 log-likelihood
	Iterations   int           `json:"iterations"` // IRLS iterations until convergence
}

// Coef returns the coefficient with the given name.
func (f *LogisticFit) Coef(name string) (Coefficient, bool) {
	for _, c := range f.Coefficients {
		if c.Name == name {
			return c, true
		}
	}
	return Coefficient{}, false
}

// Estimates returns the coefficient estimates in column order.
func (f *LogisticFit) Estimates() []float64 {
	out := make([]float64, len(f.Coefficients))
	for i, c := range f.Coefficients {
		out[i] = c.Estimate
	}
	return out
}

// separationCheckIter is the iteration after which fitted probabilities
// numerically 0 or 1 in an unconverged fit are taken as separation (a
// finite maximum-likelihood fit converges well before it, as in R's glm
// whose limit is 25).
const separationCheckIter = 25

// FitLogistic fits the logistic regression P(Y=1) = 1/(1+exp(-Xβ)) by
// maximum likelihood with iteratively reweighted least squares (Newton's
// method on the log-likelihood), starting at β = 0, with step halving
// when the deviance would rise. Standard errors are the square roots of the
// diagonal of (X'WX)⁻¹ at the estimate; z and p are Wald tests.
//
// The fit is deterministic and allocates O(n + p²) besides the design. It
// fails with a [*FitError] wrapping:
//   - [ErrSeparation] when the estimate does not exist (outcomes perfectly
//     or quasi-perfectly predicted: coefficients diverge while fitted
//     probabilities become numerically 0 or 1);
//   - [ErrSingular] when columns are collinear (Term names the column);
//   - [ErrNotConverged] when MaxIter is reached otherwise;
//
// and with [ErrNoData] or an error wrapping [ErrInvalidInput] for an empty
// or malformed design.
func FitLogistic(d Design, opts LogisticOptions) (*LogisticFit, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	maxIter, tol := opts.MaxIter, opts.Tol
	if maxIter <= 0 {
		maxIter = 100
	}
	if !(tol > 0) {
		tol = 1e-10
	}
	n, p := len(d.X), len(d.Names)
	beta := make([]float64, p)
	eta := make([]float64, n)
	dev := deviance(d.Y, eta)
	a := make([]float64, p*p) // X'WX, row-major
	rhs := make([]float64, p) // X'(W·eta + y - mu)
	next := make([]float64, p)
	nextEta := make([]float64, n)
	lastMove := 0

	for iter := 1; iter <= maxIter; iter++ {
		clear(a)
		clear(rhs)
		for i, row := range d.X {
			mu := sigmoid(eta[i])
			w := mu * (1 - mu)
			r := w*eta[i] + d.Y[i] - mu // no division by w: stays finite as w → 0
			for j, xj := range row {
				if xj == 0 {
					continue
				}
				rhs[j] += xj * r
				wxj := w * xj
				for k := 0; k <= j; k++ {
					a[j*p+k] += wxj * row[k]
				}
			}
		}
		if j := cholesky(a, p); j >= 0 {
			if maxAbsFitted(eta) > separationLogit {
				return nil, &FitError{Iterations: iter, Term: d.Names[j], Detail: "fitted probabilities numerically 0 or 1", Err: ErrSeparation}
			}
			return nil, &FitError{Iterations: iter, Term: d.Names[j], Detail: "column is a linear combination of the others or has no variation", Err: ErrSingular}
		}
		copy(next, rhs)
		choleskySolve(a, p, next)

		// Step halving: Newton steps on the logistic log-likelihood rarely
		// overshoot, but from a poor start they can.
		step := 1.0
		var nextDev float64
		for half := 0; ; half++ {
			for j := range next {
				next[j] = beta[j] + step*(next[j]-beta[j])
			}
			mulVec(d.X, next, nextEta)
			nextDev = deviance(d.Y, nextEta)
			if nextDev <= dev*(1+1e-12)+1e-300 || half == 30 {
				break
			}
			step = 0.5
		}
		move, moveJ := 0.0, 0
		for j := range next {
			if m := math.Abs(next[j]-beta[j]) / math.Max(1, math.Abs(next[j])); m > move {
				move, moveJ = m, j
			}
		}
		copy(beta, next)
		copy(eta, nextEta)
		dev = nextDev
		lastMove = moveJ
		if move < tol {
			return finishLogistic(d, beta, eta, dev, iter)
		}
		if iter >= separationCheckIter && maxAbsFitted(eta) > separationLogit {
			return nil, &FitError{Iterations: iter, Term: d.Names[moveJ], Detail: "fitted probabilities numerically 0 or 1 while coefficients diverge", Err: ErrSeparation}
		}
	}
	return nil, &FitError{Iterations: maxIter, Term: d.Names[lastMove], Err: ErrNotConverged}
}

// separationLogit is the |linear predictor| beyond which a fitted
// probability is numerically 0 or 1 (|η| > 23 means p < 1e-10).
const separationLogit = 23

func maxAbsFitted(eta []float64) float64 {
	m := 0.0
	for _, e := range eta {
		m = math.Max(m, math.Abs(e))
	}
	return m
}

// finishLogistic computes standard errors at the estimate.
func finishLogistic(d Design, beta, eta []float64, dev float64, iter int) (*LogisticFit, error) {
	p := len(beta)
	a := make([]float64, p*p)
	for i, row := range d.X {
		mu := sigmoid(eta[i])
		w := mu * (1 - mu)
		for j, xj := range row {
			for k := 0; k <= j; k++ {
				a[j*p+k] += w * xj * row[k]
			}
		}
	}
	if j := cholesky(a, p); j >= 0 {
		return nil, &FitError{Iterations: iter, Term: d.Names[j], Detail: "information matrix singular at the estimate", Err: ErrSingular}
	}
	z := CriticalValue(DefaultLevel)
	fit := &LogisticFit{N: len(d.X), Deviance: dev, Iterations: iter, Coefficients: make([]Coefficient, p)}
	e := make([]float64, p)
	for j := range p {
		// Column j of the inverse: solve A x = e_j; its j-th entry is the variance.
		clear(e)
		e[j] = 1
		choleskySolve(a, p, e)
		se := math.Sqrt(e[j])
		c := Coefficient{Name: d.Names[j], Estimate: beta[j], SE: se, Z: beta[j] / se}
		c.PValue = twoSidedP(c.Z)
		c.CI = Interval{beta[j] - z*se, beta[j] + z*se}
		fit.Coefficients[j] = c
	}
	return fit, nil
}

// sigmoid is 1/(1+exp(-x)) without overflow.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// log1pExp is log(1+exp(x)) without overflow or loss for large |x|.
func log1pExp(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// deviance is -2 Σ [y log μ + (1-y) log(1-μ)] with μ = sigmoid(η), using
// log μ = -log(1+e^-η) and log(1-μ) = -log(1+e^η).
func deviance(y, eta []float64) float64 {
	s := 0.0
	for i, e := range eta {
		if y[i] == 1 {
			s += log1pExp(-e)
		} else {
			s += log1pExp(e)
		}
	}
	return 2 * s
}

func mulVec(x [][]float64, b, out []float64) {
	for i, row := range x {
		s := 0.0
		for j, v := range row {
			s += v * b[j]
		}
		out[i] = s
	}
}

// cholesky factors the symmetric positive-definite p×p matrix whose lower
// triangle is in a (row-major) into L with A = LL', in place in the lower
// triangle. It returns -1 on success, or the index of the first column
// whose pivot is not positive relative to its diagonal entry (the column is
// numerically a combination of the earlier ones).
func cholesky(a []float64, p int) int {
	for j := range p {
		orig := a[j*p+j]
		s := orig
		for k := range j {
			s -= a[j*p+k] * a[j*p+k]
		}
		if !(s > 1e-10*orig) || orig <= 0 || math.IsInf(s, 0) {
			return j
		}
		l := math.Sqrt(s)
		a[j*p+j] = l
		for i := j + 1; i < p; i++ {
			t := a[i*p+j]
			for k := range j {
				t -= a[i*p+k] * a[j*p+k]
			}
			a[i*p+j] = t / l
		}
	}
	return -1
}

// choleskySolve solves LL'x = b in place, with L from cholesky.
func choleskySolve(l []float64, p int, b []float64) {
	for i := range p {
		s := b[i]
		for k := range i {
			s -= l[i*p+k] * b[k]
		}
		b[i] = s / l[i*p+i]
	}
	for i := p - 1; i >= 0; i-- {
		s := b[i]
		for k := i + 1; k < p; k++ {
			s -= l[k*p+i] * b[k]
		}
		b[i] = s / l[i*p+i]
	}
}

// String formats the fit as a coefficient table.
func (f *LogisticFit) String() string {
	s := fmt.Sprintf("%-28s %10s %9s %8s %9s\n", "term", "estimate", "se", "z", "p")
	for _, c := range f.Coefficients {
		s += fmt.Sprintf("%-28s %10.4f %9.4f %8.3f %9.4g\n", c.Name, c.Estimate, c.SE, c.Z, c.PValue)
	}
	return s
}
