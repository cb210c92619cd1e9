package persona

import (
	"errors"
	"fmt"
	"strings"
)

// Errors reported by this package. Errors about one field of a profile are a
// [*FieldError] that names the field and unwraps to one of these; errors about
// one record of a persona file are a [*RecordError].
var (
	ErrTooLong       = errors.New("persona: too long")
	ErrTooMany       = errors.New("persona: too many items")
	ErrInvalidUTF8   = errors.New("persona: invalid UTF-8")
	ErrInvalidValue  = errors.New("persona: invalid value")
	ErrUnknownFacet  = errors.New("persona: unknown facet")
	ErrNoProfile     = errors.New("persona: no profile")
	ErrNothingToSay  = errors.New("persona: nothing to render for the allowed facets")
	ErrMalformed     = errors.New("persona: malformed record")
	ErrSchema        = errors.New("persona: does not match the schema")
	ErrUnknownPerson = errors.New("persona: unknown grammatical person")
)

// FieldError reports which field of a [Profile] is unacceptable and why. Field
// is the field's JSON path, such as "narrative", "beliefs[2]" or
// "demographics.age". Detail, when set, gives the numbers or the offending
// value.
type FieldError struct {
	Field  string
	Err    error // one of the persona sentinel errors
	Detail string
}

// Error renders "persona: field narrative: too long (1048576 bytes, max 4096)".
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString("persona: field ")
	b.WriteString(e.Field)
	b.WriteString(": ")
	b.WriteString(trimPrefix(e.Err))
	if e.Detail != "" {
		b.WriteString(" (")
		b.WriteString(e.Detail)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the sentinel error, so errors.Is works.
func (e *FieldError) Unwrap() error { return e.Err }

// RecordError reports a record of a persona file that could not be loaded:
// its zero-based Index in the file and the reason, which wraps
// [ErrMalformed] or a [*FieldError].
type RecordError struct {
	Index int
	Err   error
}

// Error renders "persona: record 148: ...".
func (e *RecordError) Error() string {
	return fmt.Sprintf("persona: record %d: %s", e.Index, trimPrefix(e.Err))
}

// Unwrap returns the reason.
func (e *RecordError) Unwrap() error { return e.Err }

func trimPrefix(err error) string {
	if err == nil {
		return "<nil>"
	}
	return strings.TrimPrefix(err.Error(), "persona: ")
}

func fieldErr(field string, err error, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Err: err, Detail: fmt.Sprintf(format, args...)}
}
