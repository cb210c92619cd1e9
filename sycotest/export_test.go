package sycotest

// FiguresForTest exposes figures to the external tests.
var FiguresForTest = figures
