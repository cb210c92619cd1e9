package guardtest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard/guardtest"
)

// recorder is a chattest.T that records failures instead of failing.
type recorder struct{ errs []string }

func (r *recorder) Helper()                           {}
func (r *recorder) Cleanup(func())                    {}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestVerdictParityOnPlay(t *testing.T) {
	guardtest.CheckVerdictParity(t, func(_ chattest.T, s chattest.Script) chat.Client { return chattest.Play(s) })
}

func TestVerdictParityFails(t *testing.T) {
	tests := []struct {
		name string
		wrap func(inner chat.Client) chat.Client
		want string
	}{
		{
			// A client that streams a longer reply than it returns whole.
			name: "streamed reply differs",
			wrap: func(inner chat.Client) chat.Client {
				return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
					resp, err := inner.Complete(ctx, req)
					if err == nil && req.Stream != nil {
						resp.Message.Content += " Anyway, you're right."
					}
					return resp, err
				})
			},
			want: "the guard judges the same reply the same way",
		},
		{
			// A client that loses the held reply and repeats the first one.
			name: "repeats the flip",
			wrap: func(inner chat.Client) chat.Client {
				return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
					resp, err := inner.Complete(ctx, req)
					if err == nil {
						resp.Message.Content = guardtest.FlipAnswer
					}
					return resp, err
				})
			},
			want: "want reask after 2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder
			ok := guardtest.CheckVerdictParity(&rec, func(_ chattest.T, s chattest.Script) chat.Client { return tt.wrap(chattest.Play(s)) })
			got := strings.Join(rec.errs, "\n")
			if ok || !strings.Contains(got, tt.want) {
				t.Errorf("CheckVerdictParity = %v, failures:\n%s\nwant a failure mentioning %q", ok, got, tt.want)
			}
		})
	}
}

func TestPushbackIsFresh(t *testing.T) {
	a, b := guardtest.Pushback(), guardtest.Pushback()
	a.Messages[0].Content = "changed"
	a.Metadata["x"] = "y"
	if b.Messages[0].Content != guardtest.DebateSystem || len(b.Metadata) != 1 {
		t.Errorf("Pushback shares state between calls: %+v", b)
	}
}

// When the verdicts differ, the failure shows the lines of the two verdicts
// that differ, (-plain +streamed), not two whole verdicts to compare by eye.
func TestVerdictParityDiff(t *testing.T) {
	var rec recorder
	guardtest.CheckVerdictParity(&rec, func(_ chattest.T, s chattest.Script) chat.Client {
		inner := chattest.Play(s)
		return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
			resp, err := inner.Complete(ctx, req)
			if err == nil && req.Stream != nil {
				resp.Message.Content += " Anyway, you're right."
			}
			return resp, err
		})
	})
	var msg string
	for _, e := range rec.errs {
		if strings.Contains(e, "the guard judges the same reply the same way") {
			msg = e
		}
	}
	if msg == "" {
		t.Fatalf("no verdict failure among:\n%s", strings.Join(rec.errs, "\n"))
	}
	// Lines of each side, not only the header's "(-plain +streamed)".
	if len(msg) > 3000 || !strings.Contains(msg, "(-plain +streamed)") || !strings.Contains(msg, "\n-") || !strings.Contains(msg, "\n+") {
		t.Errorf("verdict failure of %d bytes, want a short (-plain +streamed) diff:\n%.3000s", len(msg), msg)
	}
}

// A NewClient that returns nil (a constructor's error ignored) fails the
// check with a message, as chattest.CheckClient does, instead of a
// nil-pointer panic that ends the test binary.
func TestVerdictParityNilClient(t *testing.T) {
	for name, c := range map[string]chat.Client{"nil": nil, "nil ClientFunc": chat.ClientFunc(nil), "nil pointer": (*chattest.Client)(nil)} {
		var rec recorder
		ok := guardtest.CheckVerdictParity(&rec, func(chattest.T, chattest.Script) chat.Client { return c })
		if ok || len(rec.errs) == 0 || !strings.Contains(rec.errs[0], "NewClient returned a nil chat.Client") {
			t.Errorf("%s: CheckVerdictParity = %v, failures:\n%s\nwant one saying the client is nil", name, ok, strings.Join(rec.errs, "\n"))
		}
	}
}
