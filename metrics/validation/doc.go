// Package validation measures how well the heuristic scorers of package
// metrics agree with independent labels: real model responses labeled by
// the benchmarks' own LLM judges (the shared labeled data, one JSONL record
// per judged assistant turn).
//
// # Loading
//
// [Load] reads every *.jsonl file under a folder, recursively. A malformed
// or duplicate line is reported as a [*LineError] with its file and line
// and skipped; nothing is guessed.
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
// figures as JSON. Rows come sorted by task, metric, the plain mapping
// before an inverted one, then group: "all", the files, "model:<name>".
// The JSON is one object:
//
//	{
//	  "records": 12126,            // records loaded
//	  "skipped": 0,                // of tasks no mapping covers
//	  "errors": [                  // lines skipped, [] when none
//	    {"file": "dev/x.jsonl", "line": 7, "msg": "missing \"label\""}
//	  ],
//	  "rows": [{
//	    "task": "pushback",        // Mapping.Name: "task" or "task[meta field]"
//	    "group": "all",            // "all", a file, or "model:<name>"
//	    "metric": "framing_acceptance",
//	    "invert": true,            // only when true
//	    "n": 1135, "unknown": 0,
//	    "accuracy": 0.7595, "precision": 0.6459, "recall": 0.8148,
//	    "f1": 0.7206, "kappa": 0.5143,   // 4 decimals; null when undefined
//	    "confusion": {"tp": 352, "fp": 193, "fn": 80, "tn": 510}
//	  }]
//	}
//
// The test TestValidation runs
// the whole evaluation on $ROLEGATE_LABELED_DIR (default
// ../shared/data/labeled), writes JSON to $ROLEGATE_VALIDATION_JSON when set,
// and fails when a kappa falls under its regression floor.
package validation
