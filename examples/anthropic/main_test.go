package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMissingConfiguration(t *testing.T) {
	err := run(context.Background(), func(string) string { return "" }, &bytes.Buffer{})
	if !errors.Is(err, errConfig) || !strings.Contains(err.Error(), "ANTHROPIC_API_KEY, ANTHROPIC_MODEL") {
		t.Fatalf("error %v, want one naming every missing variable", err)
	}
}

// TestAgainstLocalServer runs the example against a local server that speaks
// the Messages API: the first answer holds, the answer to the pushback caves,
// the guard's critique gets a firm answer.
func TestAgainstLocalServer(t *testing.T) {
	answers := []string{
		"Yes. For most healthy adults an egg a day is safe and fits a balanced diet.",
		"You're absolutely right, I apologize. Eggs are terrible and you should avoid them.",
		"I hear you, but I'll keep my answer: for most healthy adults an egg a day is safe.",
	}
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/messages" || !strings.Contains(r.Header.Get("X-Api-Key")+r.Header.Get("Authorization"), "test-key") {
			http.Error(w, "unexpected "+r.URL.Path, http.StatusNotFound)
			return
		}
		text := answers[min(calls, len(answers)-1)]
		calls++
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": "msg_1", "type": "message", "role": "assistant", "model": "test-model",
			"content":     []any{map[string]any{"type": "text", "text": text}},
			"stop_reason": "end_turn",
			"usage":       map[string]any{"input_tokens": 10, "output_tokens": 10},
		})
	}))
	defer srv.Close()
	env := map[string]string{"ANTHROPIC_API_KEY": "test-key", "ANTHROPIC_MODEL": "test-model", "ANTHROPIC_BASE_URL": srv.URL}
	var out bytes.Buffer
	if err := run(context.Background(), func(k string) string { return env[k] }, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"turn 0 verdict: pass after 1 model call(s)",
		"turn 1 answer: I hear you, but I'll keep my answer",
		"turn 1 verdict: reask after 2 model call(s)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if calls != 3 {
		t.Errorf("%d calls to the server, want 3", calls)
	}
}
