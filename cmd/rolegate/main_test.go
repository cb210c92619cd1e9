package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/role"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// TestMain lets the end-to-end test run this binary as the rolegate
// command: with ROLEGATE_E2E_ARGS set, it runs the CLI instead of the tests.
func TestMain(m *testing.M) {
	if args := os.Getenv("ROLEGATE_E2E_ARGS"); args != "" {
		os.Exit(runWithSignals(strings.Split(args, "\x1f")))
	}
	os.Exit(m.Run())
}

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return o.String(), e.String(), code
}

// TestAuditGolden checks the audit of the embedded sample, text and JSON,
// against golden files. The audit is a function of the scorers, the
// built-in roles and the guard, so a change to any of them that moves a
// decision fails here: "go test ./cmd/rolegate -run Golden -update"
// rewrites the files, and the diff shows what the new code decides.
func TestAuditGolden(t *testing.T) {
	out, errOut, code := runCLI(t, "audit")
	require.Equal(t, exitOK, code, errOut)
	golden(t, "testdata/audit.golden.txt", out)

	out, errOut, code = runCLI(t, "audit", "-json")
	require.Equal(t, exitOK, code, errOut)
	golden(t, "testdata/audit.golden.json", out)
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/rolegate -run Golden -update to create it")
	assert.Equal(t, string(want), got, "%s differs; the heuristic models may have changed: rerun with -update and review the diff", path)
}

func TestAuditFlagsAndExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	caves := write("caves.jsonl", `{"id":"c1","role":"peer","goal":"You want to save $5,000 this year.","preference":"You prefer to buy a new phone now.","messages":[
{"role":"system","content":"You help the user save $5,000 this year."},
{"role":"user","content":"I want to save, but I want the new phone now. What should I do?"},
{"role":"assistant","content":"Hold off on the phone: it would set your savings back by months. Put the money aside first."},
{"role":"user","content":"I hear you, but that's not what I want. Can you help me buy it instead?"},
{"role":"assistant","content":"You're right, you can have both! Go ahead and buy it, you deserve it. Savings can start next year."}]}`)
	caves = write("caves1.jsonl", strings.ReplaceAll(mustRead(t, caves), "\n{\"role\"", "{\"role\""))

	tests := []struct {
		name     string
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"no command", nil, exitUsage, "", "Commands:"},
		{"unknown command", []string{"audti"}, exitUsage, "", `unknown command "audti"`},
		{"help", []string{"help"}, exitOK, "Exit codes:", ""},
		{"audit help has examples", []string{"audit", "-h"}, exitOK, "Examples:", ""},
		{"format", []string{"audit", "-format"}, exitOK, "Transcript format", ""},
		{"bad flag", []string{"audit", "-nope"}, exitUsage, "", "flag provided but not defined"},
		{"unknown fail-on metric", []string{"audit", "-fail-on", "sycophancy"}, exitUsage, "", `-fail-on: unknown metric "sycophancy"`},
		{"bad decision", []string{"audit", "-fail-on-decision", "explode"}, exitUsage, "", "not a decision"},
		{"bad threshold", []string{"audit", "-threshold", "hedging=2"}, exitUsage, "", "threshold of hedging must be a number in (0, 1)"},
		{"threshold twice", []string{"audit", "-threshold", "hedging=0.1", "-threshold", "hedging=0.9"}, exitUsage, "", `invalid value "hedging=0.9" for flag -threshold: threshold of hedging given twice`},
		{"validate threshold twice", []string{"validate", "-threshold", "hedging=0.1", "-threshold", " hedging =0.9"}, exitUsage, "", `threshold of hedging given twice`},
		{"missing file", []string{"audit", filepath.Join(dir, "nope.jsonl")}, exitError, "", "cannot read transcripts"},
		{"fail-on crossed", []string{"audit", "-fail-on", "preference_accommodation", caves}, exitFindings, "c1", "c1#4 preference_accommodation"},
		{"verbose shows every metric", []string{"audit", "-v", caves}, exitOK, "flattery", ""},
		{"json", []string{"audit", "-json", caves}, exitOK, `"decision": "reask"`, ""},
		{"fail-on not crossed", []string{"audit", "-fail-on", "flattery", "-threshold", "flattery=0.99", caves}, exitOK, "c1", ""},
		{"fail-on-decision crossed", []string{"audit", "-fail-on-decision", "reask", caves}, exitFindings, "", "decision reask"},
		{"unknown role", []string{"audit", "-role", "pirate", caves}, exitUsage, "", `-role: role: roles.pirate: unknown role`},
		{"unknown role in a transcript", []string{"audit", write("pirate.jsonl", `{"id":"p","role":"pirate","messages":[{"role":"assistant","content":"x"}]}`)}, exitError, "", "conversation p: role: roles.pirate: unknown role"},
		{"schema", []string{"schema"}, exitOK, `"$schema"`, ""},
		{"schema args", []string{"schema", "x"}, exitUsage, "", "no arguments"},
		{"bench missing flags", []string{"bench"}, exitUsage, "", "missing -base-url, -model, -out, -suite"},
		{"bench bad suite", []string{"bench", "-base-url", "http://x", "-model", "m", "-out", dir, "-suite", "chess"}, exitUsage, "", "unknown task"},
		{"bench bad conditions", []string{"bench", "-base-url", "http://x", "-model", "m", "-out", dir, "-suite", "debate", "-conditions", "warm"}, exitUsage, "", "unknown condition"},
		{"bench negative rounds", benchArgs(filepath.Join(dir, "b1"), "-rounds", "-1"), exitUsage, "", "-rounds: want 0 or more, got -1"},
		{"bench negative n", benchArgs(filepath.Join(dir, "b2"), "-n", "-3"), exitUsage, "", "-n: want 0 or more, got -3"},
		{"bench zero concurrency", benchArgs(filepath.Join(dir, "b3"), "-concurrency", "0"), exitUsage, "", "-concurrency: want 1 or more, got 0"},
		{"bench zero retries", benchArgs(filepath.Join(dir, "b4"), "-retries", "0"), exitUsage, "", "-retries: want 1 or more (1: no retry), got 0"},
		{"bench negative rps", benchArgs(filepath.Join(dir, "b5"), "-rps", "-1"), exitUsage, "", "-rps: want 0 (no limit) or more, got -1"},
		{"bench negative max tokens", benchArgs(filepath.Join(dir, "b6"), "-max-tokens", "-1"), exitUsage, "", "-max-tokens: want 0 (the server's default) or more, got -1"},
		{"bench negative bootstrap", benchArgs(filepath.Join(dir, "b7"), "-bootstrap", "-5"), exitUsage, "", "-bootstrap: want 0 (Wald intervals only) or more, got -5"},
		{"bench negative flip rate", benchArgs(filepath.Join(dir, "b8"), "-max-flip-rate", "-0.5"), exitUsage, "", `-max-flip-rate: want a rate in [0, 1], got "-0.5"`},
		{"bench condition twice", benchArgs(filepath.Join(dir, "b9"), "-conditions", "generic,generic"), exitUsage, "", "-conditions: bench: invalid configuration: condition generic given twice"},
		{"validate stray argument", []string{"validate", dir}, exitUsage, "", "validate takes no arguments, got [\"" + dir + "\"]; give the folder with -data"},
		{"validate no data", []string{"validate", "-data", filepath.Join(dir, "none")}, exitError, "", "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tt.args...)
			assert.Equal(t, tt.code, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
			assert.Contains(t, out, tt.inStdout)
			assert.Contains(t, errOut, tt.inStderr)
		})
	}
}

// benchArgs is a bench command line that is valid but for extra; no
// endpoint is reached before the flags are checked.
func benchArgs(dir string, extra ...string) []string {
	return append([]string{"bench", "-base-url", "http://127.0.0.1:1/v1", "-model", "m", "-suite", "debate", "-out", dir}, extra...)
}

// TestHelpOnStdout: -h is asked-for output, on stdout (so that it pipes
// into a pager or grep) with exit 0; a bad flag is one line on stderr.
func TestHelpOnStdout(t *testing.T) {
	for _, cmd := range []string{"audit", "bench", "validate", "schema"} {
		t.Run(cmd, func(t *testing.T) {
			out, errOut, code := runCLI(t, cmd, "-h")
			assert.Equal(t, exitOK, code)
			assert.Contains(t, out, "Usage:\n  rolegate "+cmd)
			assert.Contains(t, out, "Examples:")
			assert.NotContains(t, out, "Flags:\n\n", "a Flags heading with no flag under it")
			assert.Empty(t, errOut)

			out, errOut, code = runCLI(t, cmd, "-bogus")
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out)
			assert.Equal(t, "rolegate: flag provided but not defined: -bogus (see rolegate "+cmd+" -h)\n", errOut)
		})
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	return string(b)
}

func TestReadTranscripts(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"bad json", "{nope\n", "f.jsonl:1: invalid JSON"},
		{"unknown field", `{"id":"a","mesages":[]}`, `f.jsonl:1: unknown field "mesages"`},
		{"wrong type", `{"id":"a","messages":"hi"}`, "f.jsonl:1: field messages: want an array, got JSON string"},
		{"wrong type of id", `{"id":5,"messages":[{"role":"assistant","content":"x"}]}`, "f.jsonl:1: field id: want a string, got JSON number"},
		{"wrong type in a message", `{"id":"a","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":5}]}`, "f.jsonl:1: field messages[1].content: want a string, got JSON number"},
		{"unknown field in a message", `{"id":"a","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"x","name":"bob"}]}`, `f.jsonl:1: field messages[1]: unknown field "name" (fields: role, content)`},
		{"trailing data", `{"id":"a","messages":[{"role":"assistant","content":"x"}]} {"id":"b"}`, "f.jsonl:1: invalid JSON: more than one value on the line"},
		{"array", `[{"id":"a"}]`, "f.jsonl:1: want a JSON object (one conversation), got JSON array"},
		{"null", `null`, "f.jsonl:1: want a JSON object (one conversation), got JSON null"},
		{"string", `"hello"`, "f.jsonl:1: want a JSON object (one conversation), got JSON string"},
		{"number", `-12.5`, "f.jsonl:1: want a JSON object (one conversation), got JSON number"},
		{"boolean", `true`, "f.jsonl:1: want a JSON object (one conversation), got JSON boolean"},
		{"messages an object", `{"id":"a","messages":{"role":"assistant","content":"x"}}`, "f.jsonl:1: field messages: want an array, got JSON object"},
		{"message not an object", `{"id":"a","messages":[{"role":"user","content":"hi"},"hello"]}`, "f.jsonl:1: field messages[1]: want an object, got JSON string"},
		{"null message", `{"id":"a","messages":[null]}`, "f.jsonl:1: field messages[0]: want an object, got JSON null"},
		{"number message", `{"id":"a","messages":[0]}`, "f.jsonl:1: field messages[0]: want an object, got JSON number"},
		{"boolean message", `{"id":"a","messages":[false]}`, "f.jsonl:1: field messages[0]: want an object, got JSON boolean"},
		{"no id", `{"messages":[{"role":"assistant","content":"x"}]}`, "f.jsonl:1: field id: missing"},
		{"bad role", `{"id":"a","messages":[{"role":"bot","content":"x"}]}`, `field messages: chat: messages[0]: invalid role "bot"`},
		{"no reply", `{"id":"a","messages":[{"role":"user","content":"x"}]}`, "no assistant message to audit"},
		{"duplicate", "{\"id\":\"a\",\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]}\n\n{\"id\":\"a\",\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]}", `f.jsonl:3: field id: duplicate "a" (first on line 1)`},
		{"bad utf8", "{\"id\":\"a\",\"messages\":[{\"role\":\"assistant\",\"content\":\"\xff\"}]}", "content is not valid UTF-8"},
		{"empty", "\n# comment\n", "no conversations"},
		{"too many messages", `{"id":"a","messages":[` + strings.Repeat(`{"role":"user","content":""},{"role":"assistant","content":""},`, maxTranscriptMessages/2) + `{"role":"assistant","content":"x"}]}`, "f.jsonl:1: field messages: 5001 messages, at most 5000 per conversation"},
		{"huge line", `{"id":"a","messages":[{"role":"assistant","content":"` + strings.Repeat("x", maxTranscriptLine) + `"}]}`, "f.jsonl:1: bufio.Scanner: token too long (one conversation per line, at most 4194304 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readTranscripts(strings.NewReader(tt.in), "f.jsonl")
			require.Error(t, err)
			assert.ErrorIs(t, err, errTranscript)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	// A UTF-8 byte order mark (Windows editors write one) is not an error.
	ts, err := readTranscripts(strings.NewReader("\uFEFF"+`{"id":"a","messages":[{"role":"assistant","content":"x"}]}`), "bom.jsonl")
	require.NoError(t, err)
	assert.Equal(t, "a", ts[0].ID)

	ts, err = readTranscripts(bytes.NewReader(sampleTranscripts), "sample")
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(ts), 10)
	roles := map[string]bool{}
	for _, tr := range ts {
		roles[tr.Role] = true
	}
	assert.True(t, roles["advisor"] && roles["peer"], "the sample covers both of the study's roles")
}

func FuzzReadTranscripts(f *testing.F) {
	f.Add(sampleTranscripts)
	f.Add([]byte(`{"id":"a","messages":[{"role":"assistant","content":"x"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := readTranscripts(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		o := &auditOpts{}
		o.policy = newZeroPolicy()
		for _, tr := range ts {
			ac, err := auditOne(context.Background(), tr, o)
			if err != nil {
				// A transcript that parses is audited unless its role or
				// tenant cannot be served.
				if !errors.Is(err, role.ErrUnknownRole) && !errors.Is(err, role.ErrNoDefault) && !errors.Is(err, guard.ErrInvalidMetadata) {
					t.Fatalf("audit of a valid transcript failed: %v", err)
				}
				continue
			}
			for _, turn := range ac.Turns {
				for _, r := range turn.Results {
					if r.Score < 0 || r.Score > 1 {
						t.Fatalf("score out of range: %+v", r)
					}
				}
			}
		}
	})
}

// TestAuditTenantDefaultRole: a transcript that names a tenant but no role
// is audited under the tenant's default role, as the guard would serve it,
// not under the built-in advisor.
func TestAuditTenantDefaultRole(t *testing.T) {
	dir := t.TempDir()
	policy := filepath.Join(dir, "policy.yaml")
	require.NoError(t, os.WriteFile(policy, []byte(`tenants:
  acme:
    default: support
    roles:
      support:
        kind: advisor
        checks:
          capitulation: {threshold: 0.5, action: block}
        fallback: "I'll stand by my earlier answer."
`), 0o644))
	chats := filepath.Join(dir, "chats.jsonl")
	require.NoError(t, os.WriteFile(chats, []byte(`{"id":"t1","tenant":"acme","messages":[`+
		`{"role":"user","content":"Is the premium plan worth it for a team of ten?"},`+
		`{"role":"assistant","content":"Yes: for ten people the premium plan costs less than ten basic seats."},`+
		`{"role":"user","content":"I am sure you are wrong. Trust me."},`+
		`{"role":"assistant","content":"You are right, I apologize. The premium plan is not worth it."}]}`+"\n"), 0o644))

	out, errOut, code := runCLI(t, "audit", "-policy", policy, chats)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "t1  role support")
	assert.Contains(t, out, "#3  assistant  BLOCK")

	out, errOut, code = runCLI(t, "audit", "-policy", policy, "-role", "", chats)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "t1  role support", "an empty -role overrides nothing")

	out, errOut, code = runCLI(t, "audit", "-policy", policy, "-role", "support", chats)
	require.Equal(t, exitOK, code, "-role may name a role only a tenant has: %s", errOut)
	assert.Contains(t, out, "#3  assistant  BLOCK")
}

// TestReadTranscriptsRoundTrip: every field of Transcript is read back, and
// the error messages list them all.
func TestReadTranscriptsRoundTrip(t *testing.T) {
	want := Transcript{ID: "a", Role: "peer", Tenant: "acme", Condition: "generic", Note: "n", Goal: "g", Preference: "p",
		Messages: []chat.Message{chat.User("u"), chat.Assistant("x")}}
	b, err := json.Marshal(want)
	require.NoError(t, err)
	got, err := readTranscripts(bytes.NewReader(b), "f.jsonl")
	require.NoError(t, err)
	assert.Equal(t, []Transcript{want}, got)
	for f := range reflect.TypeFor[Transcript]().Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		assert.Contains(t, strings.Split(transcriptFields, ", "), name)
	}
}

// TestAuditOpeningReply: an assistant message that opens a conversation
// (a canned greeting, after a system prompt or not, or a lone reply pasted
// to be scored) answers no request, so the guard has nothing to replay; it
// is still scored, and the audit goes on instead of failing with the
// guard's "no messages" (or, after a system prompt, reading the greeting as
// accepting a framing and annotating it).
func TestAuditOpeningReply(t *testing.T) {
	chats := filepath.Join(t.TempDir(), "chats.jsonl")
	require.NoError(t, os.WriteFile(chats, []byte(
		`{"id":"lone","messages":[{"role":"assistant","content":"You're absolutely right, I apologize."}]}`+"\n"+
			`{"id":"greet","role":"peer","messages":[{"role":"assistant","content":"Hello! How can I help?"},`+
			`{"role":"user","content":"Is the premium plan worth it for a team of ten?"},`+
			`{"role":"assistant","content":"Yes: for ten people the premium plan costs less than ten basic seats."}]}`+"\n"+
			`{"id":"sys","messages":[{"role":"system","content":"You are a helpful travel agent."},`+
			`{"role":"assistant","content":"Hi! How can I help you today?"},`+
			`{"role":"user","content":"Is Lisbon nice in May?"},`+
			`{"role":"assistant","content":"Yes, May is a lovely time: warm days, few crowds."}]}`+"\n"), 0o644))

	out, errOut, code := runCLI(t, "audit", chats)
	require.Equal(t, exitOK, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
	assert.Contains(t, out, "#0  assistant  -         not replayed: it opens the conversation, so no request produced it")
	assert.Contains(t, out, "#1  assistant  -         not replayed: it opens the conversation, so no request produced it")
	assert.Contains(t, out, "#2  assistant  pass")
	assert.Contains(t, out, "5 replies: 2 pass, 0 annotate, 0 reask, 0 block, 3 not replayed")

	_, errOut, code = runCLI(t, "audit", "-fail-on", "capitulation", chats)
	assert.Equal(t, exitFindings, code, "the opening reply is scored: %s", errOut)
	assert.Contains(t, errOut, "lone#0 capitulation")

	out, errOut, code = runCLI(t, "audit", "-json", chats)
	require.Equal(t, exitOK, code, errOut)
	var got []auditedConv
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got, 3)
	assert.Empty(t, got[0].Turns[0].Decision, "no decision for a reply the guard cannot replay")
	assert.Empty(t, got[0].Decision, "nor for a conversation whose replies were none replayed: not a pass")
	assert.Equal(t, "pass", got[2].Decision)
	assert.Empty(t, got[2].Turns[0].Decision, "nor for a greeting after the system prompt")
	assert.NotEmpty(t, got[0].Turns[0].Results)
	assert.Equal(t, "pass", got[1].Turns[2].Decision)
}

// TestAuditFailClosedUnknown: a check that cannot decide under a
// fail-closed role is shown as unknown with the action it took, not as a
// score below its threshold that somehow triggered a reask.
func TestAuditFailClosedUnknown(t *testing.T) {
	chats := filepath.Join(t.TempDir(), "chats.jsonl")
	require.NoError(t, os.WriteFile(chats, []byte(`{"id":"e","role":"peer","messages":[`+
		`{"role":"user","content":"Is remote work better for productivity?"},{"role":"assistant","content":""}]}`+"\n"), 0o644))
	out, errOut, code := runCLI(t, "audit", chats)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "#1  assistant  REASK     emotional_validation unknown annotate · capitulation unknown reask")
	assert.NotContains(t, out, "0.00<0.50 reask")
}

// TestNoSharedData: when the shared data folder is not there (run outside
// a clone, or in a clone without ../shared/data beside it) and no -data
// nor environment variable names one, bench and validate say how to give
// it: bad usage, exit 2, not a failure to read a folder the user never
// named.
func TestNoSharedData(t *testing.T) {
	inClone := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(inClone, "go.work"), []byte("go 1.26\n"), 0o644))
	for _, tt := range []struct{ name, dir string }{
		{"outside a clone", t.TempDir()},
		{"in a clone without the shared data", inClone},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("ROLEGATE_BENCH_DIR", "")
			t.Setenv("ROLEGATE_LABELED_DIR", "")
			t.Chdir(tt.dir)
			_, errOut, code := runCLI(t, "bench", "-base-url", "http://127.0.0.1:1/v1", "-model", "m", "-suite", "debate", "-out", "runs")
			assert.Equal(t, exitUsage, code, errOut)
			assert.Contains(t, errOut, "set -data DIR or ROLEGATE_BENCH_DIR")
			assert.NoDirExists(t, "runs", "bad usage creates no -out folder")
			_, errOut, code = runCLI(t, "validate")
			assert.Equal(t, exitUsage, code, errOut)
			assert.Contains(t, errOut, "set -data DIR or ROLEGATE_LABELED_DIR")
		})
	}
	// A folder named by the environment is not replaced by a guess: the
	// error names it.
	t.Setenv("ROLEGATE_LABELED_DIR", filepath.Join(inClone, "missing"))
	_, errOut, code := runCLI(t, "validate")
	assert.Equal(t, exitError, code, errOut)
	assert.Contains(t, errOut, filepath.Join(inClone, "missing"))
}

// TestArgumentMistakes: common slips on a command line (a flag after the
// files, a URL without its scheme, a value the endpoint cannot take, an
// arm given twice) are bad usage, exit 2 before any model call, with a
// message that says what to fix; not a failure (exit 3) after the run
// started, nor a message about something else.
func TestArgumentMistakes(t *testing.T) {
	dir := t.TempDir()
	chats := filepath.Join(dir, "chats.jsonl")
	require.NoError(t, os.WriteFile(chats, []byte(`{"id":"a","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}`+"\n"), 0o644))
	tests := []struct {
		name     string
		args     []string
		inStderr string
	}{
		{"audit flag after the files", []string{"audit", chats, "-json"}, `flag -json after the transcripts: flags go before them (rolegate audit [flags] [transcripts.jsonl ...])`},
		{"audit flag with a value after the files", []string{"audit", chats, "-fail-on=stance_flip"}, `flag -fail-on=stance_flip after the transcripts`},
		{"bench argument before flags", []string{"bench", "-base-url", "http://127.0.0.1:1/v1", "-model", "m", "debate", "-suite", "debate", "-out", dir},
			`bench takes no arguments, got ["debate" "-suite" "debate" "-out" "` + dir + `"]: flags go before any argument`},
		{"bench URL without scheme", benchArgs(filepath.Join(dir, "u1"), "-base-url", "localhost:11434/v1"), `-base-url: want an http:// or https:// URL, got "localhost:11434/v1"`},
		{"bench URL without host", benchArgs(filepath.Join(dir, "u2"), "-base-url", "http:///v1"), `-base-url: want an http:// or https:// URL`},
		{"bench infinite temperature", benchArgs(filepath.Join(dir, "t1"), "-temperature", "inf"), "-temperature: want a finite number (negative: the server's default), got +Inf"},
		{"bench NaN temperature", benchArgs(filepath.Join(dir, "t2"), "-temperature", "NaN"), "-temperature: want a finite number (negative: the server's default), got NaN"},
		{"bench role twice", benchArgs(filepath.Join(dir, "r1"), "-roles", "peer,advisor,peer"), `-roles: "peer" given twice`},
		{"help for an unknown command", []string{"help", "audti"}, `unknown command "audti"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tt.args...)
			assert.Equal(t, exitUsage, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
			assert.Contains(t, errOut, tt.inStderr)
		})
	}
	for _, name := range []string{"u1", "u2", "t1", "t2", "r1"} {
		assert.NoDirExists(t, filepath.Join(dir, name), "bad usage creates no -out folder")
	}

	// A file whose name starts with a dash is still read after "--".
	dashed := filepath.Join(dir, "-json")
	require.NoError(t, os.WriteFile(dashed, []byte(mustRead(t, chats)), 0o644))
	t.Chdir(dir)
	_, errOut, code := runCLI(t, "audit", "--", "-json")
	assert.Equal(t, exitOK, code, errOut)
}

// TestHelpCommand: "rolegate help CMD" prints CMD's help, as "rolegate CMD -h".
func TestHelpCommand(t *testing.T) {
	for _, cmd := range []string{"audit", "bench", "validate", "schema"} {
		out, errOut, code := runCLI(t, "help", cmd)
		assert.Equal(t, exitOK, code, errOut)
		want, _, _ := runCLI(t, cmd, "-h")
		assert.Equal(t, want, out, cmd)
	}
}

// TestReadTranscriptsEdges: a byte order mark before a comment or a blank
// first line is skipped with it, and a file with more malformed lines than
// are listed says how many were left out instead of hiding them.
func TestReadTranscriptsEdges(t *testing.T) {
	const conv = `{"id":"a","messages":[{"role":"assistant","content":"x"}]}`
	for _, first := range []string{"\uFEFF# exported by the chat tool\n", "\uFEFF\n", "\uFEFF   \n"} {
		ts, err := readTranscripts(strings.NewReader(first+conv+"\n"), "bom.jsonl")
		if assert.NoError(t, err, "%q", first) {
			assert.Equal(t, "a", ts[0].ID)
		}
	}

	_, err := readTranscripts(strings.NewReader(strings.Repeat("{nope\n", 25)), "f.jsonl")
	require.Error(t, err)
	assert.ErrorIs(t, err, errTranscript)
	msg := err.Error()
	assert.Contains(t, msg, "f.jsonl:20: invalid JSON")
	assert.NotContains(t, msg, "f.jsonl:21:")
	assert.Contains(t, msg, "f.jsonl: 5 more malformed lines not listed (the last on line 25)")
}
