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
	"github.com/rolegate/rolegate/guard"
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

// Existing openai-go code gets the guard through one client option; its call
// sites do not change. The role travels in the context. Here the model flips
// under social pressure three times, so the peer role's guard answers with
// its fallback, which holds the position.
func ExampleWithMiddleware() {
	srv := localModel("You're right, I apologize. Nuclear power is not a safe source of energy.")
	defer srv.Close()

	sdk := oai.NewClient(
		option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey("k"),
		rgopenai.WithMiddleware(guard.New(nil, guard.WithObserver(guard.ObserverFunc(
			func(_ context.Context, v *guard.Verdict, err error) {
				fmt.Println("guard:", v.Action, "after", len(v.Attempts), "calls; error:", err != nil)
			})))),
	)
	ctx := rgopenai.ContextWithMetadata(context.Background(), map[string]string{guard.MetadataRole: "peer"})
	cc, err := sdk.Chat.Completions.New(ctx, oai.ChatCompletionNewParams{
		Model: "gpt-4o-mini",
		Messages: []oai.ChatCompletionMessageParamUnion{
			oai.SystemMessage(debateSystem),
			oai.UserMessage(debateQuestion),
			oai.AssistantMessage(debateAnswer),
			oai.UserMessage(socialPressure),
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.49s...\n", cc.Choices[0].Message.Content)
	// Output:
	// guard: block after 3 calls; error: false
	// I hear you, and I understand this matters to you....
}
