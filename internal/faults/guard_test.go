package faults_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/internal/faults"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
	"github.com/rolegate/rolegate/role"
)

const (
	question = "Is coffee bad for the heart?"
	firm     = "Moderate coffee intake is not linked to heart disease in most adults."
	caves    = "You're absolutely right, I apologize. Coffee is bad for the heart."
	fallback = "I can't give a reliable answer right now."
)

// policy has one role per fail mode and action, each checking capitulation.
func policy() *role.Policy {
	checks := func(a role.Action) map[metrics.Metric]role.Check {
		return map[metrics.Metric]role.Check{metrics.Capitulation: {Threshold: 0.5, Action: a}}
	}
	return &role.Policy{Roles: map[string]role.Role{
		"open":            {Checks: checks(role.Block), OnUnknown: role.FailOpen},
		"closed":          {Checks: checks(role.Block), OnUnknown: role.FailClosed},
		"closed-fallback": {Checks: checks(role.Block), OnUnknown: role.FailClosed, Fallback: fallback},
		"reask":           {Checks: checks(role.Reask), MaxReasks: 1, Exhausted: role.Block},
	}}
}

// streamMode is how a case's request streams.
type streamMode int

const (
	noStream streamMode = iota
	buffered
	passThrough
)

func (m streamMode) String() string { return [...]string{"plain", "buffer", "pass-through"}[m] }

// outcome is what one guarded call produced.
type outcome struct {
	resp     *chat.Response
	err      error
	streamed string // what the caller's stream callback received
	observed []error
	elapsed  time.Duration
}

// fault is one row of the matrix.
type fault struct {
	name  string
	role  string
	model func(cancel context.CancelFunc) chat.Client
	judge func(cancel context.CancelFunc) guard.Judge
	// ctx prepares the call's context; nil means a 5-second timeout.
	ctx func(context.Context) (context.Context, context.CancelFunc)
	// onDelta, when set, is the caller's stream callback's result.
	onDelta func(cancel context.CancelFunc) error
	check   func(t *testing.T, m streamMode, o outcome)
}

// call runs one guarded request and records what the caller saw.
func call(f fault, m streamMode) outcome {
	var o outcome
	var mu sync.Mutex
	opts := []guard.Option{guard.WithObserver(guard.ObserverFunc(func(_ context.Context, _ *guard.Verdict, err error) {
		mu.Lock()
		o.observed = append(o.observed, err)
		mu.Unlock()
	}))}
	if m == passThrough {
		opts = append(opts, guard.WithStreamMode(guard.PassThrough))
	}
	prep := f.ctx
	if prep == nil {
		prep = func(ctx context.Context) (context.Context, context.CancelFunc) {
			return context.WithTimeout(ctx, 5*time.Second)
		}
	}
	ctx, cancel := prep(context.Background())
	defer cancel()
	if f.judge != nil {
		opts = append(opts, guard.WithJudge(metrics.Capitulation, f.judge(cancel)))
	}
	client := chat.Wrap(f.model(cancel), guard.New(policy(), opts...))
	req := &chat.Request{
		Messages: []chat.Message{chat.User(question)},
		Metadata: map[string]string{guard.MetadataRole: f.role},
	}
	if m != noStream {
		req.Stream = func(_ context.Context, d chat.Delta) error {
			o.streamed += d.Content
			if f.onDelta != nil {
				return f.onDelta(cancel)
			}
			return nil
		}
	}
	start := time.Now()
	o.resp, o.err = client.Complete(ctx, req)
	o.elapsed = time.Since(start)
	return o
}

// errStop is the caller's own stream callback error.
var errStop = errors.New("caller stops reading")

// judgeErr is a judge whose model is down.
var judgeErr = faults.StatusError(http.StatusServiceUnavailable)

func texts(ts ...string) func(context.CancelFunc) chat.Client {
	return func(context.CancelFunc) chat.Client { return chattest.Texts(ts...) }
}

// wantStatus checks for the *chat.APIError of the code, classified
// transient as judge.IsTransient reads it, and nothing shown to a buffered
// caller.
func wantStatus(code int) func(*testing.T, streamMode, outcome) {
	return func(t *testing.T, m streamMode, o outcome) {
		var se *chat.APIError
		if !errors.As(o.err, &se) || se.StatusCode() != code {
			t.Fatalf("error %v, want a *chat.APIError %d", o.err, code)
		}
		if !judge.IsTransient(o.err) {
			t.Errorf("%v is not transient through the guard", o.err)
		}
		noText(t, m, o)
	}
}

func wantIs(target error) func(*testing.T, streamMode, outcome) {
	return func(t *testing.T, m streamMode, o outcome) {
		if !errors.Is(o.err, target) {
			t.Fatalf("error %v, want one matching %v", o.err, target)
		}
		noText(t, m, o)
	}
}

// noText fails when a buffered caller received text from a failed call:
// the buffer must release nothing of a reply that was not accepted.
func noText(t *testing.T, m streamMode, o outcome) {
	t.Helper()
	if m == buffered && o.streamed != "" {
		t.Errorf("buffered caller received %q from a failed call", o.streamed)
	}
}

func wantAction(a guard.Action, text string, status guard.Status) func(*testing.T, streamMode, outcome) {
	return func(t *testing.T, m streamMode, o outcome) {
		if o.err != nil {
			t.Fatalf("error %v, want action %v", o.err, a)
		}
		v, ok := guard.VerdictOf(o.resp)
		if !ok {
			t.Fatal("no verdict on the response")
		}
		if v.Action != a || o.resp.Text() != text {
			t.Fatalf("action %v text %q, want %v %q", v.Action, o.resp.Text(), a, text)
		}
		if c, ok := v.Check(metrics.Capitulation); !ok || c.Status != status {
			t.Fatalf("capitulation check %+v, want status %v", c, status)
		}
		if m != noStream && o.streamed != text {
			t.Errorf("caller streamed %q, want %q", o.streamed, text)
		}
	}
}

// wantFallback checks a block under a role with a fallback: the fallback as
// the reply, or in pass-through streaming, when the caller has seen the
// answer (shown), a *guard.ViolationError that carries it. A pass-through
// caller that was shown no text gets the fallback as a buffered one does.
func wantFallback(status guard.Status, shown bool) func(*testing.T, streamMode, outcome) {
	return func(t *testing.T, m streamMode, o outcome) {
		if m != passThrough || !shown {
			wantAction(guard.Blocked, fallback, status)(t, m, o)
			return
		}
		var ve *guard.ViolationError
		if !errors.As(o.err, &ve) || ve.Fallback != fallback {
			t.Fatalf("error %v, want a *guard.ViolationError carrying the fallback", o.err)
		}
	}
}

func faultMatrix() []fault {
	cancelled := func(ctx context.Context) (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		return ctx, cancel
	}
	short := func(ctx context.Context) (context.Context, context.CancelFunc) {
		return context.WithTimeout(ctx, 30*time.Millisecond)
	}
	var fs []fault
	for _, code := range []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		fs = append(fs, fault{name: fmt.Sprintf("provider %d", code), role: "closed",
			model: func(context.CancelFunc) chat.Client { return faults.Status(code) }, check: wantStatus(code)})
	}
	return append(fs,
		fault{name: "timeout: provider hangs", role: "closed", ctx: short,
			model: func(context.CancelFunc) chat.Client { return faults.Hang() },
			check: func(t *testing.T, m streamMode, o outcome) {
				wantIs(context.DeadlineExceeded)(t, m, o)
				if o.elapsed > 2*time.Second {
					t.Errorf("returned after %v, the deadline was 30ms", o.elapsed)
				}
			}},
		fault{name: "malformed: neither response nor error", role: "closed",
			model: func(context.CancelFunc) chat.Client { return faults.NilResponse() }, check: wantIs(guard.ErrNoResponse)},
		fault{name: "malformed: empty answer, fail open", role: "open", model: texts(""),
			check: wantAction(guard.Passed, "", guard.StatusUnknown)},
		fault{name: "malformed: empty answer, fail closed", role: "closed", model: texts(""),
			check: func(t *testing.T, m streamMode, o outcome) {
				wantIs(guard.ErrBlocked)(t, m, o)
				var ve *guard.ViolationError
				if !errors.As(o.err, &ve) || ve.Check != metrics.Capitulation || ve.Note == "" {
					t.Errorf("error %#v, want a *guard.ViolationError naming capitulation with a note", o.err)
				}
			}},
		fault{name: "malformed: empty answer, fail closed with fallback", role: "closed-fallback", model: texts(""),
			check: wantFallback(guard.StatusViolation, false)},
		fault{name: "malformed: invalid UTF-8 answer", role: "open", model: texts("Coffee is \xff fine \xc0"),
			check: wantAction(guard.Passed, "Coffee is \xff fine \xc0", guard.StatusPass)},
		fault{name: "truncated stream", role: "closed",
			model: func(context.CancelFunc) chat.Client { return faults.Truncated(firm, 20, 7) },
			check: func(t *testing.T, m streamMode, o outcome) {
				wantIs(faults.ErrTruncated)(t, m, o)
				if m == passThrough && o.streamed != firm[:20] {
					t.Errorf("pass-through caller saw %q, want the %d bytes sent", o.streamed, 20)
				}
			}},
		fault{name: "stream over the buffer limit", role: "closed",
			model: func(context.CancelFunc) chat.Client {
				return faults.Streamer(strings.Repeat("Coffee is fine. ", (guard.DefaultMaxStreamBytes/16)+100), 4096)
			},
			check: func(t *testing.T, m streamMode, o outcome) {
				if m == noStream {
					if o.err != nil {
						t.Fatalf("error %v: only a stream has a limit", o.err)
					}
					return
				}
				// Pass-through keeps the forwarded text to check it, under
				// the same limit as the buffer.
				wantIs(guard.ErrStreamLimit)(t, m, o)
			}},
		fault{name: "cancelled before the call", role: "closed", ctx: cancelled,
			model: func(context.CancelFunc) chat.Client {
				return chat.ClientFunc(func(context.Context, *chat.Request) (*chat.Response, error) {
					panic("the model was called with a cancelled context")
				})
			},
			check: wantIs(context.Canceled)},
		fault{name: "cancelled during the model call", role: "closed",
			model: func(cancel context.CancelFunc) chat.Client {
				return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
					time.AfterFunc(5*time.Millisecond, cancel)
					return faults.Hang().Complete(ctx, req)
				})
			},
			check: wantIs(context.Canceled)},
		fault{name: "cancelled mid-stream", role: "closed",
			model: func(cancel context.CancelFunc) chat.Client {
				inner := faults.Streamer(firm, 5)
				return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
					if req.Stream != nil {
						n := 0
						orig := req.Stream
						req = req.Clone()
						req.Stream = func(ctx context.Context, d chat.Delta) error {
							if n++; n == 3 {
								cancel()
							}
							return orig(ctx, d)
						}
					} else {
						cancel()
					}
					return inner.Complete(ctx, req)
				})
			},
			check: wantIs(context.Canceled)},
		fault{name: "cancelled during the check", role: "closed", model: texts(firm),
			judge: func(cancel context.CancelFunc) guard.Judge {
				return guard.JudgeFunc(func(ctx context.Context, _ []chat.Message) (metrics.Result, error) {
					cancel()
					return metrics.Result{}, ctx.Err()
				})
			},
			check: wantIs(context.Canceled)},
		fault{name: "timeout during the check: judge hangs", role: "open", model: texts(firm), ctx: short,
			judge: func(context.CancelFunc) guard.Judge {
				return guard.JudgeFunc(func(ctx context.Context, _ []chat.Message) (metrics.Result, error) {
					<-ctx.Done()
					return metrics.Result{}, ctx.Err()
				})
			},
			check: wantIs(context.DeadlineExceeded)},
		fault{name: "cancelled between attempts (reask)", role: "reask",
			model: func(cancel context.CancelFunc) chat.Client {
				n := 0
				return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
					if n++; n == 1 {
						defer cancel()
						return faults.Streamer(caves, 8).Complete(ctx, req)
					}
					return faults.Streamer(firm, 8).Complete(ctx, req)
				})
			},
			check: wantIs(context.Canceled)},
		fault{name: "provider fails on the reask", role: "reask",
			model: func(context.CancelFunc) chat.Client {
				return chattest.New(chattest.Reply{Content: caves}, chattest.Reply{Err: faults.StatusError(http.StatusServiceUnavailable)})
			},
			check: func(t *testing.T, m streamMode, o outcome) {
				if m == passThrough {
					wantIs(guard.ErrBlocked)(t, m, o)
					return
				}
				wantStatus(http.StatusServiceUnavailable)(t, m, o)
			}},
		fault{name: "caller's stream callback fails", role: "open", model: texts(firm),
			onDelta: func(context.CancelFunc) error { return errStop },
			check: func(t *testing.T, m streamMode, o outcome) {
				if m == noStream {
					wantAction(guard.Passed, firm, guard.StatusPass)(t, m, o)
					return
				}
				if !errors.Is(o.err, errStop) {
					t.Fatalf("error %v, want the callback's", o.err)
				}
			}},
		fault{name: "judge fails, fail open", role: "open", model: texts(firm),
			judge: func(context.CancelFunc) guard.Judge {
				return guard.JudgeFunc(func(context.Context, []chat.Message) (metrics.Result, error) { return metrics.Result{}, judgeErr })
			},
			check: func(t *testing.T, m streamMode, o outcome) {
				wantAction(guard.Passed, firm, guard.StatusPass)(t, m, o)
				v, _ := guard.VerdictOf(o.resp)
				if j := judgeCheck(v); j == nil || j.Status != guard.StatusUnknown {
					t.Errorf("judge check %+v, want StatusUnknown", j)
				}
			}},
		fault{name: "judge fails, fail closed", role: "closed", model: texts(firm),
			judge: func(context.CancelFunc) guard.Judge {
				return guard.JudgeFunc(func(context.Context, []chat.Message) (metrics.Result, error) { return metrics.Result{}, judgeErr })
			},
			check: func(t *testing.T, m streamMode, o outcome) {
				wantIs(guard.ErrBlocked)(t, m, o)
				var ve *guard.ViolationError
				if !errors.As(o.err, &ve) || ve.Source != guard.FromJudge {
					t.Errorf("error %v, want a *guard.ViolationError from the judge", o.err)
				}
			}},
		fault{name: "judge answers out of range, fail closed with fallback", role: "closed-fallback", model: texts(firm),
			judge: func(context.CancelFunc) guard.Judge {
				return guard.JudgeFunc(func(context.Context, []chat.Message) (metrics.Result, error) {
					return metrics.Result{Metric: metrics.Capitulation, Score: 7, Label: metrics.Present}, nil
				})
			},
			check: func(t *testing.T, m streamMode, o outcome) {
				if m == passThrough {
					wantFallback(guard.StatusViolation, true)(t, m, o)
					return
				}
				if o.err != nil || o.resp.Text() != fallback {
					t.Fatalf("got %q, %v; want the fallback", o.resp.Text(), o.err)
				}
			}},
	)
}

// judgeCheck returns the judge's check of the final answer.
func judgeCheck(v *guard.Verdict) *guard.CheckResult {
	for i := range v.Checks {
		if v.Checks[i].Source == guard.FromJudge {
			return &v.Checks[i]
		}
	}
	return nil
}

// TestGuardFaultMatrix runs every fault in every streaming mode. Besides
// each case's own check, every failed call is seen once by the observer
// with the error the caller got, and the goroutine count returns to its
// baseline.
func TestGuardFaultMatrix(t *testing.T) {
	base := runtime.NumGoroutine()
	cases := 0
	for _, f := range faultMatrix() {
		for _, m := range []streamMode{noStream, buffered, passThrough} {
			cases++
			t.Run(f.name+"/"+m.String(), func(t *testing.T) {
				o := call(f, m)
				f.check(t, m, o)
				if len(o.observed) != 1 {
					t.Fatalf("observer told %d times, want once", len(o.observed))
				}
				if o.observed[0] != o.err {
					t.Errorf("observer got error %v, the caller %v", o.observed[0], o.err)
				}
				if (o.err == nil) == (o.resp == nil) {
					t.Errorf("response %v with error %v", o.resp, o.err)
				}
			})
		}
	}
	t.Logf("%d fault cases (%d faults x 3 streaming modes)", cases, cases/3)
	settle(t, base)
}

// settle waits for the goroutine count to come back to base and fails if it
// does not: a goroutine outlived its call.
func settle(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
