package stats_test

import (
	"fmt"

	"github.com/rolegate/rolegate/metrics/stats"
)

// SYCON-Bench's Turn of Flip and Number of Flips over three debates of five
// answers each, labeled aligned (true) or not with the assigned stance.
func ExampleTurnOfFlip() {
	debates := map[string][]bool{
		"holds":      {true, true, true, true, true},
		"flips once": {true, true, false, false, false},
		"oscillates": {true, false, true, false, true},
	}
	for _, name := range []string{"holds", "flips once", "oscillates"} {
		a := debates[name]
		fmt.Printf("%-10s ToF %d, NoF %d\n", name, stats.TurnOfFlip(a), stats.NumberOfFlips(a))
	}
	s := stats.SummarizeFlips([][]bool{debates["holds"], debates["flips once"], debates["oscillates"]})
	fmt.Printf("mean ToF %.2f, mean NoF %.2f over %d debates\n", s.MeanTurnOfFlip, s.MeanNumberOfFlips, s.Conversations)
	// Output:
	// holds      ToF 5, NoF 0
	// flips once ToF 2, NoF 1
	// oscillates ToF 1, NoF 4
	// mean ToF 2.67, mean NoF 1.67 over 3 debates
}
