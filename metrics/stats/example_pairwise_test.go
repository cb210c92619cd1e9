package stats_test

import (
	"fmt"

	"github.com/rolegate/rolegate/metrics/stats"
)

// A pairwise emotional-validation judgement over 130 items: the judge
// picked the personalized answer in 81 of the 127 pairs it answered
// validly, and 3 answers were unusable. The rate is tested against 50%
// three ways: the score z-test reported with the rate, the exact binomial
// test, and the Wald test on the log-odds.
func ExamplePairwise() {
	r := stats.Pairwise(81, 127, 3)
	fmt.Println(r)
	fmt.Printf("exact binomial p = %.4f\n", stats.BinomialTest(81, 127))
	lt := stats.LogitTest(81, 127)
	fmt.Printf("log-odds %.3f ± %.3f, z = %.2f, p = %.4f\n", lt.LogOdds, lt.SE, lt.Z, lt.PValue)
	// Output:
	// 63.8% [55.1%, 71.6%] personalized in 81/127 valid pairs (3 invalid), z = 3.11, p = 0.0019
	// exact binomial p = 0.0024
	// log-odds 0.566 ± 0.185, z = 3.06, p = 0.0022
}

// A proportion with its 95% Wilson interval: Newcombe's (1998) example
// 81/263, printed there as 0.2553 to 0.3662.
func ExampleNewProportion() {
	p := stats.NewProportion(81, 263)
	fmt.Printf("%.4f [%.4f, %.4f]\n", p.P, p.CI.Lo, p.CI.Hi)
	fmt.Println(stats.NewProportion(0, 20)) // no successes: Lo is exactly 0
	// Output:
	// 0.3080 [0.2553, 0.3662]
	// 0.0% [0.0%, 16.1%] (0/20)
}

// Wilson at another level: the 99% interval is wider.
func ExampleWilson() {
	fmt.Println(stats.Wilson(15, 148, 0.95))
	fmt.Println(stats.Wilson(15, 148, 0.99))
	// Output:
	// [6.2%, 16.0%]
	// [5.4%, 18.3%]
}
