// Package doclinks holds a test, and nothing else: every doc link of the
// repository's packages, in every module of the workspace, resolves.
//
// A doc link that names nothing (a misspelled name, a symbol since renamed
// or moved) is not an error for gofmt, go vet or go doc: it is rendered as
// plain text, brackets and all, and nobody notices. Neither are brackets
// around an unexported name, which the doc comment syntax never links, nor
// a link with a letter right after its closing bracket. The test reads the
// doc comments as go/doc does and reports each of those with its file and
// line.
package doclinks
