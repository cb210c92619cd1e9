package stats

import "math"

// Confusion is a 2x2 confusion matrix of binary predictions against reference
// labels, where "positive" means the behaviour is present (label 1).
// The zero value is an empty matrix ready for [Confusion.Add].
type Confusion struct {
	TP int `json:"tp"` // predicted 1, reference 1
	FP int `json:"fp"` // predicted 1, reference 0
	FN int `json:"fn"` // predicted 0, reference 1
	TN int `json:"tn"` // predicted 0, reference 0
}

// Add records one prediction against its reference label.
func (c *Confusion) Add(predicted, reference bool) {
	switch {
	case predicted && reference:
		c.TP++
	case predicted:
		c.FP++
	case reference:
		c.FN++
	default:
		c.TN++
	}
}

// Merge returns the element-wise sum of two matrices.
func (c Confusion) Merge(o Confusion) Confusion {
	return Confusion{TP: c.TP + o.TP, FP: c.FP + o.FP, FN: c.FN + o.FN, TN: c.TN + o.TN}
}

// N is the number of recorded pairs.
func (c Confusion) N() int { return c.TP + c.FP + c.FN + c.TN }

// Accuracy is (TP+TN)/N, NaN when empty.
func (c Confusion) Accuracy() float64 { return ratio(c.TP+c.TN, c.N()) }

// Precision is TP/(TP+FP), NaN when nothing was predicted positive.
func (c Confusion) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN), NaN when there is no reference positive.
func (c Confusion) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of precision and recall, 2TP/(2TP+FP+FN); NaN when
// there are neither predicted nor reference positives.
func (c Confusion) F1() float64 { return ratio(2*c.TP, 2*c.TP+c.FP+c.FN) }

// Kappa is Cohen's kappa, (po-pe)/(1-pe), with po the observed agreement and
// pe the agreement expected by chance from the marginals. It is NaN when the
// matrix is empty or when pe is 1 (both raters constant and equal), where
// Cohen's formula is undefined; otherwise a constant rater gives 0.
//
// It is computed from the counts in the equivalent form
// 2(TP·TN - FN·FP) / ((TP+FP)(FP+TN) + (TP+FN)(FN+TN)), which avoids the
// cancellation in 1 - pe that costs digits on large, unbalanced tables.
func (c Confusion) Kappa() float64 {
	tp, fp, fn, tn := float64(c.TP), float64(c.FP), float64(c.FN), float64(c.TN)
	den := (tp+fp)*(fp+tn) + (tp+fn)*(fn+tn)
	if den == 0 {
		return math.NaN()
	}
	return 2 * (tp*tn - fn*fp) / den
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}
