package provider

import (
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/list"
)

// What every list resource shares: how many results a list block asks for, and streaming them.

// defaultQueryLimit is what Terraform asks for when a list block sets no limit.
const defaultQueryLimit = 100

// queryLimit is how many results a list block asks for: its limit, or Terraform's default.
func queryLimit(req list.ListRequest) int {
	if req.Limit <= 0 {
		return defaultQueryLimit
	}
	return int(req.Limit)
}

// streamEach streams one query result per item, until Terraform wants no more.
func streamEach[T any](items []T, result func(*T) list.ListResult) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		for i := range items {
			if !push(result(&items[i])) {
				return
			}
		}
	}
}
