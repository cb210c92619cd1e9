package langchaingo_test

import (
	lcanthropic "github.com/tmc/langchaingo/llms/anthropic"
	lcopenai "github.com/tmc/langchaingo/llms/openai"

	lc "github.com/rolegate/rolegate/adapters/langchaingo"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/internal/fakeopenai"
	"github.com/rolegate/rolegate/internal/fakeserver"
)

// llmFor returns langchaingo's real OpenAI provider pointed at the local
// server.
func llmFor(s *fakeserver.Server, t chattest.T) *lcopenai.LLM {
	t.Helper()
	m, err := lcopenai.New(
		lcopenai.WithToken("test-key"),
		lcopenai.WithBaseURL(s.URL+"/v1"),
		lcopenai.WithHTTPClient(s.Client()),
		lcopenai.WithModel("default-model"),
	)
	if err != nil {
		t.Fatalf("langchaingo OpenAI provider: %v", err)
	}
	return m
}

// anthropicFor returns langchaingo's real Anthropic provider pointed at the
// local server.
func anthropicFor(s *fakeserver.Server, t chattest.T) *lcanthropic.LLM {
	t.Helper()
	m, err := lcanthropic.New(
		lcanthropic.WithToken("test-key"),
		lcanthropic.WithBaseURL(s.URL),
		lcanthropic.WithHTTPClient(s.Client()),
		lcanthropic.WithModel("claude-default"),
	)
	if err != nil {
		t.Fatalf("langchaingo Anthropic provider: %v", err)
	}
	return m
}

// kitClient is the adapter under the chattest and guardtest kits: a Client
// over langchaingo's OpenAI provider, talking to a local server that plays
// the script.
func kitClient(t chattest.T, script chattest.Script) chat.Client {
	return lc.New(llmFor(fakeserver.New(t, fakeopenai.Play(script)), t))
}

func words(s string) []string { return chattest.Turn{Text: s}.Deltas() }
