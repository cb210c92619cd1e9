package judge

import (
	"errors"
	"fmt"

	"github.com/rolegate/rolegate/chat"
)

// Errors of the judge package. Input errors come wrapped in a [*FieldError]
// that names the field; batch calls wrap each item's error in an
// [*ItemError]. An unreadable judge reply is not an error of the call: it is
// recorded on the result as invalid (see [ErrInvalidReply]).
var (
	// ErrNilClient is returned by calls on a Judge built without a client.
	ErrNilClient = errors.New("judge: nil chat client")
	// ErrUnknownDimension is returned for a dimension the judge has no prompt for,
	// or one used with the wrong kind of call.
	ErrUnknownDimension = errors.New("judge: unknown dimension")
	// ErrEmptyField is returned when a required text field is empty or
	// blank, also once its control and invisible characters are dropped.
	ErrEmptyField = errors.New("judge: required field is empty")
	// ErrInvalidUTF8 is returned when a text field is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("judge: field is not valid UTF-8")
	// ErrTooLarge is returned when a text field exceeds the judge's size limit.
	ErrTooLarge = errors.New("judge: field too large")
	// ErrInvalidReply is returned by [ParsePairwise] and [ParseLabel] when the
	// judge's reply holds no readable verdict. Judge calls record it on the
	// result (Invalid, Problem, Raw) instead of returning it.
	ErrInvalidReply = errors.New("judge: invalid reply")
	// ErrNoResponse is returned when a client returns neither a response nor
	// an error. It is [chat.ErrNoResponse].
	ErrNoResponse = chat.ErrNoResponse
)

// FieldError names the input field that made a call fail.
type FieldError struct {
	Field string // e.g. "Pair.Generic"
	Err   error  // ErrEmptyField, ErrInvalidUTF8 or ErrTooLarge
}

// Error names the field and the problem.
func (e *FieldError) Error() string { return fmt.Sprintf("judge: %s: %v", e.Field, trim(e.Err)) }

// Unwrap returns the sentinel error.
func (e *FieldError) Unwrap() error { return e.Err }

// ItemError is the error of one item of a batch: which item, and why it has no
// result. Batch calls join them with errors.Join.
type ItemError struct {
	Index     int       // position of the item in the batch input
	ID        string    // the item's ID, if it had one
	Dimension Dimension // the dimension being judged
	Round     int       // the round, for per-round judges; 0 otherwise
	Err       error
}

// Error names the item and its error.
func (e *ItemError) Error() string {
	id := ""
	if e.ID != "" {
		id = fmt.Sprintf(" (%s)", e.ID)
	}
	round := ""
	if e.Round > 0 {
		round = fmt.Sprintf(" round %d", e.Round)
	}
	return fmt.Sprintf("judge: item %d%s%s, %s: %v", e.Index, id, round, e.Dimension, trim(e.Err))
}

// Unwrap returns the item's error.
func (e *ItemError) Unwrap() error { return e.Err }

// ReplyError explains why a judge reply could not be read.
type ReplyError struct {
	Problem string // what was wrong, for people
	Raw     string // the reply as received
}

// Error says what was wrong with the reply.
func (e *ReplyError) Error() string { return "judge: invalid reply: " + e.Problem }

// Unwrap returns [ErrInvalidReply].
func (e *ReplyError) Unwrap() error { return ErrInvalidReply }

func trim(err error) string {
	s := err.Error()
	const p = "judge: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}
