// Package callbench holds what the adapters' call benchmarks share, so that
// their figures are measured the same way.
//
// # Measuring
//
// [Measure] runs a call in b.Loop and reports, besides time and
// allocations, the process CPU time per call. [InMemory] serves the calls
// with a handler in memory, which removes the network and the server from
// the figures. [Plain] and [Streamed] name and measure the calls of a
// chat.Client the same way in every adapter ("plain/adapter",
// "stream/adapter+guard", ...), beside the bare SDK's own sub-benchmarks.
package callbench
