package db

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/sniff"
)

// MaxCell is the most bytes of one cell written to a table's text: a
// 40 MB document stored in a column of a Nordhavn Shipping invoices table
// would otherwise push every other row past Limits.MaxText.
const MaxCell = 64 << 10

// SQLite extracts SQLite 3 database files. It is stateless and safe for
// concurrent use.
type SQLite struct{}

var _ extract.Extractor = SQLite{}

// Name implements extract.Extractor.
func (SQLite) Name() string { return "sqlite" }

// Accepts implements extract.Extractor.
func (SQLite) Accepts() []string { return []string{sniff.SQLite} }

// table is one table of the schema.
type table struct {
	name string
	cols []string
}

// Extract implements extract.Extractor.
func (SQLite) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sqlite %s: %w", in.Name, err)
	}
	if in.Limits.ParseTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, in.Limits.ParseTimeout)
		defer cancel()
	}
	copyPath, err := privateCopy(in)
	if err != nil {
		return fmt.Errorf("sqlite %s: %w", in.Name, err)
	}
	db, err := open(copyPath)
	if err != nil {
		return fmt.Errorf("sqlite %s: %w", in.Name, err)
	}
	defer db.Close()
	tables, err := schema(ctx, db, in.Limits.MaxEntries)
	if err != nil {
		return fmt.Errorf("sqlite %s: %w", in.Name, err)
	}
	out.Meta("tables", fmt.Sprint(len(tables)))
	body := text.Cap(out, in.Limits.MaxText)
	var errs []error
	for _, t := range tables {
		var buf bytes.Buffer
		rows, truncated, err := dump(ctx, db, t, in.Limits.MaxText, &buf)
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("sqlite %s: %w", in.Name, ctx.Err())
			}
			// One unreadable table (a virtual table of a module this
			// driver lacks, a damaged page) does not hide the others.
			errs = append(errs, fmt.Errorf("table %q: %w", t.name, err))
			body.Text(fmt.Sprintf("%s (unreadable): %s\n", t.name, strings.Join(t.cols, ", ")))
			continue
		}
		body.Text(fmt.Sprintf("%s (%d rows%s): %s\n", t.name, rows, plus(truncated), strings.Join(t.cols, ", ")))
		c := extract.Child{Name: t.name + ".tsv", R: &buf, Size: int64(buf.Len())}
		if truncated {
			c.Flags = []string{text.FlagTruncated}
		}
		if err := out.Child(ctx, c); err != nil {
			return fmt.Errorf("sqlite %s: table %q: %w", in.Name, t.name, err)
		}
	}
	if len(errs) > 0 && len(errs) == len(tables) {
		return fmt.Errorf("sqlite %s: %w", in.Name, errors.Join(errs...))
	}
	return nil
}

func plus(truncated bool) string {
	if truncated {
		return "+"
	}
	return ""
}

// privateCopy copies the input into its private temporary directory, so
// that SQLite never touches the leaked file or the blob store.
func privateCopy(in *extract.Input) (string, error) {
	src, err := in.Open()
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	defer src.Close()
	dir := in.TempDir
	if dir == "" {
		return "", errors.New("no temporary directory for the copy")
	}
	dst, err := os.CreateTemp(dir, "sqlite-*.db")
	if err != nil {
		return "", fmt.Errorf("copy: %w", err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return "", fmt.Errorf("copy: %w", err)
	}
	if err := dst.Close(); err != nil {
		return "", fmt.Errorf("copy: %w", err)
	}
	return dst.Name(), nil
}

// open opens the copy read-only and immutable (no locks, no journal, no
// WAL replay), with the schema untrusted so that no function a hostile
// schema names runs from a view or a trigger.
func open(path string) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("immutable", "1")
	q.Add("_pragma", "query_only(1)")
	q.Add("_pragma", "trusted_schema(0)")
	dsn := (&url.URL{Scheme: "file", Path: abs, RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// schema lists the tables, at most max of them (0: all), in the order
// SQLite stores them.
func schema(ctx context.Context, db *sql.DB, max int) ([]table, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY rowid`)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("schema: %w", err)
		}
		names = append(names, n)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	if max > 0 && len(names) > max {
		return nil, &extract.LimitError{What: "entries", Limit: int64(max), Got: int64(len(names))}
	}
	tables := make([]table, 0, len(names))
	for _, n := range names {
		cols, err := columns(ctx, db, n)
		if err != nil {
			cols = nil // listed as unreadable when dumped
		}
		tables = append(tables, table{name: n, cols: cols})
	}
	return tables, nil
}

func columns(ctx context.Context, db *sql.DB, name string) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// quote makes name an SQL identifier, whatever it contains.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// dump writes table t as TSV into w, header first, and stops once w would
// pass max bytes (0: no cap). It returns the rows written and whether it
// stopped early.
func dump(ctx context.Context, db *sql.DB, t table, max int64, w *bytes.Buffer) (int, bool, error) {
	rows, err := db.QueryContext(ctx, "SELECT * FROM "+quote(t.name))
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, false, err
	}
	line := make([]string, len(cols))
	for i, c := range cols {
		line[i] = cell(c)
	}
	w.WriteString(strings.Join(line, "\t") + "\n")
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, false, err
		}
		for i, v := range vals {
			line[i] = render(v)
		}
		l := strings.Join(line, "\t") + "\n"
		if max > 0 && int64(w.Len()+len(l)) > max {
			return n, true, nil
		}
		w.WriteString(l)
		n++
	}
	return n, false, rows.Err()
}

// render writes one value as text.
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		if utf8.Valid(x) {
			return cell(string(x))
		}
		return fmt.Sprintf("[blob %d bytes]", len(x))
	case string:
		return cell(x)
	default:
		return cell(fmt.Sprint(x))
	}
}

// cell makes s one TSV cell: valid UTF-8, no tabs or line breaks, at most
// MaxCell bytes.
func cell(s string) string {
	if len(s) > MaxCell {
		s = s[:MaxCell]
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r', 0:
			return ' '
		}
		return r
	}, s)
}
