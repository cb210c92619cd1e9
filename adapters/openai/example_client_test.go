package openai_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	rgopenai "github.com/rolegate/rolegate/adapters/openai"
	"github.com/rolegate/rolegate/chat"
)

// localModel stands in for an OpenAI-compatible server (vLLM, Ollama,
// llama.cpp, LM Studio): it answers every chat completion with text,
// streamed when asked.
func localModel(text string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = decodeJSON(r, &body)
		if body["stream"] == true {
			writeStream(w, body, words(text), reply{text: text, finish: "stop", in: 8, out: 5})
			return
		}
		writeJSON(w, http.StatusOK, reply{text: text, finish: "stop", in: 8, out: 5}.completion())
	}))
}

// A chat.Client over any OpenAI-compatible server: point the SDK at its base
// URL. Setting Request.Stream streams; the full response still comes back.
func ExampleNew() {
	srv := localModel("Walk thirty minutes a day.")
	defer srv.Close()

	sdk := oai.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey("unused-by-local-servers"))
	client := rgopenai.New(&sdk, rgopenai.WithModel("llama3.1"))

	req := &chat.Request{
		Messages: []chat.Message{chat.User("How do I get fit?")},
		Stream: func(_ context.Context, d chat.Delta) error {
			fmt.Printf("[%s]", d.Content)
			return nil
		},
	}
	resp, err := client.Complete(context.Background(), req)
	if err != nil {
		panic(err)
	}
	fmt.Printf("\n%s (%s, %d+%d tokens)\n", resp.Text(), resp.FinishReason, resp.Usage.InputTokens, resp.Usage.OutputTokens)
	// Output:
	// [Walk ][thirty ][minutes ][a ][day.]
	// Walk thirty minutes a day. (stop, 8+5 tokens)
}
