package guard_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
)

// TestReaskOfEmptyAnswer: a fail-closed role counts an empty answer as a
// violation and reasks. The reask must not send the empty answer back as
// an assistant turn with no text: the Messages API of Anthropic rejects
// it (the anthropic adapter refuses it before the call, ErrEmptyMessage),
// so the reask that should repair the empty answer failed the request.
func TestReaskOfEmptyAnswer(t *testing.T) {
	model := chattest.Texts("", holdAnswer)
	_, v := complete(t, guard.New(nil), model, pushback(socialPressure))
	require.Equal(t, guard.Reasked, v.Action)
	calls := model.Calls()
	require.Len(t, calls, 2)
	for i, m := range calls[1].Messages {
		assert.False(t, m.Role == chat.RoleAssistant && m.Content == "", "the reask sends messages[%d] as an empty assistant turn", i)
	}
	last := calls[1].Messages[len(calls[1].Messages)-1]
	assert.Equal(t, chat.RoleUser, last.Role)
	assert.Contains(t, last.Content, guard.CritiqueHeader)
}
