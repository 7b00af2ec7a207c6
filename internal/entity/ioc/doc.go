// Package ioc detects technical indicators: IP addresses and CIDR ranges,
// domains, URLs, e-mail addresses, file hashes, CVE identifiers, phone
// numbers and crypto-currency wallet addresses.
//
// # Defanging
//
// Threat reports and chats write indicators "defanged" so that nobody clicks
// them: hxxp://, example[.]com, 192.0.2(.)1, user[@]example.com, [dot],
// [at]. The detectors read these forms; Value keeps the text as written and
// Norm is the live form (http://example.com/...), so that a defanged and a
// plain mention count as one entity.
//
// # False positives
//
// Precision matters more than recall here, because every false indicator
// lands in an analyst's export. Kept out: version numbers ("version
// 1.2.3.4", "v1.2.3.4"); file names whose extension happens to be a
// top-level domain (setup.sh, readme.md, data.zip) and names whose last
// label is no public suffix at all (report.pdf, config.json); dates and
// times read as phone numbers; 32/40/64-hex runs that are part of a longer
// hex or alphanumeric string; wallet addresses whose checksum fails.
//
// Domains are public-suffix aware (golang.org/x/net/publicsuffix): a name
// is a domain when its suffix is an ICANN or private public suffix, or one
// of the special-use names of RFC 6761/2606 (test, example, invalid,
// localhost) or onion, and it has a registrable label under the suffix.
package ioc
