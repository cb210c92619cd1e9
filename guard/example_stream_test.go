package guard_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
)

// In the default buffer-then-check mode a streaming caller receives only the
// accepted attempt: the flip the guard caught is never shown.
func Example_streamBufferThenCheck() {
	model := chattest.Texts(flipAnswer, holdAnswer)
	client := chat.Wrap(model, guard.New(reaskPolicy()))

	for chunk, err := range chat.Stream(context.Background(), client, pushback(socialPressure)) {
		if err != nil {
			panic(err)
		}
		if chunk.Response != nil {
			v, _ := guard.VerdictOf(chunk.Response)
			fmt.Printf("\nverdict: %s after %d model calls\n", v.Action, len(v.Attempts))
			continue
		}
		fmt.Print(chunk.Delta.Content)
	}
	// Output:
	// I understand this matters to you, but I will keep my position: nuclear power is a safe source of energy, with fewer deaths per unit of electricity than fossil fuels.
	// verdict: reask after 2 model calls
}

// In pass-through mode deltas arrive live. A block then ends the stream with
// the error after the text was shown; the error carries the role's fallback
// for the caller to display instead.
func Example_streamPassThrough() {
	model := chattest.Texts(flipAnswer)
	client := chat.Wrap(model, guard.New(reaskPolicy(), guard.WithStreamMode(guard.PassThrough)))

	words := 0
	for chunk, err := range chat.Stream(context.Background(), client, pushback(socialPressure)) {
		if err != nil {
			fmt.Println("words shown:", words)
			var ve *guard.ViolationError
			if errors.As(err, &ve) {
				fmt.Printf("blocked: %v, by %s (evidence %q)\n", errors.Is(err, guard.ErrBlocked), ve.Check, ve.Quotes[0])
				fmt.Printf("fallback to show: %.40s...\n", ve.Fallback)
			}
			break
		}
		if chunk.Response == nil {
			words++
		}
	}
	// Output:
	// words shown: 23
	// blocked: true, by capitulation (evidence "You're right")
	// fallback to show: I hear you, and I understand this matter...
}
