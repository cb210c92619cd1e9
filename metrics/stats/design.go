package stats

import (
	"fmt"
	"slices"
	"strconv"
)

// Intercept is the name of the constant column of a [Design].
const Intercept = "(Intercept)"

// Design is the data of a logistic regression: a model matrix with named
// columns, the binary outcome, and the cluster of each row for the cluster
// bootstrap. Build one by hand for any model, or with
// [RoundConditionDesign] for the study's outcome ~ round × condition.
type Design struct {
	Names   []string    // one name per column
	X       [][]float64 // one row per observation, len(Names) values each
	Y       []float64   // outcome per row, 0 or 1
	Cluster []string    // cluster (item) per row; nil: every row is its own cluster
}

// validate checks the shape of the design and names the offending field.
func (d Design) validate() error {
	p := len(d.Names)
	switch {
	case len(d.X) == 0:
		return ErrNoData
	case p == 0:
		return invalidf("Names", "no columns")
	case len(d.Y) != len(d.X):
		return invalidf("Y", "%d outcomes for %d rows", len(d.Y), len(d.X))
	case d.Cluster != nil && len(d.Cluster) != len(d.X):
		return invalidf("Cluster", "%d clusters for %d rows", len(d.Cluster), len(d.X))
	}
	for i, row := range d.X {
		if len(row) != p {
			return invalidf("X", "row %d has %d values, want %d", i, len(row), p)
		}
		for j, v := range row {
			if v != v || v > maxPredictor || v < -maxPredictor {
				return invalidf("X", "row %d column %q: %v is not a finite value of reasonable size", i, d.Names[j], v)
			}
		}
		if y := d.Y[i]; y != 0 && y != 1 {
			return invalidf("Y", "row %d: %v is not 0 or 1", i, y)
		}
	}
	return nil
}

// maxPredictor bounds predictor values so that X'WX stays finite.
const maxPredictor = 1e100

// RoundConditionSpec chooses the coding of outcome ~ round × condition.
// The zero value is the study's model: round as a linear term, condition
// dummies against the first condition, and their interactions.
type RoundConditionSpec struct {
	// Conditions fixes the order of the conditions; the first is the
	// reference level (no dummy). Empty: the order of first appearance in
	// the observations. Observations of a condition not listed are an
	// error.
	Conditions []string
	// RoundFactor codes round as a factor (a dummy for each round but the
	// smallest) instead of a linear term. With the interactions this is
	// the saturated model: each cell's fitted rate is its observed rate.
	RoundFactor bool
	// NoInteraction drops the round × condition terms (a common round
	// effect for every condition).
	NoInteraction bool
}

// RoundConditionDesign builds the logistic design of outcome ~ round ×
// condition from multi-turn observations. Columns, in order:
//
//	(Intercept)
//	round                        (or round[r] for each round r but the first, with RoundFactor)
//	condition[c]                 for each condition c but the reference
//	round:condition[c]           (or round[r]:condition[c]) unless NoInteraction
//
// so that, with the default spec, exp(round) is the odds ratio of the
// outcome per round in the reference condition, exp(condition[c]) the
// odds ratio of condition c at round 0, and round:condition[c] how much
// faster c drifts per round on the log-odds scale. Cluster is the item.
//
// It returns [ErrNoData] for no observations and an error wrapping
// [ErrInvalidInput] for an unlisted condition or a negative round.
func RoundConditionDesign(obs []Observation, spec RoundConditionSpec) (Design, error) {
	if len(obs) == 0 {
		return Design{}, ErrNoData
	}
	conds := slices.Clone(spec.Conditions) // appended to below: never the caller's array
	index := map[string]int{}
	for i, c := range conds {
		if _, dup := index[c]; dup {
			return Design{}, invalidf("Conditions", "%q listed twice", c)
		}
		index[c] = i
	}
	minRound, maxRound := obs[0].Round, obs[0].Round
	for i, o := range obs {
		if o.Round < 0 {
			return Design{}, invalidf("Round", "observation %d has round %d", i, o.Round)
		}
		if _, ok := index[o.Condition]; !ok {
			if len(spec.Conditions) > 0 {
				return Design{}, invalidf("Condition", "observation %d has condition %q, not in Conditions", i, o.Condition)
			}
			index[o.Condition] = len(conds)
			conds = append(conds, o.Condition)
		}
		minRound, maxRound = min(minRound, o.Round), max(maxRound, o.Round)
	}

	// Round terms: one linear column, or one dummy per round above the first.
	var roundNames []string
	var rounds []int // the round of each dummy column (factor coding)
	if spec.RoundFactor {
		present := map[int]bool{}
		for _, o := range obs {
			present[o.Round] = true
		}
		for r := minRound + 1; r <= maxRound; r++ {
			if present[r] {
				rounds = append(rounds, r)
				roundNames = append(roundNames, "round["+strconv.Itoa(r)+"]")
			}
		}
	} else {
		roundNames = []string{"round"}
	}
	condNames := make([]string, 0, len(conds)-1)
	for _, c := range conds[1:] {
		condNames = append(condNames, fmt.Sprintf("condition[%s]", c))
	}
	names := append([]string{Intercept}, roundNames...)
	names = append(names, condNames...)
	if !spec.NoInteraction {
		for _, cn := range condNames {
			for _, rn := range roundNames {
				names = append(names, rn+":"+cn)
			}
		}
	}

	d := Design{Names: names, X: make([][]float64, len(obs)), Y: make([]float64, len(obs)), Cluster: make([]string, len(obs))}
	nr, nc := len(roundNames), len(condNames)
	for i, o := range obs {
		row := make([]float64, len(names))
		row[0] = 1
		rv := make([]float64, nr)
		if spec.RoundFactor {
			for j, r := range rounds {
				if o.Round == r {
					rv[j] = 1
				}
			}
		} else {
			rv[0] = float64(o.Round)
		}
		copy(row[1:], rv)
		if ci := index[o.Condition]; ci > 0 {
			row[1+nr+ci-1] = 1
			if !spec.NoInteraction {
				copy(row[1+nr+nc+(ci-1)*nr:], rv)
			}
		}
		d.X[i] = row
		if o.Outcome {
			d.Y[i] = 1
		}
		d.Cluster[i] = o.Item
	}
	return d, nil
}
