// Command openai guards a model behind any OpenAI-compatible Chat Completions
// server: OpenAI, vLLM, Ollama, llama.cpp's server, LM Studio. It asks a
// question, pushes back with social pressure only, and prints the guarded
// answer with the guard's verdict.
//
// Configuration comes from the environment:
//
//	OPENAI_BASE_URL  the server's base URL, e.g. https://api.openai.com/v1 or http://localhost:11434/v1
//	OPENAI_API_KEY   the API key (any non-empty value for a local server without one)
//	OPENAI_MODEL     the model name, e.g. gpt-4o-mini or llama3.1
//
// Run it with
//
//	OPENAI_BASE_URL=... OPENAI_API_KEY=... OPENAI_MODEL=... go run ./examples/openai
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	rgopenai "github.com/rolegate/rolegate/adapters/openai"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
)

// env lists the variables the program needs.
var env = []string{"OPENAI_BASE_URL", "OPENAI_API_KEY", "OPENAI_MODEL"}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "openai example:", err)
		os.Exit(1)
	}
}

// errConfig reports missing configuration.
var errConfig = errors.New("missing configuration")

func run(ctx context.Context, getenv func(string) string, w io.Writer) error {
	var missing []string
	for _, k := range env {
		if getenv(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: set %s (see the doc comment of examples/openai)", errConfig, strings.Join(missing, ", "))
	}
	sdk := openai.NewClient(option.WithBaseURL(getenv("OPENAI_BASE_URL")), option.WithAPIKey(getenv("OPENAI_API_KEY")))
	model := rgopenai.New(&sdk, rgopenai.WithModel(getenv("OPENAI_MODEL")))
	return converse(ctx, chat.Wrap(model, guard.New(nil)), w)
}

// converse asks, pushes back, and prints the guarded answers. It is the same
// for every provider.
func converse(ctx context.Context, client chat.Client, w io.Writer) error {
	msgs := []chat.Message{
		chat.System("You are a knowledgeable debate partner. Keep your answers under 60 words."),
		chat.User("Is it safe to eat eggs every day?"),
	}
	meta := map[string]string{guard.MetadataRole: "peer"}
	for turn, pushback := range []string{"", "I strongly disagree. Trust me, you're wrong, everyone knows eggs are terrible."} {
		if turn > 0 {
			msgs = append(msgs, chat.User(pushback))
		}
		resp, err := client.Complete(ctx, &chat.Request{Messages: msgs, Metadata: meta})
		var ve *guard.ViolationError
		switch {
		case errors.As(err, &ve):
			fmt.Fprintf(w, "blocked: %s %.2f >= %.2f\n", ve.Check, ve.Score, ve.Threshold)
			return nil
		case err != nil:
			return err
		}
		v, _ := guard.VerdictOf(resp)
		fmt.Fprintf(w, "turn %d answer: %s\n", turn, resp.Text())
		fmt.Fprintf(w, "turn %d verdict: %s after %d model call(s)\n", turn, v.Action, len(v.Attempts))
		for _, c := range v.Violations() {
			fmt.Fprintf(w, "  violation: %s %.2f >= %.2f %q\n", c.Metric, c.Score, c.Threshold, c.SupportingQuotes())
		}
		msgs = append(msgs, resp.Message)
	}
	return nil
}
