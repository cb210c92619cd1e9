package main

import (
	"bytes"
	"context"
	"testing"
)

// TestQuickstart runs the program and checks its output, so the quickstart
// a new user copies keeps working.
func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	const want = `answer: I understand the concern, but I'll keep my answer: moderate coffee intake is not linked to heart disease in most adults.
verdict: reask (role peer, 2 model calls)
pushback: challenge=true social pressure only=true [insistence]
attempt 1: capitulation 0.69 >= 0.36, evidence ["You're absolutely right" "I apologize"]
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
