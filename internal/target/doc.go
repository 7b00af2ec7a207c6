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
//     volume and time, in Chinese or English; confidence 0.9. A second
//     name column (英文名称, "English name") gives another spelling of the
//     row's organisation. A header row (of this table or of the next sheet
//     after a form feed, or of a table that is not a target list) and a
//     cell that is a header word (单位, 备注, Remark) never become targets;
//   - an organisation named in prose or chat on the same line or within
//     Window bytes of targeting language (目标, 渗透, 拿下, 权限, 拖库,
//     shell, access, dump, exfil, ...); confidence from 0.4 up with the
//     number of such mentions.
//
// Mentions merge by the organisation key of package entity/org (country +
// canonical body, or proper name), by shared spellings (an alias written in
// parentheses, 子午线医院(Meridian Hospitals), also with its own country:
// 越南海岸事务部（Ministry of Coastal Affairs (Vietnam)）), by a folding
// function for Traditional/Simplified, and a mention without a country
// joins the one target with the same strong body. The documents also tie
// two spellings when a row writes both (name and English-name columns) or
// a line writes them side by side in two scripts (蒙古X大学 / X
// University). A target written only in Chinese and one written only in
// Latin letters, of the same country and body type, merge when the
// translation of the Chinese name shares at least half of its distinctive
// words with the Latin name, or when both carry the same data volume with
// a common month or a volume too precise to be chance (860M, not 1G).
// Country and body type alone never merge. Every spelling of a target is then
// searched in all documents, so a bare "NPFO" in a chat is evidence too.
//
// The window of a mention is its line when the line is short (a chat
// message), extended over the lines a PDF wraps it onto and, in a JSON chat
// export, over the object holding its time stamp.
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
// form; a word-by-word translation loses its articles, infinitive
// markers and dictionary remarks and reads "Ministry of X" for "X
// Ministry"). Sectors are always English (a curated vocabulary, else the
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
// with the same organisation key, so "Ministry of Finance Chile" hits
// 智利财政部, and its literal spellings (NVTL) on word boundaries.
package target
