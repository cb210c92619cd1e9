package chat

import (
	"encoding/json"
	"maps"
	"slices"
)

// Request is one call to a model: the conversation so far and the knobs that
// every provider understands. Zero values mean "provider default".
type Request struct {
	// Model names the model; empty means the client's default.
	Model string `json:"model,omitempty"`
	// Messages is the conversation, oldest first.
	Messages []Message `json:"messages"`
	// Temperature, when set, overrides the provider's default sampling temperature.
	Temperature *float64 `json:"temperature,omitempty"`
	// MaxTokens caps the reply length; 0 means the provider default.
	MaxTokens int `json:"max_tokens,omitempty"`
	// Seed asks providers that support it for reproducible sampling.
	Seed *int64 `json:"seed,omitempty"`
	// ResponseFormat asks for structured output; nil means free text.
	ResponseFormat *ResponseFormat `json:"response_format,omitempty"`
	// Metadata carries request-scoped routing data for middleware, such as the
	// tenant and role names the guard resolves its policy from. Adapters do not
	// send it to the provider.
	Metadata map[string]string `json:"metadata,omitempty"`
	// Stream, when non-nil, receives the reply as it is generated. See
	// [StreamFunc]. The complete reply is still returned by Complete.
	Stream StreamFunc `json:"-"`
}

// ResponseFormat asks the model for JSON that conforms to a JSON Schema.
// Adapters map it to the provider's structured-output option (OpenAI's
// response_format json_schema, Anthropic's output format, ...); a client that
// has no such option may ignore it, so callers must still validate the reply.
type ResponseFormat struct {
	// Name identifies the schema to providers that want a name.
	Name string `json:"name"`
	// Schema is the JSON Schema document.
	Schema json.RawMessage `json:"schema"`
	// Strict asks the provider to enforce the schema exactly where it can.
	Strict bool `json:"strict,omitempty"`
}

// Clone returns a copy of r that shares nothing mutable with r: the messages,
// metadata and pointer fields are copied, so the copy can be changed freely.
// A nil Request clones to nil.
func (r *Request) Clone() *Request {
	if r == nil {
		return nil
	}
	c := *r
	c.Messages = slices.Clone(r.Messages)
	c.Metadata = maps.Clone(r.Metadata)
	if r.Temperature != nil {
		t := *r.Temperature
		c.Temperature = &t
	}
	if r.Seed != nil {
		s := *r.Seed
		c.Seed = &s
	}
	if r.ResponseFormat != nil {
		f := *r.ResponseFormat
		f.Schema = slices.Clone(r.ResponseFormat.Schema)
		c.ResponseFormat = &f
	}
	return &c
}

// FinishReason says why the model stopped.
type FinishReason string

// Finish reasons shared by providers; adapters map theirs onto these and keep
// anything else verbatim.
const (
	FinishStop          FinishReason = "stop"
	FinishLength        FinishReason = "length"
	FinishContentFilter FinishReason = "content_filter"
	FinishToolCalls     FinishReason = "tool_calls"
)

// Usage counts tokens as the provider reported them.
type Usage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

// Add returns the sum of two usages.
func (u Usage) Add(v Usage) Usage {
	return Usage{InputTokens: u.InputTokens + v.InputTokens, OutputTokens: u.OutputTokens + v.OutputTokens}
}

// Total returns input plus output tokens.
func (u Usage) Total() int { return u.InputTokens + u.OutputTokens }

// Response is the model's reply to a [Request].
type Response struct {
	// Message is the assistant's reply.
	Message Message `json:"message"`
	// Model is the model that answered, as the provider names it.
	Model string `json:"model,omitempty"`
	// ID is the provider's identifier for the completion, if any.
	ID string `json:"id,omitempty"`
	// FinishReason says why generation stopped.
	FinishReason FinishReason `json:"finish_reason,omitempty"`
	// Usage counts the tokens of this call. A middleware that calls the model
	// more than once (a reask) reports the sum.
	Usage Usage `json:"usage"`
	// Annotations carry what middleware learned about the reply, for instance
	// the guard's verdict. Find one by type with [Find].
	Annotations []Annotation `json:"-"`
}

// Text returns the reply's content; it is safe on a nil Response.
func (r *Response) Text() string {
	if r == nil {
		return ""
	}
	return r.Message.Content
}

// Annotation is what a middleware attaches to a [Response] to report on it,
// in the spirit of HTTP trailers. Each middleware defines its own concrete
// type; callers retrieve it with [Find].
type Annotation interface {
	// AnnotationName names the annotation kind, e.g. "rolegate.verdict".
	AnnotationName() string
}

// Find returns the last annotation of type T on resp, if any.
func Find[T Annotation](resp *Response) (T, bool) {
	var zero T
	if resp == nil {
		return zero, false
	}
	for i := len(resp.Annotations) - 1; i >= 0; i-- {
		if a, ok := resp.Annotations[i].(T); ok {
			return a, true
		}
	}
	return zero, false
}
