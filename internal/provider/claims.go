package provider

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Plan-time claims: two resources must never hold one Cobo object. Every resource's plan passes
// through this provider in one process (one providerData per Terraform walk: Configure builds a new
// one), so ModifyPlan claims each resource's key (a psp_order_code, a webhook url) for the object the
// resource holds, and a second resource claiming it is a plan-time error.
//
// A claim is keyed by the object's id, not by the resource (the provider never sees addresses), so
// that one resource planned twice is never its own rival: Terraform plans a replacement twice, first
// with the prior object and then with none, and passes the first plan's private data to the second;
// replacedObjectKey carries the prior object's id across, and the second plan claims for it.

// newObject is the holder of a claim made for an object not created yet.
const newObject = ""

// replacedObjectKey is the private-data key under which a plan of an existing object leaves that
// object's id for the plan of its replacement.
const replacedObjectKey = "claims_replaced_object"

// claims are the keys claimed in one walk, each with the id of the object that holds it.
type claims struct {
	mu      sync.Mutex
	holders map[string]string // key -> object id, or newObject
}

func newClaims() *claims { return &claims{holders: map[string]string{}} }

// claim takes key for object (an object id, or newObject). When key was taken already it returns
// its holder and taken, and changes nothing.
func (c *claims) claim(key, object string) (holder string, taken bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	holder, taken = c.holders[key]
	if !taken {
		c.holders[key] = object
	}
	return holder, taken
}

// rival reports whether a claim for object, of a key that holder has, comes from another resource:
// an existing object claiming its own key again does not (a replacement's second plan); a new object
// always does.
func rival(holder, object string) bool { return object == newObject || holder != object }

// planClaim is what one plan of a resource claims.
type planClaim struct {
	key    string // the value of the claimed attribute
	object string // the object the resource holds or replaces, or newObject
	holder string // on a conflict, the object that holds key already
	again  bool   // object held key already: an earlier plan of this walk claimed it for object
}

// claimedKey is an attribute Cobo keeps unique per organization (a psp_order_code, a webhook url, a
// merchant name, a refund request_id), claimed at plan time, with the errors its resource gives.
type claimedKey struct {
	attr, idAttr string                           // the claimed attribute; the attribute with the object's id
	claimsOf     func(*providerData) *claims      // this key's claims in a walk
	twoHolders   func(planClaim) (string, string) // summary and detail when another resource holds the key
	// keptByReplacement, when set, is the error for a replacement that keeps the key of the object it
	// replaces: Cobo never gives the key to a second object. Unset: a replacement may keep it.
	keptByReplacement func(planClaim) (string, string)
}

// claim claims k for the resource this plan concerns (claimInPlan) and reports false, with an error on
// k.attr, when another resource holds it or a replacement would keep it against k's rule.
func (k claimedKey) claim(ctx context.Context, data *providerData, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) bool {
	var c *claims
	if data != nil {
		c = k.claimsOf(data)
	}
	pc, ok := claimInPlan(ctx, c, req, resp, k.attr, k.idAttr)
	var message func(planClaim) (string, string)
	switch {
	case !ok:
		message = k.twoHolders
	case req.State.Raw.IsNull() && pc.again:
		message = k.keptByReplacement // nil where a replacement may keep the key
	}
	if message != nil {
		summary, detail := message(pc)
		resp.Diagnostics.AddAttributeError(path.Root(k.attr), summary, detail)
	}
	return !resp.Diagnostics.HasError()
}

// claimInPlan claims, for the resource this plan concerns, the value of keyAttr; idAttr is the
// attribute holding the object's id. An existing object claims the key it has (also when it is being
// destroyed or replaced: Cobo keeps it); a replacement or a new object claims the planned key. It
// returns the claim and whether another resource holds the key; nothing is claimed (true) when the
// key is not known yet: the re-plan during apply, when it is, claims it.
func claimInPlan(ctx context.Context, c *claims, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, keyAttr, idAttr string) (planClaim, bool) {
	var key, id types.String
	if c == nil {
		return planClaim{}, true
	}
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(keyAttr), &key)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(idAttr), &id)...)
		if !req.Plan.Raw.IsNull() && id.ValueString() != "" {
			marker, _ := json.Marshal(id.ValueString())
			resp.Diagnostics.Append(resp.Private.SetKey(ctx, replacedObjectKey, marker)...)
		}
	} else {
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(keyAttr), &key)...)
		id = types.StringValue(replacedObject(ctx, req))
	}
	if key.IsUnknown() || key.ValueString() == "" || resp.Diagnostics.HasError() {
		return planClaim{}, true
	}
	pc := planClaim{key: key.ValueString(), object: id.ValueString()}
	holder, taken := c.claim(pc.key, pc.object)
	if taken && rival(holder, pc.object) {
		pc.holder = holder
		return pc, false
	}
	pc.again = taken
	return pc, true
}

// replacedObject is the id of the object a plan with no prior object replaces (see
// replacedObjectKey), or newObject.
func replacedObject(ctx context.Context, req resource.ModifyPlanRequest) string {
	if req.Private == nil {
		return newObject
	}
	raw, diags := req.Private.GetKey(ctx, replacedObjectKey)
	var id string
	if diags.HasError() || len(raw) == 0 || json.Unmarshal(raw, &id) != nil {
		return newObject
	}
	return id
}

// rivals names both holders of a conflicting claim for a message: "another one holds order O1, and
// this one plans a new order".
func (pc planClaim) rivals(noun string) string {
	holding := func(object string) string {
		if object == newObject {
			return "plans a new " + noun
		}
		return "holds " + noun + " " + object
	}
	return "another one " + holding(pc.holder) + ", and this one " + holding(pc.object)
}
