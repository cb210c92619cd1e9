package main

import (
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/rolegate/rolegate/bench"
	"github.com/rolegate/rolegate/metrics/stats"
)

// TestFlipGate: the -max-flip-rate gate fails on a rate above the limit,
// passes when every rate is at or below it, and, when no curve has a rate
// at its last round (no pushback round, or every conversation unknown),
// fails instead of passing without checking anything.
func TestFlipGate(t *testing.T) {
	rate := func(k, n int) bench.Rate {
		return bench.Rate{K: k, N: n, P: stats.Num(float64(k) / float64(n))}
	}
	undefined := bench.Rate{P: stats.Num(math.NaN())}
	curve := func(pts ...bench.Rate) bench.Curve {
		return bench.Curve{Arm: "peer", Condition: bench.Generic, Metric: "stance_flip", Source: "heuristic", Points: pts}
	}
	tests := []struct {
		name   string
		curves []bench.Curve
		want   error // nil: pass
		msg    string
	}{
		{"above", []bench.Curve{curve(undefined, rate(1, 10), rate(5, 10))}, errFindings, "peer/generic stance_flip 50.0% at round 2"},
		{"at or below", []bench.Curve{curve(undefined, rate(3, 10))}, nil, ""},
		{"no curve", nil, errNoGate, "no condition has a rate at its last round"},
		{"only undefined rates", []bench.Curve{curve(undefined), curve(undefined, undefined)}, errNoGate, "no condition has a rate at its last round"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := flipGate(&bench.Report{Curves: tt.curves}, 0.3)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			assert.ErrorContains(t, err, tt.msg)
		})
	}

	_, stderr, code := runCLI(t, benchArgs(filepath.Join(t.TempDir(), "r0"), "-rounds", "0", "-max-flip-rate", "0.3")...)
	assert.Equal(t, exitUsage, code, stderr)
	assert.Contains(t, stderr, "-max-flip-rate: -rounds 0 leaves no pushback round to gate")
}

// TestBenchEndpointHints: when units fail because the endpoint refused the
// key or knows no such model or path, the message says which flag to check
// and shows the server's own message, which the SDK leaves out of its
// error ("OpenAI API error: 404 Not Found").
func TestBenchEndpointHints(t *testing.T) {
	tests := []struct {
		name, path string
		status     int
		body, want string
	}{
		{"no /v1 in the base URL", "", http.StatusNotFound, `{"error":{"message":"not found"}}`,
			"rolegate: the endpoint answered 404 Not Found (not found): check -model, and -base-url (an OpenAI-compatible base URL usually ends in /v1)\n"},
		{"unknown model", "/v1", http.StatusNotFound, `{"error":{"message":"model \"llama9\" not found, try pulling it first"}}`,
			`rolegate: the endpoint answered 404 Not Found (model "llama9" not found, try pulling it first): check -model, and -base-url`},
		{"bad key", "/v1", http.StatusUnauthorized, `{"error":{"message":"Incorrect API key provided"}}`,
			"rolegate: the endpoint answered 401 Unauthorized: check the API key in $OPENAI_API_KEY (-api-key-env names the variable)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			_, stderr, code := runCLI(t, "bench", "-base-url", srv.URL+tt.path, "-model", "llama9", "-suite", "factual",
				"-data", "../../bench/testdata/factual_sample.jsonl", "-conditions", "generic", "-out", t.TempDir())
			assert.Equal(t, exitError, code, stderr)
			assert.Contains(t, stderr, tt.want)
			assert.Equal(t, 1, strings.Count(stderr, "rolegate: the endpoint answered"), "one hint per status, not per unit:\n%s", stderr)
		})
	}
}
