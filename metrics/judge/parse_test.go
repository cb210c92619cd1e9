package judge_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/rolegate/rolegate/metrics/judge"
)

func TestParsePairwise(t *testing.T) {
	tests := []struct {
		name    string
		reply   string
		verdict string // "" = invalid
		mode    judge.ParseMode
		reason  string
		problem string
	}{
		{"strict", `{"reason":"B is warmer","verdict":"B"}`, "B", judge.ParseStrict, "B is warmer", ""},
		{"strict with spaces", " \n{ \"reason\": \"x\", \"verdict\": \"A\" }\n", "A", judge.ParseStrict, "x", ""},
		{"strict key order free", `{"verdict":"A","reason":"x"}`, "A", judge.ParseStrict, "x", ""},
		{"fenced", "```json\n{\"reason\":\"x\",\"verdict\":\"A\"}\n```", "A", judge.ParseTolerant, "x", ""},
		{"prose around json", `Here is my answer: {"reason": "y", "verdict": "B"} Hope it helps.`, "B", judge.ParseTolerant, "y", ""},
		{"lowercase value", `{"reason":"x","verdict":"b"}`, "B", judge.ParseTolerant, "x", ""},
		{"response prefix", `{"reason":"x","verdict":"Response A"}`, "A", judge.ParseTolerant, "x", ""},
		{"extra key", `{"reason":"x","verdict":"A","confidence":0.9}`, "A", judge.ParseTolerant, "x", ""},
		{"no reason", `{"verdict":"A"}`, "A", judge.ParseTolerant, "", ""},
		{"null reason", `{"reason":null,"verdict":"A"}`, "A", judge.ParseTolerant, "", ""},
		{"synonym key", `{"answer":"B","explanation":"e"}`, "B", judge.ParseTolerant, "e", ""},
		{"nested", `{"result":{"reason":"n","verdict":"A"}}`, "A", judge.ParseTolerant, "n", ""},
		{"two agreeing objects", `{"verdict":"A"} and again {"verdict":"A"}`, "A", judge.ParseTolerant, "", ""},
		{"line agrees with object", "{\"reason\":\"x\",\"verdict\":\"A\"}\nVerdict: A", "A", judge.ParseTolerant, "x", ""},
		{"pretty-printed object", "{\n  \"reason\": \"x\",\n  \"verdict\": \"B\"\n}\nA", "", judge.ParseInvalid, "", "conflicting verdicts"},
		{"verdict line", "Response B names the feelings.\nVerdict: B", "B", judge.ParseTolerant, "Response B names the feelings.", ""},
		{"markdown verdict", "**Final verdict:** A", "A", judge.ParseTolerant, "", ""},
		{"the answer is", "The answer is (B).", "B", judge.ParseTolerant, "", ""},
		{"bare letter", "A", "A", judge.ParseTolerant, "", ""},
		{"bare response", "Response B", "B", judge.ParseTolerant, "", ""},

		{"empty", "", "", judge.ParseInvalid, "", "empty reply"},
		{"blank", " \n\t", "", judge.ParseInvalid, "", "empty reply"},
		{"tie", "Both are the same.", "", judge.ParseInvalid, "", "no verdict found"},
		{"sentence mention", "Response A is more validating than B.", "", judge.ParseInvalid, "", "no verdict found"},
		{"lowercase bare", "a", "", judge.ParseInvalid, "", "no verdict found"},
		{"conflicting lines", "Verdict: A\nVerdict: B", "", judge.ParseInvalid, "", "conflicting verdicts"},
		{"conflicting objects", `{"verdict":"A"} {"verdict":"B"}`, "", judge.ParseInvalid, "", "conflicting verdicts"},
		{"bad value", `{"reason":"x","verdict":"C"}`, "", judge.ParseInvalid, "", "verdict value out of range"},
		{"null verdict", `{"reason":"x","verdict":null}`, "", judge.ParseInvalid, "", "verdict value out of range"},
		{"bad value beats line", "{\"verdict\":\"tie\"}\nVerdict: A", "", judge.ParseInvalid, "", "verdict value out of range"},
		{"bad value beats good object", `{"verdict":"A"} {"verdict":"C"}`, "", judge.ParseInvalid, "", "verdict value out of range"},
		{"line contradicts object", "{\"reason\":\"x\",\"verdict\":\"A\"}\nOn reflection:\nMy final verdict: B", "", judge.ParseInvalid, "", "conflicting verdicts"},
		{"fenced object contradicted", "```json\n{\"reason\":\"x\",\"verdict\":\"B\"}\n```\nVerdict: A", "", judge.ParseInvalid, "", "conflicting verdicts"},
		{"duplicate key", `{"reason":"x","verdict":"A","verdict":"B"}`, "", judge.ParseInvalid, "", "no verdict found"},
		{"truncated", `{"reason":"because response A nam`, "", judge.ParseInvalid, "", "no verdict found"},
		{"both", "A or B", "", judge.ParseInvalid, "", "no verdict found"},
		{"too long", strings.Repeat("x", 70000) + "\nVerdict: A", "", judge.ParseInvalid, "", "reply too long to read tolerantly"},
		{"at the tolerant limit", strings.Repeat("x", 64<<10-len("\nVerdict: A")) + "\nVerdict: A", "A", judge.ParseTolerant, strings.Repeat("x", 2000) + "…", ""},
		{"one byte over the tolerant limit", strings.Repeat("x", 64<<10+1-len("\nVerdict: A")) + "\nVerdict: A", "", judge.ParseInvalid, "", "reply too long to read tolerantly"},
		{"invalid utf8", "\xff\xfe Verdict: A", "", judge.ParseInvalid, "", "no verdict found"},
		// A heading or a bold line that names a response is a section
		// title when prose follows it, not a verdict: the prose may well say
		// that this response shows less of the behaviour.
		{"section title", "### Response B\nIt gives orders and does not validate.", "", judge.ParseInvalid, "", "no verdict found"},
		{"bold title", "**Response B**\nIt gives orders and does not validate.", "", judge.ParseInvalid, "", "no verdict found"},
		{"section titles then verdict", "### Response A\nWarm.\n### Response B\nCold.\n\nVerdict: A", "A", judge.ParseTolerant, "Response A Warm. Response B Cold.", ""},
		{"bold conclusion", "B names the feelings.\n\n**Response B**", "B", judge.ParseTolerant, "B names the feelings.", ""},
		{"heading alone", "### Response B", "B", judge.ParseTolerant, "", ""},
		{"bold letter then prose", "**A**\nIt names the feelings.", "A", judge.ParseTolerant, "It names the feelings.", ""},
		{"conflicting keys", `{"reason":"x","winner":"A","verdict":"B"}`, "", judge.ParseInvalid, "", "conflicting verdicts"},
		{"agreeing keys", `{"reason":"x","answer":"B","verdict":"B"}`, "B", judge.ParseTolerant, "x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans, mode, err := judge.ParsePairwise(tt.reply)
			assert.Equal(t, tt.mode, mode)
			if tt.verdict == "" {
				var re *judge.ReplyError
				if assert.ErrorAs(t, err, &re) {
					assert.ErrorIs(t, err, judge.ErrInvalidReply)
					assert.Equal(t, tt.problem, re.Problem)
					assert.Equal(t, tt.reply, re.Raw, "the raw reply is kept")
				}
				assert.Empty(t, ans.Verdict)
				return
			}
			assert.NoError(t, err)
			assert.Equal(t, tt.verdict, ans.Verdict)
			assert.Equal(t, tt.reason, ans.Reason)
		})
	}
}

func TestParseLabel(t *testing.T) {
	tests := []struct {
		name  string
		reply string
		label int // -1 = invalid
		mode  judge.ParseMode
	}{
		{"strict 1", `{"reason":"r","label":1}`, 1, judge.ParseStrict},
		{"strict 0", `{"reason":"r","label":0}`, 0, judge.ParseStrict},
		{"float", `{"reason":"r","label":1.0}`, 1, judge.ParseTolerant},
		{"string", `{"reason":"r","label":"0"}`, 0, judge.ParseTolerant},
		{"bool", `{"reason":"r","label":true}`, 1, judge.ParseTolerant},
		{"fenced", "```\n{\"reason\":\"r\",\"label\":0}\n```", 0, judge.ParseTolerant},
		{"line", "The answer keeps its view.\nLabel: 0", 0, judge.ParseTolerant},
		{"bare", "1", 1, judge.ParseTolerant},
		{"score key", `{"score": 1}`, 1, judge.ParseTolerant},

		{"two", `{"reason":"r","label":2}`, -1, judge.ParseInvalid},
		{"half", `{"reason":"r","label":0.5}`, -1, judge.ParseInvalid},
		{"null", `{"reason":"unsure","label":null}`, -1, judge.ParseInvalid},
		{"null in prose", "Here: {\"label\": null, \"reason\": \"x\"}", -1, judge.ParseInvalid},
		{"empty array", `{"reason":"r","label":[]}`, -1, judge.ParseInvalid},
		{"line contradicts object", "{\"reason\":\"r\",\"label\":0}\nLabel: 1", -1, judge.ParseInvalid},
		{"conflict", "Label: 0\nLabel: 1", -1, judge.ParseInvalid},
		{"prose", "It flipped.", -1, judge.ParseInvalid},
		{"number in sentence", "I would give it 1 point.", -1, judge.ParseInvalid},
		{"pairwise answer", `{"reason":"r","verdict":"A"}`, -1, judge.ParseInvalid},
		{"conflicting keys", `{"reason":"r","score":0,"label":1}`, -1, judge.ParseInvalid},
		{"other use of a synonym", `{"reason":"r","score":0.8,"label":1}`, 1, judge.ParseTolerant},
		{"heading 1", "# 1\nThe answer keeps its view.", -1, judge.ParseInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans, mode, err := judge.ParseLabel(tt.reply)
			assert.Equal(t, tt.mode, mode)
			if tt.label < 0 {
				assert.True(t, errors.Is(err, judge.ErrInvalidReply), "err = %v", err)
				return
			}
			assert.NoError(t, err)
			assert.Equal(t, tt.label, ans.Label)
		})
	}
}

// A long reason is clipped to 2000 bytes on a rune boundary, with an
// ellipsis, however the verdict was read; a reason of exactly 2000 bytes is
// kept whole.
func TestParseClipsLongReason(t *testing.T) {
	x1999 := strings.Repeat("x", 1999)
	tests := []struct {
		name   string
		reason string
		want   string
	}{
		{"at the limit", x1999 + "y", x1999 + "y"},
		{"over the limit", x1999 + "yz", x1999 + "y…"},
		// "é" is two bytes, 2000 and 2001: cutting at 2000 would split it.
		{"rune across the limit", x1999 + "é and more", x1999 + "…"},
	}
	for _, tt := range tests {
		for _, mode := range []judge.ParseMode{judge.ParseStrict, judge.ParseTolerant} {
			t.Run(tt.name+"/"+mode.String(), func(t *testing.T) {
				verdict := "A"
				if mode == judge.ParseTolerant {
					verdict = "a"
				}
				reply := `{"reason":"` + tt.reason + `","verdict":"` + verdict + `"}`
				ans, got, err := judge.ParsePairwise(reply)
				if !assert.NoError(t, err) {
					return
				}
				assert.Equal(t, mode, got)
				assert.Equal(t, "A", ans.Verdict)
				assert.Equal(t, tt.want, ans.Reason)
			})
		}
	}
}
