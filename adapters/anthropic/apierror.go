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
	if e.Status < 400 {
		// An error event inside a stream that began with 200: the status
		// its type stands for, so that a mid-stream overload is retried
		// like an overloaded reply.
		if st, ok := statusOfType[api.Type()]; ok {
			e.Status = st
		}
	}
	if api.Response != nil {
		e.Wait = chat.RetryAfterHint(api.Response.Header, time.Now())
	}
	return e
}

// statusOfType maps the API's error types to the HTTP status the API sends
// them with (Anthropic's error reference).
var statusOfType = map[sdk.ErrorType]int{
	sdk.ErrorTypeInvalidRequestError: 400,
	sdk.ErrorTypeAuthenticationError: 401,
	sdk.ErrorTypeBillingError:        402,
	sdk.ErrorTypePermissionError:     403,
	sdk.ErrorTypeNotFoundError:       404,
	sdk.ErrorTypeConflictError:       409,
	"request_too_large":              413,
	sdk.ErrorTypeRateLimitError:      429,
	sdk.ErrorTypeAPIError:            500,
	sdk.ErrorTypeTimeoutError:        504,
	sdk.ErrorTypeOverloadedError:     529,
}
