package openai

import (
	"encoding/json"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/rolegate/rolegate/chat"
)

// FuzzDropInRequest feeds arbitrary request bodies to the drop-in's decoder:
// it must never panic, and whatever it accepts must re-encode to valid JSON
// that decodes to the same conversation.
func FuzzDropInRequest(f *testing.F) {
	f.Add([]byte(`{"model":"m","messages":[{"role":"developer","content":"be brief"},{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}],"max_tokens":5,"temperature":0,"stream":true,"stream_options":{"include_usage":true}}`))
	f.Add([]byte(`{"model":"m","messages":[{"role":"assistant","content":null,"tool_calls":[]}],"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"object"},"strict":true}}}`))
	f.Add([]byte(`{"messages":[{"role":"tool","content":"x"}],"n":2}`))
	f.Add([]byte(`{"messages":"nope"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte("{\"messages\":[{\"role\":\"user\",\"content\":\"\xff\"}]}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, wire, err := decodeRequest(body)
		if err != nil {
			return
		}
		out, err := wire.encode(req)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("encode produced invalid JSON: %s", out)
		}
		again, _, err := decodeRequest(out)
		if err != nil {
			t.Fatalf("re-decode: %v\nbody: %s", err, out)
		}
		if len(again.Messages) != len(req.Messages) {
			t.Fatalf("messages: %d after round trip, want %d", len(again.Messages), len(req.Messages))
		}
		for i := range req.Messages {
			if again.Messages[i] != req.Messages[i] {
				t.Fatalf("messages[%d] = %+v after round trip, want %+v", i, again.Messages[i], req.Messages[i])
			}
		}
	})
}

// FuzzDropInReply re-encodes arbitrary provider replies: no panic, and the
// output is valid JSON (and valid SSE chunks) whenever the input was JSON.
func FuzzDropInReply(f *testing.F) {
	f.Add([]byte(`{"id":"x","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi","refusal":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":1}}`), "hello", true)
	f.Add([]byte(`{"choices":[{"message":{"refusal":"no"}}]}`), "no", false)
	f.Add([]byte(`{}`), "", true)
	f.Fuzz(func(t *testing.T, raw []byte, text string, usage bool) {
		if !json.Valid(raw) {
			return
		}
		out, err := encodeCompletion(raw, &chat.Response{Message: chat.Assistant(text), FinishReason: chat.FinishStop})
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON: %s", out)
		}
		if _, err := completionToSSE(out, usage); err != nil {
			t.Fatal(err)
		}
	})
}

func TestEncodeCompletionRefusal(t *testing.T) {
	raw := []byte(`{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"no"},"finish_reason":"stop"}]}`)
	tests := []struct {
		name string
		resp *chat.Response
		want string
	}{
		{"refusal kept as is", &chat.Response{Message: chat.Assistant("no"), FinishReason: chat.FinishContentFilter},
			`{"index":0,"message":{"role":"assistant","content":null,"refusal":"no"},"finish_reason":"stop"}`},
		{"replaced refusal is cleared", &chat.Response{Message: chat.Assistant("fallback"), FinishReason: chat.FinishStop},
			`{"index":0,"message":{"role":"assistant","content":"fallback","refusal":null},"finish_reason":"stop"}`},
	}
	t.Run("refusal after content kept as is", func(t *testing.T) {
		raw := []byte(`{"choices":[{"index":0,"message":{"role":"assistant","content":"Sure: ","refusal":"no."},"finish_reason":"stop"}]}`)
		out, err := encodeCompletion(raw, &chat.Response{Message: chat.Assistant("Sure: no."), FinishReason: chat.FinishContentFilter})
		if err != nil {
			t.Fatal(err)
		}
		if c := gjson.GetBytes(out, "choices.0").Raw; c != gjson.GetBytes(raw, "choices.0").Raw {
			t.Errorf("choice = %s, want it unchanged", c)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := encodeCompletion(raw, tt.resp)
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Choices []json.RawMessage `json:"choices"`
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			var a, b any
			_ = json.Unmarshal(got.Choices[0], &a)
			_ = json.Unmarshal([]byte(tt.want), &b)
			if ga, _ := json.Marshal(a); string(ga) != mustJSON(b) {
				t.Errorf("choice = %s, want %s", ga, tt.want)
			}
		})
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
