// Package attack is the MITRE ATT&CK Enterprise vocabulary leakscope maps
// findings onto: techniques (with their tactics) and software (malware and
// tools, with aliases), read from the tables in data/, which are copied
// from the ATT&CK STIX data with MITRE's licence beside them
// (data/attack-LICENSE.txt).
//
// # Technique
//
// A Technique is one ATT&CK technique or sub-technique ("T1566.001
// Spearphishing Attachment"), looked up by its id.
//
// # Software
//
// A Software is one ATT&CK malware or tool entry ("S0154 Cobalt
// Strike") with its aliases; FindSoftware looks one up by a name or an
// alias, case-insensitively.
//
// The package only names things. Whether a leak shows a technique or a
// tool is decided by package findings, from evidence.
package attack
