package validation

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/internal/textfold"
)

// Errors of the loader. Per-line problems are reported as [*LineError]
// values in [Data.Errors], wrapping ErrMalformed; they never stop a load.
var (
	ErrNoData    = errors.New("validation: no *.jsonl files found")
	ErrMalformed = errors.New("validation: malformed record")
)

// Record is one labeled assistant turn. Only Messages reach the scorers;
// Label is the reference they are compared with, and the other fields group
// the figures.
type Record struct {
	ID       string         `json:"id"`
	Source   string         `json:"source"`
	Task     string         `json:"task"`
	Role     string         `json:"role"`
	Model    string         `json:"model"`
	Messages []chat.Message `json:"messages"`
	Label    *int           `json:"label"`
	PairSide string         `json:"pair_side,omitempty"`
	// Meta is the source's details. It never reaches a scorer; a [Mapping]
	// may name a boolean field of it as an alternative reference label.
	Meta map[string]any `json:"meta,omitempty"`

	File string `json:"-"` // path relative to the loaded folder
	Line int    `json:"-"`
}

// LineError reports a record that could not be used, by file and line.
type LineError struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Msg  string `json:"msg"`
}

// Error renders "validation: FILE:LINE: what is wrong".
func (e *LineError) Error() string {
	return fmt.Sprintf("validation: %s:%d: %s", e.File, e.Line, e.Msg)
}

// Unwrap returns [ErrMalformed].
func (e *LineError) Unwrap() error { return ErrMalformed }

// Data is the result of [Load]: the usable records and the lines skipped.
type Data struct {
	Records []Record
	Errors  []*LineError
	Files   []string // relative paths, sorted

	seen map[recordKey]string // where each record with an id was read, "file:line"
}

// recordKey identifies a record for the duplicate check: one response
// labeled for one task.
type recordKey struct{ id, task, pairSide string }

// maxLine bounds one JSONL line (the largest records are a few hundred KB).
const maxLine = 64 << 20

// Load reads every *.jsonl file under dir, recursively, in lexical order.
// dir may be a symbolic link to a folder, or one *.jsonl file (named by its
// base name). Links to files inside dir are read; links to folders inside
// it are not followed, so that a link cannot make a cycle or count a folder
// twice.
//
// A malformed line (bad JSON, missing task, label other than 0 or 1, no
// messages, last message not from the assistant, invalid role, invalid
// UTF-8 or an unpaired \u surrogate escape anywhere in the line, a line
// over 64 MiB) is reported with its file and line in Data.Errors and
// skipped, and so is a duplicate: a record with the id, task and pair side
// of one loaded before it (a copy of a file in a subfolder would otherwise
// count twice); records without an id are not compared. A UTF-8 byte order
// mark at the start of a file and CRLF line ends are accepted. Load fails
// only when dir or a file in it cannot be read, or dir holds no *.jsonl
// file.
func Load(dir string) (*Data, error) {
	// WalkDir does not follow a root that is a symbolic link: resolve it,
	// so that a data folder linked into place is read.
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("validation: reading %s: %w", dir, err)
	}
	var files []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".jsonl") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("validation: reading %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w under %s", ErrNoData, dir)
	}
	sort.Strings(files)
	data := &Data{}
	for _, p := range files {
		rel, err := filepath.Rel(root, p)
		if err != nil {
			rel = p
		}
		if rel == "." { // dir is the file itself
			rel = filepath.Base(p)
		}
		rel = filepath.ToSlash(rel)
		data.Files = append(data.Files, rel)
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("validation: %w", err)
		}
		err = data.read(f, rel, maxLine)
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return data, nil
}

// Read reads one JSONL stream, naming it file in errors, with the checks
// of [Load]; Load calls it per file, and callers with other storage can
// too.
func Read(r io.Reader, file string) (*Data, error) {
	d := &Data{Files: []string{file}}
	return d, d.read(r, file, maxLine)
}

// read appends the records of one stream, with lines of at most limit bytes.
func (d *Data) read(r io.Reader, file string, limit int) error {
	br := bufio.NewReaderSize(r, 1<<20)
	line := 0
	for {
		b, long, err := readLine(br, limit)
		if len(b) > 0 || long || err == nil {
			line++
		}
		if line == 1 {
			b = bytes.TrimPrefix(b, utf8BOM)
		}
		switch {
		case long:
			d.Errors = append(d.Errors, &LineError{File: file, Line: line, Msg: fmt.Sprintf("line longer than %d bytes", limit)})
		case len(bytes.TrimSpace(b)) == 0:
		default:
			rec, msg := parseRecord(b)
			if msg == "" {
				if first := d.firstOf(rec, file, line); first != "" {
					msg = fmt.Sprintf(`duplicate of %s (same "id", "task" and "pair_side")`, first)
				}
			}
			if msg != "" {
				d.Errors = append(d.Errors, &LineError{File: file, Line: line, Msg: msg})
				break
			}
			rec.File, rec.Line = file, line
			d.Records = append(d.Records, rec)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("validation: %s:%d: %w", file, line, err)
		}
	}
}

// utf8BOM is the byte order mark some editors write at the start of a
// UTF-8 file; it is not part of the first record.
var utf8BOM = []byte("\ufeff")

// firstOf returns where a record with rec's id, task and pair side was read
// before, or "" when none was (recording this one at file:line). Records
// without an id are not compared.
func (d *Data) firstOf(rec Record, file string, line int) string {
	if rec.ID == "" {
		return ""
	}
	k := recordKey{rec.ID, rec.Task, rec.PairSide}
	if first, ok := d.seen[k]; ok {
		return first
	}
	if d.seen == nil {
		d.seen = map[recordKey]string{}
	}
	d.seen[k] = fmt.Sprintf("%s:%d", file, line)
	return ""
}

// readLine returns the next line without its newline. A line longer than
// limit is consumed whole and reported as long, without its bytes.
func readLine(br *bufio.Reader, limit int) (line []byte, long bool, err error) {
	for {
		chunk, isPrefix, err := br.ReadLine()
		if !long && len(line)+len(chunk) > limit {
			line, long = nil, true
		}
		if !long {
			line = append(line, chunk...)
		}
		if err != nil || !isPrefix {
			return line, long, err
		}
	}
}

func parseRecord(b []byte) (Record, string) {
	var rec Record
	// encoding/json would replace bad text with U+FFFD without a word.
	if !utf8.Valid(b) {
		return rec, fmt.Sprintf("invalid UTF-8 at byte %d", textfold.InvalidUTF8At(string(b))+1)
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		return rec, "invalid JSON: " + err.Error()
	}
	if i := unpairedSurrogateAt(b); i >= 0 {
		return rec, fmt.Sprintf("unpaired UTF-16 surrogate %s at byte %d", b[i:i+6], i+1)
	}
	switch {
	case rec.Task == "":
		return rec, `missing "task"`
	case rec.Label == nil:
		return rec, `missing "label"`
	case *rec.Label != 0 && *rec.Label != 1:
		return rec, fmt.Sprintf(`"label" is %d, want 0 or 1`, *rec.Label)
	case len(rec.Messages) == 0:
		return rec, `"messages" is empty`
	case rec.Messages[len(rec.Messages)-1].Role != chat.RoleAssistant:
		return rec, `the last of "messages" is not the assistant turn`
	}
	if err := chat.ValidateMessages(rec.Messages); err != nil {
		return rec, `"messages": ` + err.Error()
	}
	return rec, ""
}

// unpairedSurrogateAt returns the offset of the first \u escape in the
// valid JSON b that is a UTF-16 surrogate without its partner, or -1.
// Outside strings valid JSON has no backslash, so every backslash starts
// an escape.
func unpairedSurrogateAt(b []byte) int {
	for i := 0; i+1 < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if b[i+1] != 'u' {
			i++ // a one-character escape, \\ included
			continue
		}
		r := escapedUnit(b[i:])
		switch {
		case r >= 0xd800 && r < 0xdc00:
			if lo := escapedUnit(b[i+6:]); lo >= 0xdc00 && lo < 0xe000 {
				i += 11
				continue
			}
			return i
		case r >= 0xdc00 && r < 0xe000:
			return i
		}
		i += 5
	}
	return -1
}

// escapedUnit decodes the \uXXXX escape at the start of b, or returns -1.
func escapedUnit(b []byte) rune {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return -1
	}
	r, err := strconv.ParseUint(string(b[2:6]), 16, 16)
	if err != nil {
		return -1
	}
	return rune(r)
}
