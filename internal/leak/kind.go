package leak

// Kind names a type of entity. The values are stored and are part of the
// JSON contract (DESIGN.md), so they never change.
type Kind string

// The entity kinds of the contract.
const (
	KindIPv4    Kind = "ipv4"
	KindIPv6    Kind = "ipv6"
	KindDomain  Kind = "domain"
	KindURL     Kind = "url"
	KindEmail   Kind = "email"
	KindMD5     Kind = "md5"
	KindSHA1    Kind = "sha1"
	KindSHA256  Kind = "sha256"
	KindCVE     Kind = "cve"
	KindPhone   Kind = "phone"
	KindOrg     Kind = "org"
	KindCountry Kind = "country"
	KindPerson  Kind = "person"
	KindVolume  Kind = "volume"
	KindDate    Kind = "date"
	KindMoney   Kind = "money"
	KindWallet  Kind = "wallet"
	KindHandle  Kind = "handle"
)

// Kinds lists every kind in a stable order.
var Kinds = []Kind{
	KindIPv4, KindIPv6, KindDomain, KindURL, KindEmail, KindMD5, KindSHA1,
	KindSHA256, KindCVE, KindPhone, KindOrg, KindCountry, KindPerson,
	KindVolume, KindDate, KindMoney, KindWallet, KindHandle,
}
