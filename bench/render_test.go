package bench

import (
	"bytes"
	"context"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/metrics/stats"
)

// A value that rounds to zero is shown as zero: "-0.00" would read as a
// negative effect the run did not measure (an estimate of -0.001, a
// bootstrap bound of -1e-9).
func TestNumNoNegativeZero(t *testing.T) {
	tests := []struct {
		v    float64
		prec int
		want string
	}{
		{-0.001, 2, "0.00"},
		{-1e-9, 2, "0.00"},
		{-0.04, 1, "0.0"},
		{-0.0004, 3, "0.000"},
		{-0.005, 2, "-0.01"},
		{-0.49, 2, "-0.49"},
		{0.004, 2, "0.00"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, num(stats.Num(tt.v), tt.prec), "num(%v, %d)", tt.v, tt.prec)
	}
	assert.Equal(t, "0.0%", pct(stats.Num(-1e-12)))
}

// The labels of the pairwise chart are right-aligned at the left of the
// plot; a role name of the 64 characters a policy allows must not push
// them out of the picture. 6 user units a character is about the average
// width of the chart's 11px sans-serif (Chromium measured 5.8).
func TestPairChartLabelsFit(t *testing.T) {
	long := strings.Repeat("customer_support_", 3) + "escalation_specialist_team"
	rep := &Report{Run: RunInfo{Task: TaskDebate}, Pairwise: []PairwiseRow{
		{Arm: long + "+guard", Condition: Demographics, Metric: "emotional_validation", Statement: StatementChallenge, Source: "heuristic", Rate: newRate(3, 10)},
		{Arm: "peer", Condition: Personalized, Metric: "openness", Source: "judge", Rate: newRate(7, 10)},
	}}
	var page bytes.Buffer
	require.NoError(t, rep.WriteHTML(&page))
	labels := regexp.MustCompile(`<text x="([0-9.]+)" y="[0-9.]+" text-anchor="end">([^<]*)</text>`).FindAllStringSubmatch(page.String(), -1)
	var found int
	for _, m := range labels {
		if !strings.Contains(m[2], " · ") {
			continue // an axis tick
		}
		found++
		x, err := strconv.ParseFloat(m[1], 64)
		require.NoError(t, err)
		w := 6 * float64(utf8.RuneCountInString(htmlUnescape(m[2])))
		assert.GreaterOrEqual(t, x-w, 0.0, "label %q starts left of the chart", m[2])
	}
	assert.Equal(t, 2, found, "a label per row")
	assert.Contains(t, page.String(), `style="max-width:100%;height:auto"`, "a wider chart scales to the page")
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'").Replace(s)
}

// Names in the Markdown report come from the command line and the suite's
// file name; a Markdown renderer passes raw HTML through, so they are
// escaped like the HTML report escapes them.
func TestMarkdownEscapesRunText(t *testing.T) {
	rep := &Report{Run: RunInfo{Model: "m<script>alert(1)</script>", Suite: "s*x*.csv", Task: TaskDebate, Judge: "j</svg>", User: "u_[x]", Rounds: 1}}
	var md bytes.Buffer
	require.NoError(t, rep.WriteMarkdown(&md))
	out := md.String()
	for _, raw := range []string{"<script>", "</svg>", "*x*", "u_[x]"} {
		assert.NotContains(t, out, raw)
	}
	assert.Contains(t, out, `m\<script\>alert(1)\</script\>`)
	assert.Contains(t, out, `judge: j\</svg\>`)
}

// A program that builds its RunInfo by hand (not with Config.RunInfo), as
// the package's own examples do, may leave User empty: the reports then say
// nothing of the pushback source rather than "pushback: ;".
func TestReportsOmitUnsetPushbackSource(t *testing.T) {
	rep := Summarize(RunInfo{Task: TaskDebate, Rounds: 2}, syntheticUnits(TaskDebate, 4, 2))
	var md, page bytes.Buffer
	require.NoError(t, rep.WriteMarkdown(&md))
	require.NoError(t, rep.WriteHTML(&page))
	assert.Contains(t, md.String(), "; 2 pushback rounds; seed 0.")
	assert.NotContains(t, md.String(), "pushback: ")
	assert.NotContains(t, page.String(), "pushback: ")
	rep.Run.User = "scripted"
	md.Reset()
	require.NoError(t, rep.WriteMarkdown(&md))
	assert.Contains(t, md.String(), "; 2 pushback rounds; pushback: scripted; seed 0.")
}

// One round is "1 pushback round", in both reports.
func TestReportsCountOneRound(t *testing.T) {
	rep := Summarize(RunInfo{Task: TaskDebate, Rounds: 1}, syntheticUnits(TaskDebate, 4, 1))
	var md, page bytes.Buffer
	require.NoError(t, rep.WriteMarkdown(&md))
	require.NoError(t, rep.WriteHTML(&page))
	assert.Contains(t, md.String(), "; 1 pushback round; seed 0.")
	assert.Contains(t, page.String(), " · 1 pushback round · ")
}

// The HTML page promises the tables of the Markdown report: each of its
// sections is there under the same name.
func TestHTMLSectionsMatchMarkdown(t *testing.T) {
	debate := Summarize(RunInfo{Task: TaskDebate, Judge: "j"}, syntheticUnits(TaskDebate, 24, 3))
	require.NoError(t, debate.Bootstrap(context.Background(), 20, 1))
	factual := Summarize(RunInfo{Task: TaskFactual}, syntheticUnits(TaskFactual, 24, 0))
	for name, rep := range map[string]*Report{"debate": debate, "factual": factual} {
		var md, page bytes.Buffer
		require.NoError(t, rep.WriteMarkdown(&md))
		require.NoError(t, rep.WriteHTML(&page))
		heads := regexp.MustCompile(`(?m)^## (.+)$`).FindAllStringSubmatch(md.String(), -1)
		require.NotEmpty(t, heads)
		for _, h := range heads {
			assert.Regexp(t, `<h[23]>`+regexp.QuoteMeta(htmlEscape(h[1]))+`</h[23]>`, page.String(), "%s: the HTML has no section %q", name, h[1])
		}
		// A p-value "<0.001" is text, escaped: a raw "<" that starts no
		// tag is a parse error.
		assert.NotRegexp(t, `<[^a-zA-Z/!]`, page.String(), "%s: a raw < in the HTML", name)
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "&", "&amp;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// Every rate is shown with its interval and n in both reports: the
// per-round rates (the HTML table had only n) and the factual control (its
// n and the interval of the share that chose the user's option were in
// neither).
func TestRatesShowIntervalAndN(t *testing.T) {
	debate := Summarize(RunInfo{Task: TaskDebate}, syntheticUnits(TaskDebate, 6, 2))
	var page bytes.Buffer
	require.NoError(t, debate.WriteHTML(&page))
	c := debate.Curves[0]
	for _, p := range c.Points {
		assert.Contains(t, page.String(), pct(p.P)+" "+p.interval()+" (n="+strconv.Itoa(p.N)+")")
	}

	factual := Summarize(RunInfo{Task: TaskFactual}, syntheticUnits(TaskFactual, 24, 0))
	f := factual.Factual[0]
	var md bytes.Buffer
	page.Reset()
	require.NoError(t, factual.WriteMarkdown(&md))
	require.NoError(t, factual.WriteHTML(&page))
	for name, out := range map[string]string{"markdown": md.String(), "html": page.String()} {
		assert.Contains(t, out, pct(f.ChoseWrong.P)+" "+f.ChoseWrong.interval(), name)
	}
	assert.Contains(t, page.String(), "<th>n</th>")
	assert.Contains(t, md.String(), "| n |")
	assert.Contains(t, md.String(), " | "+strconv.Itoa(f.Baseline.N)+" | ")
}

// A bootstrap interval that too many failed refits leave unbounded shows
// its infinite ends as such, beside the failures, not as a missing value.
func TestBootShowsUnboundedEnds(t *testing.T) {
	m := ModelFit{Bootstrap: 300, BootFailed: 107}
	inf := stats.Num(math.Inf(1))
	assert.Equal(t, "[-∞, +∞] (300 reps, 107 failed)", boot(Coef{Boot: &[2]stats.Num{-inf, inf}}, m))
	assert.Equal(t, "[-0.52, 1.30] (300 reps, 107 failed)", boot(Coef{Boot: &[2]stats.Num{-0.52, 1.3}}, m))
	assert.Equal(t, "–", boot(Coef{}, m))
}

// An unbounded bootstrap end is written as null (JSON has no infinity) and
// read back as infinite, so that a report rendered from its JSON shows the
// same interval as the report it was written from.
func TestBootUnboundedRoundTrips(t *testing.T) {
	inf := stats.Num(math.Inf(1))
	rep := &Report{Version: ReportVersion, Models: []ModelFit{{Arm: "a", Bootstrap: 300, BootFailed: 107,
		Coefficients: []Coef{{Name: "round", Boot: &[2]stats.Num{-inf, inf}}, {Name: "cond", Boot: &[2]stats.Num{-inf, 1.25}}}}}}
	var js, want, got bytes.Buffer
	require.NoError(t, rep.WriteJSON(&js))
	require.NoError(t, rep.WriteMarkdown(&want))
	require.Contains(t, want.String(), "[-∞, +∞] (300 reps, 107 failed)")
	back, err := ReadReport(&js)
	require.NoError(t, err)
	require.NoError(t, back.WriteMarkdown(&got))
	assert.Equal(t, want.String(), got.String())
	assert.Equal(t, [2]stats.Num{-inf, 1.25}, *back.Models[0].Coefficients[1].Boot)
}
