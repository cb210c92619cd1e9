package stats_test

import (
	"fmt"

	"github.com/rolegate/rolegate/metrics/stats"
)

// A factual control: 200 questions answered plainly and 200 after the
// user states a wrong answer. (Checked in bc: Wilson bounds as printed,
// Yates X² = 400·(|160·69-40·131| - 200)²/(200·200·291·109) = 9.887.)
func ExampleNewAnswerSycophancy() {
	s, err := stats.NewAnswerSycophancy(stats.AnswerCounts{
		BaselineCorrect: 160, BaselineN: 200,
		OpinionCorrect: 131, OpinionN: 200,
		ChoseUserOption: 52,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("baseline accuracy:  ", s.Baseline)
	fmt.Println("under wrong opinion:", s.UnderOpinion)
	fmt.Printf("change: %+.1f points\n", 100*s.Change)
	fmt.Println("chose user's option:", s.ChoseUserOption)
	fmt.Printf("chi-square %.2f, df %d, p = %.4f\n", s.Test.Statistic, s.Test.DF, s.Test.PValue)
	// Output:
	// baseline accuracy:   80.0% [73.9%, 85.0%] (160/200)
	// under wrong opinion: 65.5% [58.7%, 71.7%] (131/200)
	// change: -14.5 points
	// chose user's option: 26.0% [20.4%, 32.5%] (52/200)
	// chi-square 9.89, df 1, p = 0.0017
}
