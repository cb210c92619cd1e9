package anthropic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/rolegate/rolegate/chat"
)

// DefaultMaxTokens is the max_tokens sent when neither the request nor
// [WithMaxTokens] sets one; the Messages API requires the field.
const DefaultMaxTokens = 4096

// Errors of the adapter. SDK errors are wrapped, not replaced: errors.As with
// the SDK's *anthropic.Error still finds the API error. The errors of a
// request refused before it is sent (a nil request, no model, no turns, an
// empty message, a bad schema) also match chat.ErrInvalidRequest, so that
// callers that retry do not retry them.
var (
	// ErrNilRequest is returned when Complete is given a nil request.
	ErrNilRequest = chat.InvalidRequest("anthropic: nil request")
	// ErrNoModel is returned when neither the request nor the client names a model.
	ErrNoModel = chat.InvalidRequest("anthropic: no model: set chat.Request.Model or WithModel")
	// ErrNoTurns is returned when a conversation has only system messages
	// (and perhaps an empty prefill, which is left out).
	ErrNoTurns = chat.InvalidRequest("anthropic: no user or assistant message")
	// ErrEmptyMessage is returned, before any call, for a user or assistant
	// message with no text but white space, which the Messages API rejects;
	// the error names the message. Only an empty final assistant message
	// (a prefill of nothing) is allowed: it is left out.
	ErrEmptyMessage = chat.InvalidRequest("anthropic: a user or assistant message has no text")
	// ErrIncompleteStream is returned when a stream ends before message_stop,
	// for instance when the connection is cut mid-reply.
	ErrIncompleteStream = errors.New("anthropic: stream ended before the reply was finished")
	// ErrStreamMismatch is returned when the text deltas of a stream do not
	// add up to the accumulated reply, for instance when a text delta comes
	// for a content block the stream never opened as text: the caller would
	// otherwise have seen one text and been returned another.
	ErrStreamMismatch = errors.New("anthropic: streamed text differs from the accumulated reply")
	// ErrBadSchema is returned when chat.Request.ResponseFormat holds a schema
	// that is not a JSON object.
	ErrBadSchema = chat.InvalidRequest("anthropic: response format schema is not a JSON object")
)

// Client is a [chat.Client] over the Anthropic Messages API. It is safe for
// concurrent use; it holds no per-call state. Make one with [New]: the zero
// Client has no SDK client to call.
type Client struct {
	messages  *sdk.MessageService
	model     string
	maxTokens int
	opts      []option.RequestOption
}

// Option configures a [Client].
type Option interface{ apply(*Client) }

type optionFunc func(*Client)

func (f optionFunc) apply(c *Client) { f(c) }

// WithModel sets the model used when chat.Request.Model is empty. Default:
// none, so a request without a model fails with [ErrNoModel].
func WithModel(model string) Option { return optionFunc(func(c *Client) { c.model = model }) }

// WithMaxTokens sets max_tokens for requests that do not set
// chat.Request.MaxTokens. Default: [DefaultMaxTokens]. Values below 1 keep
// the default.
func WithMaxTokens(n int) Option {
	return optionFunc(func(c *Client) {
		if n > 0 {
			c.maxTokens = n
		}
	})
}

// WithRequestOptions adds SDK request options to every call, after the SDK
// client's own options (so they win): base URL, headers, retries, timeout.
func WithRequestOptions(opts ...option.RequestOption) Option {
	return optionFunc(func(c *Client) { c.opts = append(c.opts, opts...) })
}

// New returns a [Client] that sends its calls through client. The SDK
// client's own options (API key, base URL, retries, HTTP client) apply to
// every call. A nil client means anthropic.NewClient(), which reads its
// credentials and base URL from the environment.
func New(client *sdk.Client, opts ...Option) *Client {
	if client == nil {
		def := sdk.NewClient()
		client = &def
	}
	c := &Client{messages: &client.Messages, maxTokens: DefaultMaxTokens}
	for _, o := range opts {
		o.apply(c)
	}
	return c
}

// Complete implements [chat.Client]. When req.Stream is set it streams with
// the SDK's streaming API, calls req.Stream once per text delta and returns
// the accumulated response; otherwise it makes a plain call.
func (c *Client) Complete(ctx context.Context, req *chat.Request) (*chat.Response, error) {
	params, err := c.params(req)
	if err != nil {
		return nil, err
	}
	if req.Stream != nil {
		return c.stream(ctx, params, req.Stream)
	}
	if _, err := sdk.CalculateNonStreamingTimeout(int(params.MaxTokens), params.Model, slices.Concat(c.messages.Options, c.opts)); err != nil {
		// The SDK refuses a plain call whose max_tokens may take longer
		// than ten minutes; streaming it and returning the accumulated
		// reply gives the caller what a plain call would.
		return c.stream(ctx, params, nil)
	}
	msg, err := c.messages.New(ctx, params, c.opts...)
	if err != nil {
		return nil, wrapErr("messages", err)
	}
	return response(msg), nil
}

func (c *Client) params(req *chat.Request) (sdk.MessageNewParams, error) {
	var p sdk.MessageNewParams
	if req == nil {
		return p, ErrNilRequest
	}
	if err := chat.ValidateMessages(req.Messages); err != nil {
		return p, fmt.Errorf("anthropic: %w", err)
	}
	p.Model = req.Model
	if p.Model == "" {
		p.Model = c.model
	}
	if p.Model == "" {
		return p, ErrNoModel
	}
	blank := func(m chat.Message) bool { return strings.TrimSpace(m.Content) == "" }
	// last is the final message sent: blank system messages are left out.
	last := len(req.Messages) - 1
	for last >= 0 && req.Messages[last].Role == chat.RoleSystem && blank(req.Messages[last]) {
		last--
	}
	leading := true
	for i, m := range req.Messages {
		if m.Role != chat.RoleSystem {
			leading = false
		}
		switch {
		case m.Role == chat.RoleSystem && blank(m):
			// The API rejects an empty text block; an instruction with
			// no text says nothing, so it is left out.
		case m.Role == chat.RoleAssistant && blank(m) && i == last:
			// A prefill of nothing asks for what no prefill asks for;
			// the API rejects it as an empty text block.
		case blank(m):
			return p, fmt.Errorf("%w: messages[%d] (%s); the Messages API rejects a text block with no text", ErrEmptyMessage, i, m.Role)
		case m.Role == chat.RoleSystem && leading:
			p.System = append(p.System, sdk.TextBlockParam{Text: m.Content})
		case m.Role == chat.RoleSystem:
			p.Messages = append(p.Messages, sdk.MessageParam{OfSystem: &sdk.SystemMessageParam{
				Content: []sdk.TextBlockParam{{Text: m.Content}},
			}})
		case m.Role == chat.RoleAssistant:
			p.Messages = append(p.Messages, sdk.NewAssistantMessage(sdk.NewTextBlock(m.Content)))
		default:
			p.Messages = append(p.Messages, sdk.NewUserMessage(sdk.NewTextBlock(m.Content)))
		}
	}
	if len(p.Messages) == 0 {
		return p, ErrNoTurns
	}
	p.MaxTokens = int64(c.maxTokens)
	if req.MaxTokens > 0 {
		p.MaxTokens = int64(req.MaxTokens)
	}
	if f := req.ResponseFormat; f != nil {
		var schema map[string]any
		if err := json.Unmarshal(f.Schema, &schema); err != nil || schema == nil {
			return p, fmt.Errorf("%w: response_format %q", ErrBadSchema, f.Name)
		}
		p.OutputConfig = sdk.OutputConfigParam{Format: sdk.JSONOutputFormatParam{Schema: schema}}
	}
	return p, nil
}

func (c *Client) stream(ctx context.Context, params sdk.MessageNewParams, fn chat.StreamFunc) (*chat.Response, error) {
	s := c.messages.NewStreaming(ctx, params, c.opts...)
	defer s.Close()
	var acc sdk.Message
	var streamed strings.Builder
	stopped := false
	for s.Next() {
		ev := s.Current()
		if err := acc.Accumulate(ev); err != nil {
			return nil, fmt.Errorf("anthropic: accumulate stream: %w", err)
		}
		var text string
		switch ev.Type {
		case "content_block_start":
			// The API opens a text block empty, but a block that starts
			// with text is part of the reply and streamed as such.
			if ev.ContentBlock.Type == "text" {
				text = ev.ContentBlock.Text
			}
		case "content_block_delta":
			if ev.Delta.Type == "text_delta" {
				text = ev.Delta.Text
			}
		case "message_stop":
			stopped = true
		}
		if text == "" {
			continue
		}
		streamed.WriteString(text)
		if fn != nil {
			if err := fn(ctx, chat.Delta{Content: text}); err != nil {
				return nil, err
			}
		}
	}
	if err := s.Err(); err != nil {
		return nil, wrapErr("messages stream", err)
	}
	if !stopped {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return nil, ErrIncompleteStream
	}
	resp := response(&acc)
	if resp.Text() != streamed.String() {
		return nil, fmt.Errorf("%w: streamed %d bytes, accumulated %d", ErrStreamMismatch, streamed.Len(), len(resp.Text()))
	}
	return resp, nil
}

func response(m *sdk.Message) *chat.Response {
	var sb strings.Builder
	for _, b := range m.Content {
		if b.Type == "text" {
			sb.WriteString(b.Text)
		}
	}
	u := m.Usage
	return &chat.Response{
		Message:      chat.Assistant(sb.String()),
		Model:        string(m.Model),
		ID:           m.ID,
		FinishReason: finishReason(m.StopReason),
		Usage: chat.Usage{
			InputTokens:  int(u.InputTokens + u.CacheCreationInputTokens + u.CacheReadInputTokens),
			OutputTokens: int(u.OutputTokens),
		},
	}
}

func finishReason(r sdk.StopReason) chat.FinishReason {
	switch r {
	case sdk.StopReasonEndTurn, sdk.StopReasonStopSequence:
		return chat.FinishStop
	case sdk.StopReasonMaxTokens, sdk.StopReasonModelContextWindowExceeded:
		// Both cut the reply short: at the max_tokens cap or at the end
		// of the model's context window.
		return chat.FinishLength
	case sdk.StopReasonToolUse:
		return chat.FinishToolCalls
	case sdk.StopReasonRefusal:
		return chat.FinishContentFilter
	}
	return chat.FinishReason(r)
}
