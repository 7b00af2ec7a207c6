// Package legacy extracts the pre-2007 binary Office formats (Word .doc,
// Excel .xls, PowerPoint .ppt, other OLE compound files) and RTF through
// Debian's catdoc package, run as child processes by internal/tool with
// Limits.ToolTimeout and an output cap of Limits.MaxText.
//
// # Tools
//
//   - catdoc -w -d utf-8 FILE for Word documents and RTF;
//   - xls2csv -d utf-8 -q 0 -c TAB -f %Y-%m-%d FILE for Excel workbooks,
//     whose sheets (separated by form feeds) become Pages;
//   - catppt -d utf-8 FILE for PowerPoint, only when the Go reader below
//     finds nothing: catppt prints the CStrings of the file, which for
//     most presentations is the theme's name alone.
//
// # PowerPoint
//
// Read in Go (ppt.go): the "PowerPoint Document" stream is followed from
// the Current User stream through the persist directory of the last edit,
// so that text removed by an incremental save is not shown. Each slide is
// a Page: its placeholder text (from the slide list), its text boxes,
// then its notes. Text the author put on a master outside placeholders
// (a footer) is a last page labelled "master"; the template's own
// placeholder text is not. A damaged directory falls back to a walk of
// every record. Embedded OLE objects (ExOleObjStg, zlib-compressed) are
// children "embedded-N", decompressed as they are read.
//
// # Embedded objects
//
// Files embedded in Word (ObjectPool), Excel (MBD storages) and object
// containers are children (embed.go): an OLE 1.0 package under its
// original file name, a CONTENTS stream (an embedded PDF), a Package
// stream (an embedded OOXML file).
//
// catdoc, not unrtf, reads RTF: unrtf 0.21 (Debian 12) prints "?" for
// every character of a double-byte code page (\ansicpg932/936/950), so a
// Chinese or Japanese RTF loses all its text, while catdoc maps the code
// page and \uN escapes to Unicode. Parsing the binary formats in Go was
// not worth it: catdoc is small, packaged, and a crash or hang costs one
// document only.
//
// # OLE
//
// A compound file that sniffing could not attribute to Word, Excel or
// PowerPoint is tried with each tool in turn; the first that prints text
// wins. If none does, the error wraps extract.ErrUnsupported with each
// tool's reason.
//
// # Setup
//
// apt-get install catdoc. Without it the extractor fails every document
// with tool.ErrMissing (a degraded capability, not a crash).
package legacy
