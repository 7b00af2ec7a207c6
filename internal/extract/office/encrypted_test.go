package office

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/sniff"
)

// manifest lists content.xml and meta.xml; encData, when set, goes inside
// content.xml's entry as LibreOffice writes it for a password.
func manifest(encData string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="1200">` + encData + `</manifest:file-entry>
<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`
}

const encryptionData = `<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">
<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>
<manifest:start-key-generation manifest:start-key-generation-name="http://www.w3.org/2000/09/xmldsig#sha256" manifest:key-size="32"/>
<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAA"/>
</manifest:encryption-data>`

// TestODFEncrypted checks that an ODF package whose manifest marks
// content.xml encrypted is reported with extract.ErrEncrypted (the
// pipeline's "encrypted" status) and keeps its readable metadata, while a
// package with an ordinary manifest is read as usual.
func TestODFEncrypted(t *testing.T) {
	garbage := "\x8f\x11\xe2\x00\x93 not xml \xff\xfe"
	tests := []struct {
		name          string
		members       []member
		wantEncrypted bool
		wantTitle     bool // meta.xml read
		wantText      string
	}{
		{name: "content encrypted", wantEncrypted: true, wantTitle: true, members: []member{
			{"mimetype", sniff.ODT}, {"content.xml", garbage}, {"meta.xml", odfMeta},
			{"META-INF/manifest.xml", manifest(encryptionData)}}},
		{name: "whole package encrypted", wantEncrypted: true, members: []member{
			{"mimetype", sniff.ODT}, {"encrypted-package", garbage}, {"META-INF/manifest.xml", manifest("")}}},
		{name: "plain manifest", wantTitle: true, wantText: "Nordhavn Shipping", members: []member{
			{"mimetype", sniff.ODT}, {"meta.xml", odfMeta},
			{"content.xml", `<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text><text:p>Nordhavn Shipping</text:p></office:text></office:body></office:document-content>`},
			{"META-INF/manifest.xml", manifest("")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(t, t.TempDir(), "a.odt", sniff.ODT, makeZip(t, tt.members...), leak.DefaultLimits())
			r, err := extracttest.Run(t.Context(), ODF{}, in)
			if got := errors.Is(err, extract.ErrEncrypted); got != tt.wantEncrypted {
				t.Fatalf("err %v; wraps ErrEncrypted = %v, want %v", err, got, tt.wantEncrypted)
			}
			if got := slices.ContainsFunc(r.MetaKV, func(kv extracttest.KV) bool { return kv.Key == "title" }); got != tt.wantTitle {
				t.Errorf("meta %v; title = %v, want %v", r.MetaKV, got, tt.wantTitle)
			}
			if got := r.HasFlag(FlagEncrypted); got != tt.wantEncrypted {
				t.Errorf("flags %v; encrypted = %v, want %v", r.Flags, got, tt.wantEncrypted)
			}
			if tt.wantText != "" && strings.TrimSpace(r.Body()) != tt.wantText {
				t.Errorf("text %q, want %q", r.Body(), tt.wantText)
			}
		})
	}
}
