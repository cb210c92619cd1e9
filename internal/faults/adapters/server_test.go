package adapters_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// behaviour is what the fake provider does with one request.
type behaviour func(w http.ResponseWriter, r *http.Request)

// provider is a local server whose behaviour a test sets per case. The
// server is shared by a test's cases; Close it at the end.
type provider struct {
	*httptest.Server
	do    atomic.Pointer[behaviour]
	calls atomic.Int64
}

func newProvider() *provider {
	p := &provider{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.calls.Add(1)
		(*p.do.Load())(w, r)
	}))
	return p
}

func (p *provider) set(b behaviour) { p.do.Store(&b) }

// status answers with an HTTP error and a provider-shaped JSON body.
func status(code int, body string) behaviour {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(code)
		fmt.Fprint(w, body)
	}
}

// raw answers 200 with the given body and content type.
func raw(contentType, body string) behaviour {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		fmt.Fprint(w, body)
	}
}

// hang answers nothing until the client goes away.
func hang() behaviour {
	return func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}
}

// sseThenHang sends the first events of a stream, flushes, and then stops
// sending without closing: a provider that stalls mid-reply.
func sseThenHang(events string) behaviour {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, events)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}
}

// cut sends part of a stream and then kills the connection without the
// end of the chunked body: a network cut, not a clean end.
func cut(events string) behaviour {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, events)
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	}
}

// settle waits for the goroutine count to come back to base.
func settle(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sseJoin joins SSE events into a body.
func sseJoin(events ...string) string { return strings.Join(events, "") }

// timeout is the deadline of the cases that wait for a silent provider.
const timeout = 150 * time.Millisecond

func shortCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), timeout)
}
