package validation

import (
	"slices"
	"sort"
	"strings"

	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/stats"
)

// Mapping says which metric predicts a task's label. Invert is for tasks
// whose label 1 is the opposite of the metric's Present (Spiral-Bench's
// pushback, 1 = the assistant pushes back, is predicted by a framing
// acceptance that is Absent).
//
// Reference, when set, names a field of the record's meta, true or false
// (or the number 1 or 0), to compare with instead of its label: for
// syco-bench's one-response view ("agrees_with_user"), where the label
// needs the counterfactual partner that a scorer of one response cannot
// see. Records without the field, or
// with another value in it, are skipped for that mapping.
type Mapping struct {
	Task      string         `json:"task"`
	Metric    metrics.Metric `json:"metric"`
	Invert    bool           `json:"invert,omitempty"`
	Reference string         `json:"reference,omitempty"`
}

// reference returns the reference label of rec for m, and whether it has
// one: a record without a label (possible in Data built by hand; Load
// rejects it) or without the meta field has none.
func (m Mapping) reference(rec *Record) (bool, bool) {
	if m.Reference == "" {
		if rec.Label == nil {
			return false, false
		}
		return *rec.Label == 1, true
	}
	switch v := rec.Meta[m.Reference].(type) {
	case bool:
		return v, true
	case float64:
		return v == 1, v == 0 || v == 1
	}
	return false, false
}

// Name is the task as rows show it: the task, plus the meta field when the
// mapping compares with one ("belief_adoption[agrees_with_user]").
func (m Mapping) Name() string {
	if m.Reference == "" {
		return m.Task
	}
	return m.Task + "[" + m.Reference + "]"
}

// DefaultMappings covers every task of the shared labeled data. Besides the
// scorer that predicts each task, two hand-weighted scorers without labels
// of their own are checked against the nearest labels: capitulation against
// stance flips (a concession phrase is one way to flip, not the usual one)
// and emotional validation against praise/validation.
func DefaultMappings() []Mapping {
	return []Mapping{
		{Task: "stance_flip", Metric: metrics.StanceFlip},
		{Task: "stance_flip", Metric: metrics.Capitulation},
		{Task: "praise_validation", Metric: metrics.EmotionalValidation},
		{Task: "framing_acceptance", Metric: metrics.FramingAcceptance},
		{Task: "belief_adoption", Metric: metrics.BeliefAdoption},
		{Task: "belief_adoption", Metric: metrics.BeliefAdoption, Reference: "agrees_with_user"},
		{Task: "side_taking", Metric: metrics.BeliefAdoption},
		{Task: "side_taking", Metric: metrics.BeliefAdoption, Reference: "agrees_with_user"},
		{Task: "feedback_sycophancy", Metric: metrics.BeliefAdoption},
		{Task: "feedback_sycophancy", Metric: metrics.BeliefAdoption, Reference: "agrees_with_statement"},
		{Task: "delusion_acceptance", Metric: metrics.FramingAcceptance},
		{Task: "praise_validation", Metric: metrics.Flattery},
		{Task: "pushback", Metric: metrics.FramingAcceptance, Invert: true},
	}
}

// Row is the agreement of one metric with one task's labels over a group of
// records: a whole task, one source file, or one model.
type Row struct {
	Task   string         `json:"task"`
	Group  string         `json:"group"` // "all", a file name, or "model:<name>"
	Metric metrics.Metric `json:"metric"`
	Invert bool           `json:"invert,omitempty"`
	// N counts the records compared; Unknown those the scorer could not
	// decide, left out of the matrix.
	N         int             `json:"n"`
	Unknown   int             `json:"unknown"`
	Accuracy  Float           `json:"accuracy"`
	Precision Float           `json:"precision"`
	Recall    Float           `json:"recall"`
	F1        Float           `json:"f1"`
	Kappa     Float           `json:"kappa"`
	Confusion stats.Confusion `json:"confusion"`
}

// Report is the outcome of an evaluation.
type Report struct {
	Records int `json:"records"`
	Skipped int `json:"skipped"` // records of a task no mapping covers
	// Errors are the lines the data skipped ([Data.Errors]); the JSON lists
	// them, as the Markdown does, so that a reader of either can tell a
	// folder read whole from one read in part.
	Errors []*LineError `json:"errors"`
	Rows   []Row        `json:"rows"`
}

// Options tune [Evaluate]. The zero value uses [DefaultMappings], the
// English scorers, and no per-model rows.
type Options struct {
	Mappings []Mapping
	// Analyzer options (language, thresholds) for the scorers.
	Metrics []metrics.Option
	// ByModel adds one row per task and responding model.
	ByModel bool
	// Precise scores with [metrics.PreciseThreshold] instead of the default
	// thresholds: the operating point for callers that act on a label.
	Precise bool
}

// Evaluate scores every record with the metric(s) mapped to its task and
// compares the labels. Scorers see only the record's Messages. A record
// with no reference label for a mapping (a nil Label, or a missing meta
// field for a Mapping.Reference) is left out of that mapping's rows.
func Evaluate(d *Data, o Options) *Report {
	maps := o.Mappings
	if maps == nil {
		maps = DefaultMappings()
	}
	byTask := map[string][]Mapping{}
	for _, m := range maps {
		// A mapping listed twice would add each record to its rows twice.
		if !slices.Contains(byTask[m.Task], m) {
			byTask[m.Task] = append(byTask[m.Task], m)
		}
	}
	type key struct {
		task, group string
		metric      metrics.Metric
		invert      bool
	}
	type acc struct {
		c       stats.Confusion
		unknown int
	}
	accs := map[key]*acc{}
	get := func(k key) *acc {
		a := accs[k]
		if a == nil {
			a = &acc{}
			accs[k] = a
		}
		return a
	}
	mopts := o.Metrics
	if o.Precise {
		mopts = append([]metrics.Option(nil), mopts...)
		for _, m := range metrics.Metrics() {
			t, _ := metrics.PreciseThreshold(m)
			mopts = append(mopts, metrics.WithThreshold(m, t))
		}
	}
	an := metrics.NewAnalyzer(mopts...)
	rep := &Report{Records: len(d.Records), Errors: d.Errors, Rows: []Row{}}
	if rep.Errors == nil {
		rep.Errors = []*LineError{} // JSON [], not null
	}
	for i := range d.Records {
		rec := &d.Records[i]
		ms := byTask[rec.Task]
		if len(ms) == 0 {
			rep.Skipped++
			continue
		}
		r := an.Analyze(rec.Messages) // messages only: never label, score, evidence or meta
		for _, m := range ms {
			ref, known := m.reference(rec)
			if !known {
				continue
			}
			res, ok := r.Get(m.Metric)
			groups := []string{"all", rec.File}
			if o.ByModel {
				groups = append(groups, "model:"+rec.Model)
			}
			for _, g := range groups {
				a := get(key{m.Name(), g, m.Metric, m.Invert})
				if !ok || res.Label == metrics.Unknown {
					a.unknown++
					continue
				}
				pred := res.Label == metrics.Present
				if m.Invert {
					pred = !pred
				}
				a.c.Add(pred, ref)
			}
		}
	}
	for k, a := range accs {
		rep.Rows = append(rep.Rows, Row{
			Task: k.task, Group: k.group, Metric: k.metric, Invert: k.invert,
			N: a.c.N(), Unknown: a.unknown,
			Accuracy: Float(a.c.Accuracy()), Precision: Float(a.c.Precision()),
			Recall: Float(a.c.Recall()), F1: Float(a.c.F1()), Kappa: Float(a.c.Kappa()),
			Confusion: a.c,
		})
	}
	sort.Slice(rep.Rows, func(i, j int) bool {
		a, b := rep.Rows[i], rep.Rows[j]
		if a.Task != b.Task {
			return a.Task < b.Task
		}
		if a.Metric != b.Metric {
			return a.Metric < b.Metric
		}
		if a.Invert != b.Invert {
			return !a.Invert
		}
		if ra, rb := groupRank(a.Group), groupRank(b.Group); ra != rb {
			return ra < rb
		}
		return a.Group < b.Group
	})
	return rep
}

func groupRank(g string) int {
	switch {
	case g == "all":
		return 0
	case strings.HasPrefix(g, "model:"): // "model:" alone for records without a model
		return 2
	}
	return 1
}

// Row returns the row of task, metric and group, and false when absent.
// When one task has a mapping of the metric and its inverse, it returns the
// row of the mapping that is not inverted.
func (r *Report) Row(task string, metric metrics.Metric, group string) (Row, bool) {
	for _, x := range r.Rows {
		if x.Task == task && x.Metric == metric && x.Group == group {
			return x, true
		}
	}
	return Row{}, false
}
