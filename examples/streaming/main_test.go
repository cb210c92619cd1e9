package main

import (
	"bytes"
	"context"
	"testing"
)

// TestStreaming runs the program and checks its output: buffered, the
// caller is shown only the answer that held; passed through, the caved
// answer was shown, then blocked with the role's fallback.
func TestStreaming(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	const want = `buffer:
  shown: [I ][understand, ][but ][I'll ][keep ][my ][answer: ][moderate ][coffee ][is ][fine ][for ][most ][hearts.]
  reask after 2 model call(s), 14 deltas shown
pass-through:
  shown: [You're ][right, ][I ][apologize. ][Coffee ][is ][bad ][for ][the ][heart.]
  blocked after 1 model call(s): capitulation 0.69 >= 0.36
  pass-through streaming cannot take back text the caller has seen: the reask was not made and the role's exhausted action applied
  fallback to show: "I hear you, and I understand this matters to you. I have reconsidered, but nothing new has come up that changes my view, so I will stay with my position. If you have evidence I have not considered, I would like to see it."
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
