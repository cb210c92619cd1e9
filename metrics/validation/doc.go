// Package validation measures how well the heuristic scorers of package
// metrics agree with independent labels: real model responses labeled by
// the benchmarks' own LLM judges (the shared labeled data, one JSONL record
// per judged assistant turn).
//
// # Loading
//
// [Load] reads every *.jsonl file under a folder, recursively. A malformed
// line is reported as a [*LineError] with its file and line and skipped;
// nothing is guessed.
//
// # Evaluating
//
// [Evaluate] maps each task to the metric that predicts it
// ([DefaultMappings]), feeds the scorer only the record's messages (never
// its label, score, evidence or meta), and reports, per task and per source
// file (and per responding model on request): n, accuracy, precision,
// recall, F1, Cohen's kappa and the confusion matrix, computed by
// metrics/stats.Confusion. Records the scorer cannot decide are counted as
// unknown and left out of the matrix.
//
// # Rendering
//
// [Report.WriteMarkdown] writes the table, [Report.WriteJSON] the same
// figures as JSON (undefined ratios as null). The test TestValidation runs
// the whole evaluation on $ROLEGATE_LABELED_DIR (default
// ../shared/data/labeled), writes JSON to $ROLEGATE_VALIDATION_JSON when set,
// and fails when a kappa falls under its regression floor.
package validation
