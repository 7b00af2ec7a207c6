package caseview

import (
	"context"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/browsertest"
	"github.com/leakscope/leakscope/internal/server"
)

// browser serves the demo case on a loopback port and starts a headless
// Chromium; it skips with -short or when Chromium is not installed.
func browser(t *testing.T) (context.Context, string, *demoCase) {
	t.Helper()
	ctx := browsertest.Chromium(t)
	d := theDemo(t)
	s, err := server.New(server.Options{Backend: New(d.c, d.idx, nil), Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), CaseName: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	return ctx, browsertest.Serve(t, s.ListenAndServe), d
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

// pointInCountry is JS giving the page coordinates [x, y] of a point
// inside the filled shape of country code on the world map ([] if none),
// so that a test clicks the country as a person would.
func pointInCountry(code string) string {
	return `(() => {
  const p = document.querySelector('#worldmap path[data-code="` + code + `"]');
  if (!p) { return []; }
  p.scrollIntoView({block: "center"});
  const b = p.getBBox(), svg = p.ownerSVGElement, m = p.getScreenCTM();
  for (let i = 1; i < 24; i++) for (let j = 1; j < 24; j++) {
    const pt = svg.createSVGPoint();
    pt.x = b.x + b.width * i / 24; pt.y = b.y + b.height * j / 24;
    if (p.isPointInFill(pt)) { const s = pt.matrixTransform(m); return [s.x, s.y]; }
  }
  return [];
})()`
}

// TestBrowserMapAndPreview checks the world map over the demo's target
// register (targeted countries shaded, a click filters the table) and
// that a PDF page preview is rendered, cached and shown.
func TestBrowserMapAndPreview(t *testing.T) {
	ctx, base, d := browser(t)
	b := New(d.c, d.idx, nil)
	ts, err := b.Targets(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, tg := range ts {
		if len(tg.Country) == 2 {
			per[tg.Country]++
		}
	}
	if len(per) == 0 {
		t.Fatal("the demo has no target with a country")
	}

	t.Run("targeted countries shaded", func(t *testing.T) {
		run(t, ctx, chromedp.Navigate(base+"/targets"), chromedp.WaitVisible("#worldmap"))
		shaded := eval[map[string]string](t, ctx, `Object.fromEntries(Array.from(document.querySelectorAll('#worldmap path.country')).filter(p => !p.classList.contains('lvl0')).map(p => [p.dataset.code, p.dataset.count]))`)
		want := map[string]string{}
		for c, n := range per {
			want[c] = strconv.Itoa(n)
		}
		if diff := cmp.Diff(want, shaded); diff != "" {
			t.Errorf("shaded countries (-want +got):\n%s", diff)
		}
		for c := range per {
			fill := eval[string](t, ctx, `getComputedStyle(document.querySelector('#worldmap path[data-code="`+c+`"]')).fill`)
			plain := eval[string](t, ctx, `getComputedStyle(document.querySelector('#worldmap path.lvl0')).fill`)
			if fill == plain {
				t.Errorf("%s drawn in the untargeted colour %s", c, fill)
			}
		}
	})

	t.Run("click on a country filters the table", func(t *testing.T) {
		country := d.manifest.Truth.Targets[0].Country
		run(t, ctx, chromedp.Navigate(base+"/targets"), chromedp.WaitVisible("#worldmap"))
		xy := eval[[]float64](t, ctx, pointInCountry(country))
		if len(xy) != 2 {
			t.Fatalf("no point inside %s on the map", country)
		}
		run(t, ctx, chromedp.MouseClickXY(xy[0], xy[1]), chromedp.WaitVisible("#clear-country"))
		if loc := eval[string](t, ctx, `location.search`); !strings.Contains(loc, "country="+country) {
			t.Errorf("after the click location is %q", loc)
		}
		got := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('tr.target td.country')).map(td => td.textContent)`)
		if len(got) != per[country] {
			t.Errorf("%d rows after clicking %s, want %d: %q", len(got), country, per[country], got)
		}
		for _, c := range got {
			if c != country {
				t.Errorf("row of %s in the table filtered by %s", c, country)
			}
		}
		if active := eval[string](t, ctx, `document.querySelector('#worldmap path.active').dataset.code`); active != country {
			t.Errorf("highlighted %q, want %s", active, country)
		}
		run(t, ctx, chromedp.Click("#clear-country"), chromedp.WaitNotPresent("#clear-country"))
		if n := eval[int](t, ctx, `document.querySelectorAll('tr.target').length`); n != len(ts) {
			t.Errorf("after show all: %d rows, want %d", n, len(ts))
		}
	})

	t.Run("pdf page preview", func(t *testing.T) {
		id := d.resolve(t, "业务/Quarterly_Report_2022Q1.pdf")
		run(t, ctx, chromedp.Navigate(base+"/doc/"+id), chromedp.WaitVisible("#pages img"))
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](imagesLoaded("#pages img"), chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("page image never loaded: %v", err)
		}
		w := eval[int](t, ctx, `document.querySelector('#pages img').naturalWidth`)
		h := eval[int](t, ctx, `document.querySelector('#pages img').naturalHeight`)
		// An A4 or Letter page at 80 dpi is about 660 x 880-940 pixels.
		if w < 500 || w > 800 || h < w {
			t.Errorf("page image %dx%d, want a portrait page at 80 dpi", w, h)
		}
		ctype, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('#pages img').src).then(r => r.headers.get('content-type') + ' ' + r.headers.get('x-content-type-options'))`, chromedp.EvalAwaitPromise))
		if err != nil || ctype != "image/png nosniff" {
			t.Errorf("page served as %q (%v)", ctype, err)
		}
		if _, err := os.Stat(filepath.Join(d.c.Dir, "previews", id+"-1.png")); err != nil {
			t.Errorf("preview not cached: %v", err)
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

// TestScreenshots saves a 1280x800 PNG of every page of the demo case
// into $LEAKSCOPE_SCREENSHOTS (make screenshots); it is skipped when the
// variable is unset. Each shot waits for what it is meant to show (page
// images decoded, the map drawn) so that no screenshot is half-loaded.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("LEAKSCOPE_SCREENSHOTS")
	if dir == "" {
		t.Skip("set LEAKSCOPE_SCREENSHOTS=dir to save screenshots")
	}
	ctx, base, d := browser(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.EmulateViewport(1280, 800))
	b := New(d.c, d.idx, nil)
	ch, err := b.Chats(t.Context())
	if err != nil || len(ch.Conversations) == 0 {
		t.Fatalf("chats: %v", err)
	}
	// The conversation with the most messages makes the fullest thread.
	conv := ch.Conversations[0]
	for _, c := range ch.Conversations {
		if c.Messages > conv.Messages {
			conv = c
		}
	}
	country := d.manifest.Truth.Targets[0].Country
	pages := []struct {
		name, path string
		wait       string // selector that must be visible
		ready      string // JS that is true once the page is complete
		scroll     string // selector scrolled to the top before the shot
	}{
		{name: "search", path: "/?q=" + url.QueryEscape(d.manifest.Truth.Targets[0].NamesZH[0]), wait: "#hits .result"},
		{name: "document-translation", path: "/doc/" + d.resolve(t, "业务/目标清单_2021.csv"), wait: "#translation"},
		{name: "document-pdf-pages", path: "/doc/" + d.resolve(t, "业务/Quarterly_Report_2022Q1.pdf"), wait: "#pages img",
			ready: imagesLoaded("#pages img")},
		{name: "document-image", path: "/doc/" + d.resolve(t, "screenshots/微信图片_20210604211800.png"), wait: ".preview img",
			ready: imagesLoaded(".preview img")},
		{name: "document-html-probe", path: "/doc/" + d.resolve(t, "misc/preview.html"), wait: "iframe.sandboxed"},
		{name: "targets-map", path: "/targets?sort=volume&dir=desc", wait: "#worldmap"},
		{name: "targets-by-country", path: "/targets?country=" + country, wait: "#targets", scroll: "#intl"},
		{name: "targets-table", path: "/targets?sort=volume&dir=desc", wait: "#targets", scroll: ".tools"},
		{name: "overview-map", path: "/overview", wait: "#worldmap"},
		{name: "overview-charts", path: "/overview", wait: "#chart-sector", scroll: ".charts"},
		{name: "timeline", path: "/timeline", wait: "#timeline"},
		{name: "timeline-documents", path: "/timeline", wait: "#timeline-docs", scroll: "#timeline-docs"},
		{name: "entities", path: "/entities", wait: "#entities"},
		{name: "chats", path: "/chats", wait: "#conversations"},
		{name: "chat-thread", path: "/chats/" + conv.ID, wait: "#thread .msg"},
		{name: "graph-talks", path: "/graph", wait: "#talks"},
		{name: "graph-targets", path: "/graph", wait: "#targeting", scroll: "#targeting"},
	}
	for _, p := range pages {
		run(t, ctx, chromedp.Navigate(base+p.path), chromedp.WaitVisible(p.wait))
		if p.ready != "" {
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](p.ready, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
				t.Fatalf("%s: not ready: %v", p.name, err)
			}
		}
		if p.scroll != "" {
			eval[bool](t, ctx, `document.querySelector(`+strconv.Quote(p.scroll)+`).scrollIntoView({block: "start"}); window.scrollBy(0, -50); true`)
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, p.name+".png")
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d KB)", out, len(png)>>10)
	}
}

// imagesLoaded is JS that is true once every image matched by sel has
// been decoded.
func imagesLoaded(sel string) string {
	return `(() => { const im = Array.from(document.querySelectorAll(` + strconv.Quote(sel) + `)); return im.length > 0 && im.every(i => i.complete && i.naturalWidth > 0) })()`
}
