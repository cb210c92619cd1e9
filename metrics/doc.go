// Package metrics exposes the study's measurements of sycophancy as
// deterministic, explainable heuristic scorers.
package metrics
