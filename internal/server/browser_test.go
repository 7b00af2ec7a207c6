package server

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/browsertest"
)

// browser starts the server on a real loopback port and a fresh headless
// Chromium; it skips when Chromium is not installed or with -short.
func browser(t *testing.T) (context.Context, string) {
	t.Helper()
	ctx := browsertest.Chromium(t)
	s, err := New(Options{Backend: newMemBackend(t), Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), CaseName: "fixture"})
	if err != nil {
		t.Fatal(err)
	}
	return ctx, browsertest.Serve(t, s.ListenAndServe)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
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

// waitJS evaluates a JavaScript predicate until it is true or the time is
// up. It tolerates the page navigating in between (submitting the search
// form does), which makes chromedp's Poll fail.
func waitJS(ctx context.Context, expr string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

func TestBrowser(t *testing.T) {
	ctx, base := browser(t)

	t.Run("search, open a document, read its translation", func(t *testing.T) {
		must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#q")))
		// "/" focuses the search box from anywhere on the page.
		must(t, chromedp.Do(ctx, chromedp.Click("#main"), chromedp.KeyEvent("/")))
		if id := eval[string](t, ctx, `document.activeElement.id`); id != "q" {
			t.Fatalf("after /, focus is on %q, want q", id)
		}
		// Typing searches as it goes, so wait for the results of the whole
		// query rather than the first ones shown (a loaded machine is slow).
		must(t, chromedp.Do(ctx, chromedp.SendKeys("#q", "目标清单\n"), chromedp.WaitVisible("#hits .result")))
		if !waitJS(ctx, `document.querySelectorAll('#hits .result').length === 2 && document.querySelector('#hits .snippet mark') !== null`, 15*time.Second) {
			n := eval[int](t, ctx, `document.querySelectorAll('#hits .result').length`)
			t.Fatalf("%d results for 目标清单, want 2", n)
		}
		if m := eval[string](t, ctx, `document.querySelector('#hits .snippet mark').textContent`); m != "目标清单" {
			t.Errorf("highlight = %q", m)
		}
		// j selects the first result, Enter opens it.
		must(t, chromedp.Do(ctx, chromedp.Click("#summary"), chromedp.KeyEvent("j")))
		if n := eval[int](t, ctx, `document.querySelectorAll('.result.selected').length`); n != 1 {
			t.Fatalf("after j, %d selected results", n)
		}
		must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/?q="+"Presidential"), chromedp.WaitVisible("#hits .result a.title"),
			chromedp.Click("#hits .result a.title"), chromedp.WaitVisible("#translation")))
		tr := eval[string](t, ctx, `document.querySelector('#translation pre').textContent`)
		orig := eval[string](t, ctx, `document.querySelector('#original pre').textContent`)
		if !strings.Contains(tr, "Presidential Interior Ministry") || !strings.Contains(orig, "总统府内政部") {
			t.Errorf("side by side: original %q, translation %q", orig, tr)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll('#original mark.ent').length`); n != 2 {
			t.Errorf("%d entities highlighted, want 2", n)
		}
	})

	t.Run("target table sorted and filtered", func(t *testing.T) {
		must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/targets"), chromedp.WaitVisible("#targets"),
			chromedp.Click(`th[data-key="volume"] a`), chromedp.WaitVisible(`#targets`)))
		names := func() []string {
			return eval[[]string](t, ctx, `Array.from(document.querySelectorAll('tr.target')).filter(r => !r.hidden).map(r => r.querySelector('td.name').firstChild.textContent.trim())`)
		}
		// One click sorts ascending; a second, descending.
		must(t, chromedp.Do(ctx, chromedp.Click(`th[data-key="volume"] a`), chromedp.WaitVisible(`#targets`)))
		if loc := eval[string](t, ctx, `location.search`); !strings.Contains(loc, "dir=desc") {
			t.Fatalf("after two clicks location is %q", loc)
		}
		want := []string{"Immigration Bureau", "Presidential Interior Ministry", "Apollo Hospitals", "=HYPERLINK(\"x\")"}
		if diff := cmp.Diff(want, names()); diff != "" {
			t.Errorf("sorted by volume (-want +got):\n%s", diff)
		}
		must(t, chromedp.Do(ctx, chromedp.SendKeys("#target-filter", "hosp")))
		if diff := cmp.Diff([]string{"Apollo Hospitals"}, names()); diff != "" {
			t.Errorf("filtered (-want +got):\n%s", diff)
		}
	})

	t.Run("chat thread shown with translations", func(t *testing.T) {
		must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/chats"), chromedp.WaitVisible("#conversations"),
			chromedp.Click(`#conversations a[href="/chats/conv-1"]`), chromedp.WaitVisible("#thread .msg")))
		got := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#thread .msg')).map(m => m.querySelector('.sender').textContent + ': ' + m.querySelector('.body').textContent + ' / ' + m.querySelector('.tr').textContent)`)
		want := []string{
			"张三: 明天把护照数据发过来 / Send the passport data tomorrow",
			"李四: 好的，已经打包。<b>bold?</b> / OK, already packed.",
			"王五: NATO 的资料呢？ / What about the NATO material?",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("thread (-want +got):\n%s", diff)
		}
		if mine := eval[string](t, ctx, `document.querySelector('.msg.mine .sender').textContent`); mine != "李四" {
			t.Errorf("owner's messages on the right: %q", mine)
		}
		must(t, chromedp.Do(ctx, chromedp.Click("#toggle-tr")))
		if vis := eval[bool](t, ctx, `getComputedStyle(document.querySelector('.bubble .tr')).display !== 'none'`); vis {
			t.Errorf("translations still visible after toggle")
		}
	})

	t.Run("world map shaded and a click filters the table", func(t *testing.T) {
		must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/targets"), chromedp.WaitVisible("#worldmap")))
		shaded := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#worldmap path.country:not(.lvl0)')).map(p => p.dataset.code + ':' + p.dataset.count)`)
		if diff := cmp.Diff([]string{"IN:2", "KZ:1"}, shaded); diff != "" {
			t.Errorf("shaded (-want +got):\n%s", diff)
		}
		if intl := eval[string](t, ctx, `document.querySelector('#intl ul.intl:last-of-type').textContent`); !strings.Contains(intl, `=HYPERLINK("x")`) {
			t.Errorf("international bodies beside the map: %q", intl)
		}
		xy := eval[[]float64](t, ctx, `(() => {
  const p = document.querySelector('#worldmap path[data-code="IN"]'), b = p.getBBox(), svg = p.ownerSVGElement, m = p.getScreenCTM();
  for (let i = 1; i < 24; i++) for (let j = 1; j < 24; j++) {
    const pt = svg.createSVGPoint(); pt.x = b.x + b.width * i / 24; pt.y = b.y + b.height * j / 24;
    if (p.isPointInFill(pt)) { const s = pt.matrixTransform(m); return [s.x, s.y]; }
  }
  return [];
})()`)
		if len(xy) != 2 {
			t.Fatal("no point inside India on the map")
		}
		must(t, chromedp.Do(ctx, chromedp.MouseClickXY(xy[0], xy[1]), chromedp.WaitVisible("#clear-country")))
		names := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('tr.target td.name')).map(td => td.firstChild.textContent.trim())`)
		if diff := cmp.Diff([]string{"Apollo Hospitals", "Immigration Bureau"}, names); diff != "" {
			t.Errorf("after clicking India (-want +got):\n%s", diff)
		}
	})

	t.Run("pdf page preview loads", func(t *testing.T) {
		must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/doc/"+idEN), chromedp.WaitVisible("#pages img")))
		ok, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const i = document.querySelector('#pages img'); return i.complete && i.naturalWidth === 40 })()`, chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil || !ok {
			t.Errorf("page image not loaded: %v", err)
		}
	})

	t.Run("xss probe never executes", func(t *testing.T) {
		for _, p := range []string{"/doc/" + idProbe, "/?q=probe", "/?q=" + "%22%3E%3Cscript%3Edocument.title%3D%27XSS-PROBE-EXECUTED-11%27%3C%2Fscript%3E"} {
			must(t, chromedp.Do(ctx, chromedp.Navigate(base+p), chromedp.WaitVisible("#main")))
			if strings.HasPrefix(p, "/doc/") {
				must(t, chromedp.Do(ctx, chromedp.WaitVisible("iframe.sandboxed")))
				// Give onload/onerror handlers in the frame time to fire if they could.
				time.Sleep(500 * time.Millisecond)
				if sb := eval[string](t, ctx, `document.querySelector('iframe.sandboxed').getAttribute('sandbox')`); sb != "" {
					t.Errorf("iframe sandbox = %q, want empty (no permissions)", sb)
				}
				// The frame is cross-origin to us (no allow-same-origin): its
				// document is not reachable, so nothing in it can reach ours.
				if reach := eval[bool](t, ctx, `(() => { try { return document.querySelector('iframe.sandboxed').contentDocument !== null } catch (e) { return false } })()`); reach {
					t.Errorf("sandboxed frame document reachable from the page")
				}
			}
			title := eval[string](t, ctx, `document.title`)
			marker := eval[string](t, ctx, `typeof window.__xss_probe`)
			if strings.Contains(title, "XSS-PROBE") || marker != "undefined" {
				t.Errorf("%s: script ran: title %q, window.__xss_probe %s", p, title, marker)
			}
		}
		// The leaked text is visible as text.
		must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/doc/"+idProbe), chromedp.WaitVisible("#original")))
		if txt := eval[string](t, ctx, `document.querySelector('#original pre').textContent`); !strings.Contains(txt, "<script>document.title='XSS-PROBE-EXECUTED-9'</script>") {
			t.Errorf("probe text not shown literally: %q", txt)
		}
	})
}

// TestScreenshots saves a PNG of every page into $LEAKSCOPE_SCREENSHOTS
// (make screenshots); it is skipped when the variable is unset.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("LEAKSCOPE_SCREENSHOTS")
	if dir == "" {
		t.Skip("set LEAKSCOPE_SCREENSHOTS=dir to save screenshots")
	}
	ctx, base := browser(t)
	must(t, os.MkdirAll(dir, 0o755))
	pages := []struct{ name, path string }{
		{"search", "/?q=" + "目标清单"},
		{"document-pdf", "/doc/" + idEN},
		{"timeline", "/timeline"},
		{"document", "/doc/" + idZH},
		{"document-image", "/doc/" + idPNG},
		{"document-html-probe", "/doc/" + idProbe},
		{"targets", "/targets?sort=volume&dir=desc"},
		{"overview", "/overview"},
		{"entities", "/entities"},
		{"chats", "/chats"},
		{"chat", "/chats/conv-1"},
		{"graph", "/graph"},
	}
	for _, p := range pages {
		must(t, chromedp.Do(ctx, chromedp.Navigate(base+p.path), chromedp.WaitVisible("#main")))
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		must(t, err)
		out := filepath.Join(dir, p.name+".png")
		must(t, os.WriteFile(out, png, 0o644))
		t.Logf("wrote %s", out)
	}
}
