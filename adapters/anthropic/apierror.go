package anthropic

import (
	"errors"
	"fmt"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/rolegate/rolegate/chat"
)

// APIError is the error Complete returns when the provider answers with an
// HTTP error status: the shared [chat.APIError], whose Err holds the SDK's
// *anthropic.Error (errors.As with it still works) and whose StatusCode and
// RetryAfter methods let retry logic classify it without importing this
// package.
type APIError = chat.APIError

// wrapErr wraps an error of the SDK for the call op: an API error becomes an
// [*APIError], any other error is wrapped with the adapter's prefix.
func wrapErr(op string, err error) error {
	var api *sdk.Error
	if !errors.As(err, &api) || api == nil {
		return fmt.Errorf("anthropic: %s: %w", op, err)
	}
	e := &APIError{Provider: "anthropic", Op: op, Err: err, Status: api.StatusCode}
	if api.Response != nil {
		e.Wait = chat.RetryAfterHint(api.Response.Header, time.Now())
	}
	return e
}
