package langchaingo_test

import (
	"context"
	"fmt"

	lcopenai "github.com/tmc/langchaingo/llms/openai"

	lc "github.com/rolegate/rolegate/adapters/langchaingo"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/internal/fakeopenai"
	"github.com/rolegate/rolegate/internal/fakeserver"
)

// localModel stands in for an OpenAI-compatible server that langchaingo's
// OpenAI provider talks to.
func localModel(text string) *fakeserver.Server {
	return fakeserver.Start(fakeopenai.Answer(fakeopenai.Reply{Text: text, Finish: "stop", In: 8, Out: 5}))
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
