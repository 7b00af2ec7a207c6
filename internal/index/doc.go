// Package index is the full-text search seam of leakscope: the Index
// interface, the unit of indexing (Doc), the user query language (Query,
// Parse) and what a search returns (Result). Implementations live in
// subpackages (bleve/ is the embedded one kept inside the case directory);
// indextest/ holds the conformance suite every implementation passes.
//
// # Doc
//
// One searchable unit. A document of the case is indexed under its SHA-256
// hex ID with Kind "document"; each message of a reconstructed chat is also
// indexed on its own, under "<docid>#m<N>" with Kind "message", so that a
// search can land on the one message that matched and its sender can be
// faceted.
//
// # Query language
//
// What an analyst types in the search box: words and "quoted phrases",
// AND / OR / NOT (upper case) and parentheses, +required and -excluded
// terms, field filters (lang:zh-Hans type:pdf path:业务 sender:张三
// entity:ipv4:192.0.2.14 country:IN year:2021 kind:message), wildcards (*
// and ?) and date ranges (date:>=2021-01-01, date:<2022, date:2021-06,
// date:2021-01-01..2021-06-30). Terms are combined with AND unless OR is
// written. With ParseOptions.Words, an unquoted CJK term becomes the AND
// of its words (a made-up 德国明湖大学 finds 德国 and 明湖大学 written apart);
// with ParseOptions.Senders, sender: matches every alias of a person. An
// unknown field (frm:acme) and the operators of other engines (acme~2,
// acme^2, [a TO b]) are errors rather than words that find nothing. When
// no unit has every term, an Index answers Relax(node), the ranked OR of
// the terms, and sets Result.Relaxed. Parse turns the text into a small tree (Node) that every
// implementation translates into its own engine's queries, so the language
// is the same whatever the backend. A malformed query is a *QueryError,
// which matches ErrBadQuery with errors.Is; a server shows it as a 400.
//
// # Snippets
//
// Hit.Snippet is HTML: the leaked text around the matches, HTML-escaped,
// with <mark> around matched terms and control characters (bidi overrides,
// zero-width spaces) made visible. It is the only HTML an Index produces;
// callers may insert it into a page without escaping it again.
package index
