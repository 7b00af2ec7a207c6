package ioc

import (
	"crypto/sha256"
	"math/big"
	"strings"

	"golang.org/x/crypto/sha3"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/leak"
)

// Wallets finds crypto-currency addresses: Bitcoin legacy and P2SH
// (base58check, checksum verified), Bitcoin SegWit (bech32/bech32m,
// checksum verified), Ethereum (0x + 40 hex; EIP-55 checksum verified when
// the address is mixed case) and Monero (95 base58 characters starting 4 or
// 8). Norm is "<chain>:<address>" (btc, eth lower-cased, xmr). It is pure
// and safe for concurrent use.
type Wallets struct{}

var _ entity.Detector = Wallets{}

// Kinds implements entity.Detector.
func (Wallets) Kinds() []leak.Kind { return []leak.Kind{leak.KindWallet} }

// Keywords implements entity.Detector.
func (Wallets) Keywords() []string { return nil }

var (
	btcLegacy = entity.MustPattern(`[13][1-9A-HJ-NP-Za-km-z]{25,34}`)
	btcBech32 = entity.MustPattern(`(?i)(?:bc|tb)1[02-9ac-hj-np-z]{8,87}`)
	ethAddr   = entity.MustPattern(`0x[0-9a-fA-F]{40}`)
	xmrAddr   = entity.MustPattern(`[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}`)
)

// Detect implements entity.Detector.
func (Wallets) Detect(text []byte, emit func(entity.Match)) {
	find := func(re *entity.Pattern, chain string, ok func(string) bool, norm func(string) string) {
		for _, loc := range re.FindAllIndex(text) {
			s, e := loc[0], loc[1]
			if s > 0 && isAlnum(text[s-1]) || e < len(text) && isAlnum(text[e]) {
				continue
			}
			v := string(text[s:e])
			if !ok(v) {
				continue
			}
			emit(entity.Match{Kind: leak.KindWallet, Value: v, Norm: chain + ":" + norm(v), Start: s, End: e})
		}
	}
	same := func(s string) string { return s }
	find(btcLegacy, "btc", base58Check, same)
	find(btcBech32, "btc", bech32Valid, strings.ToLower)
	find(ethAddr, "eth", eip55Valid, strings.ToLower)
	find(xmrAddr, "xmr", func(string) bool { return true }, same)
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Check decodes s and verifies the 4-byte double-SHA-256 checksum of
// a 25-byte Bitcoin address.
func base58Check(s string) bool {
	n := new(big.Int)
	b58 := big.NewInt(58)
	for i := 0; i < len(s); i++ {
		k := strings.IndexByte(base58Alphabet, s[i])
		if k < 0 {
			return false
		}
		n.Mul(n, b58)
		n.Add(n, big.NewInt(int64(k)))
	}
	raw := n.Bytes()
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	raw = append(make([]byte, zeros), raw...)
	if len(raw) != 25 {
		return false
	}
	h := sha256.Sum256(raw[:21])
	h = sha256.Sum256(h[:])
	return string(h[:4]) == string(raw[21:])
}

const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// bech32Valid verifies a bech32 or bech32m checksum; mixed case is invalid.
func bech32Valid(s string) bool {
	if strings.ToLower(s) != s && strings.ToUpper(s) != s {
		return false
	}
	s = strings.ToLower(s)
	sep := strings.LastIndexByte(s, '1')
	if sep < 1 || len(s)-sep < 7 {
		return false
	}
	hrp, data := s[:sep], s[sep+1:]
	values := make([]int, 0, len(hrp)*2+1+len(data))
	for i := 0; i < len(hrp); i++ {
		values = append(values, int(hrp[i]>>5))
	}
	values = append(values, 0)
	for i := 0; i < len(hrp); i++ {
		values = append(values, int(hrp[i]&31))
	}
	for i := 0; i < len(data); i++ {
		k := strings.IndexByte(bech32Charset, data[i])
		if k < 0 {
			return false
		}
		values = append(values, k)
	}
	gen := [5]int{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := 1
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ v
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk == 1 || chk == 0x2bc830a3
}

// eip55Valid accepts all-lower and all-upper addresses and verifies the
// EIP-55 checksum of mixed-case ones.
func eip55Valid(s string) bool {
	hex := s[2:]
	if strings.ToLower(hex) == hex || strings.ToUpper(hex) == hex {
		return true
	}
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(strings.ToLower(hex)))
	sum := h.Sum(nil)
	for i := 0; i < len(hex); i++ {
		c := hex[i]
		if isDigit(c) {
			continue
		}
		nib := sum[i/2]
		if i%2 == 0 {
			nib >>= 4
		}
		upper := 'A' <= c && c <= 'F'
		if (nib&0xf >= 8) != upper {
			return false
		}
	}
	return true
}
