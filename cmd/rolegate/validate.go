package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/rolegate/rolegate/internal/shareddata"
	"github.com/rolegate/rolegate/metrics/validation"
)

const validateExamples = `  rolegate validate                             # the shared labeled data beside the repository
  rolegate validate -data ./labeled -by-model
  rolegate validate -min-kappa stance_flip/stance_flip=0.55 -min-kappa praise_validation/flattery=0.58
                                                # exit 1 if one of these rows drops below its floor
  rolegate validate -data ./labeled -min-kappa 0.4   # every row of your own data at 0.4 or more
  rolegate validate -json > agreement.json
`

func validateCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", "rolegate validate [flags]", validateExamples, stdout)
	def := dataDefault(shareddata.Labeled, shareddata.LabeledEnv)
	var (
		dir        = fs.String("data", def, "folder of labeled *.jsonl files (searched recursively), or one such file")
		asJSON     = fs.Bool("json", false, "write the report as JSON instead of Markdown")
		byModel    = fs.Bool("by-model", false, "add one row per task and responding model")
		minKappa   = kappaFloors{}
		thresholds = thresholdFlag{}
	)
	fs.Var(&minKappa, "min-kappa", "[task[/metric]=]K: exit 1 if the kappa of a row (all records) is below K, in [-1, 1]; a bare K is every row's floor, task=K or task/metric=K a row's (the most specific wins; repeatable)")
	fs.Var(&thresholds, "threshold", "metric=value: the score at which a metric counts as present (repeatable)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs, "give the folder with -data"); err != nil {
		return err
	}
	if *dir == "" {
		return usagef("-data: no labeled data folder given and none found beside the repository (set -data DIR or ROLEGATE_LABELED_DIR)")
	}
	data, err := validation.Load(*dir)
	if err != nil {
		return err
	}
	for _, e := range data.Errors {
		fmt.Fprintf(stderr, "rolegate: skipped %v\n", e)
	}
	rep := validation.Evaluate(data, validation.Options{Metrics: thresholds.opts, ByModel: *byModel})
	if !slices.ContainsFunc(rep.Rows, func(r validation.Row) bool { return r.Group == "all" }) {
		// A report without rows checks nothing; as a folder without a
		// file, it is a failure, not a pass (with -min-kappa, a CI gate).
		return fmt.Errorf("validation: no labeled record to score under %s (%d malformed lines skipped, %d records of tasks no scorer covers)",
			*dir, len(data.Errors), rep.Skipped)
	}
	// A floor that names no row is bad usage: said before the report, not
	// after it.
	if err := minKappa.unknown(rep.Rows); err != nil {
		return err
	}
	if *asJSON {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteMarkdown(stdout)
	}
	if err != nil {
		return err
	}
	return minKappa.check(rep.Rows)
}

// kappaFloors is the -min-kappa flag: floors on the kappa of validation
// rows, for all rows ("") or for a task or a task/metric.
type kappaFloors struct {
	floors map[string]float64
	set    []string
}

// String lists the floors given, for flag.Value.
func (k *kappaFloors) String() string { return strings.Join(k.set, ",") }

// Set parses one [task[/metric]=]K floor, for flag.Value.
func (k *kappaFloors) Set(v string) error {
	sel, val, ok := strings.Cut(v, "=")
	if !ok {
		sel, val = "", v
	}
	sel = strings.TrimSpace(sel)
	f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
	if err != nil || !(f >= -1 && f <= 1) {
		return fmt.Errorf("want a number in [-1, 1], got %q", val)
	}
	if ok && sel == "" {
		return fmt.Errorf("want task=K or task/metric=K, got %q", v)
	}
	if _, dup := k.floors[sel]; dup {
		return fmt.Errorf("floor of %q given twice", cmp.Or(sel, "every row"))
	}
	if k.floors == nil {
		k.floors = map[string]float64{}
	}
	k.floors[sel] = f
	k.set = append(k.set, v)
	return nil
}

// unknown returns a usage error for a floor that names no "all" row of
// the report (task or task/metric), which would otherwise pass without
// checking anything.
func (k *kappaFloors) unknown(rows []validation.Row) error {
	var unknown []string
	for sel := range k.floors {
		if sel == "" {
			continue
		}
		if !slices.ContainsFunc(rows, func(r validation.Row) bool {
			return r.Group == "all" && (sel == r.Task || sel == r.Task+"/"+string(r.Metric))
		}) {
			unknown = append(unknown, sel)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return usagef("-min-kappa: no row of the report is %s (rows are task or task/metric, as in the table)", strings.Join(unknown, ", "))
	}
	return nil
}

// check returns an errFindings naming every "all" row whose kappa is below
// its floor or undefined (the most specific floor: task/metric, then task,
// then the bare K), after the usage error of unknown.
func (k *kappaFloors) check(rows []validation.Row) error {
	if err := k.unknown(rows); err != nil {
		return err
	}
	var low []string
	for _, r := range rows {
		if r.Group != "all" {
			continue
		}
		for _, sel := range []string{r.Task + "/" + string(r.Metric), r.Task, ""} {
			floor, ok := k.floors[sel]
			if !ok {
				continue
			}
			// An undefined kappa (one class only) cannot show it meets
			// the floor: it is a finding, not a pass.
			if kp := float64(r.Kappa); !(kp >= floor) {
				low = append(low, fmt.Sprintf("%s/%s kappa %.3f < %g", r.Task, r.Metric, kp, floor))
			}
			break
		}
	}
	if len(low) > 0 {
		return fmt.Errorf("%w: below -min-kappa: %s", errFindings, strings.Join(low, ", "))
	}
	return nil
}
