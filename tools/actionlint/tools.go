//go:build tools

// Package actionlint pins actionlint, which `make lint` runs on .github/workflows. It has a module of
// its own: in tools/go.mod it would raise github.com/yuin/goldmark (1.7.7 to 1.7.17), the Markdown
// library tfplugindocs renders docs/ with, and so could change the generated docs.
package actionlint

import _ "github.com/rhysd/actionlint/cmd/actionlint"
