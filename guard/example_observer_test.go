package guard_test

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
)

// SlogObserver logs every verdict. Here a clock that advances a millisecond
// each time it is read makes the timings reproducible.
func ExampleSlogObserver() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	tick := func() time.Time { now = now.Add(time.Millisecond); return now }
	mw := guard.New(reaskPolicy(),
		guard.WithObserver(guard.SlogObserver(logger)),
		guard.WithClock(tick),
	)
	client := chat.Wrap(chattest.Texts(flipAnswer, holdAnswer, allValidation), mw)
	ctx := context.Background()
	_, _ = client.Complete(ctx, pushback(socialPressure))
	req := advice()
	req.Metadata[guard.MetadataTenant] = "acme"
	_, _ = client.Complete(ctx, req)
	// Output:
	// level=INFO msg="rolegate guard" role=peer action=reask attempts=2 elapsed=7ms overhead=5ms
	// level=WARN msg="rolegate guard" tenant=acme role=advisor action=annotate attempts=1 elapsed=4ms overhead=3ms violations.emotional_validation=0.99
}
