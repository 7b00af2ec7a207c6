package server

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/leakscope/leakscope/internal/browsertest"
)

// TestBrowserLogin logs in and out with real Chromium, which sends the
// Origin and Sec-Fetch-Site headers the cross-origin check reads: the
// same-origin form posts must pass it, and no cookie may be visible to
// scripts.
func TestBrowserLogin(t *testing.T) {
	ctx := browsertest.Chromium(t)
	s, err := New(Options{Backend: newMemBackend(t), Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler),
		CaseName: "fixture", Users: anaUsers(t)})
	if err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, s.ListenAndServe)

	// A page asked for before login comes back after it, through next.
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/targets"), chromedp.WaitVisible(`form.login`)))
	if loc := eval[string](t, ctx, `location.pathname + location.search`); loc != "/login?next=%2Ftargets" {
		t.Errorf("redirected to %q", loc)
	}
	must(t, chromedp.Do(ctx,
		chromedp.SendKeys(`input[name="user"]`, "ana"),
		chromedp.SendKeys(`input[name="password"]`, "correct horse"),
		chromedp.Submit(`form.login`),
		chromedp.WaitVisible("#targets")))
	if p := eval[string](t, ctx, `location.pathname`); p != "/targets" {
		t.Errorf("after login at %q, want /targets", p)
	}
	if c := eval[string](t, ctx, `document.cookie`); c != "" {
		t.Errorf("document.cookie = %q: a cookie is readable by scripts", c)
	}
	must(t, chromedp.Do(ctx, chromedp.Submit(`form.logout`), chromedp.WaitVisible(`form.login`)))
	// The session is gone on the server: the page asks for a login again.
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/targets"), chromedp.WaitVisible(`form.login`)))
	if body := eval[string](t, ctx, `document.body.textContent`); strings.Contains(body, "Log out ana") {
		t.Errorf("still logged in after logout")
	}
}
