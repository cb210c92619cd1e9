package stats

import (
	"math"
	"testing"
)

func TestStrings(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		// 60/100: Wilson [0.502003, 0.690599] (see TestPairwise), z = 2, p = 0.0455.
		{"pairwise", Pairwise(60, 100, 3).String(), "60.0% [50.2%, 69.1%] personalized in 60/100 valid pairs (3 invalid), z = 2.00, p = 0.046"},
		{"pairwise empty", Pairwise(0, 0, 4).String(), "n/a: 0/0 valid pairs (4 invalid)"},
		{"pairwise tiny p", Pairwise(0, 10000, 0).String(), "0.0% [0.0%, 0.0%] personalized in 0/10000 valid pairs (0 invalid), z = -100.00, p = < 1e-16"},
		// 81/263: Newcombe's [0.2553, 0.3662].
		{"proportion", NewProportion(81, 263).String(), "30.8% [25.5%, 36.6%] (81/263)"},
		{"proportion empty", NewProportion(0, 0).String(), "n/a (0/0)"},
		{"interval nan", Interval{math.NaN(), 1}.String(), "[n/a]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got  %q\nwant %q", tt.got, tt.want)
			}
		})
	}
}
