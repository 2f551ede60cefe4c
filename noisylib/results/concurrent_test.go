package results

import (
	"sync"
	"testing"
	"time"
)

// A second Store on the same file reads the last committed state while a write transaction is open.
func TestReaderDuringOpenWrite(t *testing.T) {
	w, path := openTemp(t, "shared.db")
	mustPut(t, w, makeRecord(t, "p", 0))
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	tx, err := w.db.Begin() // holds the write lock (BEGIN IMMEDIATE)
	if err != nil {
		t.Fatal(err)
	}
	nr, _ := makeRecord(t, "p", 1).normalize(time.Now)
	if err := insert(tx, nr); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	n, err := r.Count("")
	if err != nil {
		t.Fatalf("Count during an open write: %v", err)
	}
	if n != 1 {
		t.Errorf("reader sees %d rows during the uncommitted write, want 1", n)
	}
	if ok, _ := r.Has(nr.Hash); ok {
		t.Error("reader sees the uncommitted row")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("reader blocked %v behind the writer", d)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.Count(""); n != 2 {
		t.Errorf("reader sees %d rows after the commit, want 2", n)
	}
}

// One Store writes points while another Store on the same file lists them.
func TestConcurrentReaderWhileWriting(t *testing.T) {
	w, path := openTemp(t, "concurrent.db")
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	const total = 150
	recs := make([]Record, total)
	for i := range recs {
		recs[i] = makeRecord(t, "p", i)
	}
	var wg sync.WaitGroup
	writeErr := make(chan error, 1)
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(stop)
		for _, rec := range recs {
			if err := w.Put(rec); err != nil {
				writeErr <- err
				return
			}
		}
	}()
	last, reads := 0, 0
	for done := false; !done; {
		select {
		case <-stop:
			done = true
		default:
		}
		list, err := r.List("p")
		if err != nil {
			t.Fatalf("List while writing: %v", err)
		}
		if len(list) < last {
			t.Fatalf("reader saw %d rows after %d", len(list), last)
		}
		last = len(list)
		reads++
		for _, got := range list {
			if HashConfigMust(t, got.Config) != got.Hash || got.Status != StatusDone {
				t.Fatalf("reader saw an inconsistent row %+v", got)
			}
		}
	}
	wg.Wait()
	select {
	case err := <-writeErr:
		t.Fatalf("writer: %v", err)
	default:
	}
	if n, _ := r.Count("p"); n != total {
		t.Errorf("final count %d, want %d", n, total)
	}
	t.Logf("%d reads during %d writes", reads, total)
}

// HashConfigMust hashes canonical JSON or fails the test.
func HashConfigMust(t testing.TB, cfg []byte) string {
	t.Helper()
	c, err := canonicalize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return hashCanonical(c)
}

// Several Stores opened at once on a new file (as shard jobs restarting together might) all work.
func TestConcurrentOpenAndPut(t *testing.T) {
	path := t.TempDir() + "/fresh/new.db"
	const workers, each = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	recs := make([]Record, workers*each)
	for i := range recs {
		recs[i] = makeRecord(t, "p", i)
	}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(path)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			for i := range each {
				if err := s.Put(recs[w*each+i]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.Count("p"); n != workers*each {
		t.Errorf("count %d, want %d", n, workers*each)
	}
}
