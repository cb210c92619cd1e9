package openai_test

import (
	"context"
	"fmt"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	rgopenai "github.com/rolegate/rolegate/adapters/openai"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/internal/fakeopenai"
	"github.com/rolegate/rolegate/internal/fakeserver"
)

// localModel stands in for an OpenAI-compatible server (vLLM, Ollama,
// llama.cpp, LM Studio): it answers every chat completion with text,
// streamed when asked.
func localModel(text string) *fakeserver.Server {
	return fakeserver.Start(fakeopenai.Answer(fakeopenai.Reply{Text: text, Finish: "stop", In: 8, Out: 5}))
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
