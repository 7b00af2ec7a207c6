package server

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

func TestPages(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{CaseName: "demo"})
	tests := []struct {
		name     string
		path     string
		status   int
		contains []string
		absent   []string
	}{
		{"search empty", "/", 200, []string{`id="q"`, `data-facet="lang"`, "8 results"}, nil},
		{"search chinese", "/?q=" + url.QueryEscape("目标清单"), 200, []string{"<mark>目标清单</mark>", "业务/2021年境外目标清单.xlsx"}, nil},
		{"search english in translation", "/?q=passport", 200, []string{"/chats/conv-1#", "<mark>passport</mark>"}, nil},
		{"search bilingual with date and sender", "/?q=" + url.QueryEscape("护照") + "&filter=kind:message", 200, []string{"<mark>护照</mark>", `class="snippet translation" lang="en"`, "Send the passport data tomorrow", `<time class="date" datetime="2021-06-03">`, `class="sender">from `}, nil},
		{"search fallback notice", "/?q=" + url.QueryEscape("passport zzqx"), 200, []string{`id="relaxed"`, "no unit has every term"}, nil},
		{"search unknown field", "/?q=" + url.QueryEscape("frm:acme"), 200, []string{`id="query-error"`, "unknown field"}, nil},
		{"search filter toggle", "/?q=&filter=lang:en", 200, []string{"1 results", `class="active"`}, nil},
		{"search bad query", "/?q=" + url.QueryEscape("(a"), 200, []string{`id="query-error"`, "unclosed parenthesis"}, nil},
		{"search bad limit", "/?limit=-3", 400, []string{"limit must be"}, nil},
		{"search probe escaped", "/?q=probe", 200, []string{"&lt;script&gt;"}, []string{"<script>document", "onerror=\"document"}},
		{"document", "/doc/" + idZH, 200, []string{`id="original"`, `id="translation"`, "Presidential Interior Ministry", `<mark class="ent ent-ipv4"`, "archives/x.tar.gz!/d/a.zip", "commit <code>abc123</code>", "misc/目标清单 - 副本.xlsx"}, nil},
		{"document without translation", "/doc/" + idEN, 200, []string{"Penetration Testing"}, []string{`id="translation"`}},
		{"document image preview", "/doc/" + idPNG, 200, []string{`<img src="/doc/` + idPNG + `/blob"`, "截图"}, nil},
		{"document probe sandboxed", "/doc/" + idProbe, 200, []string{`<iframe class="sandboxed" sandbox=""`, "srcdoc=\"&lt;!DOCTYPE html&gt;", "&lt;script&gt;document.title"}, []string{"<script>document", "allow-scripts"}},
		{"document bidi visible", "/doc/" + idBidi, 200, []string{"报告⟦U&#43;202E⟧fdp.exe", "unsupported type"}, []string{"\u202e"}},
		{"document unknown", "/doc/" + strings.Repeat("a", 64), 404, []string{"not found"}, nil},
		{"document bad id", "/doc/xyz", 400, []string{"64 hex digits"}, nil},
		{"targets", "/targets", 200, []string{`id="targets"`, "Presidential Interior Ministry", "5.5 GiB", "/api/v1/targets?format=csv", `href="/doc/` + idZH}, nil},
		{"targets sorted", "/targets?sort=volume&dir=desc", 200, []string{"Volume ▼"}, nil},
		{"targets bad sort", "/targets?sort=x", 400, []string{"sort must be"}, nil},
		{"overview", "/overview", 200, []string{`id="chart-sector"`, `id="chart-year"`, "government", `id="countries"`, `id="worldmap"`, `data-code="KZ" data-count="1"`, "Natural Earth", `href="/targets?country=IN"`, `class="columns"`, "2021: 2"}, nil},
		{"targets map", "/targets", 200, []string{`id="worldmap"`, `class="country lvl5" data-code="IN" data-count="2"`, "India (IN): 2 targets", `id="intl"`, "=HYPERLINK(&#34;x&#34;)", "Show only international bodies"}, []string{"Filtered by"}},
		{"targets by country", "/targets?country=IN&sort=volume", 200, []string{`<td class="name">Immigration Bureau`, `<td class="name">Apollo Hospitals`, "2 of 4", "Filtered by <b>IN</b>", `href="/targets?sort=volume"`, `class="country lvl5 active"`}, []string{`<td class="name">Presidential`}},
		{"targets international", "/targets?country=INT", 200, []string{`<td class="name">=HYPERLINK`}, []string{`<td class="name">Apollo`}},
		{"timeline", "/timeline", 200, []string{`id="timeline"`, "Documents per month", "Presidential Interior Ministry", `id="tl-chats"`, "2021-06-03: 2 messages in 1 conversation(s)", "2021-03", "业务/catalogue.pdf", "3 without any date"}, nil},
		{"document pdf pages", "/doc/" + idEN, 200, []string{`id="pages"`, `src="/doc/` + idEN + `/page/1"`}, []string{`/page/2"`}},
		{"document page image", "/doc/" + idEN + "/page/1", 200, []string{"\x89PNG"}, nil},
		{"document page past the end", "/doc/" + idEN + "/page/9", 404, []string{"not found"}, nil},
		{"document no pages for xlsx", "/doc/" + idZH, 200, nil, []string{`id="pages"`}},
		{"entities", "/entities?type=ipv4", 200, []string{"192.0.2.14"}, []string{"sales@example.com"}},
		{"entities bad type", "/entities?type=bogus", 400, []string{"unknown entity type"}, nil},
		{"chats", "/chats", 200, []string{`id="conversations"`, "项目群", "老张"}, nil},
		{"chat thread", "/chats/conv-1", 200, []string{`id="thread"`, "明天把护照数据发过来", "Send the passport data tomorrow", `class="msg mine"`, "&lt;b&gt;bold?&lt;/b&gt;"}, []string{"<b>bold?"}},
		{"chat unknown", "/chats/nope", 404, []string{"not found"}, nil},
		{"graph", "/graph", 200, []string{`id="graph"`, "<line", "张三", "王五", `id="target-graph"`, `data-person="王五" data-target="=HYPERLINK(&#34;x&#34;)"`, "王五 named =HYPERLINK(&#34;x&#34;) in 1 message(s)"}, nil},
		{"unknown page", "/nothing/here", 404, []string{"not found"}, nil},
		{"static js", "/static/app.js", 200, []string{"keydown"}, nil},
		{"static css", "/static/style.css", 200, []string{"--accent"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, nil, ts.URL+tt.path)
			if resp.StatusCode != tt.status {
				t.Errorf("GET %s = %d, want %d", tt.path, resp.StatusCode, tt.status)
			}
			for _, c := range tt.contains {
				if !strings.Contains(body, c) {
					t.Errorf("GET %s lacks %q", tt.path, c)
				}
			}
			for _, c := range tt.absent {
				if strings.Contains(body, c) {
					t.Errorf("GET %s contains %q", tt.path, c)
				}
			}
			if strings.HasSuffix(resp.Header.Get("Content-Type"), "html; charset=utf-8") && strings.Contains(body, "<script>") {
				t.Errorf("GET %s has an inline script", tt.path)
			}
		})
	}
}

func TestNonLoopbackNeedsAuth(t *testing.T) {
	be := newMemBackend(t)
	tests := []struct {
		name    string
		opts    Options
		wantErr bool
	}{
		{"default loopback", Options{}, false},
		{"localhost", Options{Addr: "localhost:9000"}, false},
		{"ipv6 loopback", Options{Addr: "[::1]:9000"}, false},
		{"all interfaces without auth", Options{Addr: "0.0.0.0:8080"}, true},
		{"lan without auth", Options{Addr: "192.168.1.5:8080"}, true},
		{"empty host without auth", Options{Addr: ":8080"}, true},
		{"all interfaces with tokens", Options{Addr: "0.0.0.0:8080", Tokens: []string{HashToken("x")}}, false},
		{"bad address", Options{Addr: "nonsense"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Backend = be
			_, err := New(tt.opts)
			if (err != nil) != tt.wantErr {
				t.Errorf("New(%q) error = %v, want error %v", tt.opts.Addr, err, tt.wantErr)
			}
		})
	}
}

func TestAuth(t *testing.T) {
	hash, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	token, _ := NewToken()
	_, ts, _ := newTestServer(t, Options{Users: map[string]string{"ana": hash}, Tokens: []string{HashToken(token)}})
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// Without credentials: the API is 401, pages redirect to the login.
	if resp, _ := get(t, noRedirect, ts.URL+"/api/v1/stats"); resp.StatusCode != 401 {
		t.Errorf("API without auth = %d, want 401", resp.StatusCode)
	}
	if resp, _ := get(t, noRedirect, ts.URL+"/targets"); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
		t.Errorf("page without auth = %d %q, want redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
	// A bearer token works for the API; a wrong one does not.
	for _, tc := range []struct {
		tok  string
		want int
	}{{token, 200}, {"wrong", 401}} {
		req, _ := http.NewRequest("GET", ts.URL+"/api/v1/stats", nil)
		req.Header.Set("Authorization", "Bearer "+tc.tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("token %q: status %d, want %d", tc.tok, resp.StatusCode, tc.want)
		}
	}

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: noRedirect.CheckRedirect}
	get(t, c, ts.URL+"/login") // sets the CSRF cookie
	var csrf string
	u, _ := url.Parse(ts.URL)
	for _, ck := range jar.Cookies(u) {
		if ck.Name == csrfCookie {
			csrf = ck.Value
		}
	}
	if csrf == "" {
		t.Fatal("no CSRF cookie after GET /login")
	}
	post := func(form url.Values) *http.Response {
		resp, err := c.PostForm(ts.URL+"/login", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post(url.Values{"user": {"ana"}, "password": {"correct horse"}}); resp.StatusCode != 403 {
		t.Errorf("login without CSRF token = %d, want 403", resp.StatusCode)
	}
	if resp := post(url.Values{"user": {"ana"}, "password": {"wrong"}, "csrf": {csrf}}); resp.StatusCode != 401 {
		t.Errorf("login with a wrong password = %d, want 401", resp.StatusCode)
	}
	if resp := post(url.Values{"user": {"ana"}, "password": {"correct horse"}, "csrf": {csrf}, "next": {"//evil.example/"}}); resp.StatusCode != 303 || resp.Header.Get("Location") != "/" {
		t.Errorf("login = %d %q, want 303 to / (an off-site next is refused)", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := get(t, c, ts.URL+"/targets"); resp.StatusCode != 200 || !strings.Contains(body, "Log out ana") {
		t.Errorf("after login /targets = %d", resp.StatusCode)
	}
	// A cross-origin POST is refused even with the cookie.
	req, _ := http.NewRequest("POST", ts.URL+"/logout", strings.NewReader(url.Values{"csrf": {csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("cross-origin logout = %d, want 403", resp.StatusCode)
	}
	// A forged session cookie is rejected.
	forged := &http.Client{CheckRedirect: noRedirect.CheckRedirect}
	req, _ = http.NewRequest("GET", ts.URL+"/api/v1/stats", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "YW5h|9999999999|forged"})
	resp, err = forged.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("forged session = %d, want 401", resp.StatusCode)
	}
}

// TestSearchPartialNotice checks that a search page says when indexing
// is not finished, and says nothing when it is.
func TestSearchPartialNotice(t *testing.T) {
	_, ts, be := newTestServer(t, Options{})
	if _, body := get(t, nil, ts.URL+"/?q="); strings.Contains(body, `id="partial"`) {
		t.Errorf("a complete index shows the partial notice")
	}
	be.pending = 3
	_, body := get(t, nil, ts.URL+"/?q=")
	if !strings.Contains(body, `id="partial"`) || !strings.Contains(body, "3 documents are not searchable yet") {
		t.Errorf("no partial notice with 3 pending documents:\n%.600s", body)
	}
}
