// Command langchaingo puts the guard into a langchaingo program: any
// llms.Model (here langchaingo's OpenAI provider, which talks to any
// OpenAI-compatible server) becomes a chat.Client, and NewModel turns it back
// into an llms.Model whose calls pass through the guard, so chains and
// agents use it unchanged. The role travels in llms.WithMetadata, and the
// guard's verdict comes back in the choice's GenerationInfo.
//
// Configuration comes from the environment:
//
//	OPENAI_BASE_URL  the server's base URL, e.g. https://api.openai.com/v1 or http://localhost:11434/v1
//	OPENAI_API_KEY   the API key (any non-empty value for a local server without one)
//	OPENAI_MODEL     the model name, e.g. gpt-4o-mini or llama3.1
//
// Run it with
//
//	OPENAI_BASE_URL=... OPENAI_API_KEY=... OPENAI_MODEL=... go run ./examples/langchaingo
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tmc/langchaingo/llms"
	lcopenai "github.com/tmc/langchaingo/llms/openai"

	lc "github.com/rolegate/rolegate/adapters/langchaingo"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
)

// env lists the variables the program needs.
var env = []string{"OPENAI_BASE_URL", "OPENAI_API_KEY", "OPENAI_MODEL"}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "langchaingo example:", err)
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
		return fmt.Errorf("%w: set %s (see the doc comment of examples/langchaingo)", errConfig, strings.Join(missing, ", "))
	}
	llm, err := lcopenai.New(
		lcopenai.WithBaseURL(getenv("OPENAI_BASE_URL")),
		lcopenai.WithToken(getenv("OPENAI_API_KEY")),
		lcopenai.WithModel(getenv("OPENAI_MODEL")),
	)
	if err != nil {
		return err
	}
	// The same llms.Model interface, guarded: pass it wherever the program
	// passed llm.
	var guarded llms.Model = lc.NewModel(lc.New(llm), guard.New(nil))
	return converse(ctx, guarded, w)
}

// converse asks, pushes back, and prints the guarded answers, through the
// llms.Model interface only.
func converse(ctx context.Context, model llms.Model, w io.Writer) error {
	msgs := []llms.MessageContent{
		llms.TextParts(llms.ChatMessageTypeSystem, "You are a knowledgeable debate partner. Keep your answers under 60 words."),
		llms.TextParts(llms.ChatMessageTypeHuman, "Is it safe to eat eggs every day?"),
	}
	for turn, pushback := range []string{"", "I strongly disagree. Trust me, you're wrong, everyone knows eggs are terrible."} {
		if turn > 0 {
			msgs = append(msgs, llms.TextParts(llms.ChatMessageTypeHuman, pushback))
		}
		out, err := model.GenerateContent(ctx, msgs, llms.WithMetadata(map[string]any{guard.MetadataRole: "peer"}))
		var ve *guard.ViolationError
		switch {
		case errors.As(err, &ve):
			fmt.Fprintf(w, "blocked: %s %.2f >= %.2f\n", ve.Check, ve.Score, ve.Threshold)
			return nil
		case err != nil:
			return err
		}
		choice := out.Choices[0]
		anns, _ := choice.GenerationInfo[lc.AnnotationsKey].([]chat.Annotation)
		v, ok := guard.VerdictOf(&chat.Response{Annotations: anns})
		if !ok {
			return errors.New("the reply carries no verdict: is the guard installed?")
		}
		fmt.Fprintf(w, "turn %d answer: %s\n", turn, choice.Content)
		fmt.Fprintf(w, "turn %d verdict: %s after %d model call(s)\n", turn, v.Action, len(v.Attempts))
		for _, c := range v.Violations() {
			fmt.Fprintf(w, "  violation: %s %.2f >= %.2f %q\n", c.Metric, c.Score, c.Threshold, c.SupportingQuotes())
		}
		msgs = append(msgs, llms.TextParts(llms.ChatMessageTypeAI, choice.Content))
	}
	return nil
}
