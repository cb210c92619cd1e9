package chattest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rolegate/rolegate/chat"
)

// T is the part of [testing.TB] that [CheckClient] and a [NewClient] use. A
// *testing.T satisfies it; so can a recorder, to test a test helper.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(f func())
}

// NewClient returns the [chat.Client] under test for one case of the kit.
// An adapter's usually points its SDK at a local server that answers the
// n-th call (from 0) with script.Turn(n), streamed when the request streams
// (see [Turn]). What it registers with t.Cleanup runs at the end of the case,
// before the kit counts goroutines, so that a server it starts is closed by
// then; t.Fatalf ends the case.
type NewClient func(t T, script Script) chat.Client

// How long the kit waits for a call to return after its context is
// cancelled, and for goroutines to end after a case; tests of the kit
// shorten them.
var (
	returnWait = 5 * time.Second
	settleWait = 2 * time.Second
)

// kitCase is one contract check. run reports through t and may stop early.
type kitCase struct {
	name string
	run  func(t *caseT, newClient NewClient)
}

var kitCases = []kitCase{
	{"plain", checkPlain},
	{"stream-parity", checkStreamParity},
	{"request-unchanged", checkRequestUnchanged},
	{"stream-error", checkStreamError},
	{"cancel-mid-stream", checkCancelMidStream},
	{"cancelled-context", checkCancelledContext},
	{"many-deltas", checkManyDeltas},
	{"stream-break", checkStreamBreak},
	{"concurrent", checkConcurrent},
}

// TestClient runs the [chat.Client] contract against the clients newClient
// returns, one subtest per check:
//
//   - a plain call returns the scripted text as an assistant message, with
//     the scripted finish reason and usage;
//   - a streamed call returns the same response as a plain one, its deltas
//     are the pieces the server sent, in order, and join to the final text;
//   - the request (messages, metadata, knobs, Stream) is not modified;
//   - an error from Request.Stream stops the call: no delta after it, and
//     Complete returns that error;
//   - cancelling ctx mid-stream makes Complete return ctx's error promptly,
//     and a call with an already cancelled ctx fails with an error that
//     matches context.Canceled (errors.Is);
//   - ten thousand deltas all arrive, with the usage of the final event;
//   - breaking out of [chat.Stream] early ends the call;
//   - concurrent calls are safe (run the test with -race);
//   - no goroutine outlives a case (each case runs t's cleanups, then counts).
//
// Like [testing/slogtest], it is meant for any implementation: an adapter
// over a provider's SDK supplies a NewClient whose local server plays the
// [Script] back in the provider's wire format.
//
// The goroutine check counts the whole process's goroutines, so call
// TestClient (or [CheckClient]) from a test that does not run in parallel
// with others (no t.Parallel): goroutines of a test running beside it would
// be reported as leaks of the client. A NewClient that returns nil (or a
// nil pointer of a client type) fails each check with a message saying so.
func TestClient(t *testing.T, newClient NewClient) {
	t.Helper()
	for _, c := range kitCases {
		t.Run(c.name, func(t *testing.T) { runCase(t, "", c, newClient) })
	}
}

// CheckClient runs the checks of [TestClient] in sequence on t, without
// subtests, each failure prefixed with the name of its check. It reports
// whether every check passed.
func CheckClient(t T, newClient NewClient) bool {
	t.Helper()
	ok := true
	for _, c := range kitCases {
		ok = runCase(t, c.name+": ", c, newClient) && ok
	}
	return ok
}

// abort is what caseT.Fatalf panics with; runCase recovers it.
type abort struct{}

// caseT is the T one case and its NewClient see: failures go to the parent
// with the case's prefix, cleanups wait for the end of the case, and Fatalf
// stops the case without stopping the parent's goroutine.
type caseT struct {
	parent   T
	prefix   string
	mu       sync.Mutex
	cleanups []func()
	failed   bool
}

func (c *caseT) Helper() {}

func (c *caseT) Errorf(format string, args ...any) {
	c.parent.Helper()
	c.mu.Lock()
	c.failed = true
	c.mu.Unlock()
	c.parent.Errorf("%s%s", c.prefix, fmt.Sprintf(format, args...))
}

func (c *caseT) Fatalf(format string, args ...any) {
	c.parent.Helper()
	c.Errorf(format, args...)
	panic(abort{})
}

func (c *caseT) Cleanup(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cleanups = append(c.cleanups, f)
}

func runCase(t T, prefix string, c kitCase, newClient NewClient) bool {
	t.Helper()
	ct := &caseT{parent: t, prefix: prefix}
	before := runtime.NumGoroutine()
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(abort); !ok {
					panic(r)
				}
			}
		}()
		c.run(ct, nonNil(newClient))
	}()
	ct.mu.Lock()
	cleanups := ct.cleanups
	ct.mu.Unlock()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	if after := settle(before); after > before {
		buf := make([]byte, 1<<16)
		buf = buf[:runtime.Stack(buf, true)]
		ct.Errorf("%d goroutines before the case, %d after it: no goroutine may outlive the call that started it\n%s", before, after, buf)
	}
	return !ct.failed
}

// nonNil wraps newClient so that a nil client (a constructor's error
// ignored) ends the case with a message instead of a nil-pointer panic:
// a nil interface, or one holding a nil pointer or func (what a
// constructor returning (*Client, error) gives with the error ignored).
func nonNil(newClient NewClient) NewClient {
	return func(t T, s Script) chat.Client {
		c := newClient(t, s)
		if c == nil {
			t.Fatalf("NewClient returned a nil chat.Client")
		}
		if v := reflect.ValueOf(c); (v.Kind() == reflect.Pointer || v.Kind() == reflect.Func) && v.IsNil() {
			t.Fatalf("NewClient returned a nil chat.Client (a nil %T)", c)
		}
		return c
	}
}

// settle waits up to settleWait for the goroutine count to drop to before,
// and returns the count it ends with.
func settle(before int) int {
	deadline := time.Now().Add(settleWait)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	return runtime.NumGoroutine()
}

// kitRequest is the conversation every check sends.
func kitRequest() *chat.Request {
	return &chat.Request{Messages: []chat.Message{chat.System("be honest"), chat.User("is the evidence on my side?")}}
}

// streamInto sets req.Stream to append each delta to *parts.
func streamInto(req *chat.Request, parts *[]string) *chat.Request {
	req.Stream = func(_ context.Context, d chat.Delta) error {
		*parts = append(*parts, d.Content)
		return nil
	}
	return req
}

// wantReply checks resp against the scripted turn; what names the call.
func wantReply(t *caseT, what string, resp *chat.Response, err error, turn Turn) bool {
	if err != nil {
		t.Errorf("%s: unexpected error: %v", what, err)
		return false
	}
	if resp == nil {
		t.Errorf("%s: nil response and nil error: a call returns one or the other", what)
		return false
	}
	ok := true
	if resp.Message.Role != chat.RoleAssistant || resp.Message.Content != turn.Text {
		t.Errorf("%s: message %+v, want the assistant's %q: the reply is the model's text", what, resp.Message, turn.Text)
		ok = false
	}
	if want := cmp.Or(turn.FinishReason, chat.FinishStop); resp.FinishReason != want {
		t.Errorf("%s: finish reason %q, want %q: the provider's reason maps onto chat's", what, resp.FinishReason, want)
		ok = false
	}
	if resp.Usage != turn.Usage {
		t.Errorf("%s: usage %+v, want %+v: the provider's token counts are reported as they came", what, resp.Usage, turn.Usage)
		ok = false
	}
	return ok
}

func checkPlain(t *caseT, newClient NewClient) {
	turn := Turn{Text: "You could try walking every day.", FinishReason: chat.FinishStop, Usage: chat.Usage{InputTokens: 12, OutputTokens: 7}}
	c := newClient(t, Script{turn})
	resp, err := c.Complete(context.Background(), kitRequest())
	wantReply(t, "plain call", resp, err, turn)
}

func checkStreamParity(t *caseT, newClient NewClient) {
	turn := Turn{Text: "I hear you, but the evidence still says otherwise.", FinishReason: chat.FinishLength, Usage: chat.Usage{InputTokens: 30, OutputTokens: 11}}
	c := newClient(t, Script{turn})
	plain, err := c.Complete(context.Background(), kitRequest())
	if !wantReply(t, "plain call", plain, err, turn) {
		return
	}
	var parts []string
	streamed, err := c.Complete(context.Background(), streamInto(kitRequest(), &parts))
	if !wantReply(t, "streamed call", streamed, err, turn) {
		return
	}
	if !reflect.DeepEqual(plain, streamed) {
		t.Errorf("streamed response %+v, plain %+v: a streamed call returns the same response as a plain one", streamed, plain)
	}
	if want := turn.Deltas(); !reflect.DeepEqual(parts, want) {
		t.Errorf("deltas %q, the server sent %q: each piece the model streams reaches Request.Stream once, in order", parts, want)
	}
	if got := strings.Join(parts, ""); got != streamed.Text() {
		t.Errorf("deltas join to %q, the response says %q: the deltas make up the final text", got, streamed.Text())
	}
}

func checkRequestUnchanged(t *caseT, newClient NewClient) {
	turn := Turn{Text: "Keep the request as it was.", FinishReason: chat.FinishStop, Usage: chat.Usage{InputTokens: 9, OutputTokens: 6}}
	c := newClient(t, Script{turn})
	for _, stream := range []bool{false, true} {
		temp, seed := 0.2, int64(42)
		req := kitRequest()
		req.Model, req.Temperature, req.Seed, req.MaxTokens = "chosen-model", &temp, &seed, 99
		req.Metadata = map[string]string{"rolegate.role": "advisor", "tenant": "t1"}
		req.ResponseFormat = &chat.ResponseFormat{Name: "reply", Schema: []byte(`{"type":"object"}`)}
		var parts []string
		if stream {
			streamInto(req, &parts)
		}
		want := req.Clone()
		want.Stream = nil
		resp, err := c.Complete(context.Background(), req)
		if err != nil || resp == nil {
			t.Errorf("call (stream %v): response %v, error %v: want the reply", stream, resp, err)
			continue
		}
		if stream != (req.Stream != nil) {
			t.Errorf("call (stream %v): Request.Stream was changed: a client does not modify the request", stream)
		}
		if changed := changedFields(want, req); len(changed) > 0 {
			t.Errorf("call (stream %v): the call changed the request's %s: a client does not modify the request", stream, strings.Join(changed, ", "))
		}
		if stream && strings.Join(parts, "") != turn.Text {
			t.Errorf("call (stream %v): deltas %q, want them to join to %q", stream, parts, turn.Text)
		}
	}
}

// changedFields names the fields of after that differ from before, Stream
// aside (functions do not compare).
func changedFields(before, after *chat.Request) []string {
	var out []string
	for _, f := range []struct {
		name string
		a, b any
	}{
		{"Model", before.Model, after.Model},
		{"Messages", before.Messages, after.Messages},
		{"Temperature", before.Temperature, after.Temperature},
		{"MaxTokens", before.MaxTokens, after.MaxTokens},
		{"Seed", before.Seed, after.Seed},
		{"ResponseFormat", before.ResponseFormat, after.ResponseFormat},
		{"Metadata", before.Metadata, after.Metadata},
	} {
		if !reflect.DeepEqual(f.a, f.b) {
			out = append(out, f.name)
		}
	}
	return out
}

func checkStreamError(t *caseT, newClient NewClient) {
	c := newClient(t, Script{{Text: "one two three four", FinishReason: chat.FinishStop, Usage: chat.Usage{InputTokens: 2, OutputTokens: 4}}})
	stop := errors.New("chattest: the consumer has had enough")
	n := 0
	req := kitRequest()
	req.Stream = func(context.Context, chat.Delta) error {
		if n++; n == 2 {
			return stop
		}
		return nil
	}
	resp, err := c.Complete(context.Background(), req)
	if !errors.Is(err, stop) {
		t.Errorf("error %v, want the StreamFunc's error %v: an error from Request.Stream is returned by Complete", err, stop)
	}
	if resp != nil {
		t.Errorf("response %+v with the StreamFunc's error: on error the response is nil", resp)
	}
	if n != 2 {
		t.Errorf("Request.Stream called %d times, want 2: the stream stops at the delta whose StreamFunc failed", n)
	}
}

// completeWithin runs c.Complete and waits for it at most returnWait.
func completeWithin(t *caseT, ctx context.Context, c chat.Client, req *chat.Request) (*chat.Response, error, bool) {
	type result struct {
		resp *chat.Response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := c.Complete(ctx, req)
		done <- result{resp, err}
	}()
	select {
	case r := <-done:
		return r.resp, r.err, true
	case <-time.After(returnWait):
		t.Errorf("Complete did not return within %v of its context's cancellation: a client honours ctx", returnWait)
		return nil, nil, false
	}
}

func checkCancelMidStream(t *caseT, newClient NewClient) {
	c := newClient(t, Script{{Text: "a b c", FinishReason: chat.FinishStop, Usage: chat.Usage{InputTokens: 1, OutputTokens: 3}, Stall: true}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	n := 0
	req := kitRequest()
	req.Stream = func(context.Context, chat.Delta) error {
		mu.Lock()
		defer mu.Unlock()
		if n++; n == 2 {
			cancel()
		}
		return nil
	}
	resp, err, returned := completeWithin(t, ctx, c, req)
	if !returned {
		return
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v after cancelling mid-stream, want context.Canceled: a cancelled call returns ctx's error", err)
	}
	if resp != nil {
		t.Errorf("response %+v from a cancelled call: on error the response is nil", resp)
	}
}

func checkCancelledContext(t *caseT, newClient NewClient) {
	c := newClient(t, Script{{Text: "never read", FinishReason: chat.FinishStop}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, stream := range []bool{false, true} {
		req := kitRequest()
		var parts []string
		if stream {
			streamInto(req, &parts)
		}
		resp, err, returned := completeWithin(t, ctx, c, req)
		if !returned {
			return
		}
		// Callers tell the end of their context from a provider's failure
		// with errors.Is: an SDK that reports a call it never started in
		// its own words must have its error joined to ctx's by the adapter.
		if !errors.Is(err, context.Canceled) || resp != nil {
			t.Errorf("call (stream %v) with a cancelled context: response %v, error %v, want an error matching context.Canceled: a client honours ctx", stream, resp, err)
		}
	}
}

func checkManyDeltas(t *caseT, newClient NewClient) {
	const n = 10_000
	turn := Turn{Text: strings.Repeat("tok ", n), FinishReason: chat.FinishStop, Usage: chat.Usage{InputTokens: 3, OutputTokens: n}}
	c := newClient(t, Script{turn})
	got, bad := 0, 0
	req := kitRequest()
	req.Stream = func(_ context.Context, d chat.Delta) error {
		if d.Content != "tok " && bad == 0 {
			bad++
			t.Errorf("delta %d = %q, want %q", got, d.Content, "tok ")
		}
		got++
		return nil
	}
	resp, err := c.Complete(context.Background(), req)
	if !wantReply(t, "streamed call", resp, err, turn) {
		return
	}
	if got != n {
		t.Errorf("%d deltas, the server sent %d: every delta reaches Request.Stream", got, n)
	}
}

func checkStreamBreak(t *caseT, newClient NewClient) {
	turn := Turn{Text: "a b c", FinishReason: chat.FinishStop, Usage: chat.Usage{InputTokens: 1, OutputTokens: 3}}
	c := newClient(t, Script{turn})
	for i := range 20 {
		req := kitRequest()
		var parts []string
		if i%2 == 0 {
			streamInto(req, &parts)
		}
		resp, err := c.Complete(context.Background(), req)
		if !wantReply(t, fmt.Sprintf("call %d", i), resp, err, turn) {
			return
		}
	}
	deltas := 0
	for chunk, err := range chat.Stream(context.Background(), c, kitRequest()) {
		if err != nil {
			t.Errorf("chat.Stream: %v", err)
			break
		}
		if chunk.Response != nil {
			t.Errorf("chat.Stream: the final response came before the first delta")
		}
		deltas++
		break
	}
	if deltas != 1 {
		t.Errorf("chat.Stream yielded %d deltas before the break, want 1", deltas)
	}
}

func checkConcurrent(t *caseT, newClient NewClient) {
	turn := Turn{Text: "shared reply here", FinishReason: chat.FinishStop, Usage: chat.Usage{InputTokens: 2, OutputTokens: 3}}
	c := newClient(t, Script{turn})
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for g := range 8 {
		wg.Go(func() {
			for i := range 4 {
				req := kitRequest()
				var parts []string
				if (g+i)%2 == 0 {
					streamInto(req, &parts)
				}
				resp, err := c.Complete(context.Background(), req)
				switch {
				case err != nil:
					errs <- err
				case resp.Text() != turn.Text:
					errs <- fmt.Errorf("reply %q, want %q", resp.Text(), turn.Text)
				case req.Stream != nil && strings.Join(parts, "") != turn.Text:
					errs <- fmt.Errorf("deltas %q, want them to join to %q", parts, turn.Text)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent call: %v: a client is safe for concurrent use", err)
	}
}
