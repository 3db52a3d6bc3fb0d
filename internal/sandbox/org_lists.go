package sandbox

import (
	"cmp"
	"slices"
	"strings"
)

// orgOrAll is what the exported accessors (Orders, WebhookEndpoints) list: the entities of the
// organization of apiKey (any case) in creation order, or with an empty apiKey those of every
// organization, by their sequence. Callers hold s.mu.
func orgOrAll[T any](all map[string]T, byOrg map[string][]T, apiKey string, seq func(T) int64) []T {
	if apiKey != "" {
		return byOrg[strings.ToLower(apiKey)]
	}
	list := make([]T, 0, len(all))
	for _, v := range all {
		list = append(list, v)
	}
	slices.SortFunc(list, func(a, b T) int { return cmp.Compare(seq(a), seq(b)) })
	return list
}
