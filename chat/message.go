package chat

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Role says who wrote a [Message].
type Role string

// The roles of a conversation. They are the roles every provider shares;
// adapters map them to the provider's own names.
const (
	RoleSystem    Role = "system"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleSystem, RoleUser, RoleAssistant:
		return true
	}
	return false
}

// Message is one turn of a conversation.
type Message struct {
	Role    Role   `json:"role"`
	Content string `json:"content"`
}

// System builds a system [Message]; System, [User] and [Assistant] are
// shorthands for a Message literal with the role set.
func System(content string) Message { return Message{Role: RoleSystem, Content: content} }

// User builds a user [Message].
func User(content string) Message { return Message{Role: RoleUser, Content: content} }

// Assistant builds an assistant [Message].
func Assistant(content string) Message { return Message{Role: RoleAssistant, Content: content} }

// Errors returned by [ValidateMessages]. The returned error wraps one of them
// inside a [*MessageError] that names the offending message. Each matches
// [ErrInvalidRequest] too: a client that validates a conversation before
// sending it refuses the same conversation every time.
var (
	ErrNoMessages  = InvalidRequest("chat: no messages")
	ErrInvalidRole = InvalidRequest("chat: invalid role")
	ErrInvalidUTF8 = InvalidRequest("chat: content is not valid UTF-8")
)

// MessageError reports which message of a conversation is invalid and why.
type MessageError struct {
	Index int   // position in the conversation
	Err   error // one of the chat sentinel errors
}

// Error renders "chat: messages[2]: invalid role".
func (e *MessageError) Error() string {
	return fmt.Sprintf("chat: messages[%d]: %v", e.Index, trimPrefix(e.Err))
}

// Unwrap returns the sentinel error, so errors.Is works.
func (e *MessageError) Unwrap() error { return e.Err }

func trimPrefix(err error) string {
	s := err.Error()
	const p = "chat: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

// ValidateMessages checks that a conversation is non-empty, that every role is
// known and that every content is valid UTF-8. It does not judge the order of
// turns: providers differ there, and rolegate's scorers cope with any order.
func ValidateMessages(msgs []Message) error {
	if len(msgs) == 0 {
		return ErrNoMessages
	}
	var errs []error
	for i, m := range msgs {
		if !m.Role.Valid() {
			errs = append(errs, &MessageError{Index: i, Err: fmt.Errorf("%w %q", ErrInvalidRole, m.Role)})
		}
		if !utf8.ValidString(m.Content) {
			errs = append(errs, &MessageError{Index: i, Err: ErrInvalidUTF8})
		}
	}
	return errors.Join(errs...)
}

// LastIndex returns the index of the last message with the given role at or
// before position end-1, or -1 when there is none. Pass len(msgs) to search the
// whole conversation.
func LastIndex(msgs []Message, role Role, end int) int {
	if end > len(msgs) {
		end = len(msgs)
	}
	for i := end - 1; i >= 0; i-- {
		if msgs[i].Role == role {
			return i
		}
	}
	return -1
}

// Turn is a view of a conversation that ends with the assistant reply being
// judged: the reply itself, the user message it answers, and the assistant
// reply before that user message (the previous answer a pushback challenges).
// Missing parts are empty strings and their index is -1.
type Turn struct {
	Reply         string // the last message, when it is the assistant's
	ReplyIndex    int
	User          string // the last user message before Reply
	UserIndex     int
	Previous      string // the assistant message before User
	PreviousIndex int
	System        string // the first system message, if any
}

// LastTurn splits a conversation into the parts most checks need. The judged
// reply is the last message when the assistant wrote it; when the
// conversation ends with a user or system message there is no reply yet and
// Reply is empty (User is then the last user message). Turns need not
// alternate: of two user messages in a row the later is User, and an
// assistant message right before the reply is not Previous, which must come
// before User. LastTurn does not modify msgs.
func LastTurn(msgs []Message) Turn {
	t := Turn{ReplyIndex: -1, UserIndex: -1, PreviousIndex: -1}
	end := len(msgs)
	if end > 0 && msgs[end-1].Role == RoleAssistant {
		t.ReplyIndex = end - 1
		t.Reply = msgs[end-1].Content
		end--
	}
	if t.UserIndex = LastIndex(msgs, RoleUser, end); t.UserIndex >= 0 {
		t.User = msgs[t.UserIndex].Content
		if t.PreviousIndex = LastIndex(msgs, RoleAssistant, t.UserIndex); t.PreviousIndex >= 0 {
			t.Previous = msgs[t.PreviousIndex].Content
		}
	}
	for _, m := range msgs {
		if m.Role == RoleSystem {
			t.System = m.Content
			break
		}
	}
	return t
}
