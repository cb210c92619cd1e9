package openai

import (
	"errors"
	"fmt"
	"time"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/packages/ssestream"
	"github.com/tidwall/gjson"

	"github.com/rolegate/rolegate/chat"
)

// APIError is the error Complete returns when the provider answers with an
// HTTP error status: the shared [chat.APIError], whose Err holds the SDK's
// *openai.Error (errors.As with it still works) and whose StatusCode and
// RetryAfter methods let retry logic classify it without importing this
// package. An error event inside a stream (after a 200) is an APIError too
// when its type or code tells the status it stands for; Err then holds the
// SDK's *ssestream.StreamError.
type APIError = chat.APIError

// wrapErr wraps an error of the SDK for the call op: an API error becomes an
// [*APIError], any other error is wrapped with the adapter's prefix.
func wrapErr(op string, err error) error {
	var se *ssestream.StreamError
	if errors.As(err, &se) && se != nil {
		if st := streamErrorStatus(se.Event.Data); st != 0 {
			return &APIError{Provider: "openai", Op: op, Err: err, Status: st}
		}
	}
	var api *oai.Error
	if !errors.As(err, &api) || api == nil {
		return fmt.Errorf("openai: %s: %w", op, err)
	}
	e := &APIError{Provider: "openai", Op: op, Err: err, Status: api.StatusCode}
	if api.Response != nil {
		e.Wait = chat.RetryAfterHint(api.Response.Header, time.Now())
	}
	return e
}

// streamErrorStatus returns the HTTP status that the error event data of a
// stream stands for, or 0 when it does not say. A numeric code (as vLLM
// sends) is the status itself; otherwise OpenAI's error type or code names
// it, as in the API's error reference.
func streamErrorStatus(data []byte) int {
	e := gjson.GetBytes(data, "error")
	if c := e.Get("code"); c.Type == gjson.Number && c.Int() >= 400 && c.Int() <= 599 {
		return int(c.Int())
	}
	for _, k := range []string{"code", "type"} {
		if st, ok := statusOfError[e.Get(k).String()]; ok {
			return st
		}
	}
	return 0
}

// statusOfError maps the error types and codes of OpenAI's API to the HTTP
// status it sends them with.
var statusOfError = map[string]int{
	"invalid_request_error": 400,
	"authentication_error":  401,
	"invalid_api_key":       401,
	"permission_error":      403,
	"not_found_error":       404,
	"rate_limit_exceeded":   429,
	"rate_limit_error":      429,
	"insufficient_quota":    429,
	"requests":              429,
	"tokens":                429,
	"server_error":          500,
	"service_unavailable":   503,
	"engine_overloaded":     503,
}
