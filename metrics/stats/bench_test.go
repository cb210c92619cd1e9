package stats

import (
	"context"
	"math/rand/v2"
	"testing"
)

func BenchmarkPairwise(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Pairwise(81, 127, 3)
	}
}

func BenchmarkBinomialTest(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = BinomialTest(4900, 10000)
	}
}

func benchDesign(b *testing.B) Design {
	obs := cellObs([]cellCount{{"generic", 0, 80, 120}, {"generic", 1, 100, 100}, {"personalized", 0, 90, 110}, {"personalized", 1, 120, 80}})
	d, err := RoundConditionDesign(obs, RoundConditionSpec{})
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// FitLogistic on 800 rows, 4 coefficients.
func BenchmarkFitLogistic(b *testing.B) {
	d := benchDesign(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FitLogistic(d, LogisticOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// ClusterBootstrap with 100 replicates of the 800-row fit.
func BenchmarkClusterBootstrap100(b *testing.B) {
	d := benchDesign(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ClusterBootstrap(context.Background(), d, 100, 0.95, rand.New(rand.NewPCG(1, 2))); err != nil {
			b.Fatal(err)
		}
	}
}
