package examples

import (
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestDocListsEveryExample: the package doc lists every example directory,
// and names none that is gone, so a new example cannot go unlisted.
func TestDocListsEveryExample(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, m := range regexp.MustCompile(`(?m)^  - ([a-z][a-z0-9-]*):`).FindAllStringSubmatch(f.Doc.Text(), -1) {
		listed = append(listed, m[1])
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	for _, d := range dirs {
		if !slices.Contains(listed, d) {
			t.Errorf("examples/%s is not in the package doc's list (doc.go)", d)
		}
	}
	for _, l := range listed {
		if !slices.Contains(dirs, l) {
			t.Errorf("doc.go lists %s, which is not a directory of examples/", l)
		}
	}
	if len(listed) == 0 {
		t.Error("found no list of examples in doc.go")
	}
}

// TestREADMENamesEveryExample: the README's paragraph on examples/ names
// every example directory (as `name`), so a new one is not left out of the
// front door.
func TestREADMENamesEveryExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Skipf("README.md not beside the examples module: %v", err)
	}
	_, para, ok := strings.Cut(string(readme), "`examples/` (its own module) holds programs to copy:")
	if !ok {
		t.Fatal("README.md has no paragraph starting \"`examples/` (its own module) holds programs to copy:\"")
	}
	para, _, _ = strings.Cut(para, "\n\n")
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && !strings.Contains(para, "`"+e.Name()+"`") {
			t.Errorf("README.md's examples paragraph does not name `%s`", e.Name())
		}
	}
}
