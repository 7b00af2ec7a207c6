// Package demo writes a small fictional leak, generated entirely by this
// code, for `leakscope demo` and for tests across the project that need a
// realistic dump without shipping one.
//
// # Story
//
// An invented contractor (霁川信息安全技术有限公司, "Jichuan InfoSec"), four
// invented staff and five invented victim organisations in real countries
// (a ministry in Vietnam, a telecom in Peru, a university in Mongolia, a
// power company in Egypt, a water board in Kenya). Every indicator uses the
// documentation ranges: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
// 2001:db8::/32, example.com/.net/.org, .test, .invalid and 555-01xx phone
// numbers. Nothing is copied from a real leak or from ../shared.
//
// # Files
//
// About 25 top-level files in the shapes a real dump has: chat exports
// (Markdown lines and JSON), notes in UTF-8, GBK, Big5 and UTF-16LE, a CSV
// and an XLSX target list, a DOCX with a table, a PPTX, a text PDF, an
// e-mail with an RFC 2047 GBK subject and an attachment, an mbox, a chat
// screenshot (Chinese when a CJK font is installed), a tar.gz holding a zip
// holding a docx and a duplicate, a git working tree whose history holds a
// deleted file, a bundle of the same repository, and hostile files under
// misc/ (a script-bearing page, an empty file, a byte copy, a zip with a
// ../ member).
//
// # Manifest
//
// Write returns a Manifest: every file and every container member with its
// sha256, MIME type (as internal/sniff gives it), format, languages and
// flags, with paths in the container notation of DESIGN.md
// (archives/x.tar.gz!/backup/a.zip!/docs/b.docx, repo.bundle!/HEAD/<path>,
// repo.bundle!/<commit>/<path> for versions found only in history, and the
// same under repo/.git!/ for the working tree's history).
//
// # Truth
//
// The Manifest's Truth is what a correct pipeline finds: the target
// register, the indicators with the files they occur in, the
// conversations, the duplicate groups and the hostile files. It is computed
// from the same values the files are written from, and file lists come
// from searching each file's plain text, so truth and bytes cannot drift.
//
// # Determinism
//
// The same Options give the same bytes: fixed times everywhere (zip, tar,
// gzip, git commits, the git index), no map-ordered output, no randomness
// except a PCG seeded from Options.Seed. The screenshot depends on the font
// found; Options.NoSystemFont makes it machine-independent.
package demo
