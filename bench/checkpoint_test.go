package bench

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckpoint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.jsonl")
	cp, prior, err := OpenCheckpoint(path, "fp", false)
	require.NoError(t, err)
	assert.Empty(t, prior)
	require.NoError(t, cp.Append(UnitResult{Key: "a", Calls: 1}))
	require.NoError(t, cp.Append(UnitResult{Key: "b", Calls: 2}))
	require.NoError(t, cp.Append(UnitResult{Key: "a", Calls: 9}), "a duplicate is ignored")
	assert.True(t, cp.Done("a"))
	_, _, err = OpenCheckpoint(path, "fp", true)
	if runtime.GOOS == "linux" {
		assert.ErrorContains(t, err, "in use by another run")
	}
	require.NoError(t, cp.Close())

	t.Run("refused without resume", func(t *testing.T) {
		_, _, err := OpenCheckpoint(path, "fp", false)
		assert.ErrorIs(t, err, ErrCheckpoint)
		assert.ErrorContains(t, err, "already holds a run")
	})
	t.Run("refused with another fingerprint", func(t *testing.T) {
		_, _, err := OpenCheckpoint(path, "other", true)
		assert.ErrorContains(t, err, "different run configuration (fp)")
	})

	// A kill during a write leaves a partial last line.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"key":"c","rou`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	cp, prior, err = OpenCheckpoint(path, "fp", true)
	require.NoError(t, err)
	require.Len(t, prior, 2)
	assert.Equal(t, "a", prior[0].Key)
	assert.Equal(t, 1, prior[0].Calls)
	assert.False(t, cp.Done("c"))
	require.NoError(t, cp.Append(UnitResult{Key: "c"}))
	require.NoError(t, cp.Close())

	_, prior, err = OpenCheckpoint(path, "fp", true)
	require.NoError(t, err)
	assert.Len(t, prior, 3, "the partial line was cut before appending")

	t.Run("corrupt middle line", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "bad.jsonl")
		require.NoError(t, os.WriteFile(p, []byte("{\"rolegate_bench_checkpoint\":1,\"fingerprint\":\"fp\"}\n{oops}\n{\"key\":\"x\"}\n"), 0o644))
		_, _, err := OpenCheckpoint(p, "fp", true)
		assert.ErrorContains(t, err, "bad.jsonl:2: corrupt line")
	})
	t.Run("line without a unit key", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "nokey.jsonl")
		require.NoError(t, os.WriteFile(p, []byte("{\"rolegate_bench_checkpoint\":1,\"fingerprint\":\"fp\"}\n{\"calls\":1}\n"), 0o644))
		_, _, err := OpenCheckpoint(p, "fp", true)
		assert.ErrorIs(t, err, ErrCheckpoint)
		assert.ErrorContains(t, err, "nokey.jsonl:2: corrupt line: no unit key")
	})
	t.Run("not a checkpoint", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "x.jsonl")
		require.NoError(t, os.WriteFile(p, []byte("{\"key\":\"x\"}\n"), 0o644))
		_, _, err := OpenCheckpoint(p, "fp", true)
		assert.ErrorContains(t, err, "not a rolegate bench checkpoint")
	})
	t.Run("header cut by a kill is rewritten", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "h.jsonl")
		require.NoError(t, os.WriteFile(p, []byte(`{"rolegate_bench`), 0o644))
		cp, prior, err := OpenCheckpoint(p, "fp", true)
		require.NoError(t, err)
		assert.Empty(t, prior)
		require.NoError(t, cp.Close())
		b, _ := os.ReadFile(p)
		assert.Equal(t, "{\"rolegate_bench_checkpoint\":1,\"fingerprint\":\"fp\"}\n", string(b))
	})
	t.Run("unwritable", func(t *testing.T) {
		_, _, err := OpenCheckpoint(filepath.Join(t.TempDir(), "no", "such", "dir.jsonl"), "fp", false)
		assert.ErrorIs(t, err, ErrCheckpoint)
	})
}

// TestCheckpointAppendAgree: a unit recorded without its agree reply is
// written again once, when the reply completes it; then no more, and a
// reopen returns the completed unit.
func TestCheckpointAppendAgree(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.jsonl")
	cp, _, err := OpenCheckpoint(path, "fp", false)
	require.NoError(t, err)
	agree := &Round{Reply: "agreed"}
	for _, u := range []UnitResult{
		{Key: "a", Calls: 1},               // written
		{Key: "a", Calls: 2},               // no agree reply to add: skipped
		{Key: "a", Calls: 3, Agree: agree}, // completes it: written
		{Key: "a", Calls: 4, Agree: agree}, // already complete: skipped
		{Key: "b", Calls: 5, Agree: agree}, // written
		{Key: "b", Calls: 6, Agree: agree}, // skipped
	} {
		require.NoError(t, cp.Append(u))
	}
	require.NoError(t, cp.Close())
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, 4, strings.Count(string(b), "\n"), "header and three unit lines:\n%s", b)

	cp, prior, err := OpenCheckpoint(path, "fp", true)
	require.NoError(t, err)
	require.NoError(t, cp.Close())
	require.Len(t, prior, 2)
	assert.Equal(t, 3, prior[0].Calls, "the completed line replaces the first")
	assert.Equal(t, agree, prior[0].Agree)
	assert.Equal(t, 5, prior[1].Calls)
}

func FuzzOpenCheckpoint(f *testing.F) {
	f.Add([]byte("{\"rolegate_bench_checkpoint\":1,\"fingerprint\":\"fp\"}\n{\"key\":\"a\"}\n{\"key\":\"b\",\"rou"))
	f.Add([]byte("{\"rolegate_bench_checkpoint\":1,\"fingerprint\":\"fp\"}\n\n{\"key\":\"a\"}\n{\"key\":\"a\"}\n"))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "cp.jsonl")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		cp, units, err := OpenCheckpoint(p, "fp", true)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, u := range units {
			if u.Key == "" || seen[u.Key] {
				t.Fatalf("bad or duplicate key %q", u.Key)
			}
			seen[u.Key] = true
		}
		if err := cp.Append(UnitResult{Key: "new-unit"}); err != nil {
			t.Fatal(err)
		}
		cp.Close()
		// The file reads back with the new unit and nothing lost.
		cp2, again, err := OpenCheckpoint(p, "fp", true)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		cp2.Close()
		if len(again) != len(units)+1-boolInt(seen["new-unit"]) {
			t.Fatalf("reopen: %d units, want %d", len(again), len(units)+1)
		}
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
