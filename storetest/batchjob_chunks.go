package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
)

// testBatchJobChunks has eight runners on two handles work on jobs split in chunks: the runner that leases
// a job whole splits it; every chunk of every job is leased by exactly one runner; the commit of each job's
// last chunk, and only it, sees every chunk with its holder and records the job's end, once; the job's rows
// are its chunks' summed. A chunk whose lease expired is taken over, and its first holder can neither write
// its progress nor commit it.
func testBatchJobChunks(t *testing.T, a, b tradescreen.Store) {
	ja, jb := batchJobs(t, a), batchJobs(t, b)
	const jobs = 6
	created := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	chunksOf := func(i int) int { return 2 + i%4 }
	for i := range jobs {
		rec := &tradescreen.BatchJobRecord{ID: fmt.Sprintf("%024x", 0xc0+i), State: "queued", CreatedBy: "ann",
			Created: created.Add(time.Duration(i) * time.Millisecond), Doc: "{}"}
		must(t, ja.CreateBatchJob(ctx, rec, nil))
	}
	var mu sync.Mutex
	leased := map[string][]string{} // "job/chunk": holders
	lasts := map[string]int{}
	var wg sync.WaitGroup
	for r := range 8 {
		svc, holder := ja, fmt.Sprintf("runner-%d", r)
		if r%2 == 1 {
			svc = jb
		}
		wg.Go(func() { chunkRunner(t, svc, holder, chunksOf, &mu, leased, lasts) })
	}
	wg.Wait()
	want := 0
	for i := range jobs {
		id := fmt.Sprintf("%024x", 0xc0+i)
		for c := range chunksOf(i) {
			want++
			if hs := leased[fmt.Sprintf("%s/%d", id, c)]; len(hs) != 1 {
				t.Errorf("chunk %d of job %s leased by %v, want exactly one runner", c, id, hs)
			}
		}
		if lasts[id] != 1 {
			t.Errorf("job %s: %d commits saw every chunk done, want 1", id, lasts[id])
		}
		rec, err := jb.FindBatchJob(ctx, id)
		must(t, err)
		if sum := chunksOf(i) * (chunksOf(i) + 1) / 2; rec.State != "done" || rec.Rows != sum {
			t.Errorf("job %s: %s with %d rows, want done with %d", id, rec.State, rec.Rows, sum)
		}
		evs, err := a.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Object: "batch/" + id})
		must(t, err)
		if len(evs) != 1 {
			t.Errorf("job %s: %d end records, want 1", id, len(evs))
		}
	}
	if len(leased) != want {
		t.Errorf("%d chunks leased, want %d", len(leased), want)
	}
	testChunkTakeover(t, ja, jb, created)
}

// chunkRunner leases chunks until none is left to lease or held: it splits a job it leases whole, writes its chunk's
// progress (chunk c has c+1 rows) and commits it.
func chunkRunner(t *testing.T, svc tradescreen.BatchJobService, holder string, chunksOf func(int) int,
	mu *sync.Mutex, leased map[string][]string, lasts map[string]int) {
	for {
		rec, l, err := svc.LeaseBatchJob(ctx, holder, time.Hour)
		if tradescreen.ErrorCode(err) == tradescreen.ENOTFOUND {
			// Nothing to lease and nothing held (no split to come): the work is over.
			held, err := svc.FindBatchJobLeases(ctx)
			if err != nil || len(held) == 0 {
				must(t, err)
				return
			}
			time.Sleep(time.Millisecond)
			continue
		}
		if err != nil {
			t.Error(err)
			return
		}
		var i int
		fmt.Sscanf(rec.ID, "%x", &i)
		i -= 0xc0
		if l.Chunk == 0 {
			must(t, svc.SplitBatchJob(ctx, l, chunksOf(i), rec))
			wantCode(t, svc.SplitBatchJob(ctx, l, chunksOf(i), rec), tradescreen.ECONFLICT)
		}
		mu.Lock()
		leased[fmt.Sprintf("%s/%d", l.JobID, l.Chunk)] = append(leased[fmt.Sprintf("%s/%d", l.JobID, l.Chunk)], holder)
		mu.Unlock()
		must(t, svc.ProgressBatchJobChunk(ctx, l, l.Chunk))
		last, err := svc.FinishBatchJobChunk(ctx, l, l.Chunk+1, func(chunks []*tradescreen.BatchJobLease) (*tradescreen.BatchJobRecord, *tradescreen.AuditEvent, error) {
			if len(chunks) != chunksOf(i) {
				return nil, nil, fmt.Errorf("job %s: %d chunks at its end, want %d", rec.ID, len(chunks), chunksOf(i))
			}
			mu.Lock()
			defer mu.Unlock()
			for _, c := range chunks {
				if hs := leased[fmt.Sprintf("%s/%d", c.JobID, c.Chunk)]; len(hs) == 0 || hs[len(hs)-1] != c.Holder {
					return nil, nil, fmt.Errorf("chunk %d of job %s: holder %q, leased by %v", c.Chunk, c.JobID, c.Holder, hs)
				}
			}
			done := *rec
			now := time.Now().UTC()
			done.State, done.Finished, done.Rows = "done", &now, len(chunks)*(len(chunks)+1)/2
			return &done, &tradescreen.AuditEvent{Actor: "ann", Action: "screen.batch", Object: "batch/" + rec.ID, Details: `{"status":"completed"}`}, nil
		})
		if err != nil {
			t.Error(err)
			return
		}
		if last {
			mu.Lock()
			lasts[rec.ID]++
			mu.Unlock()
		}
	}
}

// testChunkTakeover: a chunk whose lease expired is taken over; the first holder's progress and commit are
// refused, the job's rows are those of the chunks' current holders, and the job ends with its successor's
// commit.
func testChunkTakeover(t *testing.T, ja, jb tradescreen.BatchJobService, created time.Time) {
	rec := &tradescreen.BatchJobRecord{ID: "eeeeeeeeeeeeeeeeeeeeeeee", State: "queued", CreatedBy: "bob", Created: created.Add(-time.Hour), Doc: "{}"}
	must(t, ja.CreateBatchJob(ctx, rec, nil))
	_, l0, err := ja.LeaseBatchJob(ctx, "first", time.Hour)
	must(t, err)
	wantCode(t, ja.SplitBatchJob(ctx, l0, 1, rec), tradescreen.EINVALID)
	must(t, ja.SplitBatchJob(ctx, l0, 2, rec))
	if cs, err := jb.FindBatchJobChunks(ctx, rec.ID); err != nil || len(cs) != 2 || cs[0].Holder != "first" || cs[1].Holder != "" || cs[0].Done || cs[1].Done {
		t.Fatalf("the job's chunks after its split: %v", err)
	}
	_, l1, err := jb.LeaseBatchJob(ctx, "second", -time.Second)
	must(t, err)
	must(t, jb.ProgressBatchJobChunk(ctx, l1, 40))
	must(t, ja.ProgressBatchJobChunk(ctx, l0, 2))
	_, l1b, err := ja.LeaseBatchJob(ctx, "third", time.Hour)
	must(t, err)
	if l1b.JobID != rec.ID || l1b.Chunk != 1 {
		t.Fatalf("leased %+v, want the expired chunk 1", l1b)
	}
	_, err = jb.FindBatchJob(ctx, rec.ID)
	must(t, err)
	wantCode(t, jb.ProgressBatchJobChunk(ctx, l1, 41), tradescreen.ECONFLICT)
	must(t, ja.ProgressBatchJobChunk(ctx, l1b, 1))
	got, err := jb.FindBatchJob(ctx, rec.ID)
	must(t, err)
	if got.Rows != 3 {
		t.Errorf("rows %d after the takeover, want 3 (2 + 1: the first holder's 40 are gone)", got.Rows)
	}
	never := func([]*tradescreen.BatchJobLease) (*tradescreen.BatchJobRecord, *tradescreen.AuditEvent, error) {
		return nil, nil, fmt.Errorf("a refused commit ended the job")
	}
	_, err = jb.FinishBatchJobChunk(ctx, l1, 40, never)
	wantCode(t, err, tradescreen.ECONFLICT)
	last, err := ja.FinishBatchJobChunk(ctx, l0, 2, never)
	must(t, err)
	var holders []string
	last1, err := ja.FinishBatchJobChunk(ctx, l1b, 1, func(chunks []*tradescreen.BatchJobLease) (*tradescreen.BatchJobRecord, *tradescreen.AuditEvent, error) {
		for _, c := range chunks {
			holders = append(holders, c.Holder)
		}
		done := *got
		done.State, done.Rows = "done", 3
		return &done, nil, nil
	})
	must(t, err)
	if last || !last1 || fmt.Sprint(holders) != "[first third]" {
		t.Errorf("commits: last %v %v, holders %v; want the second commit last, with holders first and third", last, last1, holders)
	}
	wantCode(t, ja.RenewBatchJobLease(ctx, l1b, time.Hour), tradescreen.ECONFLICT)
	chunks, err := jb.FindBatchJobChunks(ctx, rec.ID)
	must(t, err)
	if len(chunks) != 2 || !chunks[0].Done || !chunks[1].Done || chunks[0].Holder != "first" || chunks[1].Holder != "third" {
		t.Errorf("the job's chunks after its end: %+v %+v", chunks[0], chunks[len(chunks)-1])
	}
}
