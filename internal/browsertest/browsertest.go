// Package browsertest runs the UI tests' real parts: a loopback HTTP
// server and Debian's headless Chromium, started with the flags this
// closed network needs (no background networking, no component updates).
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/leakscope/leakscope/internal/testenv"
)

// Serve runs listen (a server's ListenAndServe) until the test ends and
// returns its base URL. listen calls ready with the address it bound.
func Serve(t testing.TB, listen func(ctx context.Context, ready func(addr string)) error) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- listen(ctx, func(a string) { addrc <- a }) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + addr
}

// Chromium starts a headless Chromium for the test, with a fresh profile
// and a 1280x900 viewport, and returns its context (60 s budget). It skips
// with -short or LEAKSCOPE_BROWSER_TESTS=0, and when no Chromium is
// installed (a failure under LEAKSCOPE_STRICT=1).
func Chromium(t testing.TB) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests skipped with -short")
	}
	// scripts/setup.sh installs Chromium unless this is 0, so only then is
	// its absence not a failure under LEAKSCOPE_STRICT=1.
	if os.Getenv("LEAKSCOPE_BROWSER_TESTS") == "0" {
		t.Skip("browser tests disabled (LEAKSCOPE_BROWSER_TESTS=0)")
	}
	exe := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		testenv.Missing(t, "no chromium installed")
	}
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
	return tctx
}
