package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/packages/param"
	"github.com/openai/openai-go/v3/shared"

	"github.com/rolegate/rolegate/chat"
)

// Errors of the adapter. SDK errors are wrapped, not replaced: errors.As with
// the SDK's *openai.Error still finds the API error (status code, type,
// message). The errors of a request refused before it is sent (a nil
// request, no model, a bad schema) also match chat.ErrInvalidRequest, so
// that callers that retry do not retry them.
var (
	// ErrNilRequest is returned when Complete is given a nil request.
	ErrNilRequest = chat.InvalidRequest("openai: nil request")
	// ErrNoModel is returned when neither the request nor the client names a model.
	ErrNoModel = chat.InvalidRequest("openai: no model: set chat.Request.Model or WithModel")
	// ErrNoChoices is returned when the provider answers without any choice.
	ErrNoChoices = errors.New("openai: reply has no choices")
	// ErrIncompleteStream is returned when a stream ends before the provider
	// sent a finish reason, for instance when the connection is cut mid-reply.
	ErrIncompleteStream = errors.New("openai: stream ended before the reply was finished")
	// ErrBadChunk is returned when a stream chunk cannot be accumulated.
	ErrBadChunk = errors.New("openai: stream chunk rejected by the accumulator")
	// ErrBadSchema is returned when chat.Request.ResponseFormat holds a schema
	// that is not a JSON object.
	ErrBadSchema = chat.InvalidRequest("openai: response format schema is not a JSON object")
)

// Client is a [chat.Client] over the Chat Completions API of an openai-go
// client. It works with OpenAI and with any server that speaks the same wire
// format (vLLM, Ollama, llama.cpp server, LM Studio): point the SDK client at
// it with option.WithBaseURL.
//
// A Client is safe for concurrent use; it holds no per-call state. Make one
// with [New]: the zero Client has no SDK client to call.
type Client struct {
	completions *oai.ChatCompletionService
	model       string
	opts        []option.RequestOption
	noUsage     bool
	maxTokens   bool // send max_tokens instead of max_completion_tokens
}

// Option configures a [Client].
type Option interface{ apply(*Client) }

type optionFunc func(*Client)

func (f optionFunc) apply(c *Client) { f(c) }

// WithModel sets the model used when chat.Request.Model is empty. Default:
// none, so a request without a model fails with [ErrNoModel].
func WithModel(model string) Option { return optionFunc(func(c *Client) { c.model = model }) }

// WithRequestOptions adds SDK request options to every call, after the SDK
// client's own options (so they win): a per-adapter base URL, headers, retry
// count, timeout.
func WithRequestOptions(opts ...option.RequestOption) Option {
	return optionFunc(func(c *Client) { c.opts = append(c.opts, opts...) })
}

// WithoutStreamUsage stops the client from asking for a usage chunk at the end
// of a stream (stream_options.include_usage). Default: usage is asked for. Use
// it for an OpenAI-compatible server that rejects stream_options; streamed
// responses then report zero usage.
func WithoutStreamUsage() Option { return optionFunc(func(c *Client) { c.noUsage = true }) }

// WithLegacyMaxTokens sends chat.Request.MaxTokens as max_tokens instead of
// max_completion_tokens. Default: max_completion_tokens, which OpenAI's
// reasoning models require; use this option for an OpenAI-compatible server
// that only knows the older field.
func WithLegacyMaxTokens() Option { return optionFunc(func(c *Client) { c.maxTokens = true }) }

// New returns a [Client] that sends its calls through sdk. The SDK client's
// own options (API key, base URL, retries, HTTP client) apply to every call.
// A nil sdk means openai.NewClient(), which reads OPENAI_API_KEY and
// OPENAI_BASE_URL from the environment.
func New(sdk *oai.Client, opts ...Option) *Client {
	if sdk == nil {
		def := oai.NewClient()
		sdk = &def
	}
	c := &Client{completions: &sdk.Chat.Completions}
	for _, o := range opts {
		o.apply(c)
	}
	return c
}

// Complete implements [chat.Client]. When req.Stream is set it streams with
// the SDK's streaming API, calls req.Stream once per content delta and returns
// the accumulated response; otherwise it makes a plain call. Request metadata
// is never sent to the provider.
func (c *Client) Complete(ctx context.Context, req *chat.Request) (*chat.Response, error) {
	params, err := c.params(req)
	if err != nil {
		return nil, err
	}
	if req.Stream != nil {
		return c.stream(ctx, params, req.Stream)
	}
	cc, err := c.completions.New(ctx, params, c.opts...)
	if err != nil {
		return nil, wrapErr("chat completion", err)
	}
	return response(cc)
}

func (c *Client) params(req *chat.Request) (oai.ChatCompletionNewParams, error) {
	var p oai.ChatCompletionNewParams
	if req == nil {
		return p, ErrNilRequest
	}
	if err := chat.ValidateMessages(req.Messages); err != nil {
		return p, fmt.Errorf("openai: %w", err)
	}
	p.Model = req.Model
	if p.Model == "" {
		p.Model = c.model
	}
	if p.Model == "" {
		return p, ErrNoModel
	}
	p.Messages = messages(req.Messages)
	if req.Temperature != nil {
		p.Temperature = param.NewOpt(*req.Temperature)
	}
	switch {
	case req.MaxTokens > 0 && c.maxTokens:
		p.MaxTokens = param.NewOpt(int64(req.MaxTokens))
	case req.MaxTokens > 0:
		p.MaxCompletionTokens = param.NewOpt(int64(req.MaxTokens))
	}
	if req.Seed != nil {
		p.Seed = param.NewOpt(*req.Seed)
	}
	if f := req.ResponseFormat; f != nil {
		rf, err := responseFormat(f)
		if err != nil {
			return p, err
		}
		p.ResponseFormat = rf
	}
	if req.Stream != nil && !c.noUsage {
		p.StreamOptions = oai.ChatCompletionStreamOptionsParam{IncludeUsage: param.NewOpt(true)}
	}
	return p, nil
}

func messages(msgs []chat.Message) []oai.ChatCompletionMessageParamUnion {
	out := make([]oai.ChatCompletionMessageParamUnion, len(msgs))
	for i, m := range msgs {
		switch m.Role {
		case chat.RoleSystem:
			out[i] = oai.SystemMessage(m.Content)
		case chat.RoleAssistant:
			out[i] = oai.AssistantMessage(m.Content)
		default:
			out[i] = oai.UserMessage(m.Content)
		}
	}
	return out
}

// responseFormat maps a chat.ResponseFormat to the json_schema response
// format. The schema is decoded so that the SDK sends it as an object, not as
// a JSON string.
func responseFormat(f *chat.ResponseFormat) (oai.ChatCompletionNewParamsResponseFormatUnion, error) {
	var schema map[string]any
	if err := json.Unmarshal(f.Schema, &schema); err != nil || schema == nil {
		return oai.ChatCompletionNewParamsResponseFormatUnion{}, fmt.Errorf("%w: response_format %q", ErrBadSchema, f.Name)
	}
	name := f.Name
	if name == "" {
		name = "response"
	}
	js := shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: name, Schema: schema}
	if f.Strict {
		js.Strict = param.NewOpt(true)
	}
	return oai.ChatCompletionNewParamsResponseFormatUnion{
		OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{JSONSchema: js},
	}, nil
}

func (c *Client) stream(ctx context.Context, params oai.ChatCompletionNewParams, fn chat.StreamFunc) (*chat.Response, error) {
	s := c.completions.NewStreaming(ctx, params, c.opts...)
	defer s.Close()
	var acc oai.ChatCompletionAccumulator
	var streamed strings.Builder
	for s.Next() {
		chunk := s.Current()
		if !acc.AddChunk(chunk) {
			return nil, ErrBadChunk
		}
		for _, ch := range chunk.Choices {
			// A refusal streams in its own field; it becomes the reply's
			// content (see response), so it is forwarded as content too.
			text := ch.Delta.Content + ch.Delta.Refusal
			if ch.Index != 0 || text == "" {
				continue
			}
			streamed.WriteString(text)
			if err := fn(ctx, chat.Delta{Content: text}); err != nil {
				return nil, err
			}
		}
	}
	if err := s.Err(); err != nil {
		return nil, wrapErr("chat completion stream", err)
	}
	if len(acc.Choices) == 0 || acc.Choices[0].FinishReason == "" {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return nil, ErrIncompleteStream
	}
	resp, err := response(&acc.ChatCompletion)
	if err != nil {
		return nil, err
	}
	// The reply is what was streamed: the accumulator keeps content and
	// refusal apart, so their order in the stream is known only here.
	resp.Message.Content = streamed.String()
	return resp, nil
}

// response maps the first choice of a completion to a chat.Response. A
// refusal (structured output the model declined to produce) is part of the
// reply, after any content, with finish reason content_filter, so it is
// never mistaken for an empty or complete answer.
func response(cc *oai.ChatCompletion) (*chat.Response, error) {
	if cc == nil || len(cc.Choices) == 0 {
		return nil, ErrNoChoices
	}
	ch := cc.Choices[0]
	resp := &chat.Response{
		Message:      chat.Assistant(ch.Message.Content + ch.Message.Refusal),
		Model:        cc.Model,
		ID:           cc.ID,
		FinishReason: chat.FinishReason(ch.FinishReason),
		Usage: chat.Usage{
			InputTokens:  int(cc.Usage.PromptTokens),
			OutputTokens: int(cc.Usage.CompletionTokens),
		},
	}
	if ch.Message.Refusal != "" {
		resp.FinishReason = chat.FinishContentFilter
	}
	return resp, nil
}
