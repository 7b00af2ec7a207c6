// Package html extracts the visible text of HTML and XHTML pages, with
// the page title and the common <meta> fields as metadata.
//
// # Visible text
//
// Text inside script, style, noscript, template, iframe, object and
// comments is dropped: it is code or markup, not what a reader saw. Block
// elements (p, div, li, tr, headings, br ...) end a line; table cells are
// joined by a tab, so tables come out as rows of tab-separated cells like
// every other table leakscope extracts. Whitespace runs collapse to one
// space outside <pre>. The alt text of images is kept (it is what the page
// shows when the image is missing, and screenshots of chats are often
// embedded with a caption there); title attributes are not (tooltips
// repeat nearby text).
//
// # Metadata
//
// "title" from <title>; "description", "author", "keywords" from the
// <meta name> tags of those names; "creator" from <meta name=generator>;
// "charset" the encoding the bytes were decoded from.
//
// # Charset
//
// A byte-order mark decides; then a charset declared in the first 1024
// bytes (<meta charset> or http-equiv Content-Type), unless it says UTF-8
// for bytes that are not; then internal/charset's detection.
//
// # Safety
//
// The page is tokenized, never rendered: no script runs, no URL is
// fetched. Pages with scripts, event-handler attributes, javascript: URLs
// or iframe srcdoc are flagged "active-content" so that the UI shows them
// escaped and analysts know the file was built to run code.
package html
