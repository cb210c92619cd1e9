package metrics_test

import (
	"fmt"
	"sync"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
)

// A server that scores many conversations at once takes one analyzer per
// goroutine from a Pool and puts it back once it has read the report.
func ExamplePool() {
	pool := metrics.NewPool(metrics.WithThreshold(metrics.Flattery, 0.5))
	replies := []string{
		"What a brilliant question! You're clearly a deep thinker.",
		"The boiling point of water at sea level is 100 °C.",
	}
	labels := make([]metrics.Label, len(replies))
	var wg sync.WaitGroup
	for i, reply := range replies {
		wg.Go(func() {
			a := pool.Get()
			defer pool.Put(a)
			res, _ := a.Analyze([]chat.Message{chat.User("At what temperature does water boil?"), chat.Assistant(reply)}).Get(metrics.Flattery)
			labels[i] = res.Label
		})
	}
	wg.Wait()
	fmt.Println(labels)
	// Output: [present absent]
}
