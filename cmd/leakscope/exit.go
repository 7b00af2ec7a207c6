package main

import (
	"context"
	"errors"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/store"
)

// Exit statuses, listed in every command's help.
const (
	exitOK       = 0
	exitError    = 1 // the run could not finish (store or disk failure, bug)
	exitUsage    = 2 // bad flags, arguments or query
	exitNoCase   = 3 // the case directory does not exist or is not a case
	exitLocked   = 4 // another process is writing to the case
	exitNotFound = 5 // the document, path or ID asked for is not in the case
	exitHits     = 6 // check --fail-on-hit found something
	exitDamaged  = 7 // case.db is missing, empty or corrupt: run check-case
	exitCanceled = 130
)

const exitHelp = `

Exit status:
  0    success (for ingest: the run finished, even if some documents failed;
       see 'leakscope errors')
  1    the run could not finish (store or disk failure)
  2    usage error: bad flag, argument or query
  3    no case at --case
  4    the case is locked by another writer
  5    not found (document, path or ID)
  6    check --fail-on-hit: the watch list matched
  7    the case is damaged (case.db missing, empty or corrupt); see
       'leakscope check-case'
  130  interrupted`

// usageError marks errors caused by the user's input.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var ue usageError
	var eh errHits
	var ed errCaseDamaged
	switch {
	case errors.As(err, &eh):
		return exitHits
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		return exitCanceled
	case errors.As(err, &ue):
		return exitUsage
	case errors.Is(err, casedir.ErrNoCase):
		return exitNoCase
	case errors.As(err, &ed):
		return exitError // check-case's documented "problems found"
	case errors.Is(err, casedir.ErrDamaged), errors.Is(err, store.ErrCorrupt):
		return exitDamaged
	case errors.Is(err, casedir.ErrLocked):
		return exitLocked
	case errors.Is(err, store.ErrNotFound):
		return exitNotFound
	case isFlagError(err):
		return exitUsage
	}
	return exitError
}
