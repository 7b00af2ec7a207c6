package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/leak"
)

// StageStat counts documents per outcome of one stage.
type StageStat struct {
	Stage    string         `json:"stage"`
	Done     int64          `json:"done"`
	OK       int64          `json:"ok"`
	Failed   int64          `json:"failed"`
	Pending  int64          `json:"pending"`
	TotalMS  int64          `json:"total_ms"`
	ByStatus map[string]int `json:"by_status,omitempty"`
}

// Counts are the case totals.
type Counts struct {
	Documents   int64 `json:"documents"`
	Occurrences int64 `json:"occurrences"`
	Bytes       int64 `json:"bytes"`
	Failed      int64 `json:"failed"`
	Problems    int64 `json:"problems"` // occurrences not stored
	// Unreadable counts the occurrences not stored because the file could
	// not be read (FlagUnreadable): errors, unlike links not followed.
	Unreadable int64 `json:"unreadable"`
}

// Counts returns the case totals.
func (s *Store) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.db.QueryRowContext(ctx, `SELECT
 (SELECT COUNT(*) FROM documents),
 (SELECT COUNT(*) FROM occurrences),
 (SELECT COALESCE(SUM(size),0) FROM documents),
 (SELECT COUNT(*) FROM documents WHERE status NOT IN ('ok','pending','empty')),
 (SELECT COUNT(*) FROM occurrences WHERE doc IS NULL),
 (SELECT COUNT(*) FROM occurrences o WHERE o.doc IS NULL AND `+isUnreadable+`)`).Scan(&c.Documents, &c.Occurrences, &c.Bytes, &c.Failed, &c.Problems, &c.Unreadable)
	return c, err
}

// isUnreadable matches an occurrence o flagged FlagUnreadable.
const isUnreadable = `EXISTS (SELECT 1 FROM json_each(o.flags) WHERE value = '` + FlagUnreadable + `')`

// StageStats counts outcomes per stage.
func (s *Store) StageStats(ctx context.Context) ([]StageStat, error) {
	var total int64
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM documents`).Scan(&total); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT stage, status, COUNT(*), COALESCE(SUM(dur_ms),0) FROM stages GROUP BY stage, status ORDER BY stage`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byName := map[string]*StageStat{}
	var order []string
	for rows.Next() {
		var stage, status string
		var n, ms int64
		if err := rows.Scan(&stage, &status, &n, &ms); err != nil {
			return nil, err
		}
		st := byName[stage]
		if st == nil {
			st = &StageStat{Stage: stage, ByStatus: map[string]int{}}
			byName[stage] = st
			order = append(order, stage)
		}
		st.Done += n
		st.TotalMS += ms
		st.ByStatus[status] += int(n)
		if status == "ok" {
			st.OK += n
		} else {
			st.Failed += n
		}
	}
	var out []StageStat
	for _, name := range order {
		st := byName[name]
		if name == StageExtract {
			st.Pending = total - st.Done
		}
		out = append(out, *st)
	}
	return out, rows.Err()
}

// ReasonCount groups failures by reason.
type ReasonCount struct {
	Status string      `json:"status"`
	Code   leak.Reason `json:"code"`   // the stored reason code
	Reason string      `json:"reason"` // the code in words
	Count  int64       `json:"count"`
}

// ErrorReasons counts failed documents and occurrences without stored
// content by status and reason code, most frequent first. Rows recorded
// before reasons were stored as codes (code "") are grouped by their
// normalised message instead, the only place a message is read for it.
func (s *Store) ErrorReasons(ctx context.Context) ([]ReasonCount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT status, reason, error FROM documents WHERE status NOT IN ('ok','pending')
UNION ALL SELECT CASE WHEN `+isUnreadable+` THEN '`+FlagUnreadable+`' ELSE 'not-stored' END, reason, error
 FROM occurrences o WHERE doc IS NULL AND error <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		status string
		code   leak.Reason
		text   string
	}
	counts := map[key]int64{}
	for rows.Next() {
		var st, code, e string
		if err := rows.Scan(&st, &code, &e); err != nil {
			return nil, err
		}
		k := key{status: st, code: leak.Reason(code)}
		if code == "" {
			k.text = legacyReason(e)
		} else {
			k.text = k.code.Text()
		}
		counts[k]++
	}
	var out []ReasonCount
	for k, n := range counts {
		out = append(out, ReasonCount{Status: k.status, Code: k.code, Reason: k.text, Count: n})
	}
	sortReasons(out)
	return out, rows.Err()
}

// legacyReason normalises the message of a row recorded without a reason
// code, so that errors of one kind group together: numbers become N and
// only the first line is kept, so "zip: limit ratio: 210 > 200" and
// "... 230 > 200" are one reason.
func legacyReason(e string) string {
	if i := strings.IndexByte(e, '\n'); i >= 0 {
		e = e[:i]
	}
	var b strings.Builder
	digits := false
	for _, r := range e {
		if r >= '0' && r <= '9' {
			if !digits {
				b.WriteByte('N')
			}
			digits = true
			continue
		}
		digits = false
		b.WriteRune(r)
		if b.Len() > 100 {
			break
		}
	}
	return strings.ToValidUTF8(b.String(), "")
}

func sortReasons(r []ReasonCount) {
	for i := 1; i < len(r); i++ {
		for j := i; j > 0 && (r[j].Count > r[j-1].Count || r[j].Count == r[j-1].Count && r[j].Reason < r[j-1].Reason); j-- {
			r[j], r[j-1] = r[j-1], r[j]
		}
	}
}

// Run is one recorded run of a long command.
type Run struct {
	ID       int64           `json:"id"`
	Command  string          `json:"command"`
	Started  time.Time       `json:"started"`
	Finished time.Time       `json:"finished"`
	Summary  json.RawMessage `json:"summary"`
}

// StartRun records the start of a run and returns its ID.
func (s *Store) StartRun(ctx context.Context, command string) (int64, error) {
	res, err := s.exec(ctx, `INSERT INTO runs(command, started_at) VALUES(?,?)`, command, time.Now().Unix())
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// FinishRun records the summary of a run.
func (s *Store) FinishRun(ctx context.Context, id int64, summary any) error {
	b, _ := json.Marshal(summary)
	_, err := s.exec(ctx, `UPDATE runs SET finished_at=?, summary=? WHERE id=?`, time.Now().Unix(), string(b), id)
	return err
}

// LastRun returns the most recent run.
func (s *Store) LastRun(ctx context.Context) (Run, bool, error) {
	var r Run
	var st, fin int64
	var sum string
	err := s.db.QueryRowContext(ctx, `SELECT id, command, started_at, finished_at, summary FROM runs ORDER BY id DESC LIMIT 1`).Scan(&r.ID, &r.Command, &st, &fin, &sum)
	if err != nil {
		return r, false, nil
	}
	r.Started = time.Unix(st, 0).UTC()
	if fin != 0 {
		r.Finished = time.Unix(fin, 0).UTC()
	}
	r.Summary = json.RawMessage(sum)
	return r, true, nil
}
