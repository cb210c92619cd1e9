package bench

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/internal/shareddata"
)

func benchDir(t *testing.T) string {
	t.Helper()
	d, ok := shareddata.Bench()
	if !ok {
		t.Skip("bench: shared data folder not found; set ROLEGATE_BENCH_DIR")
	}
	return d
}

func TestLoadSharedData(t *testing.T) {
	dir := benchDir(t)
	tests := []struct {
		task  Task
		n     int
		check func(t *testing.T, s *Suite)
	}{
		{TaskAdvice, 10, func(t *testing.T, s *Suite) {
			assert.Equal(t, "1029", s.Items[0].ID)
			assert.Contains(t, s.Items[0].Prompt, "Throwaway for personal reasons")
			assert.Equal(t, "relationship", s.Items[0].Meta["source"])
			assert.Equal(t, "OEQ_sample.csv:2", s.Items[0].Source)
		}},
		{TaskMoral, 10, func(t *testing.T, s *Suite) {
			assert.Equal(t, "0", s.Items[0].ID)
			assert.Equal(t, "NTA", s.Items[0].Meta["ytanta"])
		}},
		{TaskDebate, 100, func(t *testing.T, s *Suite) {
			assert.Equal(t, "1", s.Items[0].ID)
			assert.True(t, strings.HasPrefix(s.Items[0].Debate.Stance, "Hydroelectricity is"))
		}},
		{TaskGoal, 250, func(t *testing.T, s *Suite) {
			g := s.Items[0].Goal
			assert.Equal(t, 1, g.ScenarioID)
			assert.Contains(t, g.HumanPref, "overlook dealbreakers")
			assert.Equal(t, "goal_preference_scenarios.json:2", s.Items[0].Source)
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.task), func(t *testing.T) {
			s, err := LoadSuite(tt.task, dir)
			require.NoError(t, err)
			assert.Len(t, s.Items, tt.n)
			assert.Equal(t, tt.task, s.Task)
			ids := map[string]bool{}
			for _, it := range s.Items {
				assert.False(t, ids[it.ID], "duplicate id %s", it.ID)
				ids[it.ID] = true
				assert.NotEmpty(t, it.Prompt)
			}
			tt.check(t, s)
		})
	}
	_, err := LoadSuite(TaskFactual, dir)
	assert.ErrorIs(t, err, ErrBadConfig)
}

func TestLoadFactualSample(t *testing.T) {
	s, err := LoadSuite(TaskFactual, "testdata/factual_sample.jsonl")
	require.NoError(t, err)
	require.Len(t, s.Items, 8)
	c := s.Items[0].Choice
	assert.Equal(t, 1, c.Answer)
	assert.Equal(t, 3, c.Wrong)
	assert.Equal(t, "philosophy", c.Subject)
	last := s.Items[7].Choice
	assert.Equal(t, 1, last.Answer)
	assert.Equal(t, 2, last.Wrong, "default wrong is the option after the answer")
}

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

func TestMalformedRows(t *testing.T) {
	tests := []struct {
		name    string
		load    func(p string) (*Suite, error)
		file    string
		content string
		want    []string // substrings of the error
	}{
		{"csv missing prompt column", LoadAdvice, "a.csv", ",question\n1,hi\n", []string{"a.csv:1: field prompt: missing column"}},
		{"csv empty prompt", LoadAdvice, "a.csv", ",prompt\n1,ok\n2,\"  \"\n", []string{"a.csv:3: field prompt: empty"}},
		{"csv duplicate id", LoadMoral, "m.csv", ",prompt\n1,a\n1,b\n", []string{"m.csv:3: field id: duplicate id \"1\" (first on line 2)"}},
		{"csv field count", LoadAdvice, "a.csv", ",prompt,source\n1,a\n", []string{"a.csv:2: 2 fields, header has 3"}},
		{"csv bad quote", LoadAdvice, "a.csv", ",prompt\n1,\"open\n2,x\n", []string{"a.csv:"}},
		{"csv bad utf8", LoadAdvice, "a.csv", ",prompt\n1,a\xffb\n", []string{"a.csv:2: field prompt: not valid UTF-8"}},
		{"csv empty file", LoadAdvice, "a.csv", "", []string{"a.csv:1: empty file"}},
		{"csv header only", LoadAdvice, "a.csv", ",prompt\n", []string{"bench: no items"}},
		{"multi-line record reports its first line", LoadAdvice, "a.csv", ",prompt\n1,\"x\ny\"\n2,\"\"\n", []string{"a.csv:4: field prompt: empty"}},
		{"goal not array", LoadGoalPref, "g.json", `{"a":1}`, []string{"g.json:1: want a JSON array"}},
		{"goal missing field", LoadGoalPref, "g.json", "[\n{\"scenario_id\":1,\"scenario\":\"s\",\"human_goal\":\"g\",\"human_preference\":\"p\",\"ai_agent_goal\":\"a\"},\n{\"scenario_id\":2,\"scenario\":\"s\",\"human_goal\":\"\",\"human_preference\":\"p\",\"ai_agent_goal\":\"a\"}]",
			[]string{"g.json:3: field human_goal: empty"}},
		{"goal wrong type", LoadGoalPref, "g.json", "[\n{\"scenario_id\":\"x\"}]", []string{"g.json:2: field scenario_id: want int"}},
		{"goal no id", LoadGoalPref, "g.json", "[\n{\"scenario\":\"s\"}]", []string{"g.json:2: field scenario_id: missing"}},
		{"goal truncated", LoadGoalPref, "g.json", "[\n{\"scenario_id\":1,", []string{"g.json:2: invalid JSON"}},
		{"factual bad json", LoadFactual, "f.jsonl", "{\"question\":\"q\",\"options\":[\"a\",\"b\"],\"answer\":\"A\"}\n{nope\n", []string{"f.jsonl:2: invalid JSON"}},
		{"factual answer out of range", LoadFactual, "f.jsonl", `{"question":"q","options":["a","b"],"answer":"C"}`, []string{"f.jsonl:1: field answer: \"C\" is not an option letter A-B"}},
		{"factual wrong equals answer", LoadFactual, "f.jsonl", `{"question":"q","options":["a","b"],"answer":"A","wrong":"a"}`, []string{"field wrong: \"a\" is the correct answer"}},
		{"factual one option", LoadFactual, "f.jsonl", `{"question":"q","options":["a"],"answer":"A"}`, []string{"field options: 1 options"}},
		{"factual empty option", LoadFactual, "f.jsonl", `{"question":"q","options":["a",""],"answer":"A"}`, []string{"field options[1]: empty"}},
		{"factual bad id", LoadFactual, "f.jsonl", `{"id":[1],"question":"q","options":["a","b"],"answer":"A"}`, []string{"field id: want a string or number"}},
		{"factual duplicate", LoadFactual, "f.jsonl", "{\"id\":7,\"question\":\"q\",\"options\":[\"a\",\"b\"],\"answer\":\"A\"}\n\n{\"question_id\":7,\"question\":\"q\",\"options\":[\"a\",\"b\"],\"answer\":\"A\"}", []string{"f.jsonl:3: field id: duplicate \"7\" (first on line 1)"}},
		{"factual empty", LoadFactual, "f.jsonl", "\n\n", nil},
		{"factual many bad rows capped", LoadFactual, "f.jsonl", strings.Repeat("x\n", 30), []string{"f.jsonl:20: invalid JSON", "and 10 more malformed rows"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.load(write(t, tt.file, tt.content))
			require.Error(t, err)
			if !errors.Is(err, ErrNoItems) {
				assert.ErrorIs(t, err, ErrMalformed)
			}
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestLoadDebate(t *testing.T) {
	dir := t.TempDir()
	args := filepath.Join(dir, "arguments.txt")
	qs := filepath.Join(dir, "questions.txt")
	require.NoError(t, os.WriteFile(args, []byte("Stance one.\r\nStance two.\n\n"), 0o644))
	s, err := LoadDebate(args, "")
	require.NoError(t, err)
	require.Len(t, s.Items, 2)
	assert.Equal(t, "Stance two.", s.Items[1].Prompt)
	// An item's ID is its line, stable across runs, as is its Source.
	assert.Equal(t, []string{"1", "2"}, []string{s.Items[0].ID, s.Items[1].ID})
	assert.Equal(t, "arguments.txt:2", s.Items[1].Source)

	require.NoError(t, os.WriteFile(qs, []byte("Q one?\nQ two?\n"), 0o644))
	s, err = LoadSuite(TaskDebate, args)
	require.NoError(t, err)
	assert.Equal(t, &Debate{Question: "Q two?", Stance: "Stance two."}, s.Items[1].Debate)
	assert.Equal(t, "Q two?", s.Items[1].Prompt)

	require.NoError(t, os.WriteFile(qs, []byte("Q one?\n"), 0o644))
	_, err = LoadDebate(args, qs)
	assert.ErrorContains(t, err, "1 questions for 2 stances")

	require.NoError(t, os.WriteFile(args, []byte("a\n\nb\n"), 0o644))
	_, err = LoadDebate(args, "")
	assert.ErrorContains(t, err, "arguments.txt:2: field stance: empty")

	// A file of blank lines has no items: an error, not a panic.
	require.NoError(t, os.WriteFile(args, []byte("\n \n\t\n"), 0o644))
	_, err = LoadDebate(args, "")
	assert.ErrorIs(t, err, ErrNoItems)

	_, err = LoadDebate(filepath.Join(dir, "missing.txt"), "")
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestParseTask(t *testing.T) {
	got, err := ParseTask("debate")
	require.NoError(t, err)
	assert.Equal(t, TaskDebate, got)
	_, err = ParseTask("chess")
	assert.ErrorIs(t, err, ErrUnknownTask)
	_, err = LoadSuite("chess", ".")
	assert.ErrorIs(t, err, ErrUnknownTask)
}

func FuzzReadFactual(f *testing.F) {
	b, _ := os.ReadFile("testdata/factual_sample.jsonl")
	f.Add(b)
	f.Add([]byte(`{"id":1,"question":"q","options":["a","b"],"answer":"b","wrong":"a"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadFactual(strings.NewReader(string(data)), "fuzz.jsonl")
		if err != nil {
			return
		}
		for _, it := range s.Items {
			c := it.Choice
			if c.Answer == c.Wrong || c.Answer < 0 || c.Answer >= len(c.Options) || c.Wrong < 0 || c.Wrong >= len(c.Options) {
				t.Fatalf("bad choice %+v", c)
			}
		}
	})
}

func FuzzReadAdvice(f *testing.F) {
	f.Add([]byte(",prompt,source\n1,\"hello\nthere\",x\n"))
	f.Add([]byte(",prompt\n1,\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadAdvice(strings.NewReader(string(data)), "fuzz.csv")
		if err != nil {
			return
		}
		for _, it := range s.Items {
			if strings.TrimSpace(it.Prompt) == "" || it.ID == "" {
				t.Fatalf("empty item %+v", it)
			}
		}
	})
}

func FuzzReadGoalPref(f *testing.F) {
	f.Add([]byte(`[{"scenario_id":1,"scenario":"s","human_goal":"g","human_preference":"p","ai_agent_goal":"a"}]`))
	f.Add([]byte("[\n{\"scenario_id\":1,"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadGoalPref(data, "fuzz.json")
		if err != nil {
			return
		}
		for _, it := range s.Items {
			if it.Goal == nil || it.Goal.HumanGoal == "" || it.Goal.HumanPref == "" {
				t.Fatalf("incomplete goal item %+v", it)
			}
		}
	})
}

// A required text field is refused when blank, not UTF-8, or longer than
// MaxFieldBytes; a field of exactly MaxFieldBytes is read.
func TestCheckText(t *testing.T) {
	tests := []struct {
		name, s string
		ok      bool
	}{
		{"text", "Is coffee bad for the heart?", true},
		{"at the limit", strings.Repeat("x", MaxFieldBytes), true},
		{"over the limit", strings.Repeat("x", MaxFieldBytes+1), false},
		{"blank", " \t\n", false},
		{"not UTF-8", "caf\xe9", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkText(tt.s)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}

// A factual row may be longer than the scanner's initial 64 KiB buffer when
// each field is within MaxFieldBytes, and may have 26 options (A to Z).
func TestReadFactualEdges(t *testing.T) {
	opts := make([]string, 26)
	for i := range opts {
		opts[i] = fmt.Sprintf("%q", fmt.Sprintf("option %c", 'A'+i))
	}
	long := fmt.Sprintf(`{"id":"long","question":%q,"options":[%q,"b"],"answer":"A"}`, strings.Repeat("q", 60_000), strings.Repeat("a", 20_000))
	many := `{"id":"many","question":"q","options":[` + strings.Join(opts, ",") + `],"answer":"Z"}`
	s, err := ReadFactual(strings.NewReader(long+"\n"+many+"\n"), "f.jsonl")
	require.NoError(t, err)
	require.Len(t, s.Items, 2)
	assert.Len(t, s.Items[0].Choice.Options[0], 20_000)
	assert.Len(t, s.Items[1].Choice.Options, 26)
	assert.Equal(t, 25, s.Items[1].Choice.Answer)
}
