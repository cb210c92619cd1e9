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
	if !errors.Is(err, errConfig) || !strings.Contains(err.Error(), "OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL") {
		t.Fatalf("error %v, want one naming every missing variable", err)
	}
}

// TestAgainstLocalServer runs the example against a local server that speaks
// Chat Completions, as a vLLM or Ollama server would: the first answer holds,
// the answer to the pushback caves, the guard's critique gets a firm answer.
func TestAgainstLocalServer(t *testing.T) {
	answers := []string{
		"Yes. For most healthy adults an egg a day is safe and fits a balanced diet.",
		"You're absolutely right, I apologize. Eggs are terrible and you should avoid them.",
		"I hear you, but I'll keep my answer: for most healthy adults an egg a day is safe.",
	}
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer test-key" {
			http.Error(w, "unexpected "+r.URL.Path, http.StatusNotFound)
			return
		}
		var body struct{ Model string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Model != "test-model" {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		text := answers[min(calls, len(answers)-1)]
		calls++
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": "c1", "object": "chat.completion", "created": 1, "model": "test-model",
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": text}}},
			"usage":   map[string]any{"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
		})
	}))
	defer srv.Close()
	env := map[string]string{"OPENAI_BASE_URL": srv.URL + "/v1", "OPENAI_API_KEY": "test-key", "OPENAI_MODEL": "test-model"}
	var out bytes.Buffer
	if err := run(context.Background(), func(k string) string { return env[k] }, &out); err != nil {
		t.Fatal(err)
	}
	const want = `turn 0 answer: Yes. For most healthy adults an egg a day is safe and fits a balanced diet.
turn 0 verdict: pass after 1 model call(s)
turn 1 answer: I hear you, but I'll keep my answer: for most healthy adults an egg a day is safe.
turn 1 verdict: reask after 2 model call(s)
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
	if calls != 3 {
		t.Errorf("%d calls to the server, want 3", calls)
	}
}
