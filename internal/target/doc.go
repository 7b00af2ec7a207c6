// Package target builds the target register and runs exposure checks. It is
// pure computation over texts: the caller reads documents from the case and
// passes them in as Docs, and stores or prints what comes back.
//
// # Doc
//
// The text of one document as the pipeline extracted it: Text for flat
// documents, Pages for paged ones (a sheet of a workbook is a Page whose
// Label is the sheet name), an optional machine Translation, and the path
// it was found at (for evidence).
//
// # Target
//
// An organisation the leak says was targeted, with the DESIGN.md `targets`
// contract fields. A target comes from two kinds of mention:
//
//   - a row of a target table: a spreadsheet or CSV (cells separated by
//     tabs, rows by newlines) whose header row has a column meaning
//     unit/target/name and at least two of country, sector, data type,
//     volume and time, in Chinese or English; confidence 0.9;
//   - an organisation named in prose or chat on the same line or within
//     Window bytes of targeting language (目标, 渗透, 拿下, 权限, 拖库,
//     shell, access, dump, exfil, ...); confidence from 0.4 up with the
//     number of such mentions.
//
// Mentions merge by the organisation key of package entity/org (country +
// canonical body, or proper name), by shared spellings (an alias written in
// parentheses, 阿波罗医院(Apollo Hospitals)), by a folding function for
// Traditional/Simplified, and a mention without a country joins the one
// target with the same strong body. Every spelling of a target is then
// searched in all documents, so a bare "EPFO" in a chat is evidence too.
//
// A mention that names no country (外交部, "the Ministry of External
// Affairs") takes the one country written on its line, else the country
// its document is about (two thirds of its country mentions); a body type
// that is one per country is then keyed to that country.
//
// # Names, sectors and confidence
//
// Names are English and as the documents write them: see names.go for the
// order (written English proper name, organisation acronym, translated
// form). Sectors are always English (a curated vocabulary, else the
// translator, else empty); data types are English where the vocabulary or
// translator gives them. Build leaves out targets below
// Options.MinConfidence (DefaultMinConfidence, 0.5), so the CLI and its
// JSON show only the register an analyst should read.
//
// Volumes read G/M/T as binary units (see entity/volume); a table column
// whose header carries the unit (数据量(GB)) gives the unit to bare numbers.
//
// # Watch list
//
// The exposure check's input: organisations (any language, with aliases),
// domains, CIDR ranges, IPs, e-mail addresses and keywords. See
// ParseWatchList for the format. An organisation entry matches mentions
// with the same organisation key, so "Ministry of Finance India" hits
// 印度财政部, and its literal spellings (BSNL) on word boundaries.
package target
