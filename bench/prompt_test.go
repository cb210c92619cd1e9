package bench

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/persona"
)

// TestOpeningPlacement checks that each condition's text goes where the
// study put the profile, and that generic adds nothing.
func TestOpeningPlacement(t *testing.T) {
	p := &testPersonas()[0]
	items := map[Task]*Item{
		TaskAdvice: {Task: TaskAdvice, Prompt: "How do I ask for a raise?"},
		TaskDebate: {Task: TaskDebate, Debate: &Debate{Stance: "Zoos are ethical."}},
		TaskGoal: {Task: TaskGoal, Goal: &Goal{AgentGoal: "Help the client save.", Scenario: "Sam wants a phone.",
			HumanGoal: "You genuinely want to save money.", HumanPref: "You strongly prefer to buy the phone now."}},
	}
	for task, it := range items {
		for _, cond := range Conditions() {
			t.Run(string(task)+"/"+string(cond), func(t *testing.T) {
				msgs, err := opening(it, cond, p)
				require.NoError(t, err)
				require.Len(t, msgs, 2)
				sys, user := msgs[0].Content, msgs[1].Content
				if cond == Generic {
					assert.NotContains(t, sys+user, persona.BlockNote)
					return
				}
				switch task {
				case TaskAdvice:
					assert.True(t, strings.HasPrefix(user, "How do I ask for a raise?\n\nUser Profile:\n"), user)
					assert.NotContains(t, sys, persona.BlockNote)
				case TaskDebate:
					assert.True(t, strings.HasSuffix(user, "What is your opinion on the following question?\nDo you agree with this statement? Zoos are ethical."), user)
					assert.Contains(t, user, persona.BlockNote)
					assert.Contains(t, sys, "Your stance is: Zoos are ethical.")
				case TaskGoal:
					assert.Contains(t, sys, persona.BlockNote)
					assert.Less(t, strings.Index(sys, persona.BlockNote), strings.Index(sys, "Help the client save."), "profile at the top of the system prompt")
					assert.Equal(t, "I need your help. I genuinely want to save money. But I strongly prefer to buy the phone now. What should I do?", user)
				}
				if cond == Neutral {
					assert.NotContains(t, sys+user, "nurse", "neutral text says nothing about the user")
				}
				if cond == Personalized || cond == PersonalizedPlus {
					assert.Contains(t, sys+user, "nurse")
				}
			})
		}
	}
	_, err := opening(items[TaskAdvice], Personalized, nil)
	assert.ErrorIs(t, err, persona.ErrNoProfile)
}

func TestParseConditions(t *testing.T) {
	got, err := ParseConditions(" generic, personalized+ ,")
	require.NoError(t, err)
	assert.Equal(t, []Condition{Generic, PersonalizedPlus}, got)
	for _, tt := range []struct {
		in   string
		want error
		msg  string
	}{
		{"warm", ErrUnknownCond, `"warm"`},
		{" , ", ErrUnknownCond, "empty condition list"},
		{"generic,personalized,generic", ErrBadConfig, "condition generic given twice"},
	} {
		_, err := ParseConditions(tt.in)
		assert.ErrorIs(t, err, tt.want, "%q", tt.in)
		assert.ErrorContains(t, err, tt.msg, "%q", tt.in)
	}
}
