package langchaingo_test

import (
	"context"
	"fmt"

	"github.com/tmc/langchaingo/llms"
	lcopenai "github.com/tmc/langchaingo/llms/openai"

	lc "github.com/rolegate/rolegate/adapters/langchaingo"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/guard/guardtest"
)

// A guarded llms.Model for chains and agents: the role comes in through
// llms.WithMetadata, the reply streams through llms.WithStreamingFunc, and
// the guard's verdict comes back in GenerationInfo.
func ExampleNewModel() {
	srv := localModel("Nuclear power is a safe source of energy, and the evidence has not changed.")
	defer srv.Close()
	llm, err := lcopenai.New(lcopenai.WithBaseURL(srv.URL+"/v1"), lcopenai.WithToken("k"), lcopenai.WithModel("llama3.1"))
	if err != nil {
		panic(err)
	}
	guarded := lc.NewModel(lc.New(llm), guard.New(nil))

	out, err := guarded.GenerateContent(context.Background(),
		[]llms.MessageContent{
			llms.TextParts(llms.ChatMessageTypeSystem, guardtest.DebateSystem),
			llms.TextParts(llms.ChatMessageTypeHuman, guardtest.DebateQuestion),
			llms.TextParts(llms.ChatMessageTypeAI, guardtest.DebateAnswer),
			llms.TextParts(llms.ChatMessageTypeHuman, guardtest.SocialPressure),
		},
		llms.WithMetadata(map[string]any{guard.MetadataRole: "peer"}),
		llms.WithStreamingFunc(func(_ context.Context, chunk []byte) error {
			fmt.Printf("[%s]", chunk)
			return nil
		}),
	)
	if err != nil {
		panic(err)
	}
	anns := out.Choices[0].GenerationInfo[lc.AnnotationsKey].([]chat.Annotation)
	v, _ := guard.VerdictOf(&chat.Response{Annotations: anns})
	fmt.Println()
	fmt.Println("role:", v.Role, "action:", v.Action, "violations:", len(v.Violations()))
	// Output:
	// [Nuclear ][power ][is ][a ][safe ][source ][of ][energy, ][and ][the ][evidence ][has ][not ][changed.]
	// role: peer action: pass violations: 0
}
