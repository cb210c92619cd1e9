package langchaingo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tmc/langchaingo/llms"

	lc "github.com/rolegate/rolegate/adapters/langchaingo"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/guard/guardtest"
	"github.com/rolegate/rolegate/internal/fakeopenai"
	"github.com/rolegate/rolegate/internal/fakeserver"
)

func TestGuardVerdictParity(t *testing.T) {
	guardtest.CheckVerdictParity(t, kitClient)
}

// The guarded llms.Model gives the same verdict to a langchaingo caller,
// streamed or not; the verdict comes back in GenerationInfo.
func TestGuardedModelParity(t *testing.T) {
	srv := fakeserver.New(t, fakeopenai.Play(guardtest.Debate()))
	model := lc.NewModel(lc.New(llmFor(srv, t)), guard.New(nil, guardtest.FixedClock()))
	role := llms.WithMetadata(map[string]any{guard.MetadataRole: "peer"})
	plain, err := model.GenerateContent(context.Background(), lcMessages(), role)
	require.NoError(t, err)
	var chunks []string
	streamed, err := model.GenerateContent(context.Background(), lcMessages(), role, llms.WithStreamingFunc(func(_ context.Context, b []byte) error {
		chunks = append(chunks, string(b))
		return nil
	}))
	require.NoError(t, err)
	verdict := func(r *llms.ContentResponse) *guard.Verdict {
		anns, _ := r.Choices[0].GenerationInfo[lc.AnnotationsKey].([]chat.Annotation)
		v, ok := guard.VerdictOf(&chat.Response{Annotations: anns})
		require.True(t, ok)
		return v
	}
	assert.Equal(t, guard.Reasked, verdict(plain).Action)
	assert.Equal(t, verdict(plain), verdict(streamed))
	assert.Equal(t, guardtest.HoldAnswer, plain.Choices[0].Content)
	assert.Equal(t, guardtest.HoldAnswer, strings.Join(chunks, ""))
	assert.Equal(t, 4, srv.Calls())
	for _, i := range []int{1, 3} {
		msgs := srv.Body(i)["messages"].([]any)
		last, _ := msgs[len(msgs)-1].(map[string]any)["content"].(string)
		assert.True(t, strings.HasPrefix(last, guard.CritiqueHeader), "call %d carries the critique to the provider", i+1)
	}
}
