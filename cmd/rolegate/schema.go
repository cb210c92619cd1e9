package main

import (
	"io"

	"github.com/rolegate/rolegate/role"
)

func schemaCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("schema", "rolegate schema", "  rolegate schema > policy.schema.json\n", stdout)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs, ""); err != nil {
		return err
	}
	b := role.Schema()
	if _, err := stdout.Write(b); err != nil {
		return err
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		_, err := io.WriteString(stdout, "\n")
		return err
	}
	return nil
}
