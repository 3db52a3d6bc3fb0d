package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"strings"
)

// Money is decimal arithmetic on math/big values; floats are never used for amounts.

// parseDecimal parses a plain decimal string already accepted by a cobo.AmountRule, and reports how many
// decimal places it was written with.
func parseDecimal(s string) (*big.Rat, int, bool) {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, 0, false
	}
	decimals := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		decimals = len(s) - i - 1
	}
	return r, decimals, true
}

// roundHalfUp2 formats a non-negative rational with exactly two decimals, rounding half up.
func roundHalfUp2(r *big.Rat) string {
	scaled := new(big.Rat).Mul(r, big.NewRat(100, 1))
	q, m := new(big.Int).QuoRem(scaled.Num(), scaled.Denom(), new(big.Int))
	if new(big.Int).Lsh(m, 1).Cmp(scaled.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	digits := q.String()
	for len(digits) < 3 {
		digits = "0" + digits
	}
	return digits[:len(digits)-2] + "." + digits[len(digits)-2:]
}

// formatDecimal formats r (an exact sum of decimals with at most `decimals` places) with that many places.
func formatDecimal(r *big.Rat, decimals int) string {
	return r.FloatString(decimals)
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// deterministicBytes stretches seed into n pseudo-random bytes (SHA-256 in counter mode).
func deterministicBytes(seed string, n int) []byte {
	out := make([]byte, 0, n+sha256.Size)
	for i := 0; len(out) < n; i++ {
		h := sha256.Sum256([]byte(seed + "#" + string(rune('a'+i))))
		out = append(out, h[:]...)
	}
	return out[:n]
}

// addressFor derives a plausible address for chain from seed: "0x"+40 hex for EVM chains, "T"+33
// base58 characters for TRON, 44 base58 characters for SOL.
func addressFor(chain, seed string) string {
	switch chain {
	case "TRON":
		return "T" + base58ish(deterministicBytes(seed, 33))
	case "SOL":
		return base58ish(deterministicBytes(seed, 44))
	default:
		return "0x" + hex.EncodeToString(deterministicBytes(seed, 20))
	}
}

func base58ish(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = base58Alphabet[int(c)%len(base58Alphabet)]
	}
	return string(out)
}
