package langchaingo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/tmc/langchaingo/llms"

	"github.com/rolegate/rolegate/chat"
)

// Errors of the adapter. Errors of the wrapped llms.Model are wrapped, not
// replaced, so errors.Is and errors.As still find them. [ErrNilRequest] and
// [ErrNilModel], which refuse a call before it is made, also match
// chat.ErrInvalidRequest, so that callers that retry do not retry them.
var (
	// ErrNilRequest is returned when Complete is given a nil request.
	ErrNilRequest = chat.InvalidRequest("langchaingo: nil request")
	// ErrNoChoices is returned when the model answers without any choice.
	ErrNoChoices = errors.New("langchaingo: reply has no choices")
	// ErrNilModel is returned when the wrapped model or client is nil.
	ErrNilModel = chat.InvalidRequest("langchaingo: nil model")
	// ErrUnsupported is returned by [Model] for a call it cannot express as a
	// chat.Request; the error is an [*UnsupportedError] naming the option or
	// message part.
	ErrUnsupported = errors.New("langchaingo: call cannot be expressed as a chat.Request")
)

// UnsupportedError names what a langchaingo call carried that [Model] cannot
// pass to a chat.Client.
type UnsupportedError struct {
	Field  string // the call option (e.g. "Tools") or message part (e.g. "messages[1].parts[0]")
	Detail string // what was found there
}

// Error implements error.
func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("langchaingo: unsupported %s: %s", e.Field, e.Detail)
}

// Unwrap returns [ErrUnsupported].
func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

// Client is a [chat.Client] over a langchaingo llms.Model. It is as safe for
// concurrent use as the model it wraps (langchaingo's providers are).
type Client struct {
	model llms.Model
	opts  []llms.CallOption
}

// New returns a [Client] that calls m. opts are passed on every call before
// the options the request implies, so the request wins.
func New(m llms.Model, opts ...llms.CallOption) *Client {
	return &Client{model: m, opts: opts}
}

// Complete implements [chat.Client] with GenerateContent. chat.Request maps
// to call options: Model, Temperature, MaxTokens and Seed directly;
// ResponseFormat to JSON mode (langchaingo has no per-call schema option:
// configure the schema on the provider, e.g. openai.WithResponseFormat);
// Stream to llms.WithStreamingFunc. Metadata is not passed (langchaingo's
// providers would send it to the API). When ctx ends, the error matches
// ctx's error with errors.Is, also from a provider that reports it in
// words of its own.
func (c *Client) Complete(ctx context.Context, req *chat.Request) (*chat.Response, error) {
	if req == nil {
		return nil, ErrNilRequest
	}
	if c.model == nil {
		return nil, ErrNilModel
	}
	if err := chat.ValidateMessages(req.Messages); err != nil {
		return nil, fmt.Errorf("langchaingo: %w", err)
	}
	msgs := make([]llms.MessageContent, len(req.Messages))
	for i, m := range req.Messages {
		role := llms.ChatMessageTypeHuman
		switch m.Role {
		case chat.RoleSystem:
			role = llms.ChatMessageTypeSystem
		case chat.RoleAssistant:
			role = llms.ChatMessageTypeAI
		}
		msgs[i] = llms.TextParts(role, m.Content)
	}
	opts := slices.Clone(c.opts)
	if req.Model != "" {
		opts = append(opts, llms.WithModel(req.Model))
	}
	if req.Temperature != nil {
		opts = append(opts, llms.WithTemperature(*req.Temperature))
	}
	if req.MaxTokens > 0 {
		opts = append(opts, llms.WithMaxTokens(req.MaxTokens))
	}
	if req.Seed != nil {
		opts = append(opts, llms.WithSeed(int(*req.Seed)))
	}
	if req.ResponseFormat != nil {
		opts = append(opts, llms.WithJSONMode())
	}
	// streamErr is the first error of req.Stream. Some providers (googleai,
	// vertex) stop streaming on it but return their partial reply as a
	// success: the error is Complete's all the same, and no delta follows
	// it.
	var streamErr error
	if req.Stream != nil {
		stream := req.Stream
		opts = append(opts, llms.WithStreamingFunc(func(ctx context.Context, chunk []byte) error {
			if streamErr != nil {
				return streamErr
			}
			if len(chunk) == 0 {
				return nil
			}
			streamErr = stream(ctx, chat.Delta{Content: string(chunk)})
			return streamErr
		}))
	}
	out, err := c.model.GenerateContent(ctx, msgs, opts...)
	if err == nil && streamErr != nil {
		return nil, streamErr
	}
	if err != nil {
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			// langchaingo's OpenAI provider replaces a context error with
			// text of its own ("request cancelled"); the caller must still
			// be able to match the end of its context with errors.Is.
			return nil, fmt.Errorf("langchaingo: generate content: %w (%w)", cerr, err)
		}
		return nil, modelError(err)
	}
	// Some providers end a cancelled stream quietly with what they had; a
	// cancelled call must not look like a complete reply.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var choices []*llms.ContentChoice
	if out != nil {
		choices = slices.DeleteFunc(slices.Clone(out.Choices), func(ch *llms.ContentChoice) bool { return ch == nil })
	}
	if len(choices) == 0 {
		return nil, ErrNoChoices
	}
	if c.candidates() {
		choices = choices[:1]
	}
	resp := &chat.Response{Model: req.Model}
	var text strings.Builder
	for _, ch := range choices {
		text.WriteString(ch.Content)
		if resp.FinishReason == "" {
			resp.FinishReason = finishReason(ch.StopReason)
		}
		if resp.Usage == (chat.Usage{}) {
			resp.Usage = usage(ch.GenerationInfo)
		}
	}
	resp.Message = chat.Assistant(text.String())
	return resp, nil
}

// candidates reports whether the client's own options ask for several
// candidates (llms.WithN, llms.WithCandidateCount): the choices of a reply
// are then alternatives, and the reply is the first. Otherwise the choices
// are the parts of one reply: langchaingo's Anthropic and Bedrock Nova
// providers return one choice per content block (a thinking block with no
// text, then one or more text blocks), each with the whole message's stop
// reason and usage, so the reply is the text of them all.
func (c *Client) candidates() bool {
	var o llms.CallOptions
	for _, opt := range c.opts {
		opt(&o)
	}
	return o.N > 1 || o.CandidateCount > 1
}

// finishReason maps the stop reasons of langchaingo's providers (which pass
// their API's own words through) to chat's.
func finishReason(s string) chat.FinishReason {
	switch strings.ToLower(s) {
	case "stop", "end_turn", "stop_sequence", "eos", "complete":
		return chat.FinishStop
	case "length", "max_tokens", "max_token", "model_context_window_exceeded":
		return chat.FinishLength
	case "tool_calls", "tool_use", "function_call":
		return chat.FinishToolCalls
	case "content_filter", "safety", "refusal":
		return chat.FinishContentFilter
	}
	return chat.FinishReason(s)
}

// usage reads token counts from GenerationInfo under the names langchaingo's
// providers use (OpenAI: PromptTokens/CompletionTokens; Anthropic and others:
// InputTokens/OutputTokens). Input counts cached tokens too, as the
// anthropic adapter's does.
func usage(info map[string]any) chat.Usage {
	get := func(keys ...string) int {
		for _, k := range keys {
			switch v := info[k].(type) {
			case int:
				return v
			case int32:
				return int(v)
			case int64:
				return int(v)
			case float64:
				return int(v)
			}
		}
		return 0
	}
	in := get("PromptTokens")
	if _, ok := info["PromptTokens"]; !ok {
		// Anthropic's InputTokens leave out the input read from and
		// written to its prompt cache. PromptTokens (OpenAI, Google AI)
		// already count cached input, though Google AI repeats it under
		// CacheReadInputTokens.
		in = get("InputTokens", "input_tokens") + get("CacheCreationInputTokens") + get("CacheReadInputTokens")
	}
	return chat.Usage{
		InputTokens:  in,
		OutputTokens: get("CompletionTokens", "OutputTokens", "output_tokens"),
	}
}

// Model is an llms.Model that sends every call through a chat.Client wrapped
// in chat middleware: the way to put the guard in front of a langchaingo
// model and keep using it in chains and agents:
//
//	guarded := langchaingo.NewModel(langchaingo.New(llm), guard.New(policy))
//
// It is safe for concurrent use when the client and middleware are.
type Model struct {
	client chat.Client
}

var _ llms.Model = (*Model)(nil)

// NewModel returns a [Model] over c wrapped by mws (first outermost, as in
// [chat.Chain]). With a nil c every call fails with [ErrNilModel].
func NewModel(c chat.Client, mws ...chat.Middleware) *Model {
	if c == nil {
		return &Model{}
	}
	return &Model{client: chat.Wrap(c, mws...)}
}

// AnnotationsKey is the GenerationInfo key under which [Model] returns the
// response's []chat.Annotation (the guard's verdict among them).
const AnnotationsKey = "rolegate.annotations"

// GenerateContent implements llms.Model. Text messages map to chat messages
// (system; human and generic to user; ai to assistant). Call options map to
// the chat.Request: Model, Temperature, MaxTokens, Seed, StreamingFunc (fed
// from chat.Request.Stream), JSON mode or a JSON MIME type (as a
// ResponseFormat asking for a JSON object), and Metadata (as
// chat.Request.Metadata, values formatted with %v, where the guard finds the
// role). Anything a chat.Request cannot carry (tools, functions, several
// candidates, stop words, other sampling knobs, non-text parts, tool
// messages) fails with an [*UnsupportedError] rather than being dropped.
// StreamingReasoningFunc is never called: chat replies carry no reasoning.
func (m *Model) GenerateContent(ctx context.Context, messages []llms.MessageContent, options ...llms.CallOption) (*llms.ContentResponse, error) {
	if m.client == nil {
		return nil, ErrNilModel
	}
	req, err := request(messages, options)
	if err != nil {
		return nil, err
	}
	resp, err := m.client.Complete(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp == nil {
		return nil, chat.ErrNoResponse
	}
	return &llms.ContentResponse{Choices: []*llms.ContentChoice{{
		Content:    resp.Message.Content,
		StopReason: string(resp.FinishReason),
		GenerationInfo: map[string]any{
			"PromptTokens":     resp.Usage.InputTokens,
			"CompletionTokens": resp.Usage.OutputTokens,
			"TotalTokens":      resp.Usage.Total(),
			AnnotationsKey:     resp.Annotations,
		},
	}}}, nil
}

// Call implements llms.Model with a single user message.
func (m *Model) Call(ctx context.Context, prompt string, options ...llms.CallOption) (string, error) {
	return llms.GenerateFromSinglePrompt(ctx, m, prompt, options...)
}

func request(messages []llms.MessageContent, options []llms.CallOption) (*chat.Request, error) {
	// NaN and MinInt mark "not set", so an explicit zero temperature or
	// seed is told apart from an absent one.
	o := llms.CallOptions{Temperature: math.NaN(), Seed: math.MinInt}
	for _, opt := range options {
		opt(&o)
	}
	unsupported := []struct {
		field string
		set   bool
		val   any
	}{
		{"Tools", len(o.Tools) > 0, len(o.Tools)},
		{"Functions", len(o.Functions) > 0, len(o.Functions)},
		{"ToolChoice", o.ToolChoice != nil, o.ToolChoice},
		{"FunctionCallBehavior", o.FunctionCallBehavior != "", o.FunctionCallBehavior},
		{"CandidateCount", o.CandidateCount > 1, o.CandidateCount},
		{"N", o.N > 1, o.N},
		{"StopWords", len(o.StopWords) > 0, o.StopWords},
		{"TopK", o.TopK != 0, o.TopK},
		{"TopP", o.TopP != 0, o.TopP},
		{"MinLength", o.MinLength != 0, o.MinLength},
		{"MaxLength", o.MaxLength != 0, o.MaxLength},
		{"RepetitionPenalty", o.RepetitionPenalty != 0, o.RepetitionPenalty},
		{"FrequencyPenalty", o.FrequencyPenalty != 0, o.FrequencyPenalty},
		{"PresencePenalty", o.PresencePenalty != 0, o.PresencePenalty},
	}
	for _, u := range unsupported {
		if u.set {
			return nil, &UnsupportedError{Field: u.field, Detail: fmt.Sprintf("%v", u.val)}
		}
	}
	req := &chat.Request{Model: o.Model, MaxTokens: o.MaxTokens}
	if !math.IsNaN(o.Temperature) {
		t := o.Temperature
		req.Temperature = &t
	}
	if o.Seed != math.MinInt {
		s := int64(o.Seed)
		req.Seed = &s
	}
	if o.JSONMode || o.ResponseMIMEType == "application/json" {
		req.ResponseFormat = &chat.ResponseFormat{Name: "json_object", Schema: []byte(`{"type":"object"}`)}
	}
	if len(o.Metadata) > 0 {
		req.Metadata = make(map[string]string, len(o.Metadata))
		for _, k := range slices.Sorted(maps.Keys(o.Metadata)) {
			req.Metadata[k] = fmt.Sprintf("%v", o.Metadata[k])
		}
	}
	if o.StreamingFunc != nil {
		fn := o.StreamingFunc
		req.Stream = func(ctx context.Context, d chat.Delta) error { return fn(ctx, []byte(d.Content)) }
	}
	for i, mc := range messages {
		msg, err := message(i, mc)
		if err != nil {
			return nil, err
		}
		req.Messages = append(req.Messages, msg)
	}
	return req, nil
}

func message(i int, mc llms.MessageContent) (chat.Message, error) {
	var m chat.Message
	switch mc.Role {
	case llms.ChatMessageTypeSystem:
		m.Role = chat.RoleSystem
	case llms.ChatMessageTypeHuman, llms.ChatMessageTypeGeneric:
		m.Role = chat.RoleUser
	case llms.ChatMessageTypeAI:
		m.Role = chat.RoleAssistant
	default:
		return m, &UnsupportedError{Field: fmt.Sprintf("messages[%d].role", i), Detail: string(mc.Role)}
	}
	var sb strings.Builder
	for j, p := range mc.Parts {
		t, ok := p.(llms.TextContent)
		if !ok {
			return m, &UnsupportedError{Field: fmt.Sprintf("messages[%d].parts[%d]", i, j), Detail: fmt.Sprintf("%T", p)}
		}
		sb.WriteString(t.Text)
	}
	m.Content = sb.String()
	return m, nil
}

// statusPrefix is how langchaingo's OpenAI and Anthropic clients begin the
// error for a reply with an HTTP error status ("API returned unexpected
// status code: 429: Rate limit reached ..."). They return no typed error
// that carries the status, so modelError reads it from this fixed text of
// the library's own, which comes before any text of the server's.
const statusPrefix = "API returned unexpected status code: "

// modelError wraps an error of the model's GenerateContent so that retry
// logic can tell a temporary failure from a permanent one (see
// metrics/judge.IsTransient): a *chat.APIError with the status when the
// error reports an HTTP error status as langchaingo's clients word it;
// a temporary error when it is an *llms.Error whose code says rate limit or
// provider unavailable (langchaingo's error mappers, such as
// openai.MapError, give those); otherwise the error itself. The model's
// error stays in the chain either way.
func modelError(err error) error {
	if status := httpStatus(err.Error()); status != 0 {
		return &chat.APIError{Provider: "langchaingo", Op: "generate content", Err: err, Status: status}
	}
	var le *llms.Error
	if errors.As(err, &le) && (le.Code == llms.ErrCodeRateLimit || le.Code == llms.ErrCodeProviderUnavailable) {
		return &temporaryError{err}
	}
	return fmt.Errorf("langchaingo: generate content: %w", err)
}

// httpStatus returns the HTTP error status (400-599) that msg reports after
// its first statusPrefix, or 0.
func httpStatus(msg string) int {
	i := strings.Index(msg, statusPrefix)
	if i < 0 {
		return 0
	}
	rest := msg[i+len(statusPrefix):]
	if len(rest) < 3 || len(rest) > 3 && rest[3] != ':' {
		return 0
	}
	status := 0
	for _, c := range []byte(rest[:3]) {
		if c < '0' || c > '9' {
			return 0
		}
		status = status*10 + int(c-'0')
	}
	if status < 400 || status > 599 {
		return 0
	}
	return status
}

// temporaryError marks a model's error as worth a retry.
type temporaryError struct{ err error }

func (e *temporaryError) Error() string   { return "langchaingo: generate content: " + e.err.Error() }
func (e *temporaryError) Unwrap() error   { return e.err }
func (e *temporaryError) Temporary() bool { return true }
