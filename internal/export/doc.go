// Package export writes a case's findings in the formats other tools read:
// csv (a spreadsheet of targets or entities), json (everything, one
// document), stix (a STIX 2.1 bundle for threat-intelligence platforms),
// misp (a MISP event), ftm (FollowTheMoney entities, one JSON object a
// line, for Aleph and OpenSanctions tooling), gexf (the who-talks-to-whom
// graph for Gephi), report (a Markdown report for people) and html (the
// analyst report with a TLP banner, one self-contained page to print to
// PDF).
//
// The nouns: Findings is the in-memory snapshot of one case (the target
// register, the entity summary, the resolved chat persons, their edges
// and the conversations); a writer turns Findings into one format. The
// writers are pure functions of Findings and Options so that exports are
// reproducible: identifiers are name-based (UUIDv5 from a fixed namespace,
// or hashes) and the only timestamp is Options.Created, so two exports of
// the same case are byte-identical. The package reads nothing from disk
// itself; the CLI loads the Findings from a case opened read-only.
//
// Leaked strings are hostile input: every writer escapes them for its
// format (CSV cells that a spreadsheet would run as formulas are
// neutralised, Markdown gets no raw HTML, XML drops invalid characters).
package export
