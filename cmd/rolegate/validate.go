package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/rolegate/rolegate/internal/shareddata"
	"github.com/rolegate/rolegate/metrics/validation"
)

const validateExamples = `  rolegate validate                             # the shared labeled data beside the repository
  rolegate validate -data ./labeled -by-model
  rolegate validate -min-kappa 0.4              # exit 1 if a task's kappa is below 0.4
  rolegate validate -json > agreement.json
`

func validateCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", "rolegate validate [flags]", validateExamples, stdout)
	def, _ := shareddata.Labeled()
	var (
		dir        = fs.String("data", def, "folder of labeled *.jsonl files (searched recursively)")
		asJSON     = fs.Bool("json", false, "write the report as JSON instead of Markdown")
		byModel    = fs.Bool("by-model", false, "add one row per task and responding model")
		minKappa   = fs.String("min-kappa", "", "exit 1 if the kappa of a task (all records) is below this value, in [-1, 1]")
		thresholds = thresholdFlag{}
	)
	fs.Var(&thresholds, "threshold", "metric=value: the score at which a metric counts as present (repeatable)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("validate takes no arguments (got %q); give the folder with -data", fs.Args())
	}
	if *dir == "" {
		return usagef("-data: no labeled data folder given and none found beside the repository (set -data DIR or ROLEGATE_LABELED_DIR)")
	}
	floor := math.Inf(-1)
	if *minKappa != "" {
		f, err := strconv.ParseFloat(*minKappa, 64)
		if err != nil || f < -1 || f > 1 {
			return usagef("-min-kappa: want a number in [-1, 1], got %q", *minKappa)
		}
		floor = f
	}
	data, err := validation.Load(*dir)
	if err != nil {
		return err
	}
	for _, e := range data.Errors {
		fmt.Fprintf(stderr, "rolegate: skipped %v\n", e)
	}
	rep := validation.Evaluate(data, validation.Options{Metrics: thresholds.opts, ByModel: *byModel})
	if *asJSON {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteMarkdown(stdout)
	}
	if err != nil {
		return err
	}
	var low []string
	for _, r := range rep.Rows {
		if r.Group == "all" && float64(r.Kappa) < floor {
			low = append(low, fmt.Sprintf("%s/%s kappa %.3f", r.Task, r.Metric, float64(r.Kappa)))
		}
	}
	if len(low) > 0 {
		return fmt.Errorf("%w: below -min-kappa %s: %s", errFindings, *minKappa, strings.Join(low, ", "))
	}
	return nil
}
