package authenticity

import (
	"slices"
	"sort"
	"strings"

	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// Source classes of a document, for telling independent sources apart.
// They are written to JSON reports: never rename them.
const (
	ClassChat        = "chat"
	ClassMail        = "mail"
	ClassSpreadsheet = "spreadsheet"
	ClassImage       = "image"
	ClassDocument    = "document"
)

// identifierKinds are the entity kinds whose recurrence across sources
// says something about consistency: who, how to reach them, which
// company, and figures (a volume in a chat and in a register).
var identifierKinds = []leak.Kind{leak.KindPerson, leak.KindHandle, leak.KindEmail, leak.KindPhone,
	leak.KindOrg, leak.KindVolume, leak.KindMoney}

// classOf names the kind of source a document is: a chat when the chat
// analysis found a conversation in it, otherwise by its type, so that a
// name in "Acme minutes.docx" and in a mail to Acme are two sources.
func classOf(d store.DocInfo, chatDocs map[string]bool) string {
	m := d.MIME
	switch {
	case chatDocs[d.ID.String()]:
		return ClassChat
	case m == "message/rfc822" || m == "application/mbox" || m == "application/vnd.ms-outlook":
		return ClassMail
	case strings.Contains(m, "spreadsheet") || strings.Contains(m, "excel") || m == "text/csv":
		return ClassSpreadsheet
	case strings.HasPrefix(m, "image/"):
		return ClassImage
	}
	return ClassDocument
}

// Identifier is one entity value with the source classes it appears in.
type Identifier struct {
	Kind      string   `json:"kind"`
	Value     string   `json:"value"`
	Classes   []string `json:"classes"`
	Documents int      `json:"documents"`
	Paths     []string `json:"paths"` // up to five, as evidence
}

// Consistency is item 3 of the report.
type Consistency struct {
	// Recurring are identifiers found in at least two source classes.
	Recurring []Identifier `json:"recurring"`
	// Single counts, per kind, the values found in one document only.
	Single map[string]int `json:"single"`
}

// consistency classifies every entity of the identifier kinds by the
// classes of the documents it is found in. The rule: a value found in
// two classes (a phone number in a chat and in a spreadsheet) is
// corroborated; one found in one document only is not.
func consistency(ents []store.EntitySummary, classByPath map[string]string) Consistency {
	out := Consistency{Recurring: []Identifier{}, Single: map[string]int{}}
	for _, e := range ents {
		if !slices.Contains(identifierKinds, leak.Kind(e.Type)) {
			continue
		}
		classes := map[string]bool{}
		docs := map[string]bool{}
		for _, p := range e.Paths {
			if c, ok := classByPath[p]; ok {
				classes[c] = true
			}
			docs[containerRoot(p)] = true
		}
		if len(docs) <= 1 && len(classes) <= 1 {
			out.Single[e.Type]++
			continue
		}
		if len(classes) < 2 {
			continue
		}
		id := Identifier{Kind: e.Type, Value: e.Value, Documents: len(docs)}
		for c := range classes {
			id.Classes = append(id.Classes, c)
		}
		sort.Strings(id.Classes)
		for i, p := range e.Paths {
			if i == 5 {
				break
			}
			id.Paths = append(id.Paths, store.EscapePath(p))
		}
		out.Recurring = append(out.Recurring, id)
	}
	sort.Slice(out.Recurring, func(i, j int) bool {
		a, b := out.Recurring[i], out.Recurring[j]
		if len(a.Classes) != len(b.Classes) {
			return len(a.Classes) > len(b.Classes)
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Value < b.Value
	})
	return out
}

// containerRoot is the outermost file of a path: a mail and its
// attachments, or the members of one archive, came to the leak together
// and are counted as one document, not as independent ones.
func containerRoot(p string) string {
	if i := strings.Index(p, leak.ContainerSep); i >= 0 {
		return p[:i]
	}
	return p
}
