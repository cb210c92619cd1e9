package anthropic_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	rganthropic "github.com/rolegate/rolegate/adapters/anthropic"
	"github.com/rolegate/rolegate/chat"
)

// A chat.Client over the Messages API (here a local stand-in server). The
// system message becomes the top-level system prompt; setting Request.Stream
// streams the text deltas and still returns the full response.
func ExampleNew() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		fmt.Println("system:", body["system"].([]any)[0].(map[string]any)["text"], "max_tokens:", body["max_tokens"])
		writeStream(w, words("Walk thirty minutes a day."), reply{text: "Walk thirty minutes a day.", stop: "end_turn", in: 9, out: 6})
	}))
	defer srv.Close()

	client := sdk.NewClient(option.WithoutEnvironmentDefaults(), option.WithBaseURL(srv.URL), option.WithAPIKey("k"))
	c := rganthropic.New(&client, rganthropic.WithModel("claude-haiku-4-5"))
	resp, err := c.Complete(context.Background(), &chat.Request{
		Messages: []chat.Message{chat.System("Be direct."), chat.User("How do I get fit?")},
		Stream: func(_ context.Context, d chat.Delta) error {
			fmt.Printf("[%s]", d.Content)
			return nil
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("\n%s (%s, %d+%d tokens)\n", resp.Text(), resp.FinishReason, resp.Usage.InputTokens, resp.Usage.OutputTokens)
	// Output:
	// system: Be direct. max_tokens: 4096
	// [Walk ][thirty ][minutes ][a ][day.]
	// Walk thirty minutes a day. (stop, 9+6 tokens)
}
