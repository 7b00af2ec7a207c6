package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTranslateSelection translates one document by path and reads it
// back side by side: the gloss of a Chinese line names the thing in English.
func TestTranslateSelection(t *testing.T) {
	f := theDemoCase(t)
	var out struct {
		Backend    string `json:"backend"`
		Translated int    `json:"translated"`
	}
	runJSON(t, f.bin, &out, "translate", "--case", f.caseDir, "notes/内网服务器.txt")
	if out.Translated != 1 || !strings.HasPrefix(out.Backend, "gloss") {
		t.Fatalf("translate: %+v", out)
	}
	var side struct {
		Segments []struct {
			Original    string `json:"original"`
			Translation string `json:"translation"`
		} `json:"segments"`
	}
	runJSON(t, f.bin, &side, "text", "--translated", "--case", f.caseDir, "notes/内网服务器.txt")
	if len(side.Segments) == 0 {
		t.Fatal("no segments")
	}
	var found bool
	for _, s := range side.Segments {
		if strings.Contains(s.Original, "服务器") && strings.Contains(strings.ToLower(s.Translation), "server") {
			found = true
		}
	}
	if !found {
		t.Errorf("no segment translates 服务器 as server: %+v", side.Segments)
	}
	err := exec.Command(f.bin, "translate", "--case", f.caseDir, "no/such/path.txt").Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitNotFound {
		t.Errorf("translate of an unknown path: %v, want exit %d", err, exitNotFound)
	}
}
