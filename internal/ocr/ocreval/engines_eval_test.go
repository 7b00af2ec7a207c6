package ocreval

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/extract"
	imgx "github.com/leakscope/leakscope/internal/extract/image"
	"github.com/leakscope/leakscope/internal/extract/pdf"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/ocr/paddle"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/testenv"
)

// EnginesEnv opts in to TestEvalEngines (make eval sets it): both engines
// over both corpora take minutes.
const EnginesEnv = "LEAKSCOPE_EVAL_ENGINES"

// engineRow is one file's score under one engine.
type engineRow struct {
	sample, path, kind string
	s                  Score
	pages              int
	dur                time.Duration
}

// TestEvalEngines scores both OCR engines (LEAKSCOPE_EVAL_ONLY=paddle or
// tesseract runs one), in one run, on the top-level
// OCR-required files of leak-sample and leak-sample-2: CER and character
// recall per image kind, pages per second per core (each engine's files
// run on NumCPU workers, the ingest's shape; also per CPU second, which
// a machine shared with other work does not distort), and peak RSS (the test
// process holds paddle; tesseract runs as child processes). It fails when
// the default engine's mean CER on either sample is over 0.06, or when it
// finds no files.
func TestEvalEngines(t *testing.T) {
	if os.Getenv(EnginesEnv) != "1" {
		t.Skip("set " + EnginesEnv + "=1 (make eval) to score both OCR engines")
	}
	c := corpusDir(t)
	testenv.NeedTool(t, "tesseract", "pdftoppm", "pdftotext", "pdfinfo")
	if _, err := paddle.Find(); err != nil {
		testenv.Missing(t, "%v", err)
	}
	var params paddle.Params
	// LEAKSCOPE_EVAL_DET_SIDE tries another detector input bound.
	if v, err := strconv.Atoi(os.Getenv("LEAKSCOPE_EVAL_DET_SIDE")); err == nil {
		params.DetMaxSide = v
	}
	engines := []ocr.Recognizer{paddle.New(paddle.Options{Params: params}), ocr.New(ocr.Options{})}
	var report strings.Builder
	for _, sample := range []string{"leak-sample", "leak-sample-2"} {
		files := ocrFiles(t, c, sample)
		for _, eng := range engines {
			if only := os.Getenv("LEAKSCOPE_EVAL_ONLY"); only != "" && only != eng.Name() {
				continue
			}
			if _, err := eng.Ready(t.Context()); err != nil {
				t.Fatalf("%s: %v", eng.Name(), err)
			}
			start, cpu0 := time.Now(), cpuTime()
			rows := runEngine(t, eng, c, sample, files)
			wall, cpu := time.Since(start), cpuTime()-cpu0
			meanCER := summarise(&report, sample, eng.Name(), rows, wall, cpu)
			if eng.Name() == ocr.EnginePaddle && meanCER > 0.06 {
				t.Errorf("%s: default engine mean CER %.3f > 0.06", sample, meanCER)
			}
		}
	}
	// The children's figure is not reported: a forked child's peak
	// counts the parent's pages it shared before exec.
	var self syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	fmt.Fprintf(&report, "peak RSS of the eval process (paddle in process, tesseract's image preparation): %d MB\n",
		self.Maxrss/1024)
	t.Log("\n" + report.String())
	if out := os.Getenv("LEAKSCOPE_EVAL_REPORT"); out != "" {
		if err := os.WriteFile(out, []byte(report.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}

// ocrFiles lists the top-level OCR-required files of a sample's truth
// (archive members are byte copies of top-level files).
func ocrFiles(t *testing.T, corpus, sample string) []truthFile {
	b, err := os.ReadFile(filepath.Join(corpus, sample+".truth.json"))
	if err != nil {
		testenv.MissingCorpus(t, "%s: %v", sample, err)
	}
	var truth struct{ Files []truthFile }
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	var out []truthFile
	for _, f := range truth.Files {
		if f.OCRRequired && f.Container == "" {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: no OCR-required files in the truth", sample)
	}
	return out
}

// runEngine extracts every file with eng on NumCPU workers.
func runEngine(t *testing.T, eng ocr.Recognizer, corpus, sample string, files []truthFile) []engineRow {
	ix := imgx.New(imgx.Options{OCR: eng})
	px := pdf.New(pdf.Options{OCR: eng})
	var (
		mu   sync.Mutex
		rows []engineRow
		wg   sync.WaitGroup
	)
	work := make(chan truthFile)
	for range runtime.NumCPU() {
		wg.Go(func() {
			for f := range work {
				file := filepath.Join(corpus, sample, filepath.FromSlash(f.Path))
				mime, err := sniff.File(file, filepath.Base(f.Path))
				if err != nil {
					t.Error(err)
					continue
				}
				in := &extract.Input{File: file, Name: f.Path, MIME: mime, Limits: leak.DefaultLimits(),
					Log: discard(), TempDir: t.TempDir()}
				var x extract.Extractor = ix
				if mime == sniff.PDF {
					x = px
				}
				s := &sink{}
				start := time.Now()
				if err := x.Extract(t.Context(), in, s); err != nil {
					t.Errorf("%s %s: %v", eng.Name(), f.Path, err)
					continue
				}
				var text []string
				for _, p := range s.pages {
					text = append(text, p.Text)
				}
				mu.Lock()
				rows = append(rows, engineRow{sample, f.Path, f.Format, Compare(f.OCRText, strings.Join(text, "\n")), len(s.pages), time.Since(start)})
				mu.Unlock()
			}
		})
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	return rows
}

// summarise writes per-file and per-kind scores and the throughput, and
// returns the mean CER.
func summarise(w *strings.Builder, sample, engine string, rows []engineRow, wall, cpu time.Duration) float64 {
	sort.Slice(rows, func(i, j int) bool { return rows[i].kind+rows[i].path < rows[j].kind+rows[j].path })
	type agg struct {
		n           int
		cer, recall float64
	}
	byKind := map[string]*agg{}
	var all agg
	pages := 0
	for _, r := range rows {
		fmt.Fprintf(w, "  %-9s %-13s %-16s cer %.3f recall %.3f %5.1fs  %s\n", engine, sample, r.kind, r.s.CER, r.s.Recall, r.dur.Seconds(), r.path)
		a := byKind[r.kind]
		if a == nil {
			a = &agg{}
			byKind[r.kind] = a
		}
		a.n++
		a.cer += r.s.CER
		a.recall += r.s.Recall
		all.n++
		all.cer += r.s.CER
		all.recall += r.s.Recall
		pages += r.pages
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		a := byKind[k]
		fmt.Fprintf(w, "%-9s %-13s kind %-16s n=%2d mean cer %.3f recall %.3f\n", engine, sample, k, a.n, a.cer/float64(a.n), a.recall/float64(a.n))
	}
	if all.n == 0 {
		return 1
	}
	perCore := float64(pages) / wall.Seconds() / float64(runtime.NumCPU())
	fmt.Fprintf(w, "%-9s %-13s ALL n=%d mean cer %.3f recall %.3f; %d pages in %s wall on %d cores (%.3f pages/s/core), %s CPU: %.3f pages per CPU second\n",
		engine, sample, all.n, all.cer/float64(all.n), all.recall/float64(all.n), pages, wall.Round(time.Millisecond),
		runtime.NumCPU(), perCore, cpu.Round(time.Millisecond), float64(pages)/cpu.Seconds())
	return all.cer / float64(all.n)
}

// cpuTime is the CPU time used so far by this process and its waited-for
// children (tesseract, pdftoppm): on a shared machine, pages per CPU
// second is the per-core throughput that wall time cannot show.
func cpuTime() time.Duration {
	var self, kids syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime)
}
