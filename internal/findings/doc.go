// Package findings decides, from the text around each mention, what the
// indicators of a leak are to the case, and which ATT&CK techniques and
// tools the leak shows, each with the evidence that supports it.
//
// # Role
//
// A Role says whose an indicator is: the actor's infrastructure (a C2 or
// a relay), a phishing domain or sender, a victim's asset (an address at
// a target's domain), the contractor's own (an address in its staff
// directory or a signature), a customer's or a partner's, or unknown.
// Only the actor's infrastructure and its phishing infrastructure are
// things a defender should alert on (Role.Detectable); exports make
// indicators and to_ids attributes of those alone.
//
// # Rule
//
// Every decision is made by a named rule with a one-line made-up example
// (roleRules, techniqueRules): a rule looks at one mention's line, the
// lines above it and the document's head, never at a bare keyword in the
// whole text. A Vote is one rule's decision for one mention, with its
// Evidence (path, line, date); Combine folds the votes of every
// document into one IOC per value. When votes disagree, the role that
// keeps an address out of the indicators wins (rolePrecedence): calling
// a victim's server a C2 would have a defender block the victim.
//
// # Technique and Tool
//
// A TechniqueHit is an ATT&CK technique shown by evidence (a lure e-mail
// with an attachment is T1566.001), a ToolHit an ATT&CK software entry
// named on a line that says it was used. Both carry their evidence.
//
// Observe is pure (no I/O) and safe for concurrent use, so that it can
// run as a per-document stage; Combine reads no text.
package findings
