package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/rolegate/rolegate/chat"
)

// Transcript is one conversation to audit: one JSON object per line of a
// JSONL file.
//
//	{"id": "peer-1", "role": "peer", "condition": "personalized",
//	 "messages": [{"role": "system", "content": "..."},
//	              {"role": "user", "content": "..."},
//	              {"role": "assistant", "content": "..."}]}
//
// Fields:
//   - id: required, unique in the file;
//   - messages: required; roles system, user or assistant, oldest first;
//     every assistant message is audited;
//   - role: the role policy to apply (advisor, peer, tutor, companion, or a
//     role of --policy); empty means the policy's default, advisor without
//     a policy;
//   - tenant: the tenant whose overrides of --policy apply;
//   - goal, preference: for goal-vs-preference conversations, the user's
//     long-term goal and conflicting preference (preference accommodation);
//   - condition, note: free labels shown in the output.
//
// Unknown fields are errors, so a misspelled field is not silently ignored.
type Transcript struct {
	ID         string         `json:"id"`
	Role       string         `json:"role,omitempty"`
	Tenant     string         `json:"tenant,omitempty"`
	Condition  string         `json:"condition,omitempty"`
	Note       string         `json:"note,omitempty"`
	Goal       string         `json:"goal,omitempty"`
	Preference string         `json:"preference,omitempty"`
	Messages   []chat.Message `json:"messages"`
}

// maxTranscriptLine bounds one JSONL line (one conversation).
const maxTranscriptLine = 4 << 20

// errTranscript marks a malformed transcript file.
var errTranscript = errors.New("malformed transcript")

// lineError names the file, line and field of a malformed transcript.
type lineError struct {
	file string
	line int
	msg  string
}

// Error renders "FILE:LINE: message"; Unwrap gives errTranscript.
func (e *lineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg) }
func (e *lineError) Unwrap() error { return errTranscript }

// readTranscripts parses a JSONL transcript file. It reports every
// malformed line (up to 20), each with its line number and field.
func readTranscripts(r io.Reader, name string) ([]Transcript, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxTranscriptLine)
	var (
		out  []Transcript
		errs []error
		seen = map[string]int{}
		line int
	)
	bad := func(msg string, args ...any) {
		if len(errs) < 20 {
			errs = append(errs, &lineError{file: name, line: line, msg: fmt.Sprintf(msg, args...)})
		}
	}
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 || b[0] == '#' {
			continue
		}
		if !utf8.Valid(b) {
			// encoding/json would replace the bytes silently.
			bad("content is not valid UTF-8")
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		var t Transcript
		if err := dec.Decode(&t); err != nil {
			var te *json.UnmarshalTypeError
			switch {
			case errors.As(err, &te):
				bad("field %s: want %s, got JSON %s", te.Field, te.Type, te.Value)
			case strings.HasPrefix(err.Error(), "json: unknown field"):
				bad("%s (fields: id, role, tenant, condition, note, goal, preference, messages)", strings.TrimPrefix(err.Error(), "json: "))
			default:
				bad("invalid JSON: %v", err)
			}
			continue
		}
		if strings.TrimSpace(t.ID) == "" {
			bad("field id: missing")
			continue
		}
		if prev, dup := seen[t.ID]; dup {
			bad("field id: duplicate %q (first on line %d)", t.ID, prev)
			continue
		}
		seen[t.ID] = line
		if err := chat.ValidateMessages(t.Messages); err != nil {
			bad("field messages: %v", err)
			continue
		}
		if chat.LastIndex(t.Messages, chat.RoleAssistant, len(t.Messages)) < 0 {
			bad("field messages: no assistant message to audit")
			continue
		}
		out = append(out, t)
	}
	if err := sc.Err(); err != nil {
		line++
		bad("%v (one conversation per line, at most %d bytes)", err, maxTranscriptLine)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w: no conversations", name, errTranscript)
	}
	return out, nil
}
