package text

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/sniff"
)

// maxParseErrors is how many malformed CSV records are skipped before the
// file is declared unreadable as a table.
const maxParseErrors = 1000

// Table extracts CSV and TSV files as rows of tab-separated cells. It is
// stateless and safe for concurrent use.
type Table struct{}

var _ extract.Extractor = Table{}

// Name implements extract.Extractor.
func (Table) Name() string { return "csv" }

// Accepts implements extract.Extractor.
func (Table) Accepts() []string { return []string{sniff.CSV, sniff.TSV} }

// Extract implements extract.Extractor.
func (Table) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("csv %s: %w", in.Name, err)
	}
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	defer f.Close()
	r, name, err := Open(f, false)
	if err != nil {
		return fmt.Errorf("csv %s: %w", in.Name, err)
	}
	out.Meta("charset", name)
	comma := '\t'
	if in.MIME != sniff.TSV {
		comma = 0
	}
	if err := Rows(ctx, r, comma, in.Limits.MaxText, out); err != nil {
		return fmt.Errorf("csv %s: %w", in.Name, err)
	}
	return nil
}

// Rows writes the records of the delimited UTF-8 text r to out, one line
// per record with cells joined by a tab. comma 0 guesses the delimiter.
// The input read is capped at max bytes (0: no cap) so that an unclosed
// quote cannot make one record grow without bound; hitting the cap flags
// "truncated".
func Rows(ctx context.Context, r io.Reader, comma rune, max int64, out extract.Sink) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if comma == 0 {
		head, _ := br.Peek(16 << 10)
		comma = guessComma(head)
	}
	var src io.Reader = br
	lr := &io.LimitedReader{R: br, N: 1<<62 - 1}
	if max > 0 {
		lr.N = max + 1
		src = lr
	}
	cr := csv.NewReader(src)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	var (
		b       strings.Builder
		written int64
		bad     int
	)
	flush := func() {
		if b.Len() > 0 {
			out.Text(b.String())
			b.Reset()
		}
	}
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && bad < maxParseErrors {
				bad++
				continue
			}
			return err
		}
		start := b.Len()
		for i, cell := range rec {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(flatten(cell))
		}
		b.WriteByte('\n')
		if max > 0 && written+int64(b.Len()) > max {
			// Keep whole rows only.
			s := b.String()[:start]
			b.Reset()
			b.WriteString(s)
			flush()
			out.Flag(FlagTruncated)
			return nil
		}
		if b.Len() >= chunk {
			written += int64(b.Len())
			flush()
		}
	}
	flush()
	if max > 0 && lr.N <= 0 {
		out.Flag(FlagTruncated)
	}
	return nil
}

var flattener = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")

// flatten puts a cell on one line: its newlines and tabs become spaces.
func flatten(cell string) string {
	if strings.ContainsAny(cell, "\r\n\t") {
		return flattener.Replace(cell)
	}
	return cell
}

// guessComma picks the delimiter that splits the first lines of head into
// the most consistent number of fields (more than one), preferring the
// comma on ties.
func guessComma(head []byte) rune {
	lines := bytes.Split(head, []byte("\n"))
	if len(lines) > 1 {
		lines = lines[:len(lines)-1] // the last may be cut
	}
	lines = lines[:min(len(lines), 20)]
	best, bestScore := ',', 0
	for _, c := range []byte{',', ';', '\t', '|'} {
		counts := map[int]int{}
		for _, l := range lines {
			if n := countOutsideQuotes(l, c); n > 0 {
				counts[n]++
			}
		}
		// Score: lines agreeing on the most common field count, weighted
		// by that count so a stray semicolon does not beat real commas.
		score := 0
		for n, k := range counts {
			score = max(score, k*100+n)
		}
		if score > bestScore {
			best, bestScore = rune(c), score
		}
	}
	return best
}

func countOutsideQuotes(l []byte, c byte) int {
	n, quoted := 0, false
	for _, b := range l {
		switch {
		case b == '"':
			quoted = !quoted
		case b == c && !quoted:
			n++
		}
	}
	return n
}
