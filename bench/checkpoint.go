package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// checkpointHeader is the first line of a checkpoint: what run it belongs
// to, so that a resume with a different model or suite is refused instead of
// mixing results.
type checkpointHeader struct {
	Version     int    `json:"rolegate_bench_checkpoint"`
	Fingerprint string `json:"fingerprint"`
}

const checkpointVersion = 1

// Checkpoint is an append-only JSON Lines file of completed units. Each
// [UnitResult] is written as one line with a single write and fsync'd before
// [Checkpoint.Append] returns, so a process killed at any instant leaves at
// most a truncated last line, which [OpenCheckpoint] drops on resume. It is
// safe for concurrent use.
type Checkpoint struct {
	mu     sync.Mutex
	f      *os.File
	path   string
	done   map[string]bool
	agreed map[string]bool // keys whose recorded unit has its agree reply
}

// OpenCheckpoint opens or creates the checkpoint at path for a run whose
// configuration has the given fingerprint.
//
// A new or empty file gets a header line. An existing file is refused
// unless resume is true; when resuming, its header must carry the same
// fingerprint, its units are returned, and a truncated last line (the trace
// of a kill during a write) is cut off the file. A malformed complete line
// is corruption, not a crash trace, and is reported with its line number.
// A unit key present twice keeps its first result, unless the first lacks
// the agree reply ([UnitResult.Agree]) and a later line has it: that line
// is the same unit completed by a resume, and replaces it. The file is locked
// (flock, where available) until [Checkpoint.Close], so a second run on the
// same file is refused instead of interleaving its units.
func OpenCheckpoint(path, fingerprint string, resume bool) (*Checkpoint, []UnitResult, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrCheckpoint, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, nil, err
	}
	c := &Checkpoint{f: f, path: path, done: map[string]bool{}, agreed: map[string]bool{}}
	units, good, err := c.read(fingerprint, resume)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%w: %s: cut truncated line: %w", ErrCheckpoint, path, err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%w: %w", ErrCheckpoint, err)
	}
	if good == 0 {
		if err := c.writeLine(checkpointHeader{Version: checkpointVersion, Fingerprint: fingerprint}); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	return c, units, nil
}

// read parses the file and returns its units and the length of its valid
// prefix (everything up to the last complete line).
func (c *Checkpoint) read(fingerprint string, resume bool) ([]UnitResult, int64, error) {
	r := bufio.NewReader(c.f)
	var (
		units []UnitResult
		at    = map[string]int{} // index in units by key
		good  int64
		line  int
	)
	for {
		b, err := r.ReadBytes('\n')
		if err == io.EOF {
			// b, if any, is a line without its newline: the write that was
			// interrupted. Dropping it loses nothing that was reported done.
			return units, good, nil
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%w: %s: %w", ErrCheckpoint, c.path, err)
		}
		line++
		if line == 1 {
			if !resume {
				return nil, 0, fmt.Errorf("%w: %s already holds a run", ErrCheckpoint, c.path)
			}
			var h checkpointHeader
			if json.Unmarshal(b, &h) != nil || h.Version == 0 {
				return nil, 0, fmt.Errorf("%w: %s:1: not a rolegate bench checkpoint", ErrCheckpoint, c.path)
			}
			if h.Version != checkpointVersion {
				return nil, 0, fmt.Errorf("%w: %s:1: version %d, this build reads %d", ErrCheckpoint, c.path, h.Version, checkpointVersion)
			}
			if h.Fingerprint != fingerprint {
				return nil, 0, fmt.Errorf("%w: %s was written by a different run configuration (%s); use the same model, temperature, max tokens, suite, rounds, seed, personas, pushback source and judge, or another file", ErrCheckpoint, c.path, h.Fingerprint)
			}
			good += int64(len(b))
			continue
		}
		if len(bytes.TrimSpace(b)) == 0 {
			good += int64(len(b))
			continue
		}
		var u UnitResult
		if err := json.Unmarshal(b, &u); err != nil || u.Key == "" {
			if err == nil {
				err = errors.New("no unit key")
			}
			return nil, 0, fmt.Errorf("%w: %s:%d: corrupt line: %w", ErrCheckpoint, c.path, line, err)
		}
		good += int64(len(b))
		if c.done[u.Key] {
			if u.Agree != nil && !c.agreed[u.Key] {
				units[at[u.Key]] = u
				c.agreed[u.Key] = true
			}
			continue
		}
		c.done[u.Key] = true
		c.agreed[u.Key] = u.Agree != nil
		at[u.Key] = len(units)
		units = append(units, u)
	}
}

// Done reports whether the unit with this key is in the checkpoint.
func (c *Checkpoint) Done(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.done[key]
}

// Append writes u as one line and syncs it to disk. A unit already in the
// checkpoint is not written again, unless u completes it with the agree
// reply it was recorded without; u then replaces it (see [OpenCheckpoint]).
func (c *Checkpoint) Append(u UnitResult) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done[u.Key] && (u.Agree == nil || c.agreed[u.Key]) {
		return nil
	}
	if err := c.writeLine(u); err != nil {
		return err
	}
	c.done[u.Key] = true
	c.agreed[u.Key] = u.Agree != nil
	return nil
}

func (c *Checkpoint) writeLine(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%w: encode: %w", ErrCheckpoint, err)
	}
	b = append(b, '\n')
	if _, err := c.f.Write(b); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrCheckpoint, c.path, err)
	}
	if err := c.f.Sync(); err != nil {
		return fmt.Errorf("%w: %s: sync: %w", ErrCheckpoint, c.path, err)
	}
	return nil
}

// Close closes the file.
func (c *Checkpoint) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.f.Close()
}
