package guard_test

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
)

// TestHugeAnswerNotKeptByPool: the guard checks each answer with a pooled
// analyzer, whose buffers grow with the text and never shrink. After an 8
// MB answer the analyzer holds tens of megabytes; kept in the pool, it
// would stay that big for as long as a busy server reuses it. The guard
// must drop such an analyzer, as the metrics package's own pool does. The
// measure is the live heap after one collection, which leaves what a pool
// holds in place (a pool is emptied over two).
func TestHugeAnswerNotKeptByPool(t *testing.T) {
	huge := strings.Repeat("You are right, I apologize. ", 300_000)
	c := chat.Wrap(chat.ClientFunc(func(context.Context, *chat.Request) (*chat.Response, error) {
		return &chat.Response{Message: chat.Assistant(huge)}, nil
	}), guard.New(nil))
	heap := func() int64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return int64(ms.HeapAlloc)
	}
	before := heap()
	if _, err := c.Complete(context.Background(), advice()); err != nil {
		t.Fatal(err)
	}
	const limit = 16 << 20 // the answer itself is referenced by the client, so outside this
	if grew := heap() - before; grew > limit {
		t.Errorf("the live heap grew by %d MB after an %d MB answer was checked and dropped, want at most %d MB: the pool keeps the analyzer that grew on it",
			grew>>20, len(huge)>>20, limit>>20)
	}
	runtime.KeepAlive(c)
}
