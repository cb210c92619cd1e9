// Package readme reads the repository's README.md for the tests that keep
// it and the code it shows in step: a section between the markers
// "<!-- section:NAME -->" and "<!-- /section:NAME -->", and the first Go
// code block in it.
package readme

import (
	"fmt"
	"os"
	"strings"
)

// GoBlock returns the first ```go code block of section name of the
// README at path, without its fences, or an error that says what is
// missing.
func GoBlock(path, name string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("README not found: %w", err)
	}
	_, section, ok := strings.Cut(string(b), "<!-- section:"+name+" -->")
	if !ok {
		return "", fmt.Errorf("%s has no section %q", path, name)
	}
	section, _, _ = strings.Cut(section, "<!-- /section:"+name+" -->")
	_, code, ok := strings.Cut(section, "```go\n")
	if !ok {
		return "", fmt.Errorf("section %q of %s has no go code block", name, path)
	}
	code, _, _ = strings.Cut(code, "```")
	return code, nil
}
