package openai_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rgopenai "github.com/rolegate/rolegate/adapters/openai"
	"github.com/rolegate/rolegate/chat"
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

// TestGuardDropInResponseInto checks that a call's context from
// ContextWithResponseInto receives the guard's response, verdict included,
// for plain and streaming calls, and is left alone when no reply of the
// middleware is delivered.
func TestGuardDropInResponseInto(t *testing.T) {
	debate := oai.ChatCompletionNewParams{Model: "m", Messages: []oai.ChatCompletionMessageParamUnion{
		oai.SystemMessage(guardtest.DebateSystem), oai.UserMessage(guardtest.DebateQuestion),
		oai.AssistantMessage(guardtest.DebateAnswer), oai.UserMessage(guardtest.SocialPressure),
	}}
	peer := rgopenai.ContextWithMetadata(context.Background(), map[string]string{guard.MetadataRole: "peer"})

	t.Run("delivered", func(t *testing.T) {
		srv := fakeserver.New(t, fakeopenai.Play(guardtest.Debate()))
		var observed []*guard.Verdict
		obs := guard.WithObserver(guard.ObserverFunc(func(_ context.Context, v *guard.Verdict, _ error) { observed = append(observed, v) }))
		sdk := sdkFor(srv, rgopenai.WithMiddleware(guard.New(nil, obs)))

		var plain, streamed *chat.Response
		cc, err := sdk.Chat.Completions.New(rgopenai.ContextWithResponseInto(peer, &plain), debate)
		require.NoError(t, err)
		s := sdk.Chat.Completions.NewStreaming(rgopenai.ContextWithResponseInto(peer, &streamed), debate)
		for s.Next() {
		}
		require.NoError(t, s.Err())
		require.NoError(t, s.Close())

		require.Len(t, observed, 2)
		for i, resp := range []*chat.Response{plain, streamed} {
			require.NotNil(t, resp, "call %d", i)
			v, ok := guard.VerdictOf(resp)
			require.True(t, ok, "call %d: the response carries the verdict", i)
			assert.Same(t, observed[i], v, "call %d: the verdict the observer saw", i)
			assert.Equal(t, guard.Reasked, v.Action)
			assert.Equal(t, cc.Choices[0].Message.Content, resp.Message.Content)
		}
	})

	sentinel := &chat.Response{Message: chat.Assistant("untouched")}
	failing := chat.Middleware(func(chat.Client) chat.Client {
		return chat.ClientFunc(func(context.Context, *chat.Request) (*chat.Response, error) {
			return nil, errors.New("refused by the middleware")
		})
	})
	tools := debate
	tools.Tools = []oai.ChatCompletionToolUnionParam{oai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{Name: "f"})}
	tests := []struct {
		name    string
		handler fakeserver.Handler
		mw      chat.Middleware
		opts    []rgopenai.MiddlewareOption
		params  oai.ChatCompletionNewParams
		wantErr bool
	}{
		{"middleware error", fakeopenai.Play(guardtest.Debate()), failing, nil, debate, true},
		{"provider error", func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
			fakeopenai.WriteJSON(w, http.StatusBadRequest, fakeopenai.APIError(400, "bad"))
		}, guard.New(nil), nil, debate, true},
		{"passed unguarded", fakeopenai.Play(guardtest.Debate()), guard.New(nil), []rgopenai.MiddlewareOption{rgopenai.PassUnsupported()}, tools, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeserver.New(t, tt.handler)
			got := sentinel
			_, err := sdkFor(srv, rgopenai.WithMiddleware(tt.mw, tt.opts...)).Chat.Completions.New(rgopenai.ContextWithResponseInto(peer, &got), tt.params)
			assert.Equal(t, tt.wantErr, err != nil, "error: %v", err)
			assert.Same(t, sentinel, got, "no reply of the middleware was delivered")
		})
	}
}
