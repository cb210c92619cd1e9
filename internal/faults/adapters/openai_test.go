package adapters_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	rgopenai "github.com/rolegate/rolegate/adapters/openai"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/role"
)

func openaiChunk(content, finish string) string {
	fin := "null"
	if finish != "" {
		fin = `"` + finish + `"`
	}
	return fmt.Sprintf(`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":%q},"finish_reason":%s}]}`+"\n\n", content, fin)
}

const openaiDone = "data: [DONE]\n\n"

// openaiClient is the adapter over the real SDK pointed at p, without SDK
// retries so that each fault reaches the caller once.
func openaiClient(p *provider) chat.Client {
	sdk := oai.NewClient(option.WithBaseURL(p.URL+"/v1"), option.WithAPIKey("k"), option.WithMaxRetries(0), option.WithHTTPClient(p.Client()))
	return rgopenai.New(&sdk, rgopenai.WithModel("m"))
}

// guardPolicy has two roles that check capitulation and block it: strict
// fails closed, lenient fails open.
func guardPolicy() *role.Policy {
	checks := map[metrics.Metric]role.Check{metrics.Capitulation: {Threshold: 0.5, Action: role.Block}}
	return &role.Policy{Roles: map[string]role.Role{
		"strict":  {Checks: checks, OnUnknown: role.FailClosed},
		"lenient": {Checks: checks, OnUnknown: role.FailOpen},
	}}
}

// adapterFault is one row of an adapter's matrix.
type adapterFault struct {
	name   string
	do     behaviour
	ctx    func() (context.Context, context.CancelFunc)
	stream bool
	check  func(t *testing.T, err error)
}

func apiStatus(code int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ae *oai.Error
		if !errors.As(err, &ae) || ae.StatusCode != code {
			t.Fatalf("error %v, want an *openai.Error with status %d", err, code)
		}
	}
}

func is(target error) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, target) {
			t.Fatalf("error %v, want one matching %v", err, target)
		}
	}
}

// asType checks that the error chain holds an error of type E.
func asType[E error]() func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var target E
		if !errors.As(err, &target) {
			t.Fatalf("error %v (%T), want one holding a %T", err, err, target)
		}
	}
}

// isAny accepts any error: for faults whose error has no type to match,
// which the report lists as findings.
func isAny() func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if err == nil {
			t.Fatal("no error")
		}
	}
}

func openaiFaults() []adapterFault {
	errBody := `{"error":{"message":"slow down","type":"rate_limit_error","code":"rate_limit_exceeded"}}`
	fs := []adapterFault{}
	for _, code := range []int{429, 500, 502, 503} {
		for _, stream := range []bool{false, true} {
			fs = append(fs, adapterFault{name: fmt.Sprintf("status %d", code), do: status(code, errBody), stream: stream, check: apiStatus(code)})
		}
	}
	return append(fs,
		adapterFault{name: "malformed JSON body", do: raw("application/json", `{"id":"c1","choices":[{"message":`), check: is(io.ErrUnexpectedEOF)},
		adapterFault{name: "HTML instead of JSON", do: raw("text/html", `<html>502 Bad Gateway</html>`), check: isAny()},
		adapterFault{name: "no choices", do: raw("application/json", `{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[]}`), check: is(rgopenai.ErrNoChoices)},
		adapterFault{name: "stream without a finish", stream: true,
			do: raw("text/event-stream", sseJoin(openaiChunk("Moderate coffee ", ""), openaiDone)), check: is(rgopenai.ErrIncompleteStream)},
		adapterFault{name: "stream cut mid-reply", stream: true,
			do: cut(openaiChunk("Moderate coffee ", "")), check: is(io.ErrUnexpectedEOF)},
		adapterFault{name: "stream of garbage", stream: true,
			do: raw("text/event-stream", "data: {not json}\n\n"+openaiDone), check: asType[*json.SyntaxError]()},
		adapterFault{name: "timeout: silent provider", do: hang(), ctx: shortCtx, check: is(context.DeadlineExceeded)},
		adapterFault{name: "timeout: stream stalls", stream: true, do: sseThenHang(openaiChunk("Moderate ", "")), ctx: shortCtx, check: is(context.DeadlineExceeded)},
	)
}

// TestOpenAIFaults runs every fault through the adapter alone and through
// the guard (buffering the stream): the same typed error reaches the caller,
// a buffered caller sees no text of a failed reply, and the goroutines of
// the calls are gone afterwards.
func TestOpenAIFaults(t *testing.T) {
	runAdapterFaults(t, openaiClient, openaiFaults())
}

func runAdapterFaults(t *testing.T, client func(*provider) chat.Client, faults []adapterFault) {
	p := newProvider()
	base := runtime.NumGoroutine()
	for _, f := range faults {
		for _, guarded := range []bool{false, true} {
			name := fmt.Sprintf("%s/stream=%v/guard=%v", f.name, f.stream, guarded)
			t.Run(name, func(t *testing.T) {
				p.set(f.do)
				c := client(p)
				if guarded {
					c = chat.Wrap(c, guard.New(guardPolicy()))
				}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				if f.ctx != nil {
					ctx, cancel = f.ctx()
				}
				defer cancel()
				var seen string
				req := &chat.Request{Messages: []chat.Message{chat.User("Is coffee bad?")}, Metadata: map[string]string{guard.MetadataRole: "strict"}}
				if f.stream {
					req.Stream = func(_ context.Context, d chat.Delta) error { seen += d.Content; return nil }
				}
				start := time.Now()
				resp, err := c.Complete(ctx, req)
				if resp != nil {
					t.Fatalf("a response (%q) with the fault", resp.Text())
				}
				f.check(t, err)
				t.Logf("%T: %v", errors.Unwrap(err), err)
				if guarded && seen != "" {
					t.Errorf("the guard released %q of a failed reply", seen)
				}
				if f.ctx != nil && time.Since(start) > 3*time.Second {
					t.Errorf("returned after %v with a %v deadline", time.Since(start), timeout)
				}
			})
		}
	}
	p.CloseClientConnections()
	p.Close()
	p.Client().CloseIdleConnections()
	settle(t, base)
}

// TestCancelMidStream: the caller cancels after the first delta of a stream
// that would go on, for each adapter, alone and guarded in pass-through mode
// (where the caller sees deltas live); the call returns context.Canceled
// promptly and leaves no goroutine behind.
func TestCancelMidStream(t *testing.T) {
	base := runtime.NumGoroutine()
	for name, c := range map[string]struct {
		client func(*provider) chat.Client
		events string
	}{
		"openai":    {openaiClient, openaiChunk("Moderate ", "") + openaiChunk("coffee ", "")},
		"anthropic": {anthropicClient, anthropicStart + anthropicDelta("Moderate ") + anthropicDelta("coffee ")},
	} {
		for _, guarded := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/guard=%v", name, guarded), func(t *testing.T) {
				p := newProvider()
				defer p.Close()
				p.set(sseThenHang(c.events))
				client := c.client(p)
				if guarded {
					client = chat.Wrap(client, guard.New(guardPolicy(), guard.WithStreamMode(guard.PassThrough)))
				}
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				start := time.Now()
				_, err := client.Complete(ctx, &chat.Request{
					Messages: []chat.Message{chat.User("Is coffee bad?")},
					Metadata: map[string]string{guard.MetadataRole: "lenient"},
					Stream:   func(context.Context, chat.Delta) error { cancel(); return nil },
				})
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("error %v, want context.Canceled", err)
				}
				if d := time.Since(start); d > 3*time.Second {
					t.Errorf("returned after %v", d)
				}
				p.CloseClientConnections()
			})
		}
	}
	settle(t, base)
}
