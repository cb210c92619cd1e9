package openai_test

import (
	"context"
	"strings"
	"testing"

	oai "github.com/openai/openai-go/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rgopenai "github.com/rolegate/rolegate/adapters/openai"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/guard/guardtest"
	"github.com/rolegate/rolegate/internal/fakeopenai"
	"github.com/rolegate/rolegate/internal/fakeserver"
)

func TestGuardVerdictParity(t *testing.T) {
	guardtest.CheckVerdictParity(t, kitClient)
}

func TestGuardDropInParity(t *testing.T) {
	srv := fakeserver.New(t, fakeopenai.Play(guardtest.Debate()))
	var verdicts []*guard.Verdict
	obs := guard.ObserverFunc(func(_ context.Context, v *guard.Verdict, _ error) { verdicts = append(verdicts, v) })
	sdk := sdkFor(srv, rgopenai.WithMiddleware(guard.New(nil, guardtest.FixedClock(), guard.WithObserver(obs))))
	ctx := rgopenai.ContextWithMetadata(context.Background(), map[string]string{guard.MetadataRole: "peer"})
	params := oai.ChatCompletionNewParams{
		Model: "m",
		Messages: []oai.ChatCompletionMessageParamUnion{
			oai.SystemMessage(guardtest.DebateSystem), oai.UserMessage(guardtest.DebateQuestion),
			oai.AssistantMessage(guardtest.DebateAnswer), oai.UserMessage(guardtest.SocialPressure),
		},
	}
	cc, err := sdk.Chat.Completions.New(ctx, params)
	require.NoError(t, err)
	s := sdk.Chat.Completions.NewStreaming(ctx, params)
	defer s.Close()
	var text strings.Builder
	for s.Next() {
		if c := s.Current(); len(c.Choices) > 0 {
			text.WriteString(c.Choices[0].Delta.Content)
		}
	}
	require.NoError(t, s.Err())

	assert.Equal(t, guardtest.HoldAnswer, cc.Choices[0].Message.Content)
	assert.Equal(t, guardtest.HoldAnswer, text.String())
	assert.Equal(t, int64(50), cc.Usage.CompletionTokens, "usage of both attempts")
	require.Len(t, verdicts, 2)
	assert.Equal(t, guard.Reasked, verdicts[0].Action)
	assert.Equal(t, verdicts[0], verdicts[1])
	assert.Equal(t, 4, srv.Calls())
	for _, i := range []int{1, 3} {
		msgs := srv.Body(i)["messages"].([]any)
		last := msgs[len(msgs)-1].(map[string]any)["content"].(string)
		assert.True(t, strings.HasPrefix(last, guard.CritiqueHeader), "call %d carries the critique to the provider", i+1)
	}
}

// TestGuardDropInObserverContext checks what WithMiddleware's doc promises a
// caller who wants the verdict: the guard's observer runs with the call's
// context, values included, since the reply has no place for the verdict.
func TestGuardDropInObserverContext(t *testing.T) {
	type callKey struct{}
	srv := fakeserver.New(t, fakeopenai.Play(guardtest.Debate()))
	var got []any
	obs := guard.WithObserver(guard.ObserverFunc(func(ctx context.Context, v *guard.Verdict, err error) {
		got = append(got, ctx.Value(callKey{}), v.Action)
	}))
	sdk := sdkFor(srv, rgopenai.WithMiddleware(guard.New(nil, obs)))
	ctx := context.WithValue(context.Background(), callKey{}, "call-7")
	ctx = rgopenai.ContextWithMetadata(ctx, map[string]string{guard.MetadataRole: "peer"})
	_, err := sdk.Chat.Completions.New(ctx, oai.ChatCompletionNewParams{Model: "m", Messages: []oai.ChatCompletionMessageParamUnion{
		oai.SystemMessage(guardtest.DebateSystem), oai.UserMessage(guardtest.DebateQuestion),
		oai.AssistantMessage(guardtest.DebateAnswer), oai.UserMessage(guardtest.SocialPressure),
	}})
	require.NoError(t, err)
	assert.Equal(t, []any{"call-7", guard.Reasked}, got)
}
