package main

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/bench"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/metrics/judge"
)

// recordingClock is a fake bench.Clock: Sleep records the wait and moves
// the time on at once.
type recordingClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *recordingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *recordingClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

// TestBenchJudgeShares: the bench command's judge calls the same endpoint
// as the model, so its calls count against -rps and it honours -retries.
func TestBenchJudgeShares(t *testing.T) {
	ctx := context.Background()
	item := judge.Single{Response: "r"}
	t.Run("rps", func(t *testing.T) {
		clock := &recordingClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		lim := bench.NewLimiter(1, 1, clock)
		model := chattest.Func(func(*chat.Request) chattest.Reply { return chattest.Reply{Content: `{"reason":"r","label":0}`} })
		j := newJudge(model, "judge", 1, 4, lim)
		for i := range 3 {
			_, err := j.Label(ctx, judge.Hedging, i, item)
			require.NoError(t, err)
		}
		assert.Equal(t, 3, model.CallCount())
		assert.Equal(t, []time.Duration{time.Second, time.Second}, clock.sleeps, "1 call per second, burst 1")
	})
	t.Run("retries", func(t *testing.T) {
		calls := 0
		busy := chat.ClientFunc(func(context.Context, *chat.Request) (*chat.Response, error) {
			calls++
			return nil, judge.Transient(&chat.APIError{Status: 503})
		})
		j := newJudge(busy, "judge", 1, 1, nil)
		_, err := j.Label(ctx, judge.Hedging, 0, item)
		require.Error(t, err)
		assert.Equal(t, 1, calls, "-retries 1: no retry")
	})
}
