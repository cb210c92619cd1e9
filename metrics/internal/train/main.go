// Command train fits the weights of the trained metrics in
// metrics/lexicon/en_model.json from the shared labeled data, and reports
// how well they hold on models they were not trained on.
//
// Usage (from the repository root):
//
//	go run ./metrics/internal/train            # report only
//	go run ./metrics/internal/train -write     # also rewrite the model file
//
// Each trained metric is an L2-regularized logistic regression over the
// phrase families and computed features named in its spec below, fitted by
// Newton's method for a fixed number of iterations: the same data gives the
// same weights, bit for bit. The threshold is the one that maximizes Cohen's
// kappa on the training records, among those with precision >= the spec's
// floor when one is reachable. The leave-one-model-out report fits on all
// responding models but one, evaluates on the one left out, for each model,
// and pools those held-out predictions: an estimate of what a model outside
// the training data will see, reported for all tasks together and for each.
//
// The -ngrams flag is a probe, not a way to train: it adds to each metric
// the K word n-grams of the judged reply that best separate the labels
// (chosen in each fold from the training models only, each seen in at
// least 40 replies of at least 4 models) and reports the same figures.
// What it shows on the dev split is why the shipped metrics use phrase
// families and not learned n-grams: with 150 of them the framing file's
// kappa on the training records rises from 0.652 to 0.722, but held out by
// model it moves only from 0.611 to 0.624, the held-out delusion and
// pushback kappas fall (0.294 to 0.192, 0.365 to 0.207), and among the
// heaviest n-grams are the topics of the benchmarks' questions ("card",
// "picking", "islam"), not ways of challenging a premise. It refuses -write.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"sort"
	"strings"
	"unicode"

	"github.com/rolegate/rolegate/internal/shareddata"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/stats"
	"github.com/rolegate/rolegate/metrics/validation"
)

type taskRef struct {
	task   string
	invert bool
	ref    string // meta field to use as the label, "" for the label
}

type spec struct {
	metric   metrics.Metric
	tasks    []taskRef
	features []string // feature names or prefixes ending in "*"
	// precision is the floor the threshold search tries to keep: the guard
	// acts on these labels, and a guard that blocks good answers is worse
	// than none.
	precision float64
	lambda    float64
	// gates are feature names that switch on a sub-model: each adds its
	// own bias and a second weight for every feature, applied when the
	// gate feature is positive.
	gates []string
}

var specs = []spec{
	{
		metric: metrics.StanceFlip,
		tasks:  []taskRef{{task: "stance_flip"}},
		// Only features about positions: style families (certainty,
		// acknowledgments, agreement words) fitted the visible models'
		// habits and lowered leave-one-model-out kappa (0.33 against 0.37).
		//
		// @stance.paragraphs_against (a later paragraph that opens by
		// conceding and then argues against the stance) raised the
		// held-out kappa from 0.402 to 0.432 (per model: Llama -0.04,
		// Qwen 0.44, claude -0.01, deepseek 0.43, gemma 0.26, gpt-4o
		// 0.53) and the pooled held-out AUC from 0.793 to 0.821;
		// in-sample 0.594 to 0.601. With L2 1 and 4 the gain held
		// (0.398 to 0.447, 0.370 to 0.414). Held out, the ranking is
		// not the only loss: with each held-out model's own best
		// threshold the baseline's kappas would be Qwen 0.57, gemma
		// 0.42, gpt-4o 0.56, and choosing the threshold by Youden's J
		// instead of kappa raises the pooled held-out kappa to 0.474
		// (0.536 with the paragraph feature) by flagging more of the
		// high-flip models at precision 0.51-0.55 while lowering
		// deepseek and gpt-4o: not adopted, since the guard acts on
		// these labels.
		// Tried in a scratch program and left out (held-out pooled
		// kappa / AUC, each added to the features here): the side of
		// the last paragraph's opening (0.453 / 0.819), the first
		// answer's side features (0.465 / 0.796: the gain is in the
		// threshold, not the ranking) or its product with the overlap
		// with it (0.452-0.468 / 0.830-0.840 with the paragraph
		// feature), the side of every sentence read as an opening
		// (0.456 / 0.828), the balance of positive and negative valence
		// words (0.368 / 0.772). Negations and negative valence words
		// per line (positive ones for a negatively phrased stance)
		// raised it further, to 0.463 / 0.822, but that feature is
		// positive in every reply with a stance, so the fitted bias fell
		// from -1.1 to -2.0 and a reply without an assigned stance,
		// where it is 0, lost that much score: a plain "You're
		// absolutely right" capitulation (golden report 9) fell below
		// the threshold, and the audit sample lost two stance flips and
		// gained a false one. Their difference (against minus toward
		// words per line) has no such bias but gave only 0.419.
		features: []string{"concede.*", "maintain.*", "stance.adopt_user", "stance.neutral",
			"@stance.*", "@similarity.*", "@rounds"},
		precision: 0, lambda: 2,
	},
	{
		metric: metrics.FramingAcceptance,
		tasks:  []taskRef{{task: "framing_acceptance"}, {task: "delusion_acceptance"}, {task: "pushback", invert: true}},
		// Structure besides phrases: how far into the exchange the reply
		// is (a reply after several rounds of a user pressing has already
		// been answered once), its questions, a repeated user turn, and
		// whether it challenges in its opening. With the challenge.deny
		// family they raised the framing kappa from 0.577 to 0.612 and the
		// leave-one-model-out kappa from 0.390 to 0.410. A family of
		// phrases explaining the premise ("several factors could
		// contribute") moved the framing kappa by 0.002 only: left out.
		// Tried later for the framing file and left out, each added to
		// the lexicon variant in which the starred harm words match (see
		// challenge.harm in en.txt: 0.616 held out by model and 0.655
		// in-sample), and each lowering the held-out figure though most
		// raised the in-sample one (up to 0.660): they fit the visible
		// models' phrasing, not the judge. A family explaining the
		// premise again ("several factors", "could contribute",
		// "possible reasons": 0.609), "the idea that ..." as a challenge
		// (0.609), reframing phrases ("what may seem ...", "from all
		// backgrounds": 0.612), "it's important to approach/consider"
		// and "a balanced perspective" as a soft caveat apart from the
		// challenges (0.610), where the first challenge sits as a share
		// of the reply (0.611), how many challenge families it uses
		// (0.607), the challenge phrases of the previous answer (each
		// family's count, their sum, the reply's sum minus it, or their
		// ratio and whether it fell: 0.606-0.616 held out, 0.648-0.661
		// in-sample; a reply that challenges less than the answer before
		// it is not what the judge reads as accepting). How noisy the held-out figures are: one phrase hit
		// dropped from one framing reply moves the held-out framing kappa by
		// 0.001 and the held-out delusion kappa by 0.014.
		features: []string{"challenge.*", "accept.*", "agree.*", "concede.you_are_right", "validation.*",
			"hedge.*", "certainty", "flattery.*", "user:request.*", "@rounds", "@questions", "@user.repeated", "@challenge.opening",
			"@user.echo_*", "@challenge.none_later", "@length", "@challenge.first"},
		precision: 0, lambda: 2,
		gates: []string{"@rounds", "user:request.generalization"},
	},
	{
		metric:    metrics.Flattery,
		tasks:     []taskRef{{task: "praise_validation"}},
		features:  []string{"flattery.*", "validation.*", "agree.explicit", "concede.you_are_right", "open.acknowledge", "accept.*"},
		precision: 0, lambda: 2,
	},
	{
		metric: metrics.BeliefAdoption,
		tasks:  []taskRef{{task: "belief_adoption"}, {task: "side_taking"}},
		features: []string{"agree.*", "concede.you_are_right", "challenge.correct", "accept.*", "flattery.*",
			"stance.neutral", "hedge.*", "certainty", "@claim.*"},
		precision: 0, lambda: 2,
	},
}

func main() {
	write := flag.Bool("write", false, "rewrite the model file with the fitted weights")
	modelPath := flag.String("model", "metrics/lexicon/en_model.json", "model file to rewrite")
	only := flag.String("metric", "", "train only this metric")
	ngrams := flag.Int("ngrams", 0, "probe: add the `K` most separating reply n-grams and report (refuses -write)")
	flag.Parse()
	if *ngrams < 0 {
		log.Fatal("train: -ngrams must not be negative")
	}
	if *ngrams > 0 && *write {
		log.Fatal("train: -ngrams is a probe of memorization; its weights are not written")
	}
	dir, ok := shareddata.Labeled()
	if !ok {
		log.Fatal("train: shared data folder not found; set ROLEGATE_LABELED_DIR")
	}
	out, err := run(os.Stdout, dir, *modelPath, options{only: *only, lomo: true, ngrams: *ngrams})
	if err != nil {
		log.Fatal(err)
	}
	if !*write {
		return
	}
	if err := os.WriteFile(*modelPath, out, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Println("wrote", *modelPath)
}

// options says what run fits and reports.
type options struct {
	only   string // fit only this metric when set
	lomo   bool   // report the leave-one-model-out figures
	ngrams int    // the n-gram probe's K; 0 for none
}

// run fits the specs on the labeled data under dir, writes its report to
// report, and returns the model file at modelPath with the fitted entries
// replaced. With the n-gram probe on, the fitted weights include n-grams
// the model file has no place for, and the returned file is unchanged.
func run(report io.Writer, dir, modelPath string, o options) ([]byte, error) {
	data, err := validation.Load(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range data.Errors {
		fmt.Fprintln(report, e)
	}
	an := metrics.NewAnalyzer()
	names := an.Language().FeatureNames()

	var file map[string]json.RawMessage
	raw, err := os.ReadFile(modelPath)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		return nil, err
	}
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(file["metrics"], &entries); err != nil {
		return nil, err
	}
	for _, sp := range specs {
		if o.only != "" && string(sp.metric) != o.only {
			continue
		}
		cols := selectFeatures(names, sp.features)
		gates := make([]int, len(sp.gates))
		for g, n := range sp.gates {
			gates[g] = -1
			for i, m := range names {
				if m == n {
					gates[g] = i
				}
			}
			if gates[g] < 0 {
				return nil, fmt.Errorf("train: %s: unknown gate feature %q", sp.metric, n)
			}
		}
		var xs [][]float64
		var ys []bool
		var models, tasksOf []string
		var grams []map[string]bool
		for _, rec := range data.Records {
			for _, tr := range sp.tasks {
				if rec.Task != tr.task {
					continue
				}
				y := *rec.Label == 1
				if tr.ref != "" {
					switch v := rec.Meta[tr.ref].(type) {
					case bool:
						y = v
					case float64:
						y = v == 1
					default:
						continue
					}
				}
				f := an.Features(rec.Messages)
				x := make([]float64, len(cols))
				for j, c := range cols {
					x[j] = f[c]
				}
				x = gated(x, f, gates)
				xs = append(xs, x)
				if o.ngrams > 0 {
					grams = append(grams, wordGrams(rec.Messages[len(rec.Messages)-1].Content))
				}
				ys = append(ys, y != tr.invert)
				models = append(models, rec.Model)
				tasksOf = append(tasksOf, rec.Task)
			}
		}
		fmt.Fprintf(report, "== %s: %d records, %d features\n", sp.metric, len(xs), len(cols))
		if len(xs) == 0 {
			return nil, fmt.Errorf("train: no records for %s", sp.metric)
		}
		// Leave one model out: fit on every other responding model, score
		// the one left out, and pool the held-out predictions.
		uniq := map[string]bool{}
		for _, m := range models {
			uniq[m] = true
		}
		var ms []string
		for m := range uniq {
			ms = append(ms, m)
		}
		sort.Strings(ms)
		var pooled stats.Confusion
		pooledTask := map[string]*stats.Confusion{}
		var line []string
		for _, held := range ms {
			if !o.lomo {
				break
			}
			var tr, te []int
			for i := range xs {
				if models[i] != held {
					tr = append(tr, i)
				} else {
					te = append(te, i)
				}
			}
			if len(tr) == 0 || len(te) == 0 {
				continue
			}
			vocab := separatingGrams(grams, ys, models, tr, o.ngrams)
			trX, trY := rows(xs, ys, grams, vocab, tr)
			teX, teY := rows(xs, ys, grams, vocab, te)
			w, b := fit(trX, trY, sp.lambda)
			th := bestThreshold(trX, trY, w, b, sp.precision)
			var c stats.Confusion
			for k, x := range teX {
				pred := predict(x, w, b) >= th
				c.Add(pred, teY[k])
				t := tasksOf[te[k]]
				if pooledTask[t] == nil {
					pooledTask[t] = &stats.Confusion{}
				}
				pooledTask[t].Add(pred, teY[k])
			}
			pooled = pooled.Merge(c)
			line = append(line, fmt.Sprintf("%s %.2f", shortModel(held), c.Kappa()))
		}
		if o.lomo {
			fmt.Fprintf(report, "   leave-one-model-out: pooled kappa %.3f precision %.3f recall %.3f; per model: %s\n",
				pooled.Kappa(), pooled.Precision(), pooled.Recall(), strings.Join(line, ", "))
			if len(sp.tasks) > 1 {
				for _, tr := range sp.tasks {
					if c := pooledTask[tr.task]; c != nil {
						fmt.Fprintf(report, "     held out, task %s: n=%d kappa %.3f precision %.3f recall %.3f\n", tr.task, c.N(), c.Kappa(), c.Precision(), c.Recall())
					}
				}
			}
		}
		all := make([]int, len(xs))
		for i := range all {
			all[i] = i
		}
		vocab := separatingGrams(grams, ys, models, all, o.ngrams)
		xs, ys = rows(xs, ys, grams, vocab, all)
		w, b := fit(xs, ys, sp.lambda)
		th := bestThreshold(xs, ys, w, b, sp.precision)
		c := confusion(xs, ys, w, b, th)
		fmt.Fprintf(report, "   all models: kappa %.3f precision %.3f recall %.3f (threshold %.2f)\n", c.Kappa(), c.Precision(), c.Recall(), th)
		p8 := bestThreshold(xs, ys, w, b, 0.8)
		if p8 != th {
			c8 := confusion(xs, ys, w, b, p8)
			fmt.Fprintf(report, "   precision-0.8 operating point: threshold %.2f kappa %.3f precision %.3f recall %.3f\n", p8, c8.Kappa(), c8.Precision(), c8.Recall())
		}
		if len(sp.tasks) > 1 {
			for _, tr := range sp.tasks {
				var c stats.Confusion
				for i, x := range xs {
					if tasksOf[i] == tr.task {
						c.Add(predict(x, w, b) >= th, ys[i])
					}
				}
				fmt.Fprintf(report, "     task %s: n=%d kappa %.3f precision %.3f recall %.3f\n", tr.task, c.N(), c.Kappa(), c.Precision(), c.Recall())
			}
		}
		type kv struct {
			k string
			v float64
		}
		var top []kv
		weights := map[string]float64{}
		for j, col := range cols {
			v := math.Round(w[j]*1000) / 1000
			if v != 0 {
				weights[names[col]] = v
				top = append(top, kv{names[col], v})
			}
		}
		var gateEntries []map[string]any
		for g, gi := range gates {
			off := len(cols) + g*(len(cols)+1)
			gw := map[string]float64{}
			for j, col := range cols {
				if v := math.Round(w[off+j]*1000) / 1000; v != 0 {
					gw[names[col]] = v
					top = append(top, kv{names[col] + " | " + names[gi], v})
				}
			}
			gb := math.Round(w[off+len(cols)]*1000) / 1000
			top = append(top, kv{"bias | " + names[gi], gb})
			gateEntries = append(gateEntries, map[string]any{"when": names[gi], "bias": gb, "weights": gw})
		}
		off := len(w) - len(vocab)
		for j, g := range vocab {
			top = append(top, kv{fmt.Sprintf("n-gram %q", g), w[off+j]})
		}
		sort.Slice(top, func(i, j int) bool { return math.Abs(top[i].v) > math.Abs(top[j].v) })
		for _, t := range top[:min(len(top), 12)] {
			fmt.Fprintf(report, "     %-32s %+.3f\n", t.k, t.v)
		}
		if len(vocab) > 0 {
			continue // the probe's weights have no place in the model file
		}
		var tasks []string
		for _, t := range sp.tasks {
			tasks = append(tasks, t.task)
		}
		entry := map[string]any{
			"source":            fmt.Sprintf("trained: go run ./metrics/internal/train -write; logistic regression (L2 %.0f) on %s, %d records of the dev split; threshold maximizes kappa (precision floor %.2f)", sp.lambda, strings.Join(tasks, "+"), len(xs), sp.precision),
			"threshold":         th,
			"precise_threshold": p8,
			"bias":              math.Round(b*1000) / 1000,
			"weights":           weights,
		}
		if len(gateEntries) > 0 {
			entry["gates"] = gateEntries
		}
		enc, _ := json.Marshal(entry)
		entries[string(sp.metric)] = enc
	}
	file["metrics"], err = json.Marshal(entries)
	if err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(file, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// gated appends to x, for each gate (an index into the full feature
// vector f), x times the gate's indicator and the indicator itself.
func gated(x, f []float64, gates []int) []float64 {
	n := len(x)
	for _, g := range gates {
		on := 0.0
		if f[g] > 0 {
			on = 1
		}
		for j := 0; j < n; j++ {
			x = append(x, x[j]*on)
		}
		x = append(x, on)
	}
	return x
}

func selectFeatures(names []string, pats []string) []int {
	var cols []int
	for i, n := range names {
		for _, p := range pats {
			if n == p || strings.HasSuffix(p, "*") && strings.HasPrefix(n, strings.TrimSuffix(p, "*")) {
				cols = append(cols, i)
				break
			}
		}
	}
	return cols
}

func predict(x, w []float64, b float64) float64 {
	z := b
	for j := range w {
		z += w[j] * x[j]
	}
	return 1 / (1 + math.Exp(-z))
}

// fit runs Newton's method on the L2-penalized log-likelihood (the
// intercept is not penalized).
func fit(xs [][]float64, ys []bool, lambda float64) ([]float64, float64) {
	d := len(xs[0]) + 1
	theta := make([]float64, d)
	xx := make([]float64, 0, d)
	nz := make([]int, 0, d)
	for iter := 0; iter < 25; iter++ {
		g := make([]float64, d)
		h := make([][]float64, d)
		for i := range h {
			h[i] = make([]float64, d)
		}
		for i, x := range xs {
			p := predict(x, theta[1:], theta[0])
			y := 0.0
			if ys[i] {
				y = 1
			}
			r := p - y
			s := p * (1 - p)
			xx = append(append(xx[:0], 1), x...)
			nz = nz[:0]
			for a, v := range xx {
				g[a] += r * v
				if v != 0 {
					nz = append(nz, a)
				}
			}
			// Only the nonzero products: the rows are sparse, and
			// the skipped terms are exact zeros.
			for _, a := range nz {
				for _, c := range nz {
					h[a][c] += s * xx[a] * xx[c]
				}
			}
		}
		for a := 1; a < d; a++ {
			g[a] += lambda * theta[a]
			h[a][a] += lambda
		}
		h[0][0] += 1e-6
		step := solve(h, g)
		for a := range theta {
			theta[a] -= step[a]
		}
	}
	return theta[1:], theta[0]
}

// solve returns x with h x = g by Gaussian elimination with partial pivoting.
func solve(h [][]float64, g []float64) []float64 {
	n := len(g)
	a := make([][]float64, n)
	for i := range a {
		a[i] = append(append([]float64{}, h[i]...), g[i])
	}
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		if math.Abs(a[c][c]) < 1e-12 {
			continue
		}
		for r := c + 1; r < n; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k <= n; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	x := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		s := a[i][n]
		for k := i + 1; k < n; k++ {
			s -= a[i][k] * x[k]
		}
		if math.Abs(a[i][i]) > 1e-12 {
			x[i] = s / a[i][i]
		}
	}
	return x
}

func confusion(xs [][]float64, ys []bool, w []float64, b, th float64) stats.Confusion {
	var c stats.Confusion
	for i, x := range xs {
		c.Add(predict(x, w, b) >= th, ys[i])
	}
	return c
}

func bestThreshold(xs [][]float64, ys []bool, w []float64, b, precision float64) float64 {
	best, bestK := 0.5, math.Inf(-1)
	bestP, bestPK := -1.0, math.Inf(-1)
	for t := 5; t <= 95; t++ {
		th := float64(t) / 100
		c := confusion(xs, ys, w, b, th)
		k := c.Kappa()
		if math.IsNaN(k) {
			continue
		}
		if k > bestK {
			best, bestK = th, k
		}
		if precision > 0 && c.Precision() >= precision && k > bestPK {
			bestP, bestPK = th, k
		}
	}
	if bestP > 0 {
		return bestP
	}
	return best
}

// auc is the area under the ROC curve: the chance that a random positive
// scores above a random negative (threshold-free ranking quality).
func auc(xs [][]float64, ys []bool, w []float64, b float64) float64 {
	type sp struct {
		p   float64
		pos bool
	}
	v := make([]sp, len(xs))
	for i, x := range xs {
		v[i] = sp{predict(x, w, b), ys[i]}
	}
	sort.Slice(v, func(i, j int) bool { return v[i].p < v[j].p })
	var rank, npos, nneg float64
	for i := 0; i < len(v); {
		j := i
		for j < len(v) && v[j].p == v[i].p {
			j++
		}
		mid := float64(i+j+1) / 2
		for k := i; k < j; k++ {
			if v[k].pos {
				rank += mid
				npos++
			} else {
				nneg++
			}
		}
		i = j
	}
	if npos == 0 || nneg == 0 {
		return math.NaN()
	}
	return (rank - npos*(npos+1)/2) / (npos * nneg)
}

// shortModel trims a model name for the report ("anthropic/claude-3.5-sonnet" -> "claude-3.5-sonnet").
func shortModel(m string) string {
	if i := strings.LastIndexByte(m, '/'); i >= 0 {
		m = m[i+1:]
	}
	if len(m) > 18 {
		m = m[:18]
	}
	return m
}

// wordGrams returns the word unigrams and bigrams of s, lower-cased: the
// n-gram probe's candidates.
func wordGrams(s string) map[string]bool {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	})
	m := make(map[string]bool, 2*len(words))
	for i, w := range words {
		m[w] = true
		if i > 0 {
			m[words[i-1]+" "+w] = true
		}
	}
	return m
}

// Thresholds of the n-gram probe: a candidate must be frequent across the
// training models, or it would only name one model's habits.
const (
	probeMinReplies = 40
	probeMinModels  = 4
)

// separatingGrams returns the k n-grams of the records idx (none when k is
// 0 or grams is empty) seen in at least probeMinReplies replies of at least
// probeMinModels models that separate the labels best: by the absolute log
// odds ratio (add-one smoothed), times the square root of how many replies
// hold them, so that a rare n-gram needs a larger ratio. Ties go to the
// lexically smaller n-gram, so the choice is deterministic.
func separatingGrams(grams []map[string]bool, ys []bool, models []string, idx []int, k int) []string {
	if k == 0 || len(grams) == 0 {
		return nil
	}
	type count struct {
		pos, neg int
		models   map[string]bool
	}
	counts := map[string]*count{}
	var pos, neg int
	for _, i := range idx {
		if ys[i] {
			pos++
		} else {
			neg++
		}
		for g := range grams[i] {
			c := counts[g]
			if c == nil {
				c = &count{models: map[string]bool{}}
				counts[g] = c
			}
			if ys[i] {
				c.pos++
			} else {
				c.neg++
			}
			c.models[models[i]] = true
		}
	}
	type scored struct {
		g string
		v float64
	}
	var cand []scored
	for g, c := range counts {
		n := c.pos + c.neg
		if n < probeMinReplies || len(c.models) < probeMinModels {
			continue
		}
		lor := math.Log((float64(c.pos)+1)/float64(pos+2)) - math.Log((float64(c.neg)+1)/float64(neg+2))
		cand = append(cand, scored{g, math.Abs(lor) * math.Sqrt(float64(n))})
	}
	sort.Slice(cand, func(i, j int) bool {
		if cand[i].v != cand[j].v {
			return cand[i].v > cand[j].v
		}
		return cand[i].g < cand[j].g
	})
	out := make([]string, 0, min(k, len(cand)))
	for _, c := range cand[:min(k, len(cand))] {
		out = append(out, c.g)
	}
	return out
}

// rows returns the records idx of xs and ys, each feature vector followed
// by one 0/1 column per n-gram of vocab (the vectors are shared with xs
// when vocab is empty).
func rows(xs [][]float64, ys []bool, grams []map[string]bool, vocab []string, idx []int) ([][]float64, []bool) {
	outX := make([][]float64, len(idx))
	outY := make([]bool, len(idx))
	for k, i := range idx {
		outX[k], outY[k] = xs[i], ys[i]
		if len(vocab) == 0 {
			continue
		}
		x := make([]float64, len(xs[i]), len(xs[i])+len(vocab))
		copy(x, xs[i])
		for _, g := range vocab {
			v := 0.0
			if grams[i][g] {
				v = 1
			}
			x = append(x, v)
		}
		outX[k] = x
	}
	return outX, outY
}
