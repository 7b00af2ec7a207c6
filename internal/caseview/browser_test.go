package caseview

import (
	"context"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/leakscope/leakscope/internal/server"
)

// browser serves the demo case on a loopback port and starts a headless
// Chromium; it skips with -short or when Chromium is not installed.
func browser(t *testing.T) (context.Context, string, *demoCase) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests skipped with -short")
	}
	exe := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		t.Skip("no chromium installed")
	}
	d := theDemo(t)
	s, err := server.New(server.Options{Backend: New(d.c, d.idx, nil), Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), CaseName: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- s.ListenAndServe(ctx, func(a string) { addrc <- a }) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	actx, acancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()))
	bctx, bcancel := chromedp.NewContext(actx)
	tctx, tcancel := context.WithTimeout(bctx, 60*time.Second)
	t.Cleanup(func() { tcancel(); bcancel(); acancel() })
	if err := chromedp.Do(tctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return tctx, "http://" + addr, d
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// TestBrowserDemo drives the UI over the real demo case the way a new
// user does after `make demo`.
func TestBrowserDemo(t *testing.T) {
	ctx, base, d := browser(t)
	vietnam := d.manifest.Truth.Targets[0]

	t.Run("search in chinese, open a document, read its translation", func(t *testing.T) {
		run(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#q"),
			chromedp.SendKeys("#q", "kind:document "+vietnam.NamesZH[0]+"\n"),
			// The empty query lists everything: wait for highlighted
			// matches, which only the submitted query's page has.
			chromedp.WaitVisible("#hits .snippet mark"))
		if n := eval[int](t, ctx, `document.querySelectorAll('#hits .result').length`); n < 3 {
			t.Errorf("%d results for %s", n, vietnam.NamesZH[0])
		}
		if m := eval[string](t, ctx, `document.querySelector('#hits .snippet mark').textContent`); m == "" || !strings.Contains(vietnam.NamesZH[0], m) {
			t.Errorf("highlighted %q, want (part of) %q", m, vietnam.NamesZH[0])
		}
		// Open the CSV target list (Chinese), which has a translation.
		sel := `#hits .result[data-id="` + d.resolve(t, "业务/目标清单_2021.csv") + `"] a.title`
		run(t, ctx, chromedp.Click(sel), chromedp.WaitVisible("#translation"))
		orig := eval[string](t, ctx, `document.querySelector('#original pre').textContent`)
		tr := eval[string](t, ctx, `document.querySelector('#translation pre').textContent`)
		if !strings.Contains(orig, vietnam.NamesZH[0]) || !strings.Contains(tr, "Vietnam") {
			t.Errorf("side by side: original has target %v, translation has Vietnam %v:\n%.400s", strings.Contains(orig, vietnam.NamesZH[0]), strings.Contains(tr, "Vietnam"), tr)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll('#original mark.ent').length`); n == 0 {
			t.Errorf("no entity highlighted in the original")
		}
	})

	t.Run("search in english", func(t *testing.T) {
		run(t, ctx, chromedp.Navigate(base+"/?q="+url.QueryEscape(`"Andes Mobile"`)), chromedp.WaitVisible("#hits .result"))
		paths := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#hits .result a.title')).map(a => a.textContent)`)
		if !contains(paths, "业务/Quarterly_Report_2022Q1.pdf") {
			t.Errorf("English search hits %q lack the quarterly report", paths)
		}
	})

	t.Run("target table sorted by volume", func(t *testing.T) {
		run(t, ctx, chromedp.Navigate(base+"/targets"), chromedp.WaitVisible("#targets"),
			chromedp.Click(`th[data-key="volume"] a`), chromedp.WaitVisible("#targets"),
			chromedp.Click(`th[data-key="volume"] a`), chromedp.WaitVisible("#targets"))
		if loc := eval[string](t, ctx, `location.search`); !strings.Contains(loc, "dir=desc") {
			t.Fatalf("after two clicks location is %q", loc)
		}
		vols := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('tr.target td.num[data-sort]')).map(td => td.dataset.sort)`)
		if len(vols) < 2 {
			t.Fatalf("%d target rows", len(vols))
		}
		for i := 1; i < len(vols); i++ {
			a, _ := strconv.ParseInt(vols[i-1], 10, 64)
			b, _ := strconv.ParseInt(vols[i], 10, 64)
			if a < b {
				t.Errorf("volumes not descending: %q", vols)
				break
			}
		}
		// Evidence links open the document.
		run(t, ctx, chromedp.Click(`tr.target details summary`), chromedp.Click(`tr.target ul.evidence a`), chromedp.WaitVisible("#original"))
	})

	t.Run("chat thread shown with translations", func(t *testing.T) {
		run(t, ctx, chromedp.Navigate(base+"/chats"), chromedp.WaitVisible("#conversations"))
		var conv string
		for _, c := range d.manifest.Truth.Chats.Conversations {
			if c.Shape == "text-md" {
				conv = c.File
			}
		}
		href := eval[string](t, ctx, `Array.from(document.querySelectorAll('#conversations a[href^="/chats/"]')).map(a => a.getAttribute('href'))[0]`)
		if href == "" {
			t.Fatal("no conversation link")
		}
		b := New(d.c, d.idx, nil)
		ch, err := b.Chats(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range ch.Conversations {
			if c.Source == conv {
				href = "/chats/" + c.ID
			}
		}
		run(t, ctx, chromedp.Click(`#conversations a[href="`+href+`"]`), chromedp.WaitVisible("#thread .msg"))
		n := eval[int](t, ctx, `document.querySelectorAll('#thread .msg').length`)
		tr := eval[int](t, ctx, `document.querySelectorAll('#thread .msg .tr').length`)
		senders := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#thread .msg .sender')).map(s => s.textContent)`)
		if n < 5 || tr == 0 || senders[0] == "" {
			t.Errorf("thread of %s: %d messages, %d translated, senders %q", conv, n, tr, senders)
		}
	})

	t.Run("the demo's script-bearing page never runs", func(t *testing.T) {
		id := d.resolve(t, "misc/preview.html")
		for _, p := range []string{"/doc/" + id, "/?q=" + url.QueryEscape("DEMO-XSS"), "/?q=" + url.QueryEscape(`"><script>document.title='DEMO-XSS'</script>`)} {
			run(t, ctx, chromedp.Navigate(base+p), chromedp.WaitVisible("#main"))
			if strings.HasPrefix(p, "/doc/") {
				run(t, ctx, chromedp.WaitVisible("iframe.sandboxed"))
				time.Sleep(300 * time.Millisecond) // time for a script to run if it could
				if sb := eval[string](t, ctx, `document.querySelector('iframe.sandboxed').getAttribute('sandbox')`); sb != "" {
					t.Errorf("iframe sandbox = %q, want empty", sb)
				}
				if txt := eval[string](t, ctx, `document.querySelector('#original pre').textContent`); !strings.Contains(txt, "Harmless demo page") {
					t.Errorf("page text not shown: %q", txt)
				}
			}
			if title := eval[string](t, ctx, `document.title`); strings.Contains(title, "DEMO-XSS") {
				t.Errorf("%s: script ran, title %q", p, title)
			}
		}
	})
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// TestScreenshots saves a PNG of every page of the demo case into
// $LEAKSCOPE_SCREENSHOTS; it is skipped when the variable is unset.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("LEAKSCOPE_SCREENSHOTS")
	if dir == "" {
		t.Skip("set LEAKSCOPE_SCREENSHOTS=dir to save screenshots")
	}
	ctx, base, d := browser(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := New(d.c, d.idx, nil)
	ch, err := b.Chats(t.Context())
	if err != nil || len(ch.Conversations) == 0 {
		t.Fatalf("chats: %v", err)
	}
	pages := []struct{ name, path string }{
		{"search", "/?q=" + url.QueryEscape(d.manifest.Truth.Targets[0].NamesZH[0])},
		{"document", "/doc/" + d.resolve(t, "业务/目标清单_2021.csv")},
		{"document-image", "/doc/" + d.resolve(t, "screenshots/微信图片_20210604211800.png")},
		{"document-html-probe", "/doc/" + d.resolve(t, "misc/preview.html")},
		{"targets", "/targets?sort=volume&dir=desc"},
		{"overview", "/overview"},
		{"entities", "/entities"},
		{"chats", "/chats"},
		{"chat", "/chats/" + ch.Conversations[0].ID},
		{"graph", "/graph"},
	}
	for _, p := range pages {
		run(t, ctx, chromedp.Navigate(base+p.path), chromedp.WaitVisible("#main"))
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, p.name+".png")
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", out)
	}
}
