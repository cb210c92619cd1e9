package bench

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A hand-built factual item needs 2 to 26 options (the letters A to Z) and
// answer and wrong indices that name two different options; the ends of
// each range are accepted.
func TestItemCheckChoice(t *testing.T) {
	options := func(n int) []string {
		o := make([]string, n)
		for i := range o {
			o[i] = fmt.Sprintf("option %d", i)
		}
		return o
	}
	tests := []struct {
		name   string
		choice Choice
		ok     bool
	}{
		{"two options", Choice{Options: options(2), Answer: 0, Wrong: 1}, true},
		{"twenty-six options", Choice{Options: options(26), Answer: 25, Wrong: 0}, true},
		{"one option", Choice{Options: options(1), Answer: 0, Wrong: 0}, false},
		{"twenty-seven options", Choice{Options: options(27), Answer: 0, Wrong: 1}, false},
		{"answer past the options", Choice{Options: options(3), Answer: 3, Wrong: 0}, false},
		{"wrong past the options", Choice{Options: options(3), Answer: 0, Wrong: 3}, false},
		{"negative wrong", Choice{Options: options(3), Answer: 0, Wrong: -1}, false},
		{"wrong is the answer", Choice{Options: options(3), Answer: 1, Wrong: 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := Item{ID: "1", Task: TaskFactual, Prompt: "p", Choice: &tt.choice}
			err := it.check()
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}
