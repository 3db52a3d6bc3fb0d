package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Merchants, per organization, as the spec has them: create, list, update; no get-by-id and no delete.
// Each organization starts with its default merchant (wallet_setup Default, id
// Options.DefaultMerchantID), as Cobo's onboarding provisions, made the first time the organization
// is seen.

// DefaultMerchantID is the id of each organization's default merchant unless
// Options.DefaultMerchantID says otherwise: the id of Cobo's examples, which today's examples use.
const DefaultMerchantID = "M1001"

// MerchantMode says what an order for a merchant the organization lacks gets.
type MerchantMode int

const (
	// MerchantsUnset is the zero value: MerchantsAsCobo for sandbox.Open; sandboxtest.New makes it
	// MerchantsAutoCreate.
	MerchantsUnset MerchantMode = iota
	// MerchantsAsCobo refuses an order for a merchant the organization lacks (as Cobo's text says).
	MerchantsAsCobo
	// MerchantsAutoCreate creates the merchant (named like its id, wallet_setup Shared) with the order,
	// for test harnesses whose orders name arbitrary merchants.
	MerchantsAutoCreate
)

// Wallet setups (WalletSetup).
const (
	WalletSetupDefault  = "Default"
	WalletSetupShared   = "Shared"
	WalletSetupSeparate = "Separate"
)

var walletSetups = []string{WalletSetupDefault, WalletSetupShared, WalletSetupSeparate}

// merchant is the spec's Merchant, as stored and answered.
type merchant struct {
	MerchantID       string  `json:"merchant_id"`
	Name             string  `json:"name"`
	WalletID         string  `json:"wallet_id"`
	DeveloperFeeRate *string `json:"developer_fee_rate,omitempty"`
	WalletSetup      string  `json:"wallet_setup"`
	CreatedTimestamp int64   `json:"created_timestamp"`
	UpdatedTimestamp int64   `json:"updated_timestamp"`
}

func newMerchantTable() *table[merchant] {
	return newTable("merchants", func(m *merchant) string { return m.MerchantID }, checkStoredMerchant)
}

func checkStoredMerchant(m *merchant) error {
	switch {
	case m.Name == "" || m.WalletID == "":
		return fmt.Errorf("name %q or wallet_id %q is empty", m.Name, m.WalletID)
	case !slices.Contains(walletSetups, m.WalletSetup):
		return fmt.Errorf("wallet_setup %q is not a wallet setup", m.WalletSetup)
	case m.DeveloperFeeRate != nil && checkDeveloperFeeRate(*m.DeveloperFeeRate) != nil:
		return fmt.Errorf("developer_fee_rate %q is not a rate", *m.DeveloperFeeRate)
	}
	return nil
}

// developerFeeRateRule: "a valid float between 0 and 1 (inclusive), with up to 4 decimal places".
var developerFeeRateRule = cobo.AmountRule{Field: "developer_fee_rate", MaxDecimals: 4, AllowZero: true, Doc: "a decimal string from 0 to 1 with at most 4 decimal places, such as \"0.015\""}

func checkDeveloperFeeRate(v string) error {
	if err := developerFeeRateRule.Check(v); err != nil {
		return err
	}
	if mustDecimal(v).Cmp(mustDecimal("1")) > 0 {
		return fmt.Errorf("developer_fee_rate must be %s; %q is above 1", developerFeeRateRule.Doc, v)
	}
	return nil
}

// defaultMerchantID is the id of every organization's default merchant.
func (s *Sandbox) defaultMerchantID() string {
	if s.opts.DefaultMerchantID != "" {
		return s.opts.DefaultMerchantID
	}
	return DefaultMerchantID
}

// ensureOrgLocked gives an organization seen for the first time its default merchant, named like the
// organization (its key's first 8 characters). It reports whether it made one: the caller commits.
func (s *Sandbox) ensureOrgLocked(org string) bool {
	if len(s.merchants.list(org)) > 0 {
		return false
	}
	now := s.Now().Unix()
	s.merchants.insert(org, s.merchants.nextSeq(), merchant{
		MerchantID: s.defaultMerchantID(), Name: "Organization " + org[:8], WalletID: walletIDOf(org),
		WalletSetup: WalletSetupDefault, CreatedTimestamp: now, UpdatedTimestamp: now,
	})
	return true
}

// readOrgLocked is ensureOrgLocked for a route that only reads: a new default merchant is saved at
// once (a failed save is undone by commitLocked and the merchant made again next time).
func (s *Sandbox) readOrgLocked(org string) {
	if s.ensureOrgLocked(org) {
		_ = s.commitLocked()
	}
}

// orderMerchantLocked checks the merchant of a new order: one of the organization's, or (with
// MerchantsAutoCreate) made now, in the same commit as the order.
func (s *Sandbox) orderMerchantLocked(org, id string) *response {
	s.ensureOrgLocked(org)
	if s.merchants.get(org, id) != nil {
		return nil
	}
	if s.opts.Merchants != MerchantsAutoCreate {
		return decisionError(cobo.MerchantNotInOrganization, "merchant_id %q is not a merchant of this organization (GET %s lists them; the default merchant is %s)", truncate(id, 64), merchantsPath, s.defaultMerchantID())
	}
	now := s.Now().Unix()
	s.merchants.insert(org, s.merchants.nextSeq(), merchant{MerchantID: id, Name: id, WalletID: walletIDOf(org),
		WalletSetup: WalletSetupShared, CreatedTimestamp: now, UpdatedTimestamp: now})
	return nil
}

// merchantBody is a create or update body.
type merchantBody struct {
	Name             *string `json:"name"`
	DeveloperFeeRate *string `json:"developer_fee_rate"`
	WalletSetup      *string `json:"wallet_setup"`
	WalletID         *string `json:"wallet_id"` // deprecated; ignored
}

func decodeMerchantBody(body []byte) (*merchantBody, *response) {
	if _, errResp := decodeObject(body); errResp != nil {
		return nil, errResp
	}
	var b merchantBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, invalidParam("name, developer_fee_rate and wallet_setup must be JSON strings: %v", err)
	}
	if b.Name != nil && strings.TrimSpace(*b.Name) == "" {
		return nil, invalidParam("name must not be empty")
	}
	if b.DeveloperFeeRate != nil {
		if err := checkDeveloperFeeRate(*b.DeveloperFeeRate); err != nil {
			return nil, invalidParam("%s", err.Error())
		}
	}
	return &b, nil
}

// createMerchant is POST /v2/payments/merchants.
func (s *Sandbox) createMerchant(in apiRequest) *response {
	b, errResp := decodeMerchantBody(in.body)
	if errResp != nil {
		return errResp
	}
	if b.Name == nil {
		return missingParam("missing required parameter: name")
	}
	setup := WalletSetupShared
	if b.WalletSetup != nil {
		setup = *b.WalletSetup
	}
	if setup != WalletSetupShared && setup != WalletSetupSeparate {
		return invalidParam("wallet_setup must be %s or %s, got %q (%s belongs to the default merchant and cannot be chosen)", WalletSetupShared, WalletSetupSeparate, truncate(setup, 20), WalletSetupDefault)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensureOrgLocked(in.org)
	seq := s.merchants.nextSeq()
	id := fmt.Sprintf("M%s%04d", s.idPrefix, seq)
	wallet := walletIDOf(in.org)
	if setup == WalletSetupSeparate {
		wallet = walletIDOf(in.org + "/" + id)
	}
	now := s.Now().Unix()
	r := s.merchants.insert(in.org, seq, merchant{MerchantID: id, Name: *b.Name, WalletID: wallet, DeveloperFeeRate: b.DeveloperFeeRate,
		WalletSetup: setup, CreatedTimestamp: now, UpdatedTimestamp: now})
	if err := s.commitLocked(); err != nil {
		return coboError(http.StatusInternalServerError, cobo.CodeInternal, "the merchant was not created: %v", err)
	}
	return jsonResponse(http.StatusCreated, r.Value)
}

// updateMerchant is PUT /v2/payments/merchants/{merchant_id}: name and developer_fee_rate; an empty
// body answers the merchant unchanged.
func (s *Sandbox) updateMerchant(in apiRequest) *response {
	id := in.params["merchant_id"]
	b, errResp := decodeMerchantBody(in.body)
	if errResp != nil {
		return errResp
	}
	if b.WalletSetup != nil {
		return invalidParam("wallet_setup cannot be changed after a merchant is created (create another merchant)")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensureOrgLocked(in.org)
	r := s.merchants.get(in.org, id)
	if r == nil {
		return decisionError(cobo.UnknownMerchant, "merchant %q not found in this organization", truncate(id, 64))
	}
	if b.Name == nil && b.DeveloperFeeRate == nil {
		_ = s.commitLocked() // a default merchant made just now
		return jsonResponse(http.StatusOK, r.Value)
	}
	old := r.Value
	if b.Name != nil {
		r.Value.Name = *b.Name
	}
	if b.DeveloperFeeRate != nil {
		r.Value.DeveloperFeeRate = b.DeveloperFeeRate
	}
	r.Value.UpdatedTimestamp = s.Now().Unix()
	if err := s.commitLocked(); err != nil {
		r.Value = old
		return coboError(http.StatusInternalServerError, cobo.CodeInternal, "the merchant was not updated: %v", err)
	}
	return jsonResponse(http.StatusOK, r.Value)
}

// listMerchants is GET /v2/payments/merchants: keyword (a case-insensitive part of the name),
// wallet_setup, wallet_id (deprecated), paging; oldest first.
func (s *Sandbox) listMerchants(in apiRequest) *response {
	q, page, errResp := parsePagedQuery(in.query)
	if errResp != nil {
		return errResp
	}
	keyword, setup, wallet := strings.ToLower(q.Get("keyword")), q.Get("wallet_setup"), q.Get("wallet_id")
	if setup != "" && !slices.Contains(walletSetups, setup) {
		return invalidParam("wallet_setup: %q is not one of %s", truncate(setup, 20), strings.Join(walletSetups, ", "))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readOrgLocked(in.org)
	rows, pagination, errResp := s.merchants.page(in.org, page, "a merchant_id", func(m *merchant) bool {
		return strings.Contains(strings.ToLower(m.Name), keyword) && (setup == "" || m.WalletSetup == setup) && (wallet == "" || m.WalletID == wallet)
	})
	if errResp != nil {
		return errResp
	}
	data := make([]merchant, len(rows))
	for i, r := range rows {
		data[i] = r.Value
	}
	return jsonResponse(http.StatusOK, struct {
		Data       []merchant      `json:"data"`
		Pagination cobo.Pagination `json:"pagination"`
	}{data, pagination})
}
