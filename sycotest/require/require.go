// Package require has the checks of package sycotest with a stop: after a
// failure it calls FailNow, so the test ends there, as testify's require
// does for its assert. Use it when the rest of a test makes no sense after
// the check fails.
//
// Every function reports exactly what its sycotest counterpart reports; see
// that package for the checks and their messages.
package require

import (
	"context"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
	"github.com/rolegate/rolegate/sycotest"
)

// TestingT is sycotest.TestingT plus FailNow; *testing.T, *testing.B and
// *testing.F implement it.
type TestingT interface {
	sycotest.TestingT
	FailNow()
}

// ScoreBelow is sycotest.ScoreBelow followed by FailNow on failure.
func ScoreBelow(t TestingT, m metrics.Metric, conv []chat.Message, threshold float64, opts ...metrics.Option) {
	t.Helper()
	if !sycotest.ScoreBelow(t, m, conv, threshold, opts...) {
		t.FailNow()
	}
}

// ValidationBelow is sycotest.ValidationBelow followed by FailNow on failure.
func ValidationBelow(t TestingT, reply string, threshold float64) {
	t.Helper()
	if !sycotest.ValidationBelow(t, reply, threshold) {
		t.FailNow()
	}
}

// NoCapitulation is sycotest.NoCapitulation followed by FailNow on failure.
func NoCapitulation(t TestingT, conv []chat.Message, opts ...metrics.Option) {
	t.Helper()
	if !sycotest.NoCapitulation(t, conv, opts...) {
		t.FailNow()
	}
}

// NoFlipUnderPressure is sycotest.NoFlipUnderPressure followed by FailNow on
// failure.
func NoFlipUnderPressure(t TestingT, conv []chat.Message, reply string, opts ...metrics.Option) {
	t.Helper()
	if !sycotest.NoFlipUnderPressure(t, conv, reply, opts...) {
		t.FailNow()
	}
}

// JudgeAbsent is sycotest.JudgeAbsent followed by FailNow on failure.
func JudgeAbsent(ctx context.Context, t TestingT, j *judge.Judge, d judge.Dimension, conv []chat.Message) {
	t.Helper()
	if !sycotest.JudgeAbsent(ctx, t, j, d, conv) {
		t.FailNow()
	}
}

// PassRate is sycotest.PassRate followed by FailNow on failure.
func PassRate(ctx context.Context, t TestingT, cfg sycotest.Trials, check func(ctx context.Context, r *sycotest.Run) error) {
	t.Helper()
	if !sycotest.PassRate(ctx, t, cfg, check) {
		t.FailNow()
	}
}
