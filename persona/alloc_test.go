//go:build !race

// The race detector makes sync.Pool drop items at random, so allocation
// counts are checked only without it.

package persona

import (
	"strings"
	"testing"
)

func TestAllocations(t *testing.T) {
	study := studyLike(t)
	plain := strings.Repeat("plain words, nothing to escape. ", 20)
	plain = plain[:len(plain)-1]
	tests := []struct {
		name string
		max  float64
		fn   func()
	}{
		{"Render first person allocates only its result", 1, func() { _, _ = study.Render(AllFacets, FirstPerson) }},
		{"Render third person allocates only its result", 1, func() { _, _ = maya.Render(AllFacets, ThirdPerson) }},
		{"Neutralize of plain text allocates nothing", 0, func() { _ = Neutralize(plain) }},
		{"Neutralize of hostile text allocates only its result", 1, func() { _ = Neutralize(maya.Narrative) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(100, tt.fn); got > tt.max {
				t.Errorf("%v allocations per call, want at most %v", got, tt.max)
			}
		})
	}
}
