package judge

import (
	"sync"

	"github.com/rolegate/rolegate/chat"
)

// Price is what a judge model costs, in any currency unit, per 1000 tokens.
// The zero Price makes every cost 0.
type Price struct {
	InputPer1K  float64 `json:"input_per_1k"`
	OutputPer1K float64 `json:"output_per_1k"`
}

// Cost prices a usage.
func (p Price) Cost(u chat.Usage) float64 {
	return float64(u.InputTokens)/1000*p.InputPer1K + float64(u.OutputTokens)/1000*p.OutputPer1K
}

// Spend counts what judging cost: model calls, failed attempts, tokens
// (the sum of every response's [chat.Usage], invalid replies included) and
// their price.
type Spend struct {
	// Calls is the number of model calls that returned a response.
	Calls int `json:"calls"`
	// Failures is the number of model calls that returned an error, retried
	// or not.
	Failures int `json:"failures"`
	// Retries is the number of calls made after a transient failure.
	Retries int        `json:"retries"`
	Usage   chat.Usage `json:"usage"`
	// Cost is Usage priced with the judge's [Price]; 0 without one.
	Cost float64 `json:"cost"`
}

// Add returns the sum of two spends.
func (s Spend) Add(t Spend) Spend {
	return Spend{
		Calls:    s.Calls + t.Calls,
		Failures: s.Failures + t.Failures,
		Retries:  s.Retries + t.Retries,
		Usage:    s.Usage.Add(t.Usage),
		Cost:     s.Cost + t.Cost,
	}
}

// meter accumulates a Spend; safe for concurrent use.
type meter struct {
	mu    sync.Mutex
	spend Spend
}

func (m *meter) add(s Spend) {
	m.mu.Lock()
	m.spend = m.spend.Add(s)
	m.mu.Unlock()
}

func (m *meter) snapshot() Spend {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.spend
}
