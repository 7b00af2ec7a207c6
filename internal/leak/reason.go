package leak

import "strings"

// Statuses of a document besides StatusOK and StatusPending: the class of
// what went wrong. They are stored and appear in JSON, so they never
// change.
const (
	StatusError       = "error"       // the parser or tool failed; text may be salvaged
	StatusLimit       = "limit"       // a limit stopped it (see the reason)
	StatusUnsupported = "unsupported" // no extractor reads this content
	StatusEncrypted   = "encrypted"   // password-protected
	StatusEmpty       = "empty"       // zero bytes
)

// Reason says why a document is not ok or an occurrence holds no stored
// content, as a stable code: stored with the record, counted by `status`
// and `errors`, rendered for people by Text. The message recorded beside
// it gives the detail; nothing ever reads a reason back out of a message
// (zoekt's SkipReason is the model).
type Reason string

// Reasons. Stored: never renamed.
const (
	ReasonNone         Reason = ""
	ReasonParse        Reason = "parse-error"        // the parser rejected the content
	ReasonEncrypted    Reason = "encrypted"          // password-protected
	ReasonUnsupported  Reason = "unsupported-format" // a known format no extractor reads
	ReasonUnrecognised Reason = "unrecognised-data"  // no known file signature
	ReasonEmpty        Reason = "empty"              // zero bytes
	ReasonToolMissing  Reason = "tool-missing"       // the child tool is not installed
	ReasonToolTimeout  Reason = "tool-timeout"       // the child tool ran past its time limit
	ReasonToolMemory   Reason = "tool-memory"        // the child tool ran past its memory limit
	ReasonPanic        Reason = "panic"              // a parser bug, recovered
	ReasonSymlink      Reason = "symlink"            // a link, never followed
	ReasonNotRegular   Reason = "not-regular-file"   // a pipe, device or socket, never read
	ReasonUnreadable   Reason = "unreadable"         // permission denied, vanished
	ReasonSkipped      Reason = "skipped-member"     // a member its container could not give (encrypted, unsupported method)
	ReasonCorrupt      Reason = "corrupt-member"     // a member that failed to read out of its container
	ReasonGitHistory   Reason = "git-history"        // the history of a repository could not be read
	limitPrefix               = "limit-"
)

// LimitReason is the reason for a limit hit: "limit-" and the limit's
// name (depth, ratio, expanded, entries, size, path, text, time, pixels).
func LimitReason(what string) Reason { return Reason(limitPrefix + what) }

// IsLimit reports whether r is a limit hit.
func (r Reason) IsLimit() bool { return strings.HasPrefix(string(r), limitPrefix) }

var reasonText = map[Reason]string{
	ReasonParse:        "the parser rejected the content",
	ReasonEncrypted:    "password-protected",
	ReasonUnsupported:  "a format no extractor reads",
	ReasonUnrecognised: "unrecognised binary content",
	ReasonEmpty:        "empty file",
	ReasonToolMissing:  "a needed tool is not installed",
	ReasonToolTimeout:  "a tool ran past its time limit",
	ReasonToolMemory:   "a tool ran past its memory limit",
	ReasonPanic:        "a parser failed unexpectedly (a bug; please report it)",
	ReasonSymlink:      "symbolic link, not followed",
	ReasonNotRegular:   "special file (pipe, device, socket), not read",
	ReasonUnreadable:   "could not be read (permission denied or vanished)",
	ReasonSkipped:      "member its container could not give",
	ReasonCorrupt:      "member failed to read out of its container",
	ReasonGitHistory:   "git history could not be read",
}

var limitText = map[string]string{
	"depth":    "nested deeper than the depth limit",
	"ratio":    "expands past the ratio limit (a bomb?)",
	"expanded": "expands past the byte budget of its top-level file",
	"entries":  "more members than the entry limit",
	"size":     "larger than the file size limit",
	"path":     "path longer than the path limit",
	"text":     "text longer than the text limit",
	"time":     "took longer than the parse time limit",
	"pixels":   "image larger than the pixel limit",
}

// Text is the reason in words, for people.
func (r Reason) Text() string {
	if t, ok := reasonText[r]; ok {
		return t
	}
	if r.IsLimit() {
		what := strings.TrimPrefix(string(r), limitPrefix)
		if t, ok := limitText[what]; ok {
			return t
		}
		return "limit " + what + " hit"
	}
	return string(r)
}
