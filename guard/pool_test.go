package guard_test

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/role"
)

// TestHugeTextNotKeptByPool: the guard checks each answer, and restates a
// reframing role's user turn, with a pooled analyzer, whose buffers grow
// with the text and never shrink. After 8 MB of text the analyzer holds
// tens of megabytes; kept in the pool, it would stay that big for as long
// as a busy server reuses it. The guard must drop such an analyzer, on
// both paths. The measure is the live heap after one collection, which
// leaves what a pool holds in place (a pool is emptied over two).
func TestHugeTextNotKeptByPool(t *testing.T) {
	huge := strings.Repeat("You are right, I apologize. ", 300_000)
	reframing := role.Peer()
	reframing.ReframeClaims = true
	tests := []struct {
		name   string
		policy *role.Policy
		req    *chat.Request
		answer string
	}{
		{"huge answer", nil, advice(), huge},
		{"huge user turn restated", &role.Policy{Roles: map[string]role.Role{"peer": reframing}},
			&chat.Request{Messages: []chat.Message{chat.User("I firmly believe " + huge)}, Metadata: map[string]string{guard.MetadataRole: "peer"}},
			"I see it differently."},
	}
	heap := func() int64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return int64(ms.HeapAlloc)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := chat.Wrap(chat.ClientFunc(func(context.Context, *chat.Request) (*chat.Response, error) {
				return &chat.Response{Message: chat.Assistant(tt.answer)}, nil
			}), guard.New(tt.policy))
			before := heap()
			if _, err := c.Complete(context.Background(), tt.req); err != nil {
				t.Fatal(err)
			}
			const limit = 16 << 20 // the text itself is referenced by the test, so outside this
			if grew := heap() - before; grew > limit {
				t.Errorf("the live heap grew by %d MB after %d MB of text was checked and dropped, want at most %d MB: the pool keeps the analyzer that grew on it",
					grew>>20, len(huge)>>20, limit>>20)
			}
			runtime.KeepAlive(c)
		})
	}
}
