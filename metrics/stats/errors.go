package stats

import (
	"errors"
	"fmt"
)

// Errors of the model-fitting and resampling functions. The closed-form
// statistics (proportions, tests) never fail: they return NaN for input on
// which they are undefined, as documented on each.
var (
	// ErrInvalidInput reports an argument outside the function's domain
	// (negative counts, a nil RNG, no replicates, ragged design rows, ...).
	ErrInvalidInput = errors.New("stats: invalid input")
	// ErrNoData reports a fit or resample over zero observations.
	ErrNoData = errors.New("stats: no data")
	// ErrSeparation reports a logistic model whose maximum-likelihood
	// estimate does not exist because a linear combination of the
	// predictors separates the outcomes (fitted probabilities numerically
	// 0 or 1, coefficients diverging).
	ErrSeparation = errors.New("stats: separation: maximum-likelihood estimate does not exist")
	// ErrSingular reports a design whose columns are linearly dependent
	// (for example a condition dummy with no rows), so that the
	// coefficients are not identified.
	ErrSingular = errors.New("stats: singular design matrix")
	// ErrNotConverged reports an iterative fit that did not meet its
	// tolerance within the iteration limit.
	ErrNotConverged = errors.New("stats: fit did not converge")
)

// FitError describes why a logistic fit failed. It unwraps to one of
// [ErrSeparation], [ErrSingular], [ErrNotConverged] or [ErrNoData].
type FitError struct {
	Iterations int    // IRLS iterations run before the failure
	Term       string // the coefficient most involved, when known ("" otherwise)
	Detail     string // human-readable detail
	Err        error  // the sentinel
}

// Error names the sentinel, the iterations, the term and the detail.
func (e *FitError) Error() string {
	msg := fmt.Sprintf("%v after %d iterations", e.Err, e.Iterations)
	if e.Term != "" {
		msg += fmt.Sprintf(", term %q", e.Term)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns the sentinel error.
func (e *FitError) Unwrap() error { return e.Err }

// invalidf returns an error wrapping [ErrInvalidInput] that names the field.
func invalidf(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidInput, field, fmt.Sprintf(format, args...))
}
