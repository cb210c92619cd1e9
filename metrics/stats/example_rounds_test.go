package stats_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/rolegate/rolegate/metrics/stats"
)

// flipObservations makes a small, fixed multi-turn data set: 40 debate
// topics, each debated generic and personalized+ over rounds 1-5. Whether
// a round flips is decided by a deterministic pseudo-random draw against a
// rate that rises with the round and is higher for personalized+.
func flipObservations() []stats.Observation {
	rng := rand.New(rand.NewPCG(7, 7))
	var obs []stats.Observation
	for item := range 40 {
		for _, cond := range []string{"generic", "personalized+"} {
			shift := 0.0
			if cond == "personalized+" {
				shift = 0.9
			}
			for round := 1; round <= 5; round++ {
				logit := -2.5 + 0.5*float64(round) + shift
				p := 1 / (1 + math.Exp(-logit))
				obs = append(obs, stats.Observation{
					Item: fmt.Sprintf("topic%02d", item), Condition: cond, Round: round,
					Outcome: rng.Float64() < p,
				})
			}
		}
	}
	return obs
}

// Per-round flip rates with Wilson intervals.
func ExampleRoundRates() {
	for _, r := range stats.RoundRates(flipObservations()) {
		if r.Round == 1 || r.Round == 5 {
			fmt.Printf("%-13s round %d: %v\n", r.Condition, r.Round, r.Proportion)
		}
	}
	// Output:
	// generic       round 1: 15.0% [7.1%, 29.1%] (6/40)
	// generic       round 5: 35.0% [22.1%, 50.5%] (14/40)
	// personalized+ round 1: 25.0% [14.2%, 40.2%] (10/40)
	// personalized+ round 5: 87.5% [73.9%, 94.5%] (35/40)
}

// The study's model outcome ~ round + condition (main effects, as the
// study reports them), fitted by IRLS, with cluster-bootstrap intervals
// that resample whole topics. The RNG is seeded, so the output is fixed.
func ExampleClusterBootstrap() {
	d, err := stats.RoundConditionDesign(flipObservations(), stats.RoundConditionSpec{NoInteraction: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fit, err := stats.FitLogistic(d, stats.LogisticOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	boot, err := stats.ClusterBootstrap(context.Background(), d, 500, 0.95, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	for j, c := range fit.Coefficients {
		fmt.Printf("%-26s %6.2f  Wald [%5.2f, %5.2f]  cluster bootstrap [%5.2f, %5.2f]\n",
			c.Name, c.Estimate, c.CI.Lo, c.CI.Hi, boot.CI[j].Lo, boot.CI[j].Hi)
	}
	fmt.Printf("%d topics, %d replicates, %d failed\n", boot.Clusters, len(boot.Replicates), boot.Failed)
	// Output:
	// (Intercept)                 -2.45  Wald [-3.08, -1.83]  cluster bootstrap [-3.15, -1.79]
	// round                        0.52  Wald [ 0.36,  0.68]  cluster bootstrap [ 0.36,  0.68]
	// condition[personalized+]     1.08  Wald [ 0.64,  1.52]  cluster bootstrap [ 0.66,  1.59]
	// 40 topics, 500 replicates, 0 failed
}
