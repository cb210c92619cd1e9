package bench

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxFieldBytes bounds any text field of an input row. Real prompts are a
// few kilobytes; a larger field is almost certainly a broken file (an
// unclosed CSV quote swallowing the rest), and is reported instead of sent.
const MaxFieldBytes = 64 << 10

// maxRowErrors caps how many malformed rows one load reports.
const maxRowErrors = 20

// DefaultFiles returns the paths, relative to the study's bench data folder
// (../shared/data/bench), that [LoadSuite] reads when given a folder, by
// task. The factual control has no public file there: give its JSONL path.
func DefaultFiles() map[Task]string { return maps.Clone(defaultFiles) }

var defaultFiles = map[Task]string{
	TaskAdvice: "elephant/OEQ_sample.csv",
	TaskMoral:  "elephant/AITA_sample.csv",
	TaskDebate: "sycon-debate/arguments.txt",
	TaskGoal:   "goalpref/goal_preference_scenarios.json",
}

// LoadSuite loads the suite of task from path: a file in the task's format,
// or a folder laid out like the study's bench data (see [DefaultFiles]; for
// debate, questions.txt beside arguments.txt is used when present).
func LoadSuite(task Task, path string) (*Suite, error) {
	if !task.Valid() {
		return nil, fmt.Errorf("%w %q", ErrUnknownTask, task)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("bench: %s suite: %w", task, err)
	}
	file := path
	if fi.IsDir() {
		rel, ok := defaultFiles[task]
		if !ok {
			return nil, fmt.Errorf("%w: the %s suite has no default file in %s; give the JSONL file itself (format: bench.LoadFactual)", ErrBadConfig, task, path)
		}
		file = filepath.Join(path, rel)
	}
	switch task {
	case TaskAdvice:
		return LoadAdvice(file)
	case TaskMoral:
		return LoadMoral(file)
	case TaskDebate:
		q := filepath.Join(filepath.Dir(file), "questions.txt")
		if _, err := os.Stat(q); err != nil {
			q = ""
		}
		return LoadDebate(file, q)
	case TaskGoal:
		return LoadGoalPref(file)
	default:
		return LoadFactual(file)
	}
}

// LoadAdvice reads an ELEPHANT OEQ CSV file (columns: an unnamed id column,
// prompt, and optionally source; other columns are ignored).
func LoadAdvice(path string) (*Suite, error) {
	return loadFile(path, func(r io.Reader) (*Suite, error) { return ReadAdvice(r, path) })
}

// ReadAdvice is [LoadAdvice] over a reader; name is used in errors.
func ReadAdvice(r io.Reader, name string) (*Suite, error) {
	return readCSV(r, name, TaskAdvice, []string{"prompt"}, []string{"source"})
}

// LoadMoral reads an ELEPHANT AITA CSV file (columns: an unnamed id column,
// prompt, and optionally ytanta, the crowd verdict, kept in Meta).
func LoadMoral(path string) (*Suite, error) {
	return loadFile(path, func(r io.Reader) (*Suite, error) { return ReadMoral(r, path) })
}

// ReadMoral is [LoadMoral] over a reader; name is used in errors.
func ReadMoral(r io.Reader, name string) (*Suite, error) {
	return readCSV(r, name, TaskMoral, []string{"prompt"}, []string{"ytanta", "is_asshole"})
}

func loadFile(path string, read func(io.Reader) (*Suite, error)) (*Suite, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer f.Close()
	return read(bufio.NewReader(f))
}

// rowErrs collects malformed rows up to maxRowErrors.
type rowErrs struct {
	errs    []error
	dropped int
}

func (r *rowErrs) add(e *RowError) {
	if len(r.errs) < maxRowErrors {
		r.errs = append(r.errs, e)
		return
	}
	r.dropped++
}

func (r *rowErrs) err() error {
	if r.dropped > 0 {
		r.errs = append(r.errs, fmt.Errorf("%w: and %d more malformed rows", ErrMalformed, r.dropped))
	}
	return errors.Join(r.errs...)
}

// checkText validates a required text field.
func checkText(s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return errors.New("empty")
	case !utf8.ValidString(s):
		return errors.New("not valid UTF-8")
	case len(s) > MaxFieldBytes:
		return fmt.Errorf("%d bytes, more than %d", len(s), MaxFieldBytes)
	}
	return nil
}

func readCSV(r io.Reader, name string, task Task, required, keep []string) (*Suite, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, &RowError{File: name, Line: 1, Err: errors.New("empty file, want a header row")}
		}
		return nil, csvErr(name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, f := range required {
		if _, ok := col[f]; !ok {
			return nil, &RowError{File: name, Line: 1, Field: f, Err: fmt.Errorf("missing column (header has %q)", header)}
		}
	}
	idCol, hasID := col[""]
	s := &Suite{Name: filepath.Base(name), Task: task}
	seen := map[string]int{}
	var bad rowErrs
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err == csv.ErrFieldCount {
				continue // FieldsPerRecord is -1; never happens
			}
			bad.add(csvErr(name, err))
			break // the reader cannot resynchronise after a quoting error
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			bad.add(&RowError{File: name, Line: line, Err: fmt.Errorf("%d fields, header has %d", len(rec), len(header))})
			continue
		}
		id := strconv.Itoa(line)
		if hasID && strings.TrimSpace(rec[idCol]) != "" {
			id = strings.TrimSpace(rec[idCol])
		}
		if prev, dup := seen[id]; dup {
			bad.add(&RowError{File: name, Line: line, Field: "id", Err: fmt.Errorf("duplicate id %q (first on line %d)", id, prev)})
			continue
		}
		seen[id] = line
		it := Item{ID: id, Task: task, Source: fmt.Sprintf("%s:%d", filepath.Base(name), line)}
		ok := true
		for _, f := range required {
			if err := checkText(rec[col[f]]); err != nil {
				bad.add(&RowError{File: name, Line: line, Field: f, Err: err})
				ok = false
			}
		}
		if !ok {
			continue
		}
		it.Prompt = strings.TrimSpace(rec[col["prompt"]])
		for _, k := range keep {
			if i, ok := col[k]; ok && rec[i] != "" && utf8.ValidString(rec[i]) {
				if it.Meta == nil {
					it.Meta = map[string]string{}
				}
				it.Meta[k] = rec[i]
			}
		}
		s.Items = append(s.Items, it)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	if len(s.Items) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoItems, name)
	}
	return s, nil
}

func csvErr(name string, err error) *RowError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &RowError{File: name, Line: pe.Line, Err: pe.Err}
	}
	return &RowError{File: name, Err: err}
}

// LoadDebate reads SYCON-Bench debate stances: argumentsPath holds one stance
// per line (the position the model must defend); questionsPath, when not
// empty, holds the matching question on the same line number. Blank lines at
// the end are ignored; a blank line in the middle is an error because it
// would misalign stances and questions. Item IDs are the line numbers.
func LoadDebate(argumentsPath, questionsPath string) (*Suite, error) {
	args, err := readLines(argumentsPath)
	if err != nil {
		return nil, err
	}
	var qs []string
	if questionsPath != "" {
		if qs, err = readLines(questionsPath); err != nil {
			return nil, err
		}
		if len(qs) != len(args) {
			return nil, &RowError{File: questionsPath, Err: fmt.Errorf("%d questions for %d stances in %s; the files must align line by line", len(qs), len(args), argumentsPath)}
		}
	}
	s := &Suite{Name: filepath.Base(argumentsPath), Task: TaskDebate}
	var bad rowErrs
	for i, a := range args {
		if err := checkText(a); err != nil {
			bad.add(&RowError{File: argumentsPath, Line: i + 1, Field: "stance", Err: err})
			continue
		}
		d := &Debate{Stance: strings.TrimSpace(a)}
		if qs != nil {
			if err := checkText(qs[i]); err != nil {
				bad.add(&RowError{File: questionsPath, Line: i + 1, Field: "question", Err: err})
				continue
			}
			d.Question = strings.TrimSpace(qs[i])
		}
		prompt := d.Question
		if prompt == "" {
			prompt = d.Stance
		}
		s.Items = append(s.Items, Item{
			ID: strconv.Itoa(i + 1), Task: TaskDebate, Prompt: prompt, Debate: d,
			Source: fmt.Sprintf("%s:%d", filepath.Base(argumentsPath), i+1),
		})
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	if len(s.Items) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoItems, argumentsPath)
	}
	return s, nil
}

// readLines returns the lines of a text file without trailing blank lines.
func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines, nil
}

// lineAt returns the 1-based line of byte offset off in b.
func lineAt(b []byte, off int64) int {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	// The decoder's offset is before the whitespace that precedes a value.
	for off < int64(len(b)) && (b[off] == ' ' || b[off] == '\n' || b[off] == '\r' || b[off] == '\t' || b[off] == ',') {
		off++
	}
	return bytes.Count(b[:off], []byte("\n")) + 1
}

// goalRow is the upstream GoalPref scenario object.
type goalRow struct {
	ScenarioID     *int   `json:"scenario_id"`
	Domain         string `json:"conflict_domain"`
	Scenario       string `json:"scenario"`
	HumanGoal      string `json:"human_goal"`
	HumanPref      string `json:"human_preference"`
	AgentGoal      string `json:"ai_agent_goal"`
	KeyInformation string `json:"key_information"`
}

// LoadGoalPref reads GoalPref-Bench's goal_preference_scenarios.json: a JSON
// array of scenario objects (scenario_id, conflict_domain, scenario,
// human_goal, human_preference, ai_agent_goal, key_information; the motives
// fields are ignored). Item IDs are the scenario IDs.
func LoadGoalPref(path string) (*Suite, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return ReadGoalPref(b, path)
}

// ReadGoalPref is [LoadGoalPref] over the file's bytes; name is used in errors.
func ReadGoalPref(b []byte, name string) (*Suite, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		return nil, &RowError{File: name, Line: 1, Err: errors.New("want a JSON array of scenario objects")}
	}
	s := &Suite{Name: filepath.Base(name), Task: TaskGoal}
	seen := map[int]int{}
	var bad rowErrs
	for dec.More() {
		line := lineAt(b, dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			bad.add(&RowError{File: name, Line: line, Err: fmt.Errorf("invalid JSON: %w", err)})
			break
		}
		var g goalRow
		if err := json.Unmarshal(raw, &g); err != nil {
			bad.add(&RowError{File: name, Line: line, Err: jsonFieldErr(err)})
			continue
		}
		if g.ScenarioID == nil {
			bad.add(&RowError{File: name, Line: line, Field: "scenario_id", Err: errors.New("missing")})
			continue
		}
		if prev, dup := seen[*g.ScenarioID]; dup {
			bad.add(&RowError{File: name, Line: line, Field: "scenario_id", Err: fmt.Errorf("duplicate %d (first on line %d)", *g.ScenarioID, prev)})
			continue
		}
		seen[*g.ScenarioID] = line
		ok := true
		for _, f := range []struct{ name, v string }{
			{"scenario", g.Scenario}, {"human_goal", g.HumanGoal},
			{"human_preference", g.HumanPref}, {"ai_agent_goal", g.AgentGoal},
		} {
			if err := checkText(f.v); err != nil {
				bad.add(&RowError{File: name, Line: line, Field: f.name, Err: err})
				ok = false
			}
		}
		if !ok {
			continue
		}
		s.Items = append(s.Items, Item{
			ID: strconv.Itoa(*g.ScenarioID), Task: TaskGoal, Prompt: g.Scenario,
			Source: fmt.Sprintf("%s:%d", filepath.Base(name), line),
			Goal: &Goal{
				ScenarioID: *g.ScenarioID, Domain: g.Domain, Scenario: g.Scenario,
				HumanGoal: g.HumanGoal, HumanPref: g.HumanPref, AgentGoal: g.AgentGoal,
				KeyInformation: g.KeyInformation,
			},
		})
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	if len(s.Items) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoItems, name)
	}
	return s, nil
}

func jsonFieldErr(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Errorf("field %s: want %s, got JSON %s", te.Field, te.Type, te.Value)
	}
	return err
}

// factualRow is one line of the factual-control JSONL format.
type factualRow struct {
	ID         json.RawMessage `json:"id"`
	QuestionID json.RawMessage `json:"question_id"`
	Question   string          `json:"question"`
	Options    []string        `json:"options"`
	Answer     string          `json:"answer"`
	Wrong      string          `json:"wrong"`
	Category   string          `json:"category"`
}

// LoadFactual reads the factual-control format: JSON Lines, one
// multiple-choice question per line, field names compatible with MMLU-Pro
// rows so its philosophy and law subsets can be used after adding one field:
//
//		{"id": "law-1", "question": "...", "options": ["...", "..."], "answer": "B", "wrong": "D", "category": "law"}
//
//	  - id (string or number) or question_id (number): unique; defaults to the line number;
//	  - question: the stem, required;
//	  - options: 2 to 26 non-empty choices, required; lettered A, B, C...;
//	  - answer: the correct option's letter, required;
//	  - wrong: the letter of the wrong option the user asserts ("I strongly
//	    believe the answer is D"); optional, defaulting to the option after
//	    the answer (wrapping), and never equal to answer;
//	  - category: optional subject, kept in [Choice.Subject].
//
// Unknown fields are ignored and blank lines skipped.
func LoadFactual(path string) (*Suite, error) {
	return loadFile(path, func(r io.Reader) (*Suite, error) { return ReadFactual(r, path) })
}

// ReadFactual is [LoadFactual] over a reader; name is used in errors.
func ReadFactual(r io.Reader, name string) (*Suite, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4*MaxFieldBytes)
	s := &Suite{Name: filepath.Base(name), Task: TaskFactual}
	seen := map[string]int{}
	var bad rowErrs
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		it, err := parseFactual(text, line)
		if err != nil {
			err.File = name
			bad.add(err)
			continue
		}
		if prev, dup := seen[it.ID]; dup {
			bad.add(&RowError{File: name, Line: line, Field: "id", Err: fmt.Errorf("duplicate %q (first on line %d)", it.ID, prev)})
			continue
		}
		seen[it.ID] = line
		it.Source = fmt.Sprintf("%s:%d", filepath.Base(name), line)
		s.Items = append(s.Items, it)
	}
	if err := sc.Err(); err != nil {
		bad.add(&RowError{File: name, Line: line + 1, Err: err})
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	if len(s.Items) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoItems, name)
	}
	return s, nil
}

func parseFactual(text []byte, line int) (Item, *RowError) {
	fail := func(field string, err error) (Item, *RowError) {
		return Item{}, &RowError{Line: line, Field: field, Err: err}
	}
	if !utf8.Valid(text) {
		return fail("", errors.New("not valid UTF-8"))
	}
	var row factualRow
	if err := json.Unmarshal(text, &row); err != nil {
		return fail("", fmt.Errorf("invalid JSON: %w", jsonFieldErr(err)))
	}
	id := strconv.Itoa(line)
	for _, raw := range []json.RawMessage{row.ID, row.QuestionID} {
		if len(raw) == 0 || string(raw) == "null" {
			continue
		}
		var str string
		var num json.Number
		switch {
		case json.Unmarshal(raw, &str) == nil && str != "":
			id = str
		case json.Unmarshal(raw, &num) == nil:
			id = num.String()
		default:
			return fail("id", fmt.Errorf("want a string or number, got %s", raw))
		}
		break
	}
	if err := checkText(row.Question); err != nil {
		return fail("question", err)
	}
	if len(row.Options) < 2 || len(row.Options) > 26 {
		return fail("options", fmt.Errorf("%d options, want 2 to 26", len(row.Options)))
	}
	for i, o := range row.Options {
		if err := checkText(o); err != nil {
			return fail(fmt.Sprintf("options[%d]", i), err)
		}
	}
	ans, err := letterIndex(row.Answer, len(row.Options))
	if err != nil {
		return fail("answer", err)
	}
	wrong := (ans + 1) % len(row.Options)
	if row.Wrong != "" {
		if wrong, err = letterIndex(row.Wrong, len(row.Options)); err != nil {
			return fail("wrong", err)
		}
		if wrong == ans {
			return fail("wrong", fmt.Errorf("%q is the correct answer; the user must assert a wrong option", row.Wrong))
		}
	}
	return Item{
		ID: id, Task: TaskFactual, Prompt: strings.TrimSpace(row.Question),
		Choice: &Choice{Options: row.Options, Answer: ans, Wrong: wrong, Subject: row.Category},
	}, nil
}

func letterIndex(s string, n int) (int, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 1 || s[0] < 'A' || int(s[0]-'A') >= n {
		return 0, fmt.Errorf("%q is not an option letter A-%s", s, Letter(n-1))
	}
	return int(s[0] - 'A'), nil
}
