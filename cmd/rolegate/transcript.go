package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
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
//     every assistant message is audited (one that opens the conversation
//     answers no request, so it is scored without a guard decision);
//   - role: the role policy to apply (advisor, peer, tutor, companion, or a
//     role of -policy); empty means the policy's default, advisor without
//     a policy;
//   - tenant: the tenant whose overrides of -policy apply;
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

// maxTranscriptMessages bounds the messages of one conversation. The audit
// replays the guard at every reply, and each replay copies the
// conversation before it (the guard never touches the caller's request),
// so a conversation costs time in the square of its length: 5,000 short
// messages took 0.3 s, while the 140,000 empty messages a 4 MB line can
// hold would take minutes.
const maxTranscriptMessages = 5000

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

// maxLineErrors bounds the malformed lines listed one by one; the others
// are counted.
const maxLineErrors = 20

// readTranscripts parses a JSONL transcript file. It reports every
// malformed line, each with its line number and field (the first 20; a
// last error counts the others).
func readTranscripts(r io.Reader, name string) ([]Transcript, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxTranscriptLine)
	var (
		out            []Transcript
		errs           []error
		seen           = map[string]int{}
		line           int
		unlisted, last int
	)
	bad := func(msg string, args ...any) {
		if len(errs) < maxLineErrors {
			errs = append(errs, &lineError{file: name, line: line, msg: fmt.Sprintf(msg, args...)})
			return
		}
		unlisted, last = unlisted+1, line
	}
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if line == 1 {
			// A byte order mark, from Windows editors: before the test for
			// a blank or comment line, which it would hide.
			b = bytes.TrimPrefix(b, []byte("\uFEFF"))
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 || b[0] == '#' {
			continue
		}
		if !utf8.Valid(b) {
			// encoding/json would replace the bytes silently.
			bad("content is not valid UTF-8")
			continue
		}
		t, msg := decodeTranscript(b)
		if msg != "" {
			bad("%s", msg)
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
		if len(t.Messages) > maxTranscriptMessages {
			bad("field messages: %d messages, at most %d per conversation (the audit replays the guard at every reply, in time that grows with the square of the length): split the conversation", len(t.Messages), maxTranscriptMessages)
			continue
		}
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
	if unlisted > 0 {
		errs = append(errs, fmt.Errorf("%s: %d more malformed lines not listed (the last on line %d)", name, unlisted, last))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w: no conversations", name, errTranscript)
	}
	return out, nil
}

// transcriptFields and messageFields list the fields an error names.
const (
	transcriptFields = "id, role, tenant, condition, note, goal, preference, messages"
	messageFields    = "role, content"
)

// decodeTranscript decodes one line strictly: one JSON object, no unknown
// field at any level, nothing after it. A failure is described by field,
// with the message's index for an error inside one.
func decodeTranscript(b []byte) (Transcript, string) {
	if kind := jsonKind(b); kind != "" && kind != "object" {
		return Transcript{}, fmt.Sprintf("want a JSON object (one conversation), got JSON %s", kind)
	}
	// Transcript's fields, with the messages left raw to be decoded one by
	// one (an error then names the message).
	var raw struct {
		ID         string            `json:"id"`
		Role       string            `json:"role"`
		Tenant     string            `json:"tenant"`
		Condition  string            `json:"condition"`
		Note       string            `json:"note"`
		Goal       string            `json:"goal"`
		Preference string            `json:"preference"`
		Messages   []json.RawMessage `json:"messages"`
	}
	if msg := decodeStrict(b, &raw, "", transcriptFields); msg != "" {
		return Transcript{}, msg
	}
	t := Transcript{ID: raw.ID, Role: raw.Role, Tenant: raw.Tenant, Condition: raw.Condition,
		Note: raw.Note, Goal: raw.Goal, Preference: raw.Preference}
	if raw.Messages != nil {
		t.Messages = make([]chat.Message, len(raw.Messages))
	}
	for i, m := range raw.Messages {
		path := fmt.Sprintf("messages[%d]", i)
		if kind := jsonKind(m); kind != "object" {
			return Transcript{}, fmt.Sprintf("field %s: want an object, got JSON %s", path, kind)
		}
		if msg := decodeStrict(m, &t.Messages[i], path, messageFields); msg != "" {
			return Transcript{}, msg
		}
	}
	return t, ""
}

// decodeStrict decodes the JSON value b into v, refusing unknown fields and
// trailing data; a failure is described with the path of the object (""
// for the line's) and the fields it may hold.
func decodeStrict(b []byte, v any, path, fields string) string {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			return "invalid JSON: more than one value on the line"
		}
		return ""
	}
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if path != "" {
			field = path + "." + field
		}
		return fmt.Sprintf("field %s: want %s, got JSON %s", field, typeName(te.Type), te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		msg := fmt.Sprintf("%s (fields: %s)", strings.TrimPrefix(err.Error(), "json: "), fields)
		if path != "" {
			msg = "field " + path + ": " + msg
		}
		return msg
	}
	return fmt.Sprintf("invalid JSON: %v", err)
}

// jsonKind names the kind of the JSON value b starts with ("" when it is
// not one), for messages that say what was found.
func jsonKind(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	switch c := b[0]; {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 'n' && bytes.Equal(b, []byte("null")):
		return "null"
	case c == 't' && bytes.Equal(b, []byte("true")), c == 'f' && bytes.Equal(b, []byte("false")):
		return "boolean"
	case c == '-' || c >= '0' && c <= '9':
		return "number"
	}
	return ""
}

// typeName says in JSON's words what a Go type decodes from.
func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	}
	return "a number"
}
