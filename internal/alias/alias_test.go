package alias

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAddMergesEntriesThatShareASpelling(t *testing.T) {
	tests := []struct {
		name string
		adds [][]string
		want [][]string
	}{
		{"two spellings", [][]string{{"卡斯特拉诺航运", "Castellano Shipping"}}, [][]string{{"卡斯特拉诺航运", "Castellano Shipping"}}},
		{"a shared spelling merges", [][]string{{"卡斯特拉诺航运", "Castellano Shipping"}, {"castellano  shipping", "CSL"}},
			[][]string{{"卡斯特拉诺航运", "Castellano Shipping", "CSL"}}},
		{"unrelated entries stay apart", [][]string{{"卡斯特拉诺航运", "Castellano Shipping"}, {"诺德哈文港务局", "Nordhavn Harbour Board"}},
			[][]string{{"卡斯特拉诺航运", "Castellano Shipping"}, {"诺德哈文港务局", "Nordhavn Harbour Board"}}},
		{"blank names are ignored", [][]string{{" ", "Castellano Shipping"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Memory
			for _, a := range tt.adds {
				m.Add(a, "")
			}
			if diff := cmp.Diff(tt.want, m.Groups()); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestRemove(t *testing.T) {
	var m Memory
	m.Add([]string{"卡斯特拉诺航运", "Castellano Shipping", "CSL"}, "it")
	if err := m.Remove("csl"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{{"卡斯特拉诺航运", "Castellano Shipping"}}, m.Groups()); diff != "" {
		t.Errorf("after removing one spelling (-want +got)\n%s", diff)
	}
	if err := m.Remove("Castellano Shipping"); err != nil {
		t.Fatal(err)
	}
	if len(m.Entries) != 0 {
		t.Errorf("an entry with one spelling left is kept: %+v", m.Entries)
	}
	if err := m.Remove("Nordhavn"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Remove of an unknown name: %v, want ErrNotFound", err)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	empty, err := Load(dir)
	if err != nil || len(empty.Entries) != 0 {
		t.Fatalf("Load of a case without a glossary = %+v, %v", empty, err)
	}
	var m Memory
	m.Add([]string{"卡斯特拉诺航运", "Castellano Shipping"}, "it")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, *got); diff != "" {
		t.Errorf("(-saved +loaded)\n%s", diff)
	}
	var buf bytes.Buffer
	if err := got.Write(&buf); err != nil {
		t.Fatal(err)
	}
	again, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, *again); diff != "" {
		t.Errorf("export and import (-want +got)\n%s", diff)
	}
	if _, err := Read(bytes.NewReader([]byte("{not json"))); err == nil {
		t.Error("Read of a broken file succeeds")
	}
}
