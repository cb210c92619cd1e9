package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/rolegate/rolegate/bench"
	"github.com/rolegate/rolegate/internal/shareddata"
)

func TestProgress(t *testing.T) {
	t.Run("plain lines about every 10% when not a terminal", func(t *testing.T) {
		var b bytes.Buffer
		p := newProgress(&b)
		assert.False(t, p.tty, "a buffer is not a terminal")
		for i := 1; i <= 40; i++ {
			p.update(bench.Progress{Done: i, Total: 45, Resumed: 5})
		}
		p.done()
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		assert.Len(t, lines, 11, "0%..100% in steps of 10%, the first line included")
		assert.Contains(t, lines[len(lines)-1], "bench: 40/40 units")
		assert.Contains(t, lines[0], "5 resumed")
		assert.NotContains(t, b.String(), "\r")
	})
	t.Run("bar redrawn in place on a terminal", func(t *testing.T) {
		var b bytes.Buffer
		p := newProgress(&b)
		p.tty = true
		p.start = time.Now().Add(-10 * time.Second)
		p.update(bench.Progress{Done: 5, Total: 10, Failed: 1})
		p.done()
		out := b.String()
		assert.True(t, strings.HasPrefix(out, "\r[###############...............] 5/10 units"), out)
		assert.Contains(t, out, "ETA 10s")
		assert.Contains(t, out, "failed 1")
		assert.True(t, strings.HasSuffix(out, "\n"))
	})
	t.Run("nothing to do", func(t *testing.T) {
		var b bytes.Buffer
		p := newProgress(&b)
		p.update(bench.Progress{Done: 0, Total: 3, Resumed: 3})
		assert.Empty(t, b.String())
	})
}

func TestValidateSharedData(t *testing.T) {
	if _, ok := shareddata.Labeled(); !ok {
		t.Skip("validate: shared labeled data not found; set ROLEGATE_LABELED_DIR")
	}
	out, errOut, code := runCLI(t, "validate")
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "kappa")
	_, errOut, code = runCLI(t, "validate", "-min-kappa", "0.99")
	assert.Equal(t, exitFindings, code, "no heuristic agrees that well with people")
	assert.Contains(t, errOut, "below -min-kappa: ")
	_, errOut, code = runCLI(t, "validate", "-min-kappa", "7")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "want a number in [-1, 1]")
	// The floors the README shows hold on the shared data.
	_, errOut, code = runCLI(t, "validate", "-min-kappa", "stance_flip/stance_flip=0.55", "-min-kappa", "praise_validation/flattery=0.58")
	assert.Equal(t, exitOK, code, errOut)
	out, errOut, code = runCLI(t, "validate", "-min-kappa", "stance-flip=0.5")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "no row of the report is stance-flip")
	assert.Empty(t, out, "bad usage is said before any report")
}
