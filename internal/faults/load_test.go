package faults_test

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
	"github.com/rolegate/rolegate/internal/faults"
	"github.com/rolegate/rolegate/persona"
)

// simulated is a model that caves on even-numbered questions and holds on
// the others, and holds whenever the guard's critique asks again.
func simulated() chat.Client {
	return chattest.Func(func(req *chat.Request) chattest.Reply {
		last := req.Messages[len(req.Messages)-1].Content
		if strings.HasPrefix(last, guard.CritiqueHeader) {
			return chattest.Reply{Content: firm, ChunkSize: 16}
		}
		var n int
		fmt.Sscanf(last, "Question %d:", &n)
		if n%2 == 0 {
			return chattest.Reply{Content: caves, ChunkSize: 16}
		}
		return chattest.Reply{Content: firm, ChunkSize: 16}
	})
}

// loadCall is one guarded call of the load test: question i, streamed for a
// third of them, with a profile for half.
func loadCall(ctx context.Context, client chat.Client, i int) error {
	if i%2 == 1 {
		ctx = persona.NewContext(ctx, &persona.Profile{Demographics: persona.Demographics{Age: persona.Age25to34}, Narrative: "I am a nurse."})
	}
	var streamed strings.Builder
	req := &chat.Request{
		Messages: []chat.Message{chat.User(fmt.Sprintf("Question %d: %s", i, question))},
		Metadata: map[string]string{guard.MetadataRole: "reask"},
	}
	if i%3 == 0 {
		req.Stream = func(_ context.Context, d chat.Delta) error {
			streamed.WriteString(d.Content)
			return nil
		}
	}
	resp, err := client.Complete(ctx, req)
	if err != nil {
		return err
	}
	v, ok := guard.VerdictOf(resp)
	want := guard.Passed
	if i%2 == 0 {
		want = guard.Reasked
	}
	switch {
	case !ok:
		return errors.New("no verdict")
	case v.Action != want || resp.Text() != firm:
		return fmt.Errorf("action %v text %q, want %v %q", v.Action, resp.Text(), want, firm)
	case req.Stream != nil && streamed.String() != firm:
		return fmt.Errorf("streamed %q, want %q", streamed.String(), firm)
	}
	return nil
}

// TestLoad runs 1,000 guarded calls at once through one guard (run it with
// -race): every call gets the right verdict and text, memory per call stays
// bounded, and no goroutine outlives the calls.
func TestLoad(t *testing.T) {
	const calls = 1000
	client := chat.Wrap(simulated(), guard.New(policy()))
	// One call first: the scorers' language compiles once per process
	// (about 10 MB), which would otherwise count as 10 KB per call when
	// this test runs first and not at all when it does not.
	if err := loadCall(context.Background(), client, 1); err != nil {
		t.Fatal(err)
	}
	base := runtime.NumGoroutine()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, calls)
	for i := range calls {
		wg.Go(func() {
			<-start
			errs[i] = loadCall(context.Background(), client, i)
		})
	}
	close(start)
	wg.Wait()
	runtime.ReadMemStats(&after)
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	perCall := (after.TotalAlloc - before.TotalAlloc) / calls
	t.Logf("%d concurrent guarded calls (half reasked, a third streamed): %d bytes allocated per call", calls, perCall)
	if perCall > 256<<10 {
		t.Errorf("%d bytes allocated per call, want at most 256 KiB", perCall)
	}
	settle(t, base)
}

// TestStreamBufferCap: a streamed reply far above the documented cap stops
// at it with ErrStreamLimit, nothing is released to the caller, and the
// memory allocated does not depend on the reply's size: a 16 MB reply costs
// what a 4 MB one does, and about the cap itself: the buffer keeps the
// deltas in blocks it never copies (a buffer grown by append copied the
// text at each step, 5.4 MB in all).
func TestStreamBufferCap(t *testing.T) {
	alloc := func(size int) uint64 {
		reply := strings.Repeat("Coffee is fine. ", size/16)
		client := chat.Wrap(faults.Streamer(reply, 32<<10), guard.New(policy()))
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := client.Complete(context.Background(), &chat.Request{
			Messages: []chat.Message{chat.User(question)},
			Metadata: map[string]string{guard.MetadataRole: "closed"},
			Stream:   func(context.Context, chat.Delta) error { t.Error("a delta was released"); return nil },
		})
		runtime.ReadMemStats(&after)
		if !errors.Is(err, guard.ErrStreamLimit) {
			t.Fatalf("error %v, want ErrStreamLimit", err)
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := alloc(4<<20), alloc(16<<20)
	t.Logf("streams of 4 MB and 16 MB against a %d-byte cap: %d and %d bytes allocated", guard.DefaultMaxStreamBytes, small, large)
	if large > small+small/5+64<<10 {
		t.Errorf("a 16 MB stream allocated %d bytes, a 4 MB one %d: memory follows the reply, not the cap", large, small)
	}
	if large > 3*guard.DefaultMaxStreamBytes/2 {
		t.Errorf("%d bytes allocated, want at most 1.5x the %d-byte cap", large, guard.DefaultMaxStreamBytes)
	}
}

// BenchmarkGuardedCall measures one guarded call with the heuristic checks:
// a pass with a rendered profile, a reask (two model calls), and a
// buffered stream of each.
func BenchmarkGuardedCall(b *testing.B) {
	client := chat.Wrap(simulated(), guard.New(policy()))
	ctx := context.Background()
	// One call first: the scorers' language compiles once per process
	// (about 10 MB), which is no per-call cost; without this call the first
	// case carried it, spread over however many iterations -benchtime gave.
	if err := loadCall(ctx, client, 1); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		i    int
	}{{"pass+persona", 1}, {"reask", 2}, {"stream+pass+persona", 3}, {"stream+reask", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := loadCall(ctx, client, bc.i); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStreamSize shows what a large reply costs the guard, in
// proportion to its size up to the stream cap: "plain" is the scoring alone
// (above about 256 KB the analyzer pool does not keep the buffers such a
// reply grew, so each call grows them anew), "buffer" adds the buffered
// stream's copy of the reply, streamed in 4 KiB deltas.
func BenchmarkStreamSize(b *testing.B) {
	for _, mode := range []streamMode{noStream, buffered} {
		for _, size := range []int{1 << 10, 64 << 10, 512 << 10, 1 << 20} {
			b.Run(fmt.Sprintf("%s/%dKiB", mode, size>>10), func(b *testing.B) {
				client := chat.Wrap(faults.Streamer(strings.Repeat("Coffee is fine. ", size/16), 4<<10), guard.New(policy()))
				req := &chat.Request{
					Messages: []chat.Message{chat.User(question)},
					Metadata: map[string]string{guard.MetadataRole: "open"},
				}
				if mode == buffered {
					req.Stream = func(context.Context, chat.Delta) error { return nil }
				}
				// One call first, outside the measurement (b.Loop starts
				// it): the scorers' language compiles on the first call of
				// the process.
				if _, err := client.Complete(context.Background(), req); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.SetBytes(int64(size))
				for b.Loop() {
					if _, err := client.Complete(context.Background(), req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
