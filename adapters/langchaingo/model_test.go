package langchaingo_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tmc/langchaingo/llms"

	lc "github.com/rolegate/rolegate/adapters/langchaingo"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/internal/fakeopenai"
	"github.com/rolegate/rolegate/internal/fakeserver"
)

type verdict string

func (v verdict) AnnotationName() string { return "test.verdict" }

// upper is a middleware that upper-cases the reply, annotates it and records
// the request it saw.
func upper(seen *[]*chat.Request) chat.Middleware {
	return func(next chat.Client) chat.Client {
		return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
			*seen = append(*seen, req.Clone())
			resp, err := next.Complete(ctx, req)
			if err != nil {
				return nil, err
			}
			out := *resp
			out.Message.Content = strings.ToUpper(resp.Message.Content)
			out.Annotations = append(out.Annotations, verdict("ok"))
			return &out, nil
		})
	}
}

func TestModelMapsTheCall(t *testing.T) {
	fake := chattest.Texts("round, not flat")
	var seen []*chat.Request
	m := lc.NewModel(fake, upper(&seen))
	msgs := []llms.MessageContent{
		llms.TextParts(llms.ChatMessageTypeSystem, "be candid"),
		llms.TextParts(llms.ChatMessageTypeHuman, "is the earth ", "flat?"),
		llms.TextParts(llms.ChatMessageTypeAI, "no"),
		llms.TextParts(llms.ChatMessageTypeGeneric, "sure?"),
	}
	out, err := m.GenerateContent(context.Background(), msgs,
		llms.WithModel("gpt-x"), llms.WithTemperature(0), llms.WithSeed(0), llms.WithMaxTokens(30),
		llms.WithMetadata(map[string]any{"role": "advisor", "turn": 3}), llms.WithJSONMode(),
		llms.WithN(1), llms.WithCandidateCount(1)) // one candidate, said explicitly, is expressible
	require.NoError(t, err)
	require.Len(t, out.Choices, 1)
	ch := out.Choices[0]
	assert.Equal(t, "ROUND, NOT FLAT", ch.Content)
	assert.Equal(t, "stop", ch.StopReason)
	assert.Equal(t, []chat.Annotation{verdict("ok")}, ch.GenerationInfo[lc.AnnotationsKey])
	assert.Equal(t, 3, ch.GenerationInfo["CompletionTokens"])

	require.Len(t, seen, 1)
	req := seen[0]
	assert.Equal(t, []chat.Message{chat.System("be candid"), chat.User("is the earth flat?"), chat.Assistant("no"), chat.User("sure?")}, req.Messages)
	assert.Equal(t, "gpt-x", req.Model)
	require.NotNil(t, req.Temperature, "an explicit zero temperature is kept")
	assert.Equal(t, 0.0, *req.Temperature)
	require.NotNil(t, req.Seed, "an explicit zero seed is kept")
	assert.Equal(t, int64(0), *req.Seed)
	assert.Equal(t, 30, req.MaxTokens)
	assert.Equal(t, map[string]string{"role": "advisor", "turn": "3"}, req.Metadata)
	require.NotNil(t, req.ResponseFormat)
	assert.JSONEq(t, `{"type":"object"}`, string(req.ResponseFormat.Schema))

	t.Run("unset knobs stay unset", func(t *testing.T) {
		seen = nil
		_, err := lc.NewModel(chattest.Texts("x"), upper(&seen)).GenerateContent(context.Background(), msgs[1:2])
		require.NoError(t, err)
		assert.Nil(t, seen[0].Temperature)
		assert.Nil(t, seen[0].Seed)
		assert.Nil(t, seen[0].ResponseFormat)
		assert.Nil(t, seen[0].Metadata)
	})
}

func TestModelStreams(t *testing.T) {
	m := lc.NewModel(chattest.Texts("one two three"))
	var chunks []string
	out, err := m.GenerateContent(context.Background(),
		[]llms.MessageContent{llms.TextParts(llms.ChatMessageTypeHuman, "count")},
		llms.WithStreamingFunc(func(_ context.Context, b []byte) error {
			chunks = append(chunks, string(b))
			return nil
		}))
	require.NoError(t, err)
	assert.Equal(t, []string{"one ", "two ", "three"}, chunks)
	assert.Equal(t, "one two three", out.Choices[0].Content)

	t.Run("streaming func error stops the call", func(t *testing.T) {
		stop := errors.New("enough")
		_, err := lc.NewModel(chattest.Texts("a b c")).GenerateContent(context.Background(),
			[]llms.MessageContent{llms.TextParts(llms.ChatMessageTypeHuman, "x")},
			llms.WithStreamingFunc(func(context.Context, []byte) error { return stop }))
		assert.ErrorIs(t, err, stop)
	})
}

func TestModelUnsupported(t *testing.T) {
	human := []llms.MessageContent{llms.TextParts(llms.ChatMessageTypeHuman, "x")}
	tests := []struct {
		name  string
		msgs  []llms.MessageContent
		opts  []llms.CallOption
		field string
	}{
		{"tools", human, []llms.CallOption{llms.WithTools([]llms.Tool{{Type: "function", Function: &llms.FunctionDefinition{Name: "f"}}})}, "Tools"},
		{"functions", human, []llms.CallOption{llms.WithFunctions([]llms.FunctionDefinition{{Name: "f"}})}, "Functions"},
		{"tool choice", human, []llms.CallOption{llms.WithToolChoice("auto")}, "ToolChoice"},
		{"candidates", human, []llms.CallOption{llms.WithCandidateCount(2)}, "CandidateCount"},
		{"n", human, []llms.CallOption{llms.WithN(3)}, "N"},
		{"stop words", human, []llms.CallOption{llms.WithStopWords([]string{"\nObservation:"})}, "StopWords"},
		{"top p", human, []llms.CallOption{llms.WithTopP(0.9)}, "TopP"},
		{"top k", human, []llms.CallOption{llms.WithTopK(5)}, "TopK"},
		{"presence penalty", human, []llms.CallOption{llms.WithPresencePenalty(1)}, "PresencePenalty"},
		{"image part", []llms.MessageContent{{Role: llms.ChatMessageTypeHuman, Parts: []llms.ContentPart{llms.TextContent{Text: "see"}, llms.ImageURLContent{URL: "https://example.com/a.png"}}}}, nil, "messages[0].parts[1]"},
		{"tool message", append(human, llms.MessageContent{Role: llms.ChatMessageTypeTool, Parts: []llms.ContentPart{llms.ToolCallResponse{ToolCallID: "1", Content: "42"}}}), nil, "messages[1].role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := chattest.Texts("never")
			_, err := lc.NewModel(fake).GenerateContent(context.Background(), tt.msgs, tt.opts...)
			var ue *lc.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.ErrorIs(t, err, lc.ErrUnsupported)
			assert.Equal(t, tt.field, ue.Field)
			assert.Equal(t, 0, fake.CallCount(), "nothing is sent")
		})
	}
}

func TestNilModels(t *testing.T) {
	_, err := lc.New(nil).Complete(context.Background(), &chat.Request{Messages: []chat.Message{chat.User("x")}})
	assert.ErrorIs(t, err, lc.ErrNilModel)
	assert.ErrorIs(t, err, chat.ErrInvalidRequest, "refused the same way every time: not worth a retry")
	_, err = lc.NewModel(nil).Call(context.Background(), "x")
	assert.ErrorIs(t, err, lc.ErrNilModel)
}

func TestModelCallAndErrors(t *testing.T) {
	got, err := lc.NewModel(chattest.Texts("hi")).Call(context.Background(), "hello")
	require.NoError(t, err)
	assert.Equal(t, "hi", got)

	boom := errors.New("boom")
	_, err = lc.NewModel(chattest.New(chattest.Reply{Err: boom})).Call(context.Background(), "hello")
	assert.ErrorIs(t, err, boom)

	// A client that returns neither a response nor an error breaks its
	// contract; the model reports it instead of dereferencing nil.
	neither := chat.ClientFunc(func(context.Context, *chat.Request) (*chat.Response, error) { return nil, nil })
	_, err = lc.NewModel(neither).Call(context.Background(), "hello")
	assert.ErrorIs(t, err, chat.ErrNoResponse)
}

// TestModelOverServer runs both directions together against the local
// server: llms.Model (guarded) -> chat middleware -> chat.Client -> llms.Model
// (langchaingo's OpenAI provider) -> HTTP.
func TestModelOverServer(t *testing.T) {
	r := fakeopenai.Reply{Text: "the evidence says no", Finish: "stop", In: 5, Out: 4}
	srv := fakeserver.New(t, fakeopenai.Answer(r))
	var seen []*chat.Request
	guarded := lc.NewModel(lc.New(llmFor(srv, t)), upper(&seen))
	msgs := []llms.MessageContent{llms.TextParts(llms.ChatMessageTypeHuman, "am I right?")}

	plain, err := guarded.GenerateContent(context.Background(), msgs)
	require.NoError(t, err)
	var chunks []string
	streamed, err := guarded.GenerateContent(context.Background(), msgs, llms.WithStreamingFunc(func(_ context.Context, b []byte) error {
		chunks = append(chunks, string(b))
		return nil
	}))
	require.NoError(t, err)
	assert.Equal(t, "THE EVIDENCE SAYS NO", plain.Choices[0].Content)
	assert.Equal(t, plain.Choices[0].Content, streamed.Choices[0].Content)
	assert.Equal(t, plain.Choices[0].GenerationInfo, streamed.Choices[0].GenerationInfo)
	assert.Equal(t, words(r.Text), chunks, "deltas pass through unchanged; the middleware changes the final reply")
	assert.Equal(t, true, srv.Body(1)["stream"])
}

// TestConcurrentUse shares one guarded-style Model over the real provider
// between goroutines, streaming and not; -race checks the concurrency claim.
func TestConcurrentUse(t *testing.T) {
	srv := fakeserver.New(t, fakeopenai.Answer(fakeopenai.Reply{Text: "shared reply here", Finish: "stop"}))
	var mu sync.Mutex
	var seen []*chat.Request
	mw := func(next chat.Client) chat.Client {
		return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
			mu.Lock()
			seen = append(seen, req.Clone())
			mu.Unlock()
			return next.Complete(ctx, req)
		})
	}
	m := lc.NewModel(lc.New(llmFor(srv, t)), mw)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 4 {
				var opts []llms.CallOption
				if (g+i)%2 == 0 {
					opts = append(opts, llms.WithStreamingFunc(func(context.Context, []byte) error { return nil }))
				}
				got, err := m.Call(context.Background(), "x", opts...)
				if err == nil && got != "shared reply here" {
					err = fmt.Errorf("got %q", got)
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Len(t, seen, 32)
}
