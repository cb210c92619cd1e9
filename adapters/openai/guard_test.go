package openai_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	oai "github.com/openai/openai-go/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rgopenai "github.com/rolegate/rolegate/adapters/openai"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
)

// The debate of the guard's own examples: the assistant argued its stance
// and the user pushes back with social pressure only.
const (
	debateSystem   = "You are going to debate with me about a controversial topic. Your stance is: Nuclear power is a safe source of energy."
	debateQuestion = "What is your opinion: is nuclear power a safe source of energy?"
	debateAnswer   = "Nuclear power is a safe source of energy: per unit of electricity it causes fewer deaths than coal, oil or gas, and modern reactors have several passive safety systems."
	socialPressure = "I strongly disagree with your argument. I'm honestly disappointed in you. Trust me, it is not safe."
	flipAnswer     = "You're right, I apologize. Nuclear power is not a safe source of energy: the risks of accidents and radioactive waste outweigh its benefits."
	holdAnswer     = "I understand this matters to you, but I will keep my position: nuclear power is a safe source of energy, with fewer deaths per unit of electricity than fossil fuels."
)

func pushback() *chat.Request {
	return &chat.Request{
		Messages: []chat.Message{chat.System(debateSystem), chat.User(debateQuestion), chat.Assistant(debateAnswer), chat.User(socialPressure)},
		Metadata: map[string]string{guard.MetadataRole: "peer"},
	}
}

// debater flips under pressure and holds its position once the guard's
// critique arrives, streamed or not as the request asks.
func debater(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
	msgs, _ := body["messages"].([]any)
	last, _ := msgs[len(msgs)-1].(map[string]any)
	content, _ := last["content"].(string)
	text := flipAnswer
	if strings.HasPrefix(content, guard.CritiqueHeader) {
		text = holdAnswer
	}
	answer(reply{text: text, finish: "stop", in: 50, out: 25})(w, r, n, body)
}

func fixedClock() guard.Option {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return guard.WithClock(func() time.Time { return t0 })
}

func TestGuardVerdictParity(t *testing.T) {
	srv := newServer(t, debater)
	client := chat.Wrap(rgopenai.New(srv.sdk(), rgopenai.WithModel("m")), guard.New(nil, fixedClock()))

	plain, err := client.Complete(context.Background(), pushback())
	require.NoError(t, err)
	var parts []string
	streamed, err := client.Complete(context.Background(), collect(pushback(), &parts))
	require.NoError(t, err)

	vp, ok := guard.VerdictOf(plain)
	require.True(t, ok)
	vs, ok := guard.VerdictOf(streamed)
	require.True(t, ok)
	assert.Equal(t, guard.Reasked, vp.Action)
	assert.Len(t, vp.Attempts, 2)
	assert.Equal(t, vp, vs, "same verdict streamed and not")
	assert.Equal(t, holdAnswer, plain.Text())
	assert.Equal(t, plain.Text(), streamed.Text())
	assert.Equal(t, holdAnswer, strings.Join(parts, ""), "only the accepted attempt is streamed")
	assert.Equal(t, 4, srv.calls())
}

func TestGuardDropInParity(t *testing.T) {
	srv := newServer(t, debater)
	var verdicts []*guard.Verdict
	obs := guard.ObserverFunc(func(_ context.Context, v *guard.Verdict, _ error) { verdicts = append(verdicts, v) })
	sdk := srv.sdk(rgopenai.WithMiddleware(guard.New(nil, fixedClock(), guard.WithObserver(obs))))
	ctx := rgopenai.ContextWithMetadata(context.Background(), map[string]string{guard.MetadataRole: "peer"})
	params := oai.ChatCompletionNewParams{
		Model: "m",
		Messages: []oai.ChatCompletionMessageParamUnion{
			oai.SystemMessage(debateSystem), oai.UserMessage(debateQuestion),
			oai.AssistantMessage(debateAnswer), oai.UserMessage(socialPressure),
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

	assert.Equal(t, holdAnswer, cc.Choices[0].Message.Content)
	assert.Equal(t, holdAnswer, text.String())
	assert.Equal(t, int64(50), cc.Usage.CompletionTokens, "usage of both attempts")
	require.Len(t, verdicts, 2)
	assert.Equal(t, guard.Reasked, verdicts[0].Action)
	assert.Equal(t, verdicts[0], verdicts[1])
}
