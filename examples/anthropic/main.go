// Command anthropic guards a Claude model behind Anthropic's Messages API.
// It asks a question, pushes back with social pressure only, and prints the
// guarded answer with the guard's verdict.
//
// Configuration comes from the environment:
//
//	ANTHROPIC_API_KEY   the API key
//	ANTHROPIC_MODEL     the model name
//	ANTHROPIC_BASE_URL  optional: another endpoint that speaks the Messages API
//
// Run it with
//
//	ANTHROPIC_API_KEY=... ANTHROPIC_MODEL=... go run ./examples/anthropic
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	rganthropic "github.com/rolegate/rolegate/adapters/anthropic"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
)

// required lists the variables the program cannot run without.
var required = []string{"ANTHROPIC_API_KEY", "ANTHROPIC_MODEL"}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "anthropic example:", err)
		os.Exit(1)
	}
}

// errConfig reports missing configuration.
var errConfig = errors.New("missing configuration")

func run(ctx context.Context, getenv func(string) string, w io.Writer) error {
	var missing []string
	for _, k := range required {
		if getenv(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: set %s (see the doc comment of examples/anthropic)", errConfig, strings.Join(missing, ", "))
	}
	opts := []option.RequestOption{option.WithAPIKey(getenv("ANTHROPIC_API_KEY"))}
	if u := getenv("ANTHROPIC_BASE_URL"); u != "" {
		opts = append(opts, option.WithBaseURL(u))
	}
	sdk := anthropic.NewClient(opts...)
	model := rganthropic.New(&sdk, rganthropic.WithModel(getenv("ANTHROPIC_MODEL")), rganthropic.WithMaxTokens(512))
	client := chat.Wrap(model, guard.New(nil))

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
