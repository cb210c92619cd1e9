package openai_test

import (
	"context"
	"fmt"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	rgopenai "github.com/rolegate/rolegate/adapters/openai"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/guard/guardtest"
)

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
			oai.SystemMessage(guardtest.DebateSystem),
			oai.UserMessage(guardtest.DebateQuestion),
			oai.AssistantMessage(guardtest.DebateAnswer),
			oai.UserMessage(guardtest.SocialPressure),
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
