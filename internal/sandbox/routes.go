package sandbox

import (
	"net/url"
	"slices"
	"strings"
)

// The API table (api.go) and the helper table (helpers.go) route the same way: a method and a path
// pattern whose {name} segments are parameters, matched against the raw path as received, segment by
// segment, each parameter unescaped once. There are no wildcards spanning segments and no prefixes: a
// path either has exactly a pattern's segments or it is not that route.

// routeEntry is a row of a route table.
type routeEntry interface {
	methodAndPattern() (method, pattern string)
}

// routeMatch is what lookupRoute found for one request.
type routeMatch[R routeEntry] struct {
	route    R
	found    bool              // a route has this method and matches the path
	params   map[string]string // the path parameters, unescaped
	badParam string            // the name of a parameter that is not validly escaped (found is true)
	allowed  []string          // when no route has this method but some match the path: their methods, sorted
	pattern  string            // the pattern of the path when only the method was wrong
}

// lookupRoute finds the route of table for method and the raw path.
func lookupRoute[R routeEntry](table []R, method, path string) routeMatch[R] {
	segs := strings.Split(path, "/")
	var m routeMatch[R]
	for _, r := range table {
		rm, pattern := r.methodAndPattern()
		params, badParam, ok := matchPattern(pattern, segs)
		switch {
		case !ok:
			continue
		case rm != method:
			if !slices.Contains(m.allowed, rm) {
				m.allowed = append(m.allowed, rm)
			}
			m.pattern = pattern
			continue
		}
		return routeMatch[R]{route: r, found: true, params: params, badParam: badParam}
	}
	slices.Sort(m.allowed)
	return m
}

// matchPattern matches the raw path's segments against pattern. An empty parameter segment matches
// nothing (so /v2/payments/orders/ is no route); badParam names a parameter that is not validly escaped.
func matchPattern(pattern string, segs []string) (params map[string]string, badParam string, ok bool) {
	want := strings.Split(pattern, "/")
	if len(want) != len(segs) {
		return nil, "", false
	}
	for i, w := range want {
		name, isParam := strings.CutPrefix(w, "{")
		if !isParam {
			if w != segs[i] {
				return nil, "", false
			}
			continue
		}
		if segs[i] == "" {
			return nil, "", false
		}
		name = strings.TrimSuffix(name, "}")
		v, err := url.PathUnescape(segs[i])
		if err != nil && badParam == "" {
			badParam = name
		}
		if params == nil {
			params = map[string]string{}
		}
		params[name] = v
	}
	return params, badParam, true
}

// patternsOf lists the distinct patterns of a table in table order, for messages and indexes.
func patternsOf[R routeEntry](table []R) []string {
	var out []string
	for _, r := range table {
		if _, p := r.methodAndPattern(); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
