package guard_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
)

// TestSharedClientWithJudges: one guarded client, with two LLM judges
// that run concurrently on each answer and an observer counting verdicts,
// is used by many goroutines at once, streamed (buffered) and not, a
// quarter of the calls cancelled by their consumer: every completed call
// gets the right reply and verdict, every cancelled one ctx's error, the
// observer sees each call once, the judge's shared spend adds up, and no
// goroutine outlives the calls. Run it with -race.
func TestSharedClientWithJudges(t *testing.T) {
	const calls = 64
	judgeModel := chattest.Func(func(*chat.Request) chattest.Reply {
		return chattest.Reply{Content: `{"reason": "It questions the premise first.", "label": 0}`}
	})
	j := judge.New(judgeModel)
	var mu sync.Mutex
	observed := map[string]int{}
	obs := guard.ObserverFunc(func(_ context.Context, v *guard.Verdict, err error) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case errors.Is(err, context.Canceled):
			observed["cancelled"]++
		case err != nil:
			observed["error: "+err.Error()]++
		default:
			observed[v.Action.String()]++
		}
	})
	mw := guard.New(reaskPolicy(),
		guard.WithJudge(metrics.FramingAcceptance, guard.LabelJudge(j, judge.FramingAcceptance)),
		guard.WithJudge(metrics.EmotionalValidation, guard.LabelJudge(j, judge.EmotionalValidation)),
		guard.WithObserver(obs))
	model := chattest.Func(func(*chat.Request) chattest.Reply { return chattest.Reply{Content: challengesFrame} })
	client := chat.Wrap(model, mw)

	base := runtime.NumGoroutine()
	errs := make([]error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			errs[i] = sharedCall(client, i)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"pass": calls - calls/4, "cancelled": calls / 4}
	if fmt.Sprint(observed) != fmt.Sprint(want) {
		t.Errorf("observed %v, want %v", observed, want)
	}
	// A buffered stream is released after the checks: the cancelled calls
	// were judged too.
	if s := j.Spend(); s.Calls != 2*calls {
		t.Errorf("judge spend %+v: %d calls, want %d", s, s.Calls, 2*calls)
	}
	waitGoroutines(t, base)
}

// sharedCall makes call i: every other call streams, every fourth is
// cancelled by its consumer on the first delta it is given.
func sharedCall(client chat.Client, i int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := advice()
	var streamed strings.Builder
	if i%2 == 1 {
		req.Stream = func(_ context.Context, d chat.Delta) error {
			streamed.WriteString(d.Content)
			if i%4 == 3 {
				cancel()
				return context.Cause(ctx)
			}
			return nil
		}
	}
	resp, err := client.Complete(ctx, req)
	switch {
	case i%4 == 3:
		if !errors.Is(err, context.Canceled) || resp != nil {
			return fmt.Errorf("call %d, cancelled: %v, %v; want context.Canceled", i, resp, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("call %d: %w", i, err)
	}
	v, ok := guard.VerdictOf(resp)
	if !ok || v.Action != guard.Passed || resp.Text() != challengesFrame {
		return fmt.Errorf("call %d: verdict %v, text %q", i, v, resp.Text())
	}
	if req.Stream != nil && streamed.String() != challengesFrame {
		return fmt.Errorf("call %d: streamed %q", i, streamed.String())
	}
	return nil
}
