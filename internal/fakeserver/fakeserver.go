package fakeserver

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/rolegate/rolegate/chat/chattest"
)

// Server is a local stand-in for a provider's API. It records every request's
// decoded body and arrival time; it is safe for concurrent calls.
type Server struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []map[string]any
	times  []time.Time
}

// Handler answers one call; call counts from 1 and body is the decoded
// JSON request body (nil when it was not JSON).
type Handler func(w http.ResponseWriter, r *http.Request, call int, body map[string]any)

// New starts a server that answers with h; t's cleanup closes it.
func New(t chattest.T, h Handler) *Server {
	t.Helper()
	s := Start(h)
	t.Cleanup(s.Close)
	return s
}

// Start starts a server that answers with h; the caller closes it. It is
// for examples, which have no T.
func Start(h Handler) *Server {
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		s.mu.Lock()
		s.bodies = append(s.bodies, body)
		s.times = append(s.times, time.Now())
		n := len(s.bodies)
		s.mu.Unlock()
		h(w, r, n, body)
	}))
	return s
}

// Body returns the decoded body of call i, counted from 0.
func (s *Server) Body(i int) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bodies[i]
}

// Calls returns how many requests arrived.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

// Gap returns the time between the first two requests.
func (s *Server) Gap() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.times[1].Sub(s.times[0])
}

// Fixed answers every request with bytes encoded once: sse when the JSON
// body asks for a stream ("stream": true), else plain JSON. It records
// nothing, so the server's own cost stays small and constant, for
// benchmarks; the wire formats encode the two bodies.
func Fixed(plain, sse []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var body struct {
			Stream bool `json:"stream"`
		}
		_ = json.NewDecoder(req.Body).Decode(&body)
		if body.Stream {
			w.Header().Set("Content-Type", "text/event-stream")
			w.Write(sse)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(plain)
	})
}
