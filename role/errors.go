package role

import (
	"errors"
	"strings"
)

// Errors reported by this package. Problems with one field of a role or a
// policy are a [*FieldError] that names the field's path and unwraps to one
// of these; several problems are joined with errors.Join. An unknown field's
// error matches both ErrUnknownField and ErrSchema.
var (
	ErrUnknownRole   = errors.New("role: unknown role")
	ErrUnknownTenant = errors.New("role: unknown tenant")
	ErrNoDefault     = errors.New("role: no role named and no default role")
	ErrBelowFloor    = errors.New("role: below the operator floor")
	ErrInvalid       = errors.New("role: invalid value")
	ErrSchema        = errors.New("role: policy does not match the schema")
	ErrUnknownField  = errors.New("role: unknown field")
	ErrFormat        = errors.New("role: unknown policy format")
)

// FieldError reports which field of a policy or role is unacceptable and why.
// Path is the field's path in the policy document, such as
// "tenants.acme.roles.peer.checks.stance_flip.threshold". A name that is
// not only ASCII letters, digits, '_' and '-' is quoted, so that its dots
// or line breaks cannot be read as the path's: tenants["acme.eu"].roles.peer.
type FieldError struct {
	Path   string
	Err    error // one of the role sentinel errors
	Detail string
}

// Error renders "role: tenants.acme.roles.peer.checks.stance_flip.threshold:
// below the operator floor (0.8 is looser than the floor's 0.5; set by
// floor.kinds.peer)".
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString("role: ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "role: "))
	} else {
		b.WriteString("invalid field") // built by hand without a sentinel
	}
	if e.Detail != "" {
		b.WriteString(" (")
		b.WriteString(e.Detail)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the sentinel error, so errors.Is works.
func (e *FieldError) Unwrap() error { return e.Err }

// Is reports that an unknown field also matches ErrSchema: the schema forbids
// fields it does not name, so an unknown field is a schema violation, and
// errors.Is(err, ErrSchema) answers "does the document match the schema?"
// for every kind of violation.
func (e *FieldError) Is(target error) bool {
	return target == ErrSchema && e.Err == ErrUnknownField
}
