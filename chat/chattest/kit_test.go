package chattest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rolegate/rolegate/chat"
)

// recorder is a T that records failures instead of failing, so that the
// kit's own failures can be checked, as testing/slogtest's tests do.
type recorder struct {
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Helper()          {}
func (r *recorder) Cleanup(f func()) { panic("the kit registers no cleanup on its caller's T") }

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

func (r *recorder) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return "\n" + strings.Join(r.errs, "\n")
}

// shortWaits makes the kit give up sooner on a broken client.
func shortWaits(t *testing.T) {
	rw, sw := returnWait, settleWait
	returnWait, settleWait = 300*time.Millisecond, 200*time.Millisecond
	t.Cleanup(func() { returnWait, settleWait = rw, sw })
}

// played returns the NewClient of a client built over Play(script).
func played(wrap func(inner chat.Client) chat.Client) NewClient {
	return func(_ T, s Script) chat.Client { return wrap(Play(s)) }
}

func TestTestClientOnPlay(t *testing.T) {
	TestClient(t, func(_ T, s Script) chat.Client { return Play(s) })
}

func TestTestClientWithCleanup(t *testing.T) {
	var mu sync.Mutex
	open := 0
	newClient := func(t T, s Script) chat.Client {
		mu.Lock()
		open++
		mu.Unlock()
		stop := make(chan struct{})
		go func() { <-stop }() // a server's goroutine, ended by the cleanup
		t.Cleanup(func() {
			close(stop)
			mu.Lock()
			open--
			mu.Unlock()
		})
		return Play(s)
	}
	var rec recorder
	if !CheckClient(&rec, newClient) {
		t.Fatalf("CheckClient failed a correct client whose server ends at cleanup:\n%s", rec.text())
	}
	if open != 0 {
		t.Errorf("%d cleanups not run", open)
	}
}

// brokenClient breaks one rule of the contract over a correct client.
type brokenClient struct {
	inner chat.Client
	fn    func(ctx context.Context, req *chat.Request, inner chat.Client) (*chat.Response, error)
}

func (b brokenClient) Complete(ctx context.Context, req *chat.Request) (*chat.Response, error) {
	return b.fn(ctx, req, b.inner)
}

func TestCheckClientFails(t *testing.T) {
	shortWaits(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	tests := []struct {
		name string
		fn   func(ctx context.Context, req *chat.Request, inner chat.Client) (*chat.Response, error)
		want []string
	}{
		{
			name: "mutates the request",
			fn: func(ctx context.Context, req *chat.Request, inner chat.Client) (*chat.Response, error) {
				if req.Metadata != nil {
					req.Metadata["seen"] = "yes"
				}
				return inner.Complete(ctx, req)
			},
			want: []string{"request-unchanged: call (stream false): the call changed the request's Metadata: a client does not modify the request", "call (stream true)"},
		},
		{
			name: "leaks a goroutine",
			fn: func(ctx context.Context, req *chat.Request, inner chat.Client) (*chat.Response, error) {
				go func() { <-release }()
				return inner.Complete(ctx, req)
			},
			want: []string{"goroutines before the case", "no goroutine may outlive the call that started it"},
		},
		{
			name: "ignores cancellation",
			fn: func(ctx context.Context, req *chat.Request, inner chat.Client) (*chat.Response, error) {
				// The call runs until the test ends, whatever ctx says.
				deaf, stop := context.WithCancel(context.WithoutCancel(ctx))
				defer stop()
				go func() {
					<-release
					stop()
				}()
				return inner.Complete(deaf, req)
			},
			want: []string{"cancel-mid-stream: Complete did not return within", "cancelled-context: call (stream false) with a cancelled context: response &{"},
		},
		{
			name: "hides the context error",
			fn: func(ctx context.Context, req *chat.Request, inner chat.Client) (*chat.Response, error) {
				// As langchaingo's OpenAI provider words it.
				if ctx.Err() != nil {
					return nil, errors.New("request cancelled")
				}
				return inner.Complete(ctx, req)
			},
			want: []string{"cancelled-context: call (stream false) with a cancelled context: response <nil>, error request cancelled, want an error matching context.Canceled"},
		},
		{
			name: "swallows the StreamFunc's error",
			fn: func(ctx context.Context, req *chat.Request, inner chat.Client) (*chat.Response, error) {
				r := req.Clone()
				if fn := req.Stream; fn != nil {
					r.Stream = func(ctx context.Context, d chat.Delta) error {
						_ = fn(ctx, d)
						return nil
					}
				}
				return inner.Complete(ctx, r)
			},
			want: []string{"stream-error: error <nil>", "Request.Stream called 4 times, want 2"},
		},
		{
			name: "streams another response",
			fn: func(ctx context.Context, req *chat.Request, inner chat.Client) (*chat.Response, error) {
				resp, err := inner.Complete(ctx, req)
				if err == nil && req.Stream != nil {
					resp.ID = "streamed"
				}
				return resp, err
			},
			want: []string{"stream-parity: streamed response", "a streamed call returns the same response as a plain one"},
		},
		{
			name: "coalesces deltas",
			fn: func(ctx context.Context, req *chat.Request, inner chat.Client) (*chat.Response, error) {
				fn := req.Stream
				r := req.Clone()
				r.Stream = nil
				resp, err := inner.Complete(ctx, r)
				if err == nil && fn != nil {
					err = fn(ctx, chat.Delta{Content: resp.Text()})
				}
				if err != nil {
					return nil, err
				}
				return resp, nil
			},
			want: []string{"stream-parity: deltas", "many-deltas: 1 deltas, the server sent 10000"},
		},
		{
			name: "loses the usage",
			fn: func(ctx context.Context, req *chat.Request, inner chat.Client) (*chat.Response, error) {
				resp, err := inner.Complete(ctx, req)
				if err == nil {
					resp.Usage = chat.Usage{}
				}
				return resp, err
			},
			want: []string{"plain: plain call: usage {InputTokens:0 OutputTokens:0}, want {InputTokens:12 OutputTokens:7}"},
		},
		{
			name: "nil response without error",
			fn: func(ctx context.Context, req *chat.Request, inner chat.Client) (*chat.Response, error) {
				return nil, nil
			},
			want: []string{"plain: plain call: nil response and nil error"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder
			ok := CheckClient(&rec, played(func(inner chat.Client) chat.Client { return brokenClient{inner, tt.fn} }))
			got := rec.text()
			if ok {
				t.Fatalf("CheckClient passed a client that %s", tt.name)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("failures do not mention %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestNewClientFatalEndsTheCase(t *testing.T) {
	var rec recorder
	cleaned := 0
	ok := CheckClient(&rec, func(t T, s Script) chat.Client {
		t.Cleanup(func() { cleaned++ })
		t.Fatalf("no server for %d turns", len(s))
		return nil
	})
	if ok {
		t.Fatal("CheckClient passed although NewClient failed")
	}
	if n := strings.Count(rec.text(), "no server for 1 turns"); n != len(kitCases) {
		t.Errorf("%d Fatalf reports, want one per case (%d):\n%s", n, len(kitCases), rec.text())
	}
	if cleaned != len(kitCases) {
		t.Errorf("%d cleanups ran, want %d", cleaned, len(kitCases))
	}
}

func TestScriptTurn(t *testing.T) {
	s := Script{{Text: "one"}, {Text: "two"}}
	for i, want := range []string{"one", "two", "two", "two"} {
		if got := s.Turn(i).Text; got != want {
			t.Errorf("Turn(%d) = %q, want %q", i, got, want)
		}
	}
	if got := s.Turn(-1).Text; got != "one" {
		t.Errorf("Turn(-1) = %q, want the first", got)
	}
	if got := (Script{}).Turn(3); got != (Turn{}) {
		t.Errorf("empty script: Turn(3) = %+v, want the zero Turn", got)
	}
}

func TestTurnDeltas(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"words", "a bc d", []string{"a ", "bc ", "d"}},
		{"trailing space", "a b ", []string{"a ", "b "}},
		{"double space", "a  b", []string{"a ", " ", "b"}},
		{"one word", "word", []string{"word"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Turn{Text: tt.text}.Deltas()
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("Deltas(%q) = %q, want %q", tt.text, got, tt.want)
			}
			if strings.Join(got, "") != tt.text {
				t.Errorf("Deltas(%q) join to %q", tt.text, strings.Join(got, ""))
			}
		})
	}
}

func TestPlayAnswersInOrder(t *testing.T) {
	c := Play(Script{
		{Text: "first", FinishReason: chat.FinishLength, Usage: chat.Usage{InputTokens: 1, OutputTokens: 2}},
		{Text: "then this"},
	})
	for i, want := range []chat.Response{
		{Message: chat.Assistant("first"), FinishReason: chat.FinishLength, Usage: chat.Usage{InputTokens: 1, OutputTokens: 2}},
		{Message: chat.Assistant("then this"), FinishReason: chat.FinishStop},
		{Message: chat.Assistant("then this"), FinishReason: chat.FinishStop},
	} {
		resp, err := c.Complete(context.Background(), kitRequest())
		if err != nil || fmt.Sprintf("%+v", *resp) != fmt.Sprintf("%+v", want) {
			t.Errorf("call %d: %+v, %v; want %+v", i, resp, err, want)
		}
	}
}

func TestReplyStall(t *testing.T) {
	c := New(Reply{Content: "a b c", Stall: true}, Reply{Content: "plain calls ignore it", Stall: true})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var parts []string
	resp, err := c.Complete(ctx, streamInto(kitRequest(), &parts))
	if err != context.DeadlineExceeded || resp != nil {
		t.Errorf("stalled stream: %v, %v; want the context's error", resp, err)
	}
	if strings.Join(parts, "") != "a b c" {
		t.Errorf("stalled stream sent %q first, want every delta", parts)
	}
	resp, err = c.Complete(context.Background(), kitRequest())
	if err != nil || resp.Text() != "plain calls ignore it" {
		t.Errorf("plain call: %v, %v", resp, err)
	}
}

// A NewClient that returns nil (a constructor's error ignored) fails every
// check with a message that says so, rather than a nil-pointer panic that
// takes the test binary down.
func TestCheckClientNilClient(t *testing.T) {
	var rec recorder
	ok := CheckClient(&rec, func(T, Script) chat.Client { return nil })
	if ok || !strings.Contains(rec.text(), "plain: NewClient returned a nil chat.Client") {
		t.Errorf("CheckClient = %v, failures:%s\nwant each check to report the nil client", ok, rec.text())
	}
}

// nilPointerClient is a client type whose nil pointer panics when called,
// as a constructor's *Client does when its error was ignored.
type nilPointerClient struct{ model string }

func (c *nilPointerClient) Complete(context.Context, *chat.Request) (*chat.Response, error) {
	return &chat.Response{Message: chat.Assistant(c.model)}, nil
}

// A NewClient that returns a nil pointer of a client type (a constructor's
// (*Client, error) with the error ignored) is as nil as an untyped nil: each
// check says so instead of the nil dereference ending the test binary. So
// is a nil chat.ClientFunc.
func TestCheckClientTypedNilClient(t *testing.T) {
	for name, c := range map[string]chat.Client{"nil pointer": (*nilPointerClient)(nil), "nil ClientFunc": chat.ClientFunc(nil)} {
		var rec recorder
		ok := CheckClient(&rec, func(T, Script) chat.Client { return c })
		if ok || !strings.Contains(rec.text(), "plain: NewClient returned a nil chat.Client") {
			t.Errorf("%s: CheckClient = %v, failures:%s\nwant each check to report the nil client", name, ok, rec.text())
		}
	}
}
