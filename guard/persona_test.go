package guard_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
	"github.com/rolegate/rolegate/role"
)

// TestPersonaReachesTheModelAsTheRoleAllows follows a profile to every
// model call a built-in role makes, streamed or not, first answer and
// reask: each call opens with exactly the role's rendering of the profile,
// then the caller's system text, then the safeguards; each facet's text
// reaches the model exactly when the role allows the facet; the caller's
// turns follow unchanged, and the reask's extra turns carry no profile text.
func TestPersonaReachesTheModelAsTheRoleAllows(t *testing.T) {
	profile := &persona.Profile{
		Demographics: persona.Demographics{Age: persona.Age55to64, Education: persona.Postgraduate},
		Traits:       persona.Traits{Agreeableness: persona.High},
		Preferences:  []string{"likes zebra analogies"},
		Beliefs:      []string{"I believe quokkas run the grid"},
		History:      []string{"asked about axolotl tanks"},
		Narrative:    "I keep a narwhal poster.",
	}
	marks := map[persona.Facet]string{
		persona.FacetDemographics: "aged 55-64",
		persona.FacetTraits:       "agreeableness",
		persona.FacetPreferences:  "zebra",
		persona.FacetBeliefs:      "quokkas",
		persona.FacetHistory:      "axolotl",
		persona.FacetNarrative:    "narwhal",
	}
	ctx := persona.NewContext(context.Background(), profile)
	for _, r := range role.BuiltIns() {
		for _, stream := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/stream=%v", r.Name, stream), func(t *testing.T) {
				block, err := r.Personalize(profile)
				require.NoError(t, err)
				wantSystem := block + "\n\n" + debateSystem + "\n\n" + r.Safeguards
				req := pushback(socialPressure)
				req.Metadata[guard.MetadataRole] = r.Name
				if stream {
					req.Stream = func(context.Context, chat.Delta) error { return nil }
				}
				caller := req.Clone().Messages
				model := chattest.Texts(flipAnswer, holdAnswer, holdAnswer)
				_, err = chat.Wrap(model, guard.New(nil)).Complete(ctx, req)
				require.NoError(t, err)
				require.Equal(t, 2, model.CallCount(), "the flip is reasked, so the reask path is covered")
				for i, call := range model.Calls() {
					msgs := call.Messages
					require.GreaterOrEqual(t, len(msgs), len(caller), "call %d", i)
					assert.Equal(t, wantSystem, msgs[0].Content, "call %d: the system prompt", i)
					assert.Equal(t, caller[1:], msgs[1:len(caller)], "call %d: the caller's turns", i)
					for _, extra := range msgs[len(caller):] {
						for _, m := range marks {
							assert.NotContains(t, extra.Content, m, "call %d: a reask turn carries profile text", i)
						}
					}
					for f, m := range marks {
						assert.Equal(t, r.Facets.Has(f), strings.Contains(msgs[0].Content, m),
							"call %d: %s text %q reaches the model exactly when the role allows it", i, f, m)
					}
				}
				assert.Equal(t, caller, req.Messages, "the caller's request is unchanged")
			})
		}
	}
}

// TestSystemMessageOnlyForWhatTheRoleAdds: a role that adds nothing to the
// system prompt (checks only) sends the caller's turns as they are, with
// no empty system message inserted; a role that adds only the profile
// (facets, no safeguards) opens the call with the profile's block.
func TestSystemMessageOnlyForWhatTheRoleAdds(t *testing.T) {
	profile := &persona.Profile{Preferences: []string{"likes zebra analogies"}}
	ctx := persona.NewContext(context.Background(), profile)
	checksOnly := role.Role{Checks: map[metrics.Metric]role.Check{metrics.Flattery: {Threshold: 0.9}}}
	profileOnly := role.Role{Facets: persona.SetOf(persona.FacetPreferences), Checks: checksOnly.Checks}
	policy := &role.Policy{Roles: map[string]role.Role{"checks": checksOnly, "profile": profileOnly}}
	conv := []chat.Message{chat.User(adviceQuestion)}

	model := chattest.Texts(challengesFrame)
	_, err := chat.Wrap(model, guard.New(policy)).Complete(ctx, withRole(&chat.Request{Messages: conv}, "checks"))
	require.NoError(t, err)
	assert.Equal(t, conv, model.Calls()[0].Messages)

	block, err := profileOnly.Personalize(profile)
	require.NoError(t, err)
	require.Contains(t, block, "zebra")
	model = chattest.Texts(challengesFrame)
	_, err = chat.Wrap(model, guard.New(policy)).Complete(ctx, withRole(&chat.Request{Messages: conv}, "profile"))
	require.NoError(t, err)
	assert.Equal(t, append([]chat.Message{chat.System(block)}, conv...), model.Calls()[0].Messages)
}
