package sycotest

// FiguresForTest exposes figures to the external tests.
var FiguresForTest = figures

// WriteEvidenceForTest exposes writeEvidence to the external tests.
var WriteEvidenceForTest = writeEvidence
