package bench

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rolegate/rolegate/chat"
)

// Task is the kind of a suite's items; it decides how an item is prompted,
// which role the study gave the model, and how the answer is scored.
type Task string

// The study's tasks (Kelley & Riedl, arXiv 2603.00024).
const (
	// TaskAdvice is open-ended personal advice (ELEPHANT OEQ): advisor role,
	// one turn, pairwise affective and framing metrics.
	TaskAdvice Task = "advice"
	// TaskMoral is moral judgment on a first-person post (ELEPHANT AITA):
	// advisor role, one turn.
	TaskMoral Task = "moral"
	// TaskDebate is SYCON debate: the model defends an assigned stance and
	// the user pushes back for up to N rounds (peer role, stance flip).
	TaskDebate Task = "debate"
	// TaskGoal is GoalPref: the model helps with a long-term goal while the
	// user pushes for a conflicting preference (preference accommodation).
	TaskGoal Task = "goal"
	// TaskFactual is the factual control: a multiple-choice question asked
	// plainly and again with the user asserting a wrong option.
	TaskFactual Task = "factual"
)

// tasks is every task in report order.
var tasks = []Task{TaskAdvice, TaskMoral, TaskDebate, TaskGoal, TaskFactual}

// Tasks returns every task in report order.
func Tasks() []Task { return slices.Clone(tasks) }

// Valid reports whether t is one of [Tasks].
func (t Task) Valid() bool {
	for _, k := range tasks {
		if t == k {
			return true
		}
	}
	return false
}

// MultiTurn reports whether the task runs rounds of pushback.
func (t Task) MultiTurn() bool { return t == TaskDebate || t == TaskGoal }

// ParseTask returns the task named s, or an error listing the valid names.
func ParseTask(s string) (Task, error) {
	t := Task(s)
	if !t.Valid() {
		return "", fmt.Errorf("%w %q (want one of %v)", ErrUnknownTask, s, tasks)
	}
	return t, nil
}

// Errors of the bench package. Loaders wrap [ErrMalformed] in a [*RowError]
// that names the file, line and field; the runner wraps call failures in a
// [*UnitError]. [ErrNoResponse] is a client that broke the chat.Client
// contract by returning neither a response nor an error: its unit fails
// without a retry.
var (
	ErrMalformed     = errors.New("bench: malformed input")
	ErrUnknownTask   = errors.New("bench: unknown task")
	ErrUnknownCond   = errors.New("bench: unknown condition")
	ErrNoItems       = errors.New("bench: no items")
	ErrBadConfig     = errors.New("bench: invalid configuration")
	ErrCheckpoint    = errors.New("bench: checkpoint")
	ErrEmptyReply    = errors.New("bench: empty reply")
	ErrNoResponse    = chat.ErrNoResponse // the same error as guard's and judge's
	ErrUnitFailed    = errors.New("bench: unit failed")
	ErrNoPersonas    = errors.New("bench: no personas for a personalized condition")
	ErrReportVersion = errors.New("bench: unsupported report version")
)

// RowError reports a malformed row of an input file. It unwraps to
// [ErrMalformed] and to the underlying cause.
type RowError struct {
	File  string // the file as the caller named it
	Line  int    // 1-based line where the row starts; 0 when unknown
	Field string // the offending column or JSON field, if any
	Err   error  // what is wrong
}

// Error renders "bench: FILE:LINE: field NAME: what is wrong".
func (e *RowError) Error() string {
	s := "bench: " + e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	if e.Field != "" {
		s += ": field " + e.Field
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns ErrMalformed and the cause.
func (e *RowError) Unwrap() []error { return []error{ErrMalformed, e.Err} }

// Item is one benchmark prompt. Prompt is always set; the task-specific
// parts are set only for their task.
type Item struct {
	// ID is unique within the suite and stable across runs of the same file
	// (the upstream id column, or the line number), so checkpoints match.
	ID string `json:"id"`
	// Task is the item's task.
	Task Task `json:"task"`
	// Prompt is the user's question (advice), post (moral), debate question
	// or stance (debate), scenario (goal) or question stem (factual).
	Prompt string `json:"prompt"`
	// Source is "file:line" of the row, for people reading a report.
	Source string `json:"source,omitempty"`
	// Debate, Goal and Choice hold the parts of their task.
	Debate *Debate `json:"debate,omitempty"`
	Goal   *Goal   `json:"goal,omitempty"`
	Choice *Choice `json:"choice,omitempty"`
	// Meta keeps upstream columns the harness does not use (the crowd
	// verdict of an AITA post, the OEQ source), verbatim.
	Meta map[string]string `json:"meta,omitempty"`
}

// check reports what the runner would need from the item and cannot find:
// the part of its task ([Item.Debate], [Item.Goal], [Item.Choice]) and, for
// a choice, options the letters can name and indices inside them. The
// loaders never build such an item; a suite built by hand may.
func (it *Item) check() error {
	switch it.Task {
	case TaskDebate:
		if it.Debate == nil || strings.TrimSpace(it.Debate.Stance) == "" {
			return errors.New("debate item without a stance")
		}
	case TaskGoal:
		if g := it.Goal; g == nil || strings.TrimSpace(g.HumanGoal) == "" || strings.TrimSpace(g.HumanPref) == "" {
			return errors.New("goal item without its goal and preference")
		}
	case TaskFactual:
		c := it.Choice
		switch {
		case c == nil:
			return errors.New("factual item without options")
		case len(c.Options) < 2 || len(c.Options) > 26:
			return fmt.Errorf("%d options, want 2 to 26", len(c.Options))
		case c.Answer < 0 || c.Answer >= len(c.Options):
			return fmt.Errorf("answer index %d outside the %d options", c.Answer, len(c.Options))
		case c.Wrong < 0 || c.Wrong >= len(c.Options) || c.Wrong == c.Answer:
			return fmt.Errorf("wrong index %d is not another of the %d options", c.Wrong, len(c.Options))
		}
	}
	return nil
}

// Debate is a SYCON debate item: the stance the model must defend.
type Debate struct {
	Question string `json:"question,omitempty"` // empty when no questions file was given
	Stance   string `json:"stance"`
}

// Goal is a GoalPref scenario. Field names follow the upstream JSON.
type Goal struct {
	ScenarioID     int    `json:"scenario_id"`
	Domain         string `json:"conflict_domain"`
	Scenario       string `json:"scenario"`
	HumanGoal      string `json:"human_goal"`
	HumanPref      string `json:"human_preference"`
	AgentGoal      string `json:"ai_agent_goal"`
	KeyInformation string `json:"key_information"`
}

// Choice is a multiple-choice item of the factual control.
type Choice struct {
	Options []string `json:"options"`
	Answer  int      `json:"answer"` // index of the correct option
	Wrong   int      `json:"wrong"`  // index of the option the user asserts
	Subject string   `json:"subject,omitempty"`
}

// Letter returns the option letter for index i ("A" for 0); "?" outside A-Z.
func Letter(i int) string {
	if i < 0 || i >= 26 {
		return "?"
	}
	return string(rune('A' + i))
}

// Suite is a named list of items of one task.
type Suite struct {
	Name  string `json:"name"`
	Task  Task   `json:"task"`
	Items []Item `json:"items"`
}
