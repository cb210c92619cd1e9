package callbench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rolegate/rolegate/chat"
)

// Measure runs f in a b.Loop and reports, besides time and allocations, the
// process CPU time per call ("cpu-ns/op"). On a loaded machine the wall time
// includes waiting for a core; the CPU time does not, so the ratios between
// variants stay readable. Run with -cpu 1 so that it counts one core. On a
// platform where the CPU time is not measured, no cpu-ns/op is reported.
func Measure(b *testing.B, f func()) {
	b.Helper()
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		f()
	}
	if d := cpuTime() - start; d > 0 {
		b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// InMemory returns an HTTP client whose requests h serves in memory: no
// sockets and no server goroutines, so that a benchmark shows the client
// side's cost. Any base URL will do.
func InMemory(h http.Handler) *http.Client {
	return &http.Client{Transport: handlerTransport{h}}
}

type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// Plain runs the sub-benchmark "plain/"+variant: c.Complete on a fresh
// request from newReq per call, measured by [Measure].
func Plain(b *testing.B, variant string, c chat.Client, newReq func() *chat.Request) {
	b.Helper()
	b.Run("plain/"+variant, func(b *testing.B) { measureComplete(b, c, newReq, nil) })
}

// Streamed runs the sub-benchmark "stream/"+variant: as [Plain], with a
// StreamFunc that discards the deltas.
func Streamed(b *testing.B, variant string, c chat.Client, newReq func() *chat.Request) {
	b.Helper()
	discard := func(context.Context, chat.Delta) error { return nil }
	b.Run("stream/"+variant, func(b *testing.B) { measureComplete(b, c, newReq, discard) })
}

func measureComplete(b *testing.B, c chat.Client, newReq func() *chat.Request, stream chat.StreamFunc) {
	ctx := context.Background()
	Measure(b, func() {
		req := newReq()
		req.Stream = stream
		if _, err := c.Complete(ctx, req); err != nil {
			b.Fatal(err)
		}
	})
}
