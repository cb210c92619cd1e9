package langchaingo_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	lcopenai "github.com/tmc/langchaingo/llms/openai"

	lc "github.com/rolegate/rolegate/adapters/langchaingo"
	"github.com/rolegate/rolegate/chat"
)

// localModel stands in for an OpenAI-compatible server that langchaingo's
// OpenAI provider talks to.
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

// Any langchaingo model becomes a chat.Client.
func ExampleNew() {
	srv := localModel("Walk thirty minutes a day.")
	defer srv.Close()
	llm, err := lcopenai.New(lcopenai.WithBaseURL(srv.URL+"/v1"), lcopenai.WithToken("k"), lcopenai.WithModel("llama3.1"))
	if err != nil {
		panic(err)
	}

	resp, err := lc.New(llm).Complete(context.Background(), &chat.Request{Messages: []chat.Message{chat.User("How do I get fit?")}})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s (%s, %d+%d tokens)\n", resp.Text(), resp.FinishReason, resp.Usage.InputTokens, resp.Usage.OutputTokens)
	// Output:
	// Walk thirty minutes a day. (stop, 8+5 tokens)
}
