package doclinks

import (
	"go/ast"
	"go/build"
	"go/doc"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// module is the import path of the repository root; the nested modules'
// paths follow their folders.
const module = "github.com/rolegate/rolegate"

// repo loads the packages of a source tree for their documentation.
type repo struct {
	root string
	pkgs map[string]*pkg // by import path; nil: no Go package there
}

type pkg struct {
	doc  *doc.Package
	fset *token.FileSet
	file string // the file holding the package's doc comment
}

// load returns the package in the folder of import path path under r.root,
// nil when there is none. Test files are left out: they are not rendered.
func (r *repo) load(t *testing.T, path string) *pkg {
	if p, ok := r.pkgs[path]; ok {
		return p
	}
	rel, ok := strings.CutPrefix(path, module)
	if !ok {
		return nil
	}
	dir := filepath.Join(r.root, filepath.FromSlash(strings.TrimPrefix(rel, "/")))
	entries, err := os.ReadDir(dir)
	if err != nil {
		r.pkgs[path] = nil
		return nil
	}
	fset := token.NewFileSet()
	var files []*ast.File
	var docFile string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if ok, err := build.Default.MatchFile(dir, name); err != nil || !ok {
			continue // another platform's file
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		if f.Doc != nil {
			docFile = filepath.ToSlash(filepath.Join(filepath.FromSlash(strings.TrimPrefix(rel, "/")), name))
		}
	}
	var p *pkg
	if len(files) > 0 {
		d, err := doc.NewFromFiles(fset, files, path, doc.AllDecls|doc.PreserveAST)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		p = &pkg{doc: d, fset: fset, file: docFile}
	}
	r.pkgs[path] = p
	return p
}

// A docComment is one doc comment and where it is.
type docComment struct {
	pos  token.Pos // the declaration's; token.NoPos for a package's doc
	text string
}

// comments lists every doc comment of p: the package's, its declarations'
// (unexported ones too) and its struct fields' and interface methods'.
func comments(p *doc.Package) []docComment {
	out := []docComment{{token.NoPos, p.Doc}}
	add := func(pos token.Pos, g *ast.CommentGroup) {
		if g != nil {
			out = append(out, docComment{pos, g.Text()})
		}
	}
	gen := func(d *ast.GenDecl, text string) {
		out = append(out, docComment{d.Pos(), text})
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.ValueSpec:
				if len(d.Specs) > 1 {
					add(s.Pos(), s.Doc)
				}
				add(s.Pos(), s.Comment)
			case *ast.TypeSpec:
				if len(d.Specs) > 1 {
					add(s.Pos(), s.Doc)
				}
				var fields *ast.FieldList
				switch t := s.Type.(type) {
				case *ast.StructType:
					fields = t.Fields
				case *ast.InterfaceType:
					fields = t.Methods
				}
				if fields != nil {
					for _, f := range fields.List {
						add(f.Pos(), f.Doc)
						add(f.Pos(), f.Comment)
					}
				}
			}
		}
	}
	values := func(vs []*doc.Value) {
		for _, v := range vs {
			gen(v.Decl, v.Doc)
		}
	}
	funcs := func(fs []*doc.Func) {
		for _, f := range fs {
			out = append(out, docComment{f.Decl.Pos(), f.Doc})
		}
	}
	values(p.Consts)
	values(p.Vars)
	funcs(p.Funcs)
	for _, t := range p.Types {
		gen(t.Decl, t.Doc)
		values(t.Consts)
		values(t.Vars)
		funcs(t.Funcs)
		funcs(t.Methods)
	}
	return out
}

// bracketed finds what may have been meant as a doc link in plain text:
// [Name], [*Name], [Recv.Name] or [pkg.Recv.Name], not right after a letter
// or digit (map[string]T is no link).
var bracketed = regexp.MustCompile(`(?:^|[^\pL\pN_\]])\[(\*?)([\pL_][\pL\pN_]*(?:\.[\pL_][\pL\pN_]*){0,2})\]`)

// problems returns what is wrong with the doc links of text, a doc
// comment of p.
func (r *repo) problems(t *testing.T, p *pkg, text string) []string {
	var out []string
	pr := p.doc.Parser()
	exists := func(sym string) bool { // sym is Name or Recv.Name
		recv, name, ok := strings.Cut(sym, ".")
		if !ok {
			recv, name = "", sym
		}
		return pr.LookupSym(recv, name)
	}
	var walk func([]comment.Text)
	walk = func(ts []comment.Text) {
		for _, x := range ts {
			switch x := x.(type) {
			case comment.Plain:
				for _, m := range bracketed.FindAllStringSubmatch(string(x), -1) {
					out = append(out, r.plain(t, p, m[1]+m[2], exists)...)
				}
			case *comment.Italic:
				walk([]comment.Text{comment.Plain(*x)})
			case *comment.Link:
				walk(x.Text)
			case *comment.DocLink:
				if x.Name == "" || !strings.HasPrefix(x.ImportPath, module) {
					continue // a package, or outside this repository
				}
				q := r.load(t, x.ImportPath)
				sym := x.Name
				if x.Recv != "" {
					sym = x.Recv + "." + x.Name
				}
				if q == nil || !q.doc.Parser().LookupSym(x.Recv, x.Name) {
					out = append(out, "["+x.ImportPath+"."+sym+"] names nothing in that package")
				}
			}
		}
	}
	for _, b := range pr.Parse(text).Content {
		switch b := b.(type) {
		case *comment.Paragraph:
			walk(b.Text)
		case *comment.Heading:
			walk(b.Text)
		case *comment.List:
			for _, item := range b.Items {
				for _, c := range item.Content {
					if para, ok := c.(*comment.Paragraph); ok {
						walk(para.Text)
					}
				}
			}
		}
	}
	return out
}

// allCaps matches names such as DONE or INST: literal text in brackets
// ("[DONE]", "[INST]"), not identifiers.
var allCaps = regexp.MustCompile(`^\*?[A-Z][A-Z0-9_]+$`)

// plain judges a bracketed name the parser left as plain text.
func (r *repo) plain(t *testing.T, p *pkg, name string, exists func(string) bool) []string {
	bare := strings.TrimPrefix(name, "*")
	parts := strings.Split(bare, ".")
	last := parts[len(parts)-1]
	local := len(parts) == 1 || (len(parts) == 2 && exists(bare))
	switch {
	case local && exists(bare) && !startsUpper(last):
		return []string{"[" + name + "] is an unexported name, which is never a doc link: write it without brackets"}
	case local && exists(bare) && !startsUpper(parts[0]):
		return []string{"[" + name + "] is a method or field of an unexported type, which is never a doc link: write it without brackets"}
	case local && exists(bare):
		return []string{"[" + name + "] is not a doc link (a letter or digit follows the bracket)"}
	case !startsUpper(last) || allCaps.MatchString(bare):
		return nil // an index ([i]) or literal text ([INST])
	}
	return []string{"[" + name + "] names nothing: go doc shows the brackets as text"}
}

func startsUpper(s string) bool { return s != "" && s[0] >= 'A' && s[0] <= 'Z' }

// TestDocLinksResolve checks every package of every module of the
// repository (the folders of go.work), test files aside.
func TestDocLinksResolve(t *testing.T) {
	r := &repo{root: filepath.Join("..", ".."), pkgs: map[string]*pkg{}}
	var paths []string
	err := filepath.WalkDir(r.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != r.root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() {
			rel, err := filepath.Rel(r.root, path)
			if err != nil {
				return err
			}
			paths = append(paths, strings.TrimSuffix(module+"/"+filepath.ToSlash(rel), "/."))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, path := range paths {
		p := r.load(t, path)
		if p == nil {
			continue
		}
		checked++
		for _, c := range comments(p.doc) {
			where := p.file
			if c.pos.IsValid() {
				pos := p.fset.Position(c.pos)
				rel, _ := filepath.Rel(r.root, pos.Filename)
				where = filepath.ToSlash(rel) + ":" + strconv.Itoa(pos.Line)
			}
			for _, msg := range r.problems(t, p, c.text) {
				t.Errorf("%s: %s", where, msg)
			}
		}
	}
	// The walk found the workspace's packages, not an empty folder.
	for _, want := range []string{module + "/guard", module + "/adapters/openai", module + "/cmd/rolegate"} {
		if !slices.Contains(paths, want) || r.pkgs[want] == nil {
			t.Errorf("package %s was not checked", want)
		}
	}
	t.Logf("%d packages checked", checked)
}
