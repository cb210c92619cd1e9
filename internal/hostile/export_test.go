package hostile

// ParseForTest exposes the corpus file parser to the external tests.
var ParseForTest = parse
