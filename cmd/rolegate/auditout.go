package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
)

// writeAudit prints the audit as text: per conversation, one line per
// reply (decision and the role's checks) and per pushback turn, then a
// summary.
func writeAudit(w io.Writer, all []auditedConv, o *auditOpts) {
	var replies, notReplayed, pushbacks, withArg int
	decisions := map[string]int{}
	present := map[metrics.Metric]int{}
	fmt.Fprintln(w, "Each reply: the guard's decision (upper case when it acts) and the role's checks, score vs threshold.")
	fmt.Fprintln(w, "Each later user turn: whether it challenges the previous answer, with an argument or with social pressure only.")
	fmt.Fprintln(w)
	for _, ac := range all {
		fmt.Fprintf(w, "%s  role %s", ac.ID, ac.Role)
		if ac.Condition != "" {
			fmt.Fprintf(w, " · %s", ac.Condition)
		}
		fmt.Fprintln(w)
		if ac.Note != "" {
			fmt.Fprintf(w, "  %s\n", ac.Note)
		}
		for _, t := range ac.Turns {
			if t.Pushback != nil {
				word := "reply"
				if t.Pushback.Challenge {
					word = "pushback"
					pushbacks++
					if t.Pushback.Argument {
						withArg++
					}
				}
				fmt.Fprintf(w, "  #%-2d user       %-9s %s\n", t.Index, word, describePushback(t.Pushback))
				continue
			}
			replies++
			if t.Decision == "" {
				notReplayed++
			} else {
				decisions[t.Decision]++
			}
			for _, r := range t.Results {
				if r.Label == metrics.Present {
					present[r.Metric]++
				}
			}
			var parts []string
			for _, c := range t.Checks {
				switch c.Status {
				case guard.StatusSkipped:
					continue
				case guard.StatusUnknown:
					parts = append(parts, fmt.Sprintf("%s unknown", c.Metric))
					continue
				}
				if c.Label == metrics.Unknown {
					// A fail-closed role counts a check that cannot
					// decide as a violation; its score means nothing.
					parts = append(parts, fmt.Sprintf("%s unknown %s", c.Metric, c.Action))
					continue
				}
				op := "<"
				if c.Score >= c.Threshold {
					op = "≥"
				}
				p := fmt.Sprintf("%s %.2f%s%.2f", c.Metric, c.Score, op, c.Threshold)
				switch c.Status {
				case guard.StatusViolation:
					p += " " + c.Action.String()
				case guard.StatusAllowed:
					p += " allowed (evidence)"
				}
				parts = append(parts, p)
			}
			dec := t.Decision
			switch {
			case dec == "":
				dec = "-"
				parts = []string{"not replayed: it opens the conversation, so no request produced it"}
			case t.rank > 0:
				dec = strings.ToUpper(dec)
			}
			fmt.Fprintf(w, "  #%-2d assistant  %-9s %s\n", t.Index, dec, strings.Join(parts, " · "))
			for _, c := range t.Checks {
				if c.Status != guard.StatusViolation || o.verbose {
					continue
				}
				if ev := quotes(c); ev != "" {
					fmt.Fprintf(w, "       %s: %s\n", c.Metric, ev)
				} else if c.Note != "" {
					fmt.Fprintf(w, "       %s: %s\n", c.Metric, c.Note)
				}
			}
			if o.verbose {
				for _, r := range t.Results {
					line := fmt.Sprintf("       %-24s %.2f %-7s", r.Metric, r.Score, r.Label)
					if ev := evidence(ac, t, r.Metric, 3); ev != "" {
						line += " " + ev
					} else if r.Note != "" {
						line += " (" + r.Note + ")"
					}
					fmt.Fprintln(w, line)
				}
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%d conversations, %d replies: %d pass, %d annotate, %d reask, %d block",
		len(all), replies, decisions["pass"], decisions["annotate"], decisions["reask"], decisions["block"])
	if notReplayed > 0 {
		fmt.Fprintf(w, ", %d not replayed", notReplayed)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%d user turns read as pushback: %d with an argument, %d social pressure only\n", pushbacks, withArg, pushbacks-withArg)
	var ps []string
	for _, m := range metrics.Metrics() {
		if present[m] > 0 {
			ps = append(ps, fmt.Sprintf("%s %d", m, present[m]))
		}
	}
	if len(ps) > 0 {
		fmt.Fprintf(w, "replies with the behaviour present at the scorers' own thresholds (what -fail-on reads; the checks above use the role's): %s\n", strings.Join(ps, " · "))
	}
}

func describePushback(p *metrics.PushbackClass) string {
	var kinds []string
	for _, k := range p.Pressures() {
		kinds = append(kinds, k.String())
	}
	var s string
	switch {
	case !p.Challenge:
		s = "no challenge found"
		if p.Argument {
			s += ", brings an argument"
		}
	case p.Argument:
		s = "with an argument"
	default:
		s = "social pressure only"
	}
	if len(kinds) > 0 {
		s += " (pressure: " + strings.Join(kinds, ", ") + ")"
	}
	return s
}

// evidence quotes up to n evidence spans of metric m on turn t.
func evidence(ac auditedConv, t auditedTurn, m metrics.Metric, n int) string {
	var out []string
	for _, r := range t.Results {
		if r.Metric != m {
			continue
		}
		for _, sp := range r.Evidence {
			if len(out) == n {
				break
			}
			txt := strings.Join(strings.Fields(sp.Text(ac.conv)), " ")
			if txt == "" {
				continue
			}
			out = append(out, fmt.Sprintf("%q (%s)", clip(txt, 60), sp.Rule))
		}
	}
	return strings.Join(out, " · ")
}

// quotes shows up to two evidence quotes of a guard check.
func quotes(c guard.CheckResult) string {
	var out []string
	for i, q := range c.Quotes {
		if len(out) == 2 {
			break
		}
		q = strings.Join(strings.Fields(q), " ")
		if q == "" || i >= len(c.Evidence) {
			continue
		}
		out = append(out, fmt.Sprintf("%q (%s)", clip(q, 60), c.Evidence[i].Rule))
	}
	return strings.Join(out, " · ")
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
