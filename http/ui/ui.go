// Package ui holds the web UI's files: the html/template pages under templates/ and the static assets (CSS,
// icon) under static/, embedded in the binary. The http package parses the templates once at start-up and
// serves the assets under content-hashed URLs; this package has no code beyond the embedding.
package ui

import "embed"

// FS holds templates/*.html and static/*.
//
//go:embed templates/*.html static/*
var FS embed.FS
