package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Decoding a request and refusing what is wrong in it, as Cobo does: the helpers every route shares.

// jsonKind names the JSON type of raw, for a message such as "must be a string, got a number".
func jsonKind(raw json.RawMessage) string {
	t := strings.TrimSpace(string(raw))
	switch {
	case t == "":
		return "nothing"
	case t[0] == '"':
		return "a string"
	case t[0] == '{':
		return "an object"
	case t[0] == '[':
		return "an array"
	case t == "true" || t == "false":
		return "a boolean"
	case t == "null":
		return "null"
	default:
		return "a number"
	}
}

func invalidParam(format string, args ...any) *response {
	return coboError(http.StatusBadRequest, cobo.CodeInvalidParameter, format, args...)
}

func missingParam(format string, args ...any) *response {
	return coboError(http.StatusBadRequest, cobo.CodeMissingParameter, format, args...)
}

// decodeObject decodes a request body that must be one JSON object.
func decodeObject(body []byte) (map[string]json.RawMessage, *response) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		if len(strings.TrimSpace(string(body))) == 0 {
			return nil, invalidParam("the request body must be a JSON object, got an empty body")
		}
		return nil, invalidParam("the request body must be a JSON object")
	}
	return m, nil
}
