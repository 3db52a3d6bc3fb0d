package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

var exportName = regexp.MustCompile(`(?m)^(?:# )?export ([A-Z_]+)=`)

// printedExports are the variables cobo-sandbox tells the user to export at start, in order.
func printedExports(t *testing.T) []string {
	t.Helper()
	srv, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	var out bytes.Buffer
	if err := printExports(&out, srv, nil, ""); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range exportName.FindAllStringSubmatch(out.String(), -1) {
		names = append(names, m[1])
	}
	return names
}

// The Registry's landing page (templates/index.md.tmpl, rendered into docs/index.md) shows the
// exports the sandbox prints, all of them in its order, and says how many there are.
func TestIndexListsTheSandboxExports(t *testing.T) {
	t.Parallel()
	want := printedExports(t)
	if len(want) != 3 {
		t.Fatalf("cobo-sandbox prints %d exports (%v); update the number word below and the docs", len(want), want)
	}
	for _, page := range []string{"templates/index.md.tmpl", "docs/index.md"} {
		b, err := os.ReadFile(filepath.Join("..", "..", page))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		start := strings.Index(text, "go run ./cmd/cobo-sandbox -addr")
		end := strings.Index(text[max(start, 0):], "```")
		if start < 0 || end < 0 {
			t.Fatalf("%s has no shell block that starts cobo-sandbox", page)
		}
		var got []string
		for _, m := range exportName.FindAllStringSubmatch(text[start:start+end], -1) {
			got = append(got, m[1])
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s shows the exports %v, cobo-sandbox prints %v", page, got, want)
		}
		if !strings.Contains(text, "Run the three `export` lines") || strings.Contains(text, "the two variables") {
			t.Errorf("%s does not say to run the three export lines the sandbox prints", page)
		}
		if !strings.Contains(text, "cobo_webhook_endpoint") {
			t.Errorf("%s does not mention webhook endpoints", page)
		}
	}
}
