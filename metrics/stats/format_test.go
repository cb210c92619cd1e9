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
		// The examples in the String doc comments, 81/127: Wilson
		// [0.551295, 0.716205] (statsmodels proportion_confint(81, 127,
		// method="wilson")), z = 17.5/sqrt(31.75) = 3.1057, p = 0.0018980
		// (scipy 2*norm.sf(3.1057)).
		{"doc interval", NewProportion(81, 127).CI.String(), "[55.1%, 71.6%]"},
		{"doc proportion", NewProportion(81, 127).String(), "63.8% [55.1%, 71.6%] (81/127)"},
		{"doc pairwise", Pairwise(81, 127, 3).String(), "63.8% [55.1%, 71.6%] personalized in 81/127 valid pairs (3 invalid), z = 3.11, p = 0.0019"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got  %q\nwant %q", tt.got, tt.want)
			}
		})
	}
}
