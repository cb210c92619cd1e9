package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rolegate/rolegate/chat"
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
				// The evidence for the violation, strongest first; the
				// guard's spans index this conversation, up to this reply.
				if ev := quoted(c.Supporting(), ac.conv, 2, false); ev != "" {
					fmt.Fprintf(w, "       %s: %s\n", c.Metric, ev)
				} else if c.Note != "" {
					fmt.Fprintf(w, "       %s: %s\n", c.Metric, c.Note)
				}
			}
			if o.verbose {
				for _, r := range t.Results {
					line := fmt.Sprintf("       %-24s %.2f %-7s", r.Metric, r.Score, r.Label)
					if ev := quoted(r.Evidence, ac.conv, 3, true); ev != "" {
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

// quoted renders up to n distinct quotes of spans as "text" (rules), the
// rules of spans with the same text together, each with its weight when
// weights is set; spans with no text in conv are skipped.
func quoted(spans []metrics.Span, conv []chat.Message, n int, weights bool) string {
	var texts []string
	var rules [][]string
	for _, sp := range spans {
		txt := strings.Join(strings.Fields(sp.Text(conv)), " ")
		if txt == "" {
			continue
		}
		rule := sp.Rule
		if weights {
			rule = fmt.Sprintf("%s %+.2f", sp.Rule, sp.Weight)
		}
		if i := slices.Index(texts, txt); i >= 0 {
			rules[i] = append(rules[i], rule)
			continue
		}
		if len(texts) == n {
			continue
		}
		texts = append(texts, txt)
		rules = append(rules, []string{rule})
	}
	out := make([]string, len(texts))
	for i, txt := range texts {
		out[i] = fmt.Sprintf("%q (%s)", clip(txt, 60), strings.Join(rules[i], ", "))
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
