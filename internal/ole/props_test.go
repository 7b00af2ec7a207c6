package ole_test

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/leakscope/leakscope/internal/ole"
	"github.com/leakscope/leakscope/internal/ole/oletest"
	"github.com/leakscope/leakscope/internal/testenv"
)

var (
	created = time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
	saved   = time.Date(2022, 8, 9, 10, 11, 12, 0, time.UTC)
)

func summarySection(cp int, title, author string) oletest.Section {
	return oletest.Section{FMTID: ole.FMTIDSummary, CodePage: cp, Props: []oletest.Prop{
		{ID: 2, Value: title}, {ID: 4, Value: author}, {ID: 8, Value: "last " + author},
		{ID: 12, Value: created}, {ID: 13, Value: saved}, {ID: 14, Value: 3}, {ID: 15, Value: 120},
		{ID: 18, Value: "Microsoft Office Word"},
	}}
}

func TestPropertySetCodePages(t *testing.T) {
	tests := []struct {
		name    string
		section oletest.Section
		want    map[string]string
	}{
		{
			name: "cp1252",
			section: func() oletest.Section {
				s := summarySection(1252, "Café résumé", "José")
				s.Encoding = charmap.Windows1252
				return s
			}(),
			want: map[string]string{"title": "Café résumé", "author": "José", "last_modified_by": "last José"},
		},
		{
			name: "cp936-gbk",
			section: func() oletest.Section {
				s := summarySection(936, "机密文件", "张伟")
				s.Encoding = simplifiedchinese.GBK
				return s
			}(),
			want: map[string]string{"title": "机密文件", "author": "张伟", "last_modified_by": "last 张伟"},
		},
		{
			name: "cp950-big5",
			section: func() oletest.Section {
				s := summarySection(950, "機密文件", "陳大文")
				s.Encoding = traditionalchinese.Big5
				return s
			}(),
			want: map[string]string{"title": "機密文件", "author": "陳大文", "last_modified_by": "last 陳大文"},
		},
		{
			name: "lpwstr",
			section: oletest.Section{FMTID: ole.FMTIDSummary, CodePage: 1252, Props: []oletest.Prop{
				{ID: 2, Type: ole.VTLPWSTR, Value: "Отчёт 报告"}, {ID: 4, Type: ole.VTLPWSTR, Value: "Ivan"},
			}},
			want: map[string]string{"title": "Отчёт 报告", "author": "Ivan"},
		},
		{
			name: "utf8-codepage",
			section: oletest.Section{FMTID: ole.FMTIDSummary, CodePage: 65001, Props: []oletest.Prop{
				{ID: 2, Value: "ünïcode 中文"},
			}},
			want: map[string]string{"title": "ünïcode 中文"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sets, err := ole.ParsePropertySets(oletest.PropertySet(tt.section))
			if err != nil {
				t.Fatal(err)
			}
			if len(sets) != 1 || sets[0].FMTID != ole.FMTIDSummary {
				t.Fatalf("sets = %+v", sets)
			}
			if sets[0].CodePage != tt.section.CodePage {
				t.Errorf("code page = %d, want %d", sets[0].CodePage, tt.section.CodePage)
			}
			got := map[string]string{}
			for k, id := range map[string]uint32{"title": 2, "author": 4, "last_modified_by": 8} {
				if v := sets[0].Props[id].Str; v != "" {
					got[k] = v
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("strings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGUIDString(t *testing.T) {
	if got, want := ole.FMTIDSummary.String(), "F29F85E0-4FF9-1068-AB91-08002B27B3D9"; got != want {
		t.Errorf("FMTIDSummary = %s, want %s", got, want)
	}
	if got, want := ole.FMTIDDocSummary.String(), "D5CDD502-2E9C-101B-9397-08002B2CF9AE"; got != want {
		t.Errorf("FMTIDDocSummary = %s, want %s", got, want)
	}
}

// wordFIB is the start of a WordDocument stream: wIdent, nFib, ... and
// the flags word whose bit 8 is fEncrypted.
func wordFIB(encrypted bool) []byte {
	b := make([]byte, 64)
	binary.LittleEndian.PutUint16(b, 0xa5ec)
	binary.LittleEndian.PutUint16(b[2:], 0xc1)
	if encrypted {
		binary.LittleEndian.PutUint16(b[10:], 0x0100)
	}
	return b
}

// currentUser is a PowerPoint CurrentUserAtom: record header, size 0x14
// and the header token, 0xF3D1C4DF when the presentation is encrypted.
func currentUser(encrypted bool) []byte {
	b := make([]byte, 8, 32)
	binary.LittleEndian.PutUint16(b[2:], 0x0ff6)
	binary.LittleEndian.PutUint32(b[4:], 24)
	b = binary.LittleEndian.AppendUint32(b, 0x14)
	token := uint32(0xe391c05f)
	if encrypted {
		token = 0xf3d1c4df
	}
	b = binary.LittleEndian.AppendUint32(b, token)
	return append(b, make([]byte, 16)...)
}

// biff returns BIFF8 records: BOF, optionally FILEPASS, BOUNDSHEET, EOF.
func biff(filepass bool) []byte {
	rec := func(typ uint16, body []byte) []byte {
		b := binary.LittleEndian.AppendUint16(nil, typ)
		b = binary.LittleEndian.AppendUint16(b, uint16(len(body)))
		return append(b, body...)
	}
	b := rec(0x0809, make([]byte, 16))
	if filepass {
		b = append(b, rec(0x002f, make([]byte, 54))...)
	}
	b = append(b, rec(0x0085, make([]byte, 12))...)
	return append(b, rec(0x000a, nil)...)
}

func TestMetadataAndEncryption(t *testing.T) {
	docSummary := oletest.PropertySet(oletest.Section{FMTID: ole.FMTIDDocSummary, CodePage: 1252, Props: []oletest.Prop{
		{ID: 15, Value: "Acme Ltd"}, {ID: 14, Value: "Boss"}, {ID: 2, Value: "Secret"},
	}})
	summary := func(sec int) []byte {
		s := summarySection(1252, "Quarterly report", "Alice")
		s.Props = append(s.Props, oletest.Prop{ID: 3, Value: "Finance"}, oletest.Prop{ID: 5, Value: "q3, budget"},
			oletest.Prop{ID: 6, Value: "draft"}, oletest.Prop{ID: 19, Value: sec})
		return oletest.PropertySet(s)
	}
	full := map[string]string{
		"title": "Quarterly report", "author": "Alice", "last_modified_by": "last Alice",
		"created": "2021-03-04T05:06:07Z", "modified": "2022-08-09T10:11:12Z", "creator": "Microsoft Office Word",
		"company": "Acme Ltd", "pages": "3", "words": "120", "subject": "Finance", "keywords": "q3, budget",
		"description": "draft", "manager": "Boss", "category": "Secret",
	}
	tests := []struct {
		name      string
		streams   []oletest.Stream
		wantMeta  map[string]string
		wantFlags []string
	}{
		{name: "word", streams: []oletest.Stream{
			{Path: ole.SummaryStream, Data: summary(0)}, {Path: ole.DocSummaryStream, Data: docSummary},
			{Path: "WordDocument", Data: wordFIB(false)},
		}, wantMeta: full},
		{name: "word-encrypted-fib", streams: []oletest.Stream{
			{Path: ole.SummaryStream, Data: summary(0)}, {Path: "WordDocument", Data: wordFIB(true)},
		}, wantMeta: without(full, "company", "manager", "category"), wantFlags: []string{"encrypted"}},
		{name: "excel-filepass", streams: []oletest.Stream{{Path: "Workbook", Data: biff(true)}},
			wantMeta: map[string]string{}, wantFlags: []string{"encrypted"}},
		{name: "excel-plain", streams: []oletest.Stream{{Path: "Workbook", Data: biff(false)}}, wantMeta: map[string]string{}},
		{name: "powerpoint-encrypted-current-user", streams: []oletest.Stream{{Path: "Current User", Data: currentUser(true)},
			{Path: "PowerPoint Document", Data: make([]byte, 600)}}, wantMeta: map[string]string{}, wantFlags: []string{"encrypted"}},
		{name: "powerpoint-encrypted-summary", streams: []oletest.Stream{{Path: "Current User", Data: currentUser(false)},
			{Path: "PowerPoint Document", Data: make([]byte, 600)}, {Path: "EncryptedSummary", Data: make([]byte, 600)}},
			wantMeta: map[string]string{}, wantFlags: []string{"encrypted"}},
		{name: "powerpoint-plain", streams: []oletest.Stream{{Path: "Current User", Data: currentUser(false)},
			{Path: "PowerPoint Document", Data: make([]byte, 600)}}, wantMeta: map[string]string{}},
		{name: "ooxml-encrypted-package", streams: []oletest.Stream{
			{Path: "EncryptionInfo", Data: make([]byte, 200)}, {Path: "EncryptedPackage", Data: make([]byte, 5000)},
		}, wantMeta: map[string]string{}, wantFlags: []string{"encrypted"}},
		{name: "docsecurity-password", streams: []oletest.Stream{{Path: ole.SummaryStream, Data: summary(1)}},
			wantMeta: without(full, "company", "manager", "category"), wantFlags: []string{"encrypted"}},
		{name: "no-property-sets", streams: []oletest.Stream{{Path: "Other", Data: []byte("x")}}, wantMeta: map[string]string{}},
		{name: "garbage-summary", streams: []oletest.Stream{{Path: ole.SummaryStream, Data: []byte("\xfe\xff not a property set at all....")}},
			wantMeta: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "f.ole")
			if err := os.WriteFile(p, oletest.Build(tt.streams, oletest.Options{}), 0o600); err != nil {
				t.Fatal(err)
			}
			info, err := ole.Inspect(p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantMeta, info.Meta); diff != "" {
				t.Errorf("meta (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantFlags, info.Flags); diff != "" {
				t.Errorf("flags (-want +got):\n%s", diff)
			}
			m, err := ole.Metadata(p)
			if err != nil || len(m) != len(tt.wantMeta) {
				t.Errorf("Metadata = %v, %v", m, err)
			}
		})
	}
}

func without(m map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

func TestFileTime(t *testing.T) {
	tests := []struct {
		name string
		ft   uint64
		want time.Time
	}{
		{name: "zero", ft: 0, want: time.Time{}},
		{name: "before-1970", ft: 1, want: time.Time{}},
		{name: "round-trip", ft: oletest.FileTime(created), want: created},
		{name: "far-future", ft: 1 << 63, want: time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ole.FileTime(tt.ft); !got.Equal(tt.want) {
				t.Errorf("FileTime(%d) = %v, want %v", tt.ft, got, tt.want)
			}
		})
	}
}

// TestRealFormats reads the metadata of every legacy Office file of the
// shared corpus: none may fail to open (except files that are not
// compound files at all), and most carry some metadata.
func TestRealFormats(t *testing.T) {
	root := sharedCorpus(t)
	var files []string
	filepath.WalkDir(filepath.Join(root, "real-formats"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			switch strings.ToLower(filepath.Ext(p)) {
			case ".doc", ".xls", ".ppt":
				files = append(files, p)
			}
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no .doc/.xls/.ppt under real-formats")
	}
	ole2, withMeta := 0, 0
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), string(ole.Signature)) {
			continue // an XML or RTF file named .doc
		}
		ole2++
		info, err := ole.Inspect(p)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
			continue
		}
		if len(info.Meta) > 0 {
			withMeta++
		}
	}
	t.Logf("legacy metadata: %d of %d compound files (%d files named .doc/.xls/.ppt)", withMeta, ole2, len(files))
	if withMeta*10 < ole2*8 {
		t.Errorf("metadata for only %d of %d compound files", withMeta, ole2)
	}
}

func sharedCorpus(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			testenv.MissingCorpus(t, "module root not found")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(c); err != nil {
		testenv.MissingCorpus(t, "shared corpus absent (%v)", err)
	}
	return c
}

func FuzzPropertySet(f *testing.F) {
	s := summarySection(936, "机密", "张")
	s.Encoding = simplifiedchinese.GBK
	f.Add(oletest.PropertySet(s))
	f.Add(oletest.PropertySet(oletest.Section{FMTID: ole.FMTIDDocSummary, Props: []oletest.Prop{
		{ID: 15, Type: ole.VTLPWSTR, Value: "Acme"}, {ID: 13, Value: []string{"a", "b"}},
	}}))
	f.Add([]byte{0xfe, 0xff, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		sets, _ := ole.ParsePropertySets(b)
		for _, ps := range sets {
			for id, v := range ps.Props {
				if !utf8Valid(v.Str) {
					t.Fatalf("property %d: invalid UTF-8 %q", id, v.Str)
				}
				if len(v.Str) > 4<<20 || len(v.Strings) > 1024 {
					t.Fatalf("property %d: output over limits", id)
				}
				for _, s := range v.Strings {
					if !utf8Valid(s) {
						t.Fatalf("property %d: invalid UTF-8 in vector", id)
					}
				}
			}
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }
