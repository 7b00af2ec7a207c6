package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestActivityCommands reads the stored links and timeline of the demo
// case through the CLI, and runs analyse on the ingested case.
func TestActivityCommands(t *testing.T) {
	f := theDemoCase(t)
	var tl struct {
		Documents []struct{ ID, Path, Source string } `json:"documents"`
		Messages  []struct {
			Day   string `json:"day"`
			Count int    `json:"count"`
		} `json:"messages"`
	}
	runJSON(t, f.bin, &tl, "timeline", "--case", f.caseDir)
	if len(tl.Documents) == 0 || len(tl.Messages) == 0 {
		t.Errorf("timeline: %d documents, %d message days", len(tl.Documents), len(tl.Messages))
	}
	var links []struct {
		Person, Target string
		Messages       int
	}
	runJSON(t, f.bin, &links, "links", "--case", f.caseDir)
	if len(links) == 0 {
		t.Errorf("no target links in the demo case")
	}
	var a struct {
		Targets       int `json:"targets"`
		Conversations int `json:"conversations"`
	}
	runJSON(t, f.bin, &a, "analyse", "--case", f.caseDir)
	if a.Targets == 0 || a.Conversations == 0 {
		t.Errorf("analyse: %+v", a)
	}
	out, err := exec.Command(f.bin, "timeline", "--case", f.caseDir).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "MESSAGES") {
		t.Errorf("timeline table: %v\n%s", err, out)
	}
}
