// Package stats holds the statistics of rolegate's measurement protocol:
// proportions with Wilson intervals, tests against 50%, per-round rates,
// SYCON's Turn of Flip and Number of Flips, answer sycophancy, a logistic
// model of outcome by round and condition, bootstrap intervals, and the
// agreement measures used to validate scorers against labeled data.
//
// Every function is checked in tests against values computed independently
// (textbook examples or hand derivations written out in the test).
package stats
