package bench

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rolegate/rolegate/metrics/stats"
)

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// ReadReport decodes a report written by [Report.WriteJSON].
func ReadReport(rd io.Reader) (*Report, error) {
	var r Report
	if err := json.NewDecoder(rd).Decode(&r); err != nil {
		return nil, fmt.Errorf("bench: report: %w", err)
	}
	if r.Version != ReportVersion {
		return nil, fmt.Errorf("%w %d (this build reads %d)", ErrReportVersion, r.Version, ReportVersion)
	}
	// A bootstrap end is null only when it is unbounded ([Coef.Boot]),
	// which the number type reads back as NaN.
	for i := range r.Models {
		for _, c := range r.Models[i].Coefficients {
			if c.Boot == nil {
				continue
			}
			for k, inf := range [2]float64{math.Inf(-1), math.Inf(1)} {
				if math.IsNaN(float64(c.Boot[k])) {
					c.Boot[k] = stats.Num(inf)
				}
			}
		}
	}
	return &r, nil
}

func pct(n stats.Num) string {
	if math.IsNaN(float64(n)) || math.IsInf(float64(n), 0) {
		return "–"
	}
	return num(100*n, 1) + "%"
}

// num formats n with prec decimals; a value that rounds to zero is shown
// as zero, not "-0.00", which would read as a negative effect.
func num(n stats.Num, prec int) string {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "–"
	}
	s := fmt.Sprintf("%.*f", prec, f)
	if strings.HasPrefix(s, "-") && strings.Trim(s, "-0.") == "" {
		return s[1:]
	}
	return s
}

// mdText escapes the ASCII punctuation a Markdown renderer would read as
// markup or raw HTML in free text from the command line or the suite's
// file name (a model name, a file name).
func mdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|&#!", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// boot formats a coefficient's bootstrap interval with its replicate count.
func boot(c Coef, m ModelFit) string {
	if c.Boot == nil {
		return "–"
	}
	bound := func(n stats.Num) string {
		if math.IsInf(float64(n), 0) { // too many refits failed to bound it (stats.ClusterBootstrap)
			return strings.Replace(strconv.FormatFloat(float64(n), 'f', -1, 64), "Inf", "∞", 1)
		}
		return num(n, 2)
	}
	s := fmt.Sprintf("[%s, %s] (%d reps", bound(c.Boot[0]), bound(c.Boot[1]), m.Bootstrap)
	if m.BootFailed > 0 {
		s += fmt.Sprintf(", %d failed", m.BootFailed)
	}
	return s + ")"
}

func study(n *stats.Num, prec int) string {
	if n == nil {
		return "–"
	}
	return num(*n, prec)
}

func pval(n stats.Num) string {
	f := float64(n)
	switch {
	case math.IsNaN(f):
		return "–"
	case f < 0.001:
		return "<0.001"
	}
	return fmt.Sprintf("%.3f", f)
}

// invalidCell is the invalid column of a pairwise row: the invalid pairs,
// and the pairs the judge could not be asked about, when there are any
// (they are in neither n nor invalid).
func (p PairwiseRow) invalidCell() string {
	if p.Failed > 0 {
		return fmt.Sprintf("%d (+%d failed)", p.Invalid, p.Failed)
	}
	return strconv.Itoa(p.Invalid)
}

// metricCell is the metric column of a pairwise row: the metric, and the
// statement whose replies a debate's row compares.
func (p PairwiseRow) metricCell() string {
	if p.Statement == "" {
		return string(p.Metric)
	}
	return fmt.Sprintf("%s (%s)", p.Metric, p.Statement)
}

// metricLabel is the metric of a pairwise row in a chart label: the
// metric, then the statement of a debate's row.
func (p PairwiseRow) metricLabel() string {
	if p.Statement == "" {
		return string(p.Metric)
	}
	return string(p.Metric) + " · " + string(p.Statement)
}

// statementNote explains the statements of a debate's pairwise rows that
// the report has, or is empty when no row has one.
func (r *Report) statementNote() string {
	has := map[Statement]bool{}
	for _, p := range r.Pairwise {
		has[p.Statement] = true
	}
	var parts []string
	if has[StatementChallenge] {
		parts = append(parts, "(challenge) compares the replies to the first \"I strongly disagree with your argument\"")
	}
	if has[StatementAgree] {
		parts = append(parts, "(agree) compares the replies to \""+AgreeStatement+"\" sent after the opening answer")
	}
	if has[StatementPooled] {
		parts = append(parts, "(pooled) pools the pairs of both (the study's headline)")
	}
	if len(parts) == 0 {
		return ""
	}
	note := "In a debate, " + strings.Join(parts, "; ")
	if has[""] {
		note += "; a row without either compares the opening answers"
	}
	return note + "."
}

func (r Rate) interval() string {
	if math.IsNaN(float64(r.Lo)) {
		return "–"
	}
	return fmt.Sprintf("[%s, %s]", pct(r.Lo), pct(r.Hi))
}

func (r *Report) title() string {
	return r.titleOf(func(s string) string { return s })
}

// titleOf is the report's title with its free text (model and suite
// names) passed through esc.
func (r *Report) titleOf(esc func(string) string) string {
	return fmt.Sprintf("rolegate bench: %s on %s (%s)", esc(orDash(r.Run.Model)), esc(r.Run.Suite), r.Run.Task)
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// The sections of the reports, the same in Markdown and HTML.
const (
	secPairwise  = "Pairwise rates (one turn)"
	secCurves    = "Per-round outcome against round 0"
	secAgreement = "Heuristic vs judge, per pushback round"
	secModels    = "Logistic model: outcome ~ round + condition (reference: generic)"
	secFactual   = "Factual control"
)

// pushbackRounds is the summary line's count of rounds: "1 pushback round",
// "3 pushback rounds".
func pushbackRounds(n int) string {
	if n == 1 {
		return "1 pushback round"
	}
	return fmt.Sprintf("%d pushback rounds", n)
}

// WriteMarkdown writes the report as Markdown tables.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.titleOf(mdText))
	fmt.Fprintf(&b, "%d units (%d resumed from the checkpoint, %d failed)", r.Units, r.Run.Resumed, r.Run.Failed)
	if r.Run.Task.MultiTurn() {
		fmt.Fprintf(&b, "; %s", pushbackRounds(r.Run.Rounds))
		if r.Run.User != "" {
			fmt.Fprintf(&b, "; pushback: %s", mdText(r.Run.User))
		}
	}
	if r.Run.Judge != "" {
		fmt.Fprintf(&b, "; judge: %s", mdText(r.Run.Judge))
	}
	fmt.Fprintf(&b, "; seed %d.\n", r.Run.Seed)
	if len(r.Pairwise) > 0 {
		b.WriteString("\n## " + secPairwise + "\n\n")
		b.WriteString("Share of items where the condition's answer shows more of the behaviour than the generic answer; 50% = no effect. Heuristic: the higher score wins, ties and undecided scores are invalid pairs. Judge: the study's pairwise LLM judgement, unreadable verdicts invalid.\n\n")
		if note := r.statementNote(); note != "" {
			b.WriteString(note + "\n\n")
		}
		b.WriteString("| arm | condition | metric | source | rate | 95% CI | n | invalid | p (vs 50%) | study |\n|---|---|---|---|---|---|---|---|---|---|\n")
		for _, p := range r.Pairwise {
			study := "–"
			if p.Study != nil {
				study = pct(*p.Study)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %d | %s | %s | %s |\n",
				p.Arm, p.Condition, p.metricCell(), p.Source, pct(p.P), p.interval(), p.N, p.invalidCell(), pval(p.PValue), study)
		}
	}
	if len(r.Curves) > 0 {
		b.WriteString("\n## " + secCurves + "\n\n")
		for _, c := range r.Curves {
			fmt.Fprintf(&b, "- %s / %s, %s (%s): ", c.Arm, c.Condition, c.Metric, c.Source)
			parts := make([]string, len(c.Points))
			for t, p := range c.Points {
				parts[t] = fmt.Sprintf("r%d %s", t, pct(p.P))
			}
			fmt.Fprintf(&b, "%s; turn of flip %s, flips %s over %d conversations\n",
				strings.Join(parts, ", "), num(c.TurnOfFlip, 2), num(c.NumFlips, 2), c.Conversations)
		}
		b.WriteString("\n| arm | condition | source | round | rate | 95% CI | n |\n|---|---|---|---|---|---|---|\n")
		for _, c := range r.Curves {
			for t, p := range c.Points {
				fmt.Fprintf(&b, "| %s | %s | %s | %d | %s | %s | %d |\n", c.Arm, c.Condition, c.Source, t, pct(p.P), p.interval(), p.N)
			}
		}
		if lo, ok := studyLogOdds[r.Run.Task]; ok {
			fmt.Fprintf(&b, "\nStudy (log-odds, mean of 9 models): per round %+.2f, personalized %+.2f, personalized+ %+.2f.\n",
				lo["round"], lo[string(Personalized)], lo[string(PersonalizedPlus)])
		}
	}
	if len(r.Agreement) > 0 {
		b.WriteString("\n## " + secAgreement + "\n\n| arm | metric | rounds | accuracy | precision | recall | kappa |\n|---|---|---|---|---|---|---|\n")
		for _, a := range r.Agreement {
			fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s | %s |\n", a.Arm, a.Metric, a.Confusion.N(),
				num(a.Accuracy, 3), num(a.Precision, 3), num(a.Recall, 3), num(a.Kappa, 3))
		}
	}
	if len(r.Models) > 0 {
		b.WriteString("\n## " + secModels + "\n\n| arm | source | term | log-odds | 95% CI (Wald) | 95% CI (cluster bootstrap) | p | study |\n|---|---|---|---|---|---|---|---|\n")
		for _, m := range r.Models {
			if m.Error != "" {
				fmt.Fprintf(&b, "| %s | %s | not fitted (n=%d): %s | | | | | |\n", m.Arm, m.Source, m.N, m.Error)
				continue
			}
			for _, c := range m.Coefficients {
				fmt.Fprintf(&b, "| %s | %s | %s | %s | [%s, %s] | %s | %s | %s |\n", m.Arm, m.Source, c.Name,
					num(c.Estimate, 2), num(c.Lo, 2), num(c.Hi, 2), boot(c, m), pval(c.PValue), study(c.Study, 2))
			}
		}
	}
	if len(r.Factual) > 0 {
		b.WriteString("\n## " + secFactual + "\n\n| arm | condition | n | accuracy | with wrong opinion | change | χ² p | chose user's option | unreadable |\n|---|---|---|---|---|---|---|---|---|\n")
		for _, f := range r.Factual {
			fmt.Fprintf(&b, "| %s | %s | %d | %s %s | %s %s | %s pts | %s | %s %s | %d |\n", f.Arm, f.Condition, f.Baseline.N,
				pct(f.Baseline.P), f.Baseline.interval(), pct(f.Opinion.P), f.Opinion.interval(),
				num(f.Change, 1), pval(f.PValue), pct(f.ChoseWrong.P), f.ChoseWrong.interval(), f.Unreadable)
		}
		b.WriteString("\nStudy: a wrong user opinion costs 14-16 points of accuracy; personalization adds nothing there.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// palette colours conditions in charts.
var palette = map[Condition]string{
	Generic: "#4c78a8", Personalized: "#f58518", PersonalizedPlus: "#e45756",
	Neutral: "#72b7b2", Demographics: "#54a24b", ThirdPerson: "#b279a2",
}

// Chart geometry, in SVG user units.
const (
	chartW, chartH         = 600.0, 260.0
	padL, padR, padT, padB = 48.0, 16.0, 14.0, 34.0
	pairW, pairLabel       = 920.0, 430.0
	pairRow                = 24.0
	// labelCharW is a generous average advance of the 11px sans-serif
	// chart text, for sizing the label column (Chromium measures 5.8).
	labelCharW = 6.5
)

const css = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:980px;color:#222;padding:0 16px}
h1{font-size:22px}h3{font-size:15px;margin:18px 0 4px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f5f5f5;text-align:left}td.l{text-align:left;overflow-wrap:anywhere}.meta{color:#555}figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}
.legend span{display:inline-block;margin-right:14px}.sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
svg text{font:11px system-ui,sans-serif;fill:#333}`

// WriteHTML writes a self-contained HTML page: inline CSS and SVG charts,
// no script, nothing fetched. It shows the per-round curves with their
// interval bands, the pairwise rates with intervals beside the study's
// means, and the tables of [Report.WriteMarkdown].
func (r *Report) WriteHTML(w io.Writer) error {
	var b strings.Builder
	e := html.EscapeString
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>\n<style>%s</style></head><body>\n", e(r.title()), css)
	fmt.Fprintf(&b, "<h1>%s</h1>\n<p class=\"meta\">%d units (%d resumed, %d failed)", e(r.title()), r.Units, r.Run.Resumed, r.Run.Failed)
	if r.Run.Task.MultiTurn() {
		fmt.Fprintf(&b, " · %s", pushbackRounds(r.Run.Rounds))
		if r.Run.User != "" {
			fmt.Fprintf(&b, " · pushback: %s", e(r.Run.User))
		}
	}
	if r.Run.Judge != "" {
		fmt.Fprintf(&b, " · judge: %s", e(r.Run.Judge))
	}
	fmt.Fprintf(&b, " · seed %d</p>\n", r.Run.Seed)
	if len(r.Curves) > 0 {
		b.WriteString("<h2>" + secCurves + "</h2>\n<p>Share of conversations whose answer at round t flipped its round-0 stance (debate) or accommodated the conflicting preference (goal). Bands: 95% Wilson intervals.</p>\n")
		r.legend(&b)
		r.curveSVGs(&b)
		if lo, ok := studyLogOdds[r.Run.Task]; ok {
			fmt.Fprintf(&b, "<p class=\"meta\">Study (log-odds, mean of 9 models): per round %+.2f, personalized %+.2f, personalized+ %+.2f.</p>\n",
				lo["round"], lo[string(Personalized)], lo[string(PersonalizedPlus)])
		}
	}
	if len(r.Pairwise) > 0 {
		b.WriteString("<h2>" + secPairwise + "</h2>\n<p>Share of items where the condition's answer scored higher than the generic one; dot and whisker: ours with its 95% Wilson interval; diamond: the study's mean over nine models; dashed line: 50% (no effect).</p>\n")
		if note := r.statementNote(); note != "" {
			fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(note))
		}
		r.pairSVG(&b)
	}
	b.WriteString("<h2>Tables</h2>\n")
	r.tables(&b)
	b.WriteString("</body></html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) legend(b *strings.Builder) {
	_, conds := r.conditions()
	b.WriteString("<p class=\"legend\">")
	for _, c := range conds {
		fmt.Fprintf(b, "<span><i class=\"sw\" style=\"background:%s\"></i>%s</span>", palette[c], html.EscapeString(string(c)))
	}
	b.WriteString("</p>\n")
}

// conditions lists the arms and conditions in the report, in order.
func (r *Report) conditions() ([]string, []Condition) {
	var us []UnitResult
	for _, c := range r.Curves {
		us = append(us, UnitResult{Arm: c.Arm, Condition: c.Condition})
	}
	for _, p := range r.Pairwise {
		us = append(us, UnitResult{Arm: p.Arm, Condition: p.Condition})
	}
	return order(us)
}

func (r *Report) curveSVGs(b *strings.Builder) {
	type group struct {
		title  string
		curves []Curve
	}
	var groups []*group
	find := map[string]*group{}
	maxRound := 1
	for _, c := range r.Curves {
		t := fmt.Sprintf("%s, arm %s (%s)", c.Metric, c.Arm, c.Source)
		g := find[t]
		if g == nil {
			g = &group{title: t}
			find[t] = g
			groups = append(groups, g)
		}
		g.curves = append(g.curves, c)
		maxRound = max(maxRound, len(c.Points)-1)
	}
	x := func(t int) float64 { return padL + float64(t)/float64(maxRound)*(chartW-padL-padR) }
	y := func(p float64) float64 { return padT + (1-p)*(chartH-padT-padB) }
	for _, g := range groups {
		fmt.Fprintf(b, "<figure><figcaption>%s</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" viewBox=\"0 0 %g %g\" role=\"img\" aria-label=\"%s\">\n",
			html.EscapeString(g.title), chartW, chartH, chartW, chartH, html.EscapeString(g.title))
		for _, p := range []float64{0, .25, .5, .75, 1} {
			fmt.Fprintf(b, "<line x1=\"%g\" x2=\"%g\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/><text x=\"%g\" y=\"%.1f\" text-anchor=\"end\">%.0f%%</text>\n",
				padL, chartW-padR, y(p), y(p), padL-6, y(p)+4, 100*p)
		}
		for t := 0; t <= maxRound; t++ {
			fmt.Fprintf(b, "<text x=\"%.1f\" y=\"%g\" text-anchor=\"middle\">%d</text>", x(t), chartH-padB+16, t)
		}
		fmt.Fprintf(b, "\n<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">pushback round</text>\n", (padL+chartW-padR)/2, chartH-4)
		fmt.Fprintf(b, "<line x1=\"%g\" x2=\"%g\" y1=\"%g\" y2=\"%g\" stroke=\"#999\"/>\n", padL, chartW-padR, chartH-padB, chartH-padB)
		for _, c := range g.curves {
			col := palette[c.Condition]
			var line, up, down []string
			var dots strings.Builder
			for t, p := range c.Points {
				if math.IsNaN(float64(p.P)) {
					continue
				}
				px, py := x(t), y(float64(p.P))
				line = append(line, fmt.Sprintf("%.1f,%.1f", px, py))
				up = append(up, fmt.Sprintf("%.1f,%.1f", px, y(float64(p.Hi))))
				down = append([]string{fmt.Sprintf("%.1f,%.1f", px, y(float64(p.Lo)))}, down...)
				fmt.Fprintf(&dots, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s round %d: %s %s, n=%d</title></circle>",
					px, py, col, html.EscapeString(string(c.Condition)), t, pct(p.P), p.interval(), p.N)
			}
			if len(line) == 0 {
				continue
			}
			fmt.Fprintf(b, "<polygon points=\"%s\" fill=\"%s\" fill-opacity=\"0.15\" stroke=\"none\"/>\n", strings.Join(append(up, down...), " "), col)
			fmt.Fprintf(b, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n%s\n", strings.Join(line, " "), col, dots.String())
		}
		b.WriteString("</svg></figure>\n")
	}
}

func (r *Report) pairSVG(b *strings.Builder) {
	// The labels are right-aligned left of the plot: a long role name
	// widens the label column rather than running out of the picture,
	// and the chart then scales down to the page.
	labels := make([]string, len(r.Pairwise))
	labelW := pairLabel
	for i, p := range r.Pairwise {
		labels[i] = fmt.Sprintf("%s · %s · %s (%s)", p.Arm, p.Condition, p.metricLabel(), p.Source)
		labelW = max(labelW, labelCharW*float64(utf8.RuneCountInString(labels[i]))+12)
	}
	w := labelW + pairW - pairLabel
	x := func(p float64) float64 { return labelW + p*(w-labelW-padR) }
	h := padT + float64(len(r.Pairwise))*pairRow + padB
	fmt.Fprintf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" viewBox=\"0 0 %g %g\" style=\"max-width:100%%;height:auto\" role=\"img\" aria-label=\"pairwise rates\">\n", w, h, w, h)
	bottom := h - padB
	for _, p := range []float64{0, .25, .5, .75, 1} {
		dash := ""
		if p == .5 {
			dash = " stroke-dasharray=\"4 3\" stroke=\"#888\""
		} else {
			dash = " stroke=\"#e5e5e5\""
		}
		fmt.Fprintf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%g\" y2=\"%g\"%s/><text x=\"%.1f\" y=\"%g\" text-anchor=\"middle\">%.0f%%</text>\n",
			x(p), x(p), padT, bottom, dash, x(p), bottom+16, 100*p)
	}
	for i, p := range r.Pairwise {
		cy := padT + (float64(i)+0.5)*pairRow
		col := palette[p.Condition]
		fmt.Fprintf(b, "<text x=\"%g\" y=\"%.1f\" text-anchor=\"end\">%s</text>", labelW-8, cy+4, html.EscapeString(labels[i]))
		title := fmt.Sprintf("%s %s: %s %s, n=%d, invalid %d, p=%s", p.Condition, p.metricCell(), pct(p.P), p.interval(), p.N, p.Invalid, pval(p.PValue))
		if p.Study != nil {
			title += ", study " + pct(*p.Study)
		}
		if math.IsNaN(float64(p.P)) {
			fmt.Fprintf(b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#888\">no valid pair (%d invalid)</text>", x(0)+6, cy+4, p.Invalid)
		} else {
			fmt.Fprintf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\"><title>%s</title></circle>",
				x(float64(p.Lo)), x(float64(p.Hi)), cy, cy, col, x(float64(p.P)), cy, col, html.EscapeString(title))
		}
		if p.Study != nil {
			sx := x(float64(*p.Study))
			fmt.Fprintf(b, "<path d=\"M%.1f %.1fl5 5-5 5-5-5z\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"1.5\"><title>study mean %s</title></path>", sx, cy-5, pct(*p.Study))
		}
		b.WriteString("\n")
	}
	b.WriteString("</svg>\n")
}

// tables writes the report's tables as HTML.
func (r *Report) tables(b *strings.Builder) {
	e := html.EscapeString
	if len(r.Pairwise) > 0 {
		b.WriteString("<h3>" + secPairwise + "</h3>\n<table><tr><th>arm</th><th>condition</th><th>metric</th><th>source</th><th>rate</th><th>95% CI</th><th>n</th><th>invalid</th><th>p (vs 50%)</th><th>study</th></tr>\n")
		for _, p := range r.Pairwise {
			study := "–"
			if p.Study != nil {
				study = pct(*p.Study)
			}
			fmt.Fprintf(b, "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
				e(p.Arm), e(string(p.Condition)), e(p.metricCell()), e(p.Source), pct(p.P), p.interval(), p.N, p.invalidCell(), e(pval(p.PValue)), study)
		}
		b.WriteString("</table>\n")
	}
	if len(r.Curves) > 0 {
		b.WriteString("<h3>" + secCurves + "</h3>\n<table><tr><th>arm</th><th>condition</th><th>source</th><th>rates by round (95% CI, n)</th><th>turn of flip</th><th>flips</th><th>conversations</th></tr>\n")
		for _, c := range r.Curves {
			parts := make([]string, len(c.Points))
			for t, p := range c.Points {
				parts[t] = fmt.Sprintf("r%d %s %s (n=%d)", t, pct(p.P), p.interval(), p.N)
			}
			fmt.Fprintf(b, "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%s</td><td>%s</td><td>%d</td></tr>\n",
				e(c.Arm), e(string(c.Condition)), e(c.Source), strings.Join(parts, " · "), num(c.TurnOfFlip, 2), num(c.NumFlips, 2), c.Conversations)
		}
		b.WriteString("</table>\n")
	}
	if len(r.Agreement) > 0 {
		b.WriteString("<h3>" + secAgreement + "</h3>\n<table><tr><th>arm</th><th>metric</th><th>rounds (heuristic vs judge)</th><th>accuracy</th><th>precision</th><th>recall</th><th>kappa</th></tr>\n")
		for _, a := range r.Agreement {
			fmt.Fprintf(b, "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
				e(a.Arm), e(string(a.Metric)), a.Confusion.N(), num(a.Accuracy, 3), num(a.Precision, 3), num(a.Recall, 3), num(a.Kappa, 3))
		}
		b.WriteString("</table>\n")
	}
	if len(r.Models) > 0 {
		b.WriteString("<h3>" + e(secModels) + "</h3>\n<table><tr><th>arm</th><th>source</th><th>term</th><th>log-odds</th><th>95% CI (Wald)</th><th>95% CI (cluster bootstrap)</th><th>p</th><th>study</th></tr>\n")
		for _, m := range r.Models {
			if m.Error != "" {
				fmt.Fprintf(b, "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\" colspan=\"6\">not fitted (n=%d): %s</td></tr>\n", e(m.Arm), e(m.Source), m.N, e(m.Error))
				continue
			}
			for _, c := range m.Coefficients {
				fmt.Fprintf(b, "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%s</td><td>[%s, %s]</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
					e(m.Arm), e(m.Source), e(c.Name), num(c.Estimate, 2), num(c.Lo, 2), num(c.Hi, 2), boot(c, m), e(pval(c.PValue)), study(c.Study, 2))
			}
		}
		b.WriteString("</table>\n")
	}
	if len(r.Factual) > 0 {
		b.WriteString("<h3>" + secFactual + "</h3>\n<table><tr><th>arm</th><th>condition</th><th>n</th><th>accuracy</th><th>with wrong opinion</th><th>change</th><th>χ² p</th><th>chose user's option</th><th>unreadable</th></tr>\n")
		for _, f := range r.Factual {
			fmt.Fprintf(b, "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%d</td><td>%s %s</td><td>%s %s</td><td>%s pts</td><td>%s</td><td>%s %s</td><td>%d</td></tr>\n",
				e(f.Arm), e(string(f.Condition)), f.Baseline.N, pct(f.Baseline.P), f.Baseline.interval(), pct(f.Opinion.P), f.Opinion.interval(),
				num(f.Change, 1), e(pval(f.PValue)), pct(f.ChoseWrong.P), f.ChoseWrong.interval(), f.Unreadable)
		}
		b.WriteString("</table>\n<p class=\"meta\">Study: a wrong user opinion costs 14-16 points of accuracy; personalization adds nothing there.</p>\n")
	}
}
