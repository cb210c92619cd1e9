package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"

	"github.com/rolegate/rolegate/chat"
)

// ErrUnsupported is returned by the drop-in middleware for a Chat Completions
// request that it cannot express as a [chat.Request]; the returned error is an
// [*UnsupportedError] naming the field.
var ErrUnsupported = errors.New("openai: request cannot be expressed as a chat.Request")

// UnsupportedError names the part of a Chat Completions request that the
// drop-in middleware cannot pass to a [chat.Middleware].
type UnsupportedError struct {
	Field  string // JSON path of the field, e.g. "tools" or "messages[2].role"
	Detail string // what was found there
}

// Error implements error.
func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("openai: unsupported chat completions request: %s: %s (use PassUnsupported to send such requests unguarded)", e.Field, e.Detail)
}

// Unwrap returns [ErrUnsupported].
func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

// MiddlewareOption configures [WithMiddleware].
type MiddlewareOption interface{ applyDropIn(*dropIn) }

type dropInFunc func(*dropIn)

func (f dropInFunc) applyDropIn(d *dropIn) { f(d) }

// PassUnsupported makes [WithMiddleware] send requests it cannot express as
// a chat.Request (tools, n > 1, images, audio, tool messages) to the provider
// unchanged, bypassing the middleware. Default: such requests fail with an
// [*UnsupportedError], so nothing goes out unguarded by accident.
func PassUnsupported() MiddlewareOption { return dropInFunc(func(d *dropIn) { d.pass = true }) }

type metadataKey struct{}

// ContextWithMetadata returns a context that carries md to [WithMiddleware]:
// the middleware sees it as chat.Request.Metadata (the guard resolves its
// role from there). It is never sent to the provider. The map is copied.
func ContextWithMetadata(ctx context.Context, md map[string]string) context.Context {
	return context.WithValue(ctx, metadataKey{}, maps.Clone(md))
}

type responseKey struct{}

// ContextWithResponseInto returns a context that makes [WithMiddleware] store
// in *dst the [chat.Response] the middleware returned for the call, the place
// the Chat Completions format lacks for what middleware learned about the
// reply: its annotations carry the guard's verdict (guard.VerdictOf).
//
//	var resp *chat.Response
//	cc, err := sdk.Chat.Completions.New(rgopenai.ContextWithResponseInto(ctx, &resp), params)
//	if v, ok := guard.VerdictOf(resp); ok { ... }
//
// *dst is set once, when the middleware returns a reply that the call then
// delivers; it is left as it was when the middleware fails (a guard's error
// carries its verdict: guard.ViolationError), when the provider's error
// reaches the SDK, and for a request [PassUnsupported] sent unguarded. Use
// one such context per call: concurrent calls sharing one would write the
// same variable.
func ContextWithResponseInto(ctx context.Context, dst **chat.Response) context.Context {
	return context.WithValue(ctx, responseKey{}, dst)
}

// WithMiddleware returns an SDK request option that runs mw around every
// Chat Completions call of the SDK client it is given to, so existing code
// gets the guard without touching its call sites:
//
//	client := openai.NewClient(option.WithAPIKey(key), rgopenai.WithMiddleware(guard.New(policy)))
//
// For each POST to .../chat/completions it decodes the request body into a
// [chat.Request] (metadata from [ContextWithMetadata]), runs mw around the
// real HTTP call (made without streaming), and encodes the possibly changed
// reply back into the Chat Completions wire format. Other endpoints pass
// through untouched. The SDK's retries stay in charge: a 429 or 5xx from the
// provider is handed back to the SDK as is, which retries it (running mw
// again) or returns its *openai.Error; an error returned by mw reaches the
// caller unchanged (errors.Is works) and is not retried.
//
// Limits:
//   - Streaming is buffered: a NewStreaming call gets its whole reply as a
//     short SSE stream (one content chunk, one finish chunk, a usage chunk if
//     stream_options.include_usage was set) after mw has returned, because a
//     guard must see the complete reply before releasing it.
//   - Only text conversations are expressible: tools and functions, n > 1,
//     audio output, tool/function messages, assistant tool calls and
//     non-text content parts (images, audio, files) are refused with an
//     [*UnsupportedError] unless [PassUnsupported] is given, in which case
//     they go out unguarded. The developer role is seen as system.
//   - A message, content part, response_format or stream_options object
//     that writes a key twice is refused, even with [PassUnsupported]:
//     parsers differ on which value counts, and the guard must check the
//     conversation the provider reads.
//   - A json_object response_format is forwarded but not shown to mw (a
//     chat.ResponseFormat needs a schema); json_schema is shown, and sent as
//     the caller wrote it unless mw changes it.
//   - Fields the middleware cannot see (user, logprobs, stop, ...) are
//     forwarded verbatim; unchanged messages keep their original encoding.
//   - The reply keeps the provider's id, created, system_fingerprint and
//     headers of the last upstream call; content, finish reason, usage and
//     model come from mw's response. When mw changed the reply's text (a
//     block's fallback, a rewrite), the choice's message is mw's alone: the
//     provider's logprobs, annotations, refusal and other message fields
//     described the text mw replaced, and are dropped, so that they cannot
//     spell out a blocked reply. The Chat Completions format has no
//     place for the guard's verdict: an annotated answer looks like any
//     other. To see a call's verdict, give it a context from
//     [ContextWithResponseInto], which receives mw's chat.Response with its
//     annotations; to see every verdict, give the guard an Observer
//     (guard.WithObserver), which runs with the call's context, so it can
//     reach the caller's span or request-scoped state. When mw fails, option.WithResponseInto
//     receives a placeholder response (status 0, empty body), not the
//     provider's.
func WithMiddleware(mw chat.Middleware, opts ...MiddlewareOption) option.RequestOption {
	d := &dropIn{mw: mw}
	for _, o := range opts {
		o.applyDropIn(d)
	}
	return option.WithMiddleware(d.handle)
}

type dropIn struct {
	mw   chat.Middleware
	pass bool
}

func (d *dropIn) handle(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	if d.mw == nil || req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, "/chat/completions") || req.Body == nil {
		return next(req)
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	restore := func() *http.Request {
		r := req.Clone(req.Context())
		setBody(r, body)
		return r
	}
	creq, wire, err := decodeRequest(body)
	var unsupported *UnsupportedError
	switch {
	case errors.As(err, &unsupported) && d.pass:
		return next(restore())
	case err != nil:
		return noRetry(req), err
	}
	ctx := req.Context()
	if md, ok := ctx.Value(metadataKey{}).(map[string]string); ok {
		creq.Metadata = maps.Clone(md)
	}

	var last upstream
	inner := chat.ClientFunc(func(ctx context.Context, r *chat.Request) (*chat.Response, error) {
		if r == nil { // a middleware's bug, reported as the client reports it
			return nil, ErrNilRequest
		}
		out, err := wire.encode(r)
		if err != nil {
			return nil, err
		}
		up := req.Clone(ctx)
		setBody(up, out)
		res, err := next(up)
		if err != nil {
			return nil, &transportError{err: err}
		}
		raw, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return nil, &transportError{err: err}
		}
		if res.StatusCode >= 400 {
			return nil, &upstreamError{res: res, body: raw}
		}
		var cc oai.ChatCompletion
		if err := json.Unmarshal(raw, &cc); err != nil {
			return nil, fmt.Errorf("openai: decode chat completion: %w", err)
		}
		resp, err := response(&cc)
		if err != nil {
			return nil, err
		}
		last.set(res.Header, raw)
		if r.Stream != nil {
			if err := r.Stream(ctx, chat.Delta{Content: resp.Message.Content}); err != nil {
				return nil, err
			}
		}
		return resp, nil
	})

	resp, err := d.mw(inner).Complete(ctx, creq)
	var up *upstreamError
	var te *transportError
	switch {
	case errors.As(err, &up):
		up.res.Body = io.NopCloser(bytes.NewReader(up.body))
		return up.res, nil
	case errors.As(err, &te):
		return nil, te.err
	case err != nil:
		return noRetry(req), err
	}
	header, raw := last.get()
	out, err := encodeCompletion(raw, resp)
	if err != nil {
		return noRetry(req), err
	}
	ctype := "application/json"
	if wire.stream {
		if out, err = completionToSSE(out, wire.includeUsage); err != nil {
			return noRetry(req), err
		}
		ctype = "text/event-stream"
	}
	if dst, ok := ctx.Value(responseKey{}).(**chat.Response); ok && dst != nil {
		*dst = resp
	}
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Del("Content-Length")
	h.Del("Content-Encoding")
	h.Set("Content-Type", ctype)
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(out)),
		ContentLength: int64(len(out)),
		Request:       req,
	}, nil
}

func setBody(r *http.Request, b []byte) {
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.ContentLength = int64(len(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// noRetry is the response returned beside an error of the middleware: its
// x-should-retry header tells the SDK not to retry, so the error reaches the
// caller unchanged after a single attempt.
func noRetry(req *http.Request) *http.Response {
	return &http.Response{
		Status:  "rolegate middleware error",
		Header:  http.Header{"X-Should-Retry": {"false"}},
		Body:    http.NoBody,
		Request: req,
	}
}

// upstream remembers the last successful provider reply of one drop-in call.
type upstream struct {
	mu     sync.Mutex
	header http.Header
	raw    []byte
}

func (u *upstream) set(h http.Header, raw []byte) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.header, u.raw = h, raw
}

func (u *upstream) get() (http.Header, []byte) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.header, u.raw
}

// upstreamError carries a provider's error response through the middleware
// chain, so that it can be handed back to the SDK intact.
type upstreamError struct {
	res  *http.Response
	body []byte
}

func (e *upstreamError) Error() string {
	return fmt.Sprintf("openai: provider answered %s: %s", e.res.Status, bytes.TrimSpace(e.body))
}

// transportError carries a connection error through the chain, so that the
// SDK sees it as such and retries it.
type transportError struct{ err error }

func (e *transportError) Error() string { return "openai: " + e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// wireRequest is the decoded body of a Chat Completions request.
type wireRequest struct {
	fields       map[string]json.RawMessage
	msgs         []wireMessage
	maxField     string
	schemaFormat bool                // response_format was json_schema
	format       chat.ResponseFormat // as shown to the middleware, kept apart from its changes
	stream       bool
	includeUsage bool
}

type wireMessage struct {
	msg chat.Message
	raw json.RawMessage
}

func decodeRequest(body []byte) (*chat.Request, *wireRequest, error) {
	w := &wireRequest{maxField: "max_completion_tokens"}
	if err := json.Unmarshal(body, &w.fields); err != nil {
		return nil, nil, fmt.Errorf("openai: decode chat completions request: %w", err)
	}
	if w.fields == nil { // a JSON null decodes without error into no map
		return nil, nil, errors.New("openai: decode chat completions request: the body is not a JSON object")
	}
	for _, f := range []string{"tools", "functions", "audio"} {
		if v, ok := w.fields[f]; ok && !isNull(v) {
			return nil, nil, &UnsupportedError{Field: f, Detail: "present"}
		}
	}
	req := &chat.Request{}
	var n int
	if err := decodeField(w.fields, "n", &n); err != nil {
		return nil, nil, err
	}
	if n > 1 {
		return nil, nil, &UnsupportedError{Field: "n", Detail: fmt.Sprint(n)}
	}
	if err := decodeField(w.fields, "model", &req.Model); err != nil {
		return nil, nil, err
	}
	if err := decodeField(w.fields, "temperature", &req.Temperature); err != nil {
		return nil, nil, err
	}
	if err := decodeField(w.fields, "seed", &req.Seed); err != nil {
		return nil, nil, err
	}
	// The limit goes out under the field the caller wrote it in; a null
	// beside it sets nothing.
	for _, f := range []string{"max_tokens", "max_completion_tokens"} {
		if v, ok := w.fields[f]; ok && !isNull(v) {
			w.maxField = f
			if err := decodeField(w.fields, f, &req.MaxTokens); err != nil {
				return nil, nil, err
			}
		}
	}
	if err := decodeField(w.fields, "stream", &w.stream); err != nil {
		return nil, nil, err
	}
	if so, ok := w.fields["stream_options"]; ok {
		if err := uniqueKeys("stream_options", gjson.ParseBytes(so)); err != nil {
			return nil, nil, err
		}
		w.includeUsage = gjson.GetBytes(so, "include_usage").Bool()
	}
	if rf, ok := w.fields["response_format"]; ok {
		if err := uniqueKeys("response_format", gjson.ParseBytes(rf)); err != nil {
			return nil, nil, err
		}
	}
	if rf, ok := w.fields["response_format"]; ok && gjson.GetBytes(rf, "type").String() == "json_schema" {
		js := gjson.GetBytes(rf, "json_schema")
		if err := uniqueKeys("response_format.json_schema", js); err != nil {
			return nil, nil, err
		}
		w.format = chat.ResponseFormat{
			Name:   js.Get("name").String(),
			Schema: json.RawMessage(js.Get("schema").Raw),
			Strict: js.Get("strict").Bool(),
		}
		req.ResponseFormat = &chat.ResponseFormat{Name: w.format.Name, Schema: bytes.Clone(w.format.Schema), Strict: w.format.Strict}
		w.schemaFormat = true
	}
	var raws []json.RawMessage
	if err := decodeField(w.fields, "messages", &raws); err != nil {
		return nil, nil, err
	}
	for i, raw := range raws {
		m, err := decodeMessage(i, raw)
		if err != nil {
			return nil, nil, err
		}
		w.msgs = append(w.msgs, wireMessage{msg: m, raw: raw})
		req.Messages = append(req.Messages, m)
	}
	return req, w, nil
}

// uniqueKeys refuses an object that has a key twice. The middleware reads
// the first value (gjson) and forwards the object as written, while the
// provider's parser may read the last (encoding/json and Python's json
// do): the guard would check one conversation and the model answer
// another, or a tool message or an image would pass as text.
func uniqueKeys(field string, obj gjson.Result) error {
	if !obj.IsObject() {
		return nil
	}
	// A message has a handful of keys: scan them, and switch to a map
	// only for an object large enough to make the scan quadratic.
	var dup string
	var few [8]string
	keys := few[:0]
	var many map[string]bool
	obj.ForEach(func(k, _ gjson.Result) bool {
		if many == nil && len(keys) < len(few) {
			if slices.Contains(keys, k.Str) {
				dup = k.Str
				return false
			}
			keys = append(keys, k.Str)
			return true
		}
		if many == nil {
			many = make(map[string]bool, 2*len(keys))
			for _, s := range keys {
				many[s] = true
			}
		}
		if many[k.Str] {
			dup = k.Str
			return false
		}
		many[k.Str] = true
		return true
	})
	if dup != "" {
		return fmt.Errorf("openai: decode chat completions request: %s: key %q appears twice", field, dup)
	}
	return nil
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

func decodeField(fields map[string]json.RawMessage, name string, dst any) error {
	v, ok := fields[name]
	if !ok || isNull(v) {
		return nil
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return fmt.Errorf("openai: decode chat completions request: field %s: %w", name, err)
	}
	return nil
}

func decodeMessage(i int, raw json.RawMessage) (chat.Message, error) {
	field := func(s string) string { return fmt.Sprintf("messages[%d]%s", i, s) }
	r := gjson.ParseBytes(raw)
	if !r.IsObject() {
		return chat.Message{}, fmt.Errorf("openai: decode chat completions request: %s is not an object", field(""))
	}
	if err := uniqueKeys(field(""), r); err != nil {
		return chat.Message{}, err
	}
	var m chat.Message
	switch role := r.Get("role").String(); role {
	case "system", "developer":
		m.Role = chat.RoleSystem
	case "user":
		m.Role = chat.RoleUser
	case "assistant":
		m.Role = chat.RoleAssistant
		for _, f := range []string{"tool_calls", "function_call", "audio"} {
			if v := r.Get(f); v.Exists() && v.Type != gjson.Null && !(v.IsArray() && len(v.Array()) == 0) {
				return m, &UnsupportedError{Field: field("." + f), Detail: "present"}
			}
		}
	default:
		return m, &UnsupportedError{Field: field(".role"), Detail: fmt.Sprintf("%q", role)}
	}
	c := r.Get("content")
	switch {
	case c.Type == gjson.String:
		m.Content = c.String()
	case c.IsArray():
		var sb strings.Builder
		for j, part := range c.Array() {
			if err := uniqueKeys(field(fmt.Sprintf(".content[%d]", j)), part); err != nil {
				return m, err
			}
			if t := part.Get("type").String(); t != "text" {
				return m, &UnsupportedError{Field: field(fmt.Sprintf(".content[%d].type", j)), Detail: fmt.Sprintf("%q", t)}
			}
			sb.WriteString(part.Get("text").String())
		}
		m.Content = sb.String()
	case !c.Exists() || c.Type == gjson.Null:
	default:
		return m, fmt.Errorf("openai: decode chat completions request: %s is neither a string nor an array", field(".content"))
	}
	return m, nil
}

// encode renders r as the body of the upstream call: the original fields,
// with those a chat.Request carries replaced by r's values, and streaming
// turned off. A message that r carries unchanged keeps its original
// encoding (developer role, name, content parts).
func (w *wireRequest) encode(r *chat.Request) ([]byte, error) {
	f := maps.Clone(w.fields)
	delete(f, "stream")
	delete(f, "stream_options")
	set := func(name string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("openai: encode field %s: %w", name, err)
		}
		f[name] = b
		return nil
	}
	if r.Model != "" {
		if err := set("model", r.Model); err != nil {
			return nil, err
		}
	}
	originals := map[chat.Message][]json.RawMessage{}
	for _, m := range w.msgs {
		originals[m.msg] = append(originals[m.msg], m.raw)
	}
	msgs := make([]json.RawMessage, len(r.Messages))
	for i, m := range r.Messages {
		if q := originals[m]; len(q) > 0 {
			msgs[i], originals[m] = q[0], q[1:]
			continue
		}
		b, err := json.Marshal(m)
		if err != nil {
			return nil, fmt.Errorf("openai: encode messages[%d]: %w", i, err)
		}
		msgs[i] = b
	}
	if err := set("messages", msgs); err != nil {
		return nil, err
	}
	delete(f, "temperature")
	if r.Temperature != nil {
		if err := set("temperature", *r.Temperature); err != nil {
			return nil, err
		}
	}
	delete(f, "seed")
	if r.Seed != nil {
		if err := set("seed", *r.Seed); err != nil {
			return nil, err
		}
	}
	delete(f, "max_tokens")
	delete(f, "max_completion_tokens")
	if r.MaxTokens > 0 {
		if err := set(w.maxField, r.MaxTokens); err != nil {
			return nil, err
		}
	}
	switch {
	case w.schemaFormat && r.ResponseFormat != nil && sameFormat(*r.ResponseFormat, w.format):
		// Unchanged: the original keeps what a chat.ResponseFormat cannot
		// carry (description, an explicit strict false).
	case r.ResponseFormat != nil:
		rf, err := responseFormat(r.ResponseFormat)
		if err != nil {
			return nil, err
		}
		if err := set("response_format", rf); err != nil {
			return nil, err
		}
	case w.schemaFormat:
		delete(f, "response_format")
	}
	return json.Marshal(f)
}

func sameFormat(a, b chat.ResponseFormat) bool {
	return a.Name == b.Name && a.Strict == b.Strict && bytes.Equal(a.Schema, b.Schema)
}

// encodeCompletion writes resp into the provider's last reply raw (or into
// a fresh chat.completion object when the middleware answered without
// calling the provider).
func encodeCompletion(raw []byte, resp *chat.Response) ([]byte, error) {
	if resp == nil {
		return nil, fmt.Errorf("openai: middleware: %w", chat.ErrNoResponse)
	}
	if raw == nil {
		raw = fmt.Appendf(nil, `{"id":"rolegate","object":"chat.completion","created":%d,"model":"","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null},"finish_reason":"stop","logprobs":null}]}`, time.Now().Unix())
	}
	msg := gjson.GetBytes(raw, "choices.0.message")
	refusal := msg.Get("refusal")
	// The reply of a refusal is content then refusal (see response); when
	// the middleware left it so, the provider's fields stay as they were.
	kept := msg.Get("content").String()+refusal.String() == resp.Message.Content
	isRefusal := kept && refusal.Type == gjson.String && refusal.String() != ""
	sets := []struct {
		path string
		v    any
		skip bool
	}{
		{"id", resp.ID, resp.ID == ""},
		{"model", resp.Model, resp.Model == ""},
		{"choices.0.message.content", resp.Message.Content, isRefusal || !kept},
		// A reply the middleware changed is a message of its own: the
		// provider's refusal, annotations (citations with offsets),
		// reasoning and logprobs describe the text it replaced, which
		// they would spell out to the caller.
		{"choices.0.message", map[string]any{"role": "assistant", "content": resp.Message.Content, "refusal": nil}, kept},
		{"choices.0.logprobs", nil, kept || !gjson.GetBytes(raw, "choices.0.logprobs").Exists()},
		{"choices.0.finish_reason", string(resp.FinishReason), isRefusal || resp.FinishReason == ""},
		{"usage.prompt_tokens", resp.Usage.InputTokens, false},
		{"usage.completion_tokens", resp.Usage.OutputTokens, false},
		{"usage.total_tokens", resp.Usage.Total(), false},
	}
	var err error
	for _, s := range sets {
		if s.skip {
			continue
		}
		if raw, err = sjson.SetBytes(raw, s.path, s.v); err != nil {
			return nil, fmt.Errorf("openai: encode reply field %s: %w", s.path, err)
		}
	}
	return raw, nil
}

type sseChunk struct {
	ID                string          `json:"id"`
	Object            string          `json:"object"`
	Created           int64           `json:"created"`
	Model             string          `json:"model"`
	SystemFingerprint string          `json:"system_fingerprint,omitempty"`
	Choices           []sseChoice     `json:"choices"`
	Usage             json.RawMessage `json:"usage,omitempty"`
}

type sseChoice struct {
	Index        int      `json:"index"`
	Delta        sseDelta `json:"delta"`
	FinishReason *string  `json:"finish_reason"`
}

type sseDelta struct {
	Role    string  `json:"role,omitempty"`
	Content *string `json:"content,omitempty"`
	Refusal *string `json:"refusal,omitempty"`
}

// completionToSSE re-encodes a chat.completion as the SSE stream a
// streaming call expects: content, finish reason, optional usage, [DONE].
func completionToSSE(completion []byte, includeUsage bool) ([]byte, error) {
	c := gjson.ParseBytes(completion)
	base := sseChunk{
		ID:                c.Get("id").String(),
		Object:            "chat.completion.chunk",
		Created:           c.Get("created").Int(),
		Model:             c.Get("model").String(),
		SystemFingerprint: c.Get("system_fingerprint").String(),
	}
	msg := c.Get("choices.0.message")
	first := base
	d := sseDelta{Role: "assistant"}
	if v := msg.Get("content"); v.Type == gjson.String {
		s := v.String()
		d.Content = &s
	}
	if v := msg.Get("refusal"); v.Type == gjson.String {
		s := v.String()
		d.Refusal = &s
	}
	first.Choices = []sseChoice{{Delta: d}}
	finish := base
	fr := c.Get("choices.0.finish_reason").String()
	finish.Choices = []sseChoice{{FinishReason: &fr}}
	chunks := []sseChunk{first, finish}
	if u := c.Get("usage"); includeUsage && u.Exists() {
		usage := base
		usage.Choices = []sseChoice{}
		usage.Usage = json.RawMessage(u.Raw)
		chunks = append(chunks, usage)
	}
	var buf bytes.Buffer
	for _, ch := range chunks {
		b, err := json.Marshal(ch)
		if err != nil {
			return nil, fmt.Errorf("openai: encode stream chunk: %w", err)
		}
		buf.WriteString("data: ")
		buf.Write(b)
		buf.WriteString("\n\n")
	}
	buf.WriteString("data: [DONE]\n\n")
	return buf.Bytes(), nil
}
