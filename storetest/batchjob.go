package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
)

// batchJobs returns a store's batch job service; the test fails when it has none.
func batchJobs(t *testing.T, s tradescreen.Store) tradescreen.BatchJobService {
	t.Helper()
	bj, ok := s.(interface {
		BatchJobs() tradescreen.BatchJobService
	})
	if !ok {
		t.Fatalf("%T has no BatchJobs()", s)
	}
	return bj.BatchJobs()
}

// testBatchJobLeases has runners on two handles lease jobs together: each job goes to exactly one of them;
// a lease left to expire is taken over, and then only the new holder can renew it, write the job or end it,
// whose audit record is written once.
func testBatchJobLeases(t *testing.T, a, b tradescreen.Store) {
	ja, jb := batchJobs(t, a), batchJobs(t, b)
	const jobs = 30
	created := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	for i := range jobs {
		rec := &tradescreen.BatchJobRecord{ID: fmt.Sprintf("%024x", i+1), State: "queued", CreatedBy: "ann",
			Created: created.Add(time.Duration(i) * time.Millisecond), Doc: `{"format":"csv"}`}
		q := &tradescreen.AuditEvent{Actor: "ann", Action: "screen.batch", Object: "batch/" + rec.ID, Details: `{"status":"queued"}`}
		must(t, ja.CreateBatchJob(ctx, rec, q))
	}
	wantCode(t, jb.CreateBatchJob(ctx, &tradescreen.BatchJobRecord{ID: fmt.Sprintf("%024x", 1), State: "queued", CreatedBy: "bob", Created: created, Doc: "{}"}, nil), tradescreen.ECONFLICT)
	// Four runners on each handle lease until nothing waits.
	var mu sync.Mutex
	got := map[string][]string{}
	var wg sync.WaitGroup
	for r := range 8 {
		svc := ja
		if r%2 == 1 {
			svc = jb
		}
		holder := fmt.Sprintf("runner-%d", r)
		wg.Go(func() {
			for {
				rec, l, err := svc.LeaseBatchJob(ctx, holder, time.Hour)
				if tradescreen.ErrorCode(err) == tradescreen.ENOTFOUND {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				if rec.State != "running" || l.JobID != rec.ID || l.Holder != holder {
					t.Errorf("leased %+v with %+v", rec, l)
				}
				mu.Lock()
				got[rec.ID] = append(got[rec.ID], holder)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(got) != jobs {
		t.Fatalf("%d jobs leased, want %d", len(got), jobs)
	}
	for id, holders := range got {
		if len(holders) != 1 {
			t.Errorf("job %s leased by %v, want exactly one runner", id, holders)
		}
	}
	n, err := jb.CountBatchJobs(ctx, "running")
	must(t, err)
	if n != jobs {
		t.Errorf("%d jobs running, want %d", n, jobs)
	}
	testBatchJobTakeover(t, ja, jb, created)
	evs, err := a.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Object: "batch/ffffffffffffffffffffffff"})
	must(t, err)
	if len(evs) != 1 || evs[0].Details != `{"status":"completed","by":"second"}` {
		t.Errorf("the taken-over job's audit records: %v, want its end once, by the second runner", evs)
	}
	evs, err = a.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Action: "screen.batch"})
	must(t, err)
	if len(evs) != jobs+1 {
		t.Errorf("%d screen.batch records, want %d (each job's submission, one end)", len(evs), jobs+1)
	}
}

// testBatchJobTakeover leases a job with a lease that expires at once: another runner takes it over, the
// first can no longer renew, write or end it, and the job's end is recorded once.
func testBatchJobTakeover(t *testing.T, ja, jb tradescreen.BatchJobService, created time.Time) {
	rec := &tradescreen.BatchJobRecord{ID: "ffffffffffffffffffffffff", State: "queued", CreatedBy: "bob", Created: created.Add(-time.Hour), Doc: "{}"}
	must(t, ja.CreateBatchJob(ctx, rec, nil))
	_, l1, err := ja.LeaseBatchJob(ctx, "first", -time.Second)
	must(t, err)
	if l1.JobID != rec.ID {
		t.Fatalf("leased %s, want the oldest job %s", l1.JobID, rec.ID)
	}
	r2, l2, err := jb.LeaseBatchJob(ctx, "second", time.Hour)
	must(t, err)
	if l2.JobID != rec.ID {
		t.Fatalf("the expired lease was not taken over: leased %s", l2.JobID)
	}
	_, _, err = ja.LeaseBatchJob(ctx, "third", time.Hour)
	wantCode(t, err, tradescreen.ENOTFOUND)
	// Freeing the first holder's lease (dead) changes nothing now that the second holds it.
	must(t, ja.ExpireBatchJobLease(ctx, l1))
	_, _, err = ja.LeaseBatchJob(ctx, "third", time.Hour)
	wantCode(t, err, tradescreen.ENOTFOUND)
	held, err := ja.FindBatchJobLeases(ctx)
	must(t, err)
	if len(held) != 31 || !slices.ContainsFunc(held, func(l *tradescreen.BatchJobLease) bool { return l.JobID == rec.ID && l.Holder == "second" }) {
		t.Fatalf("%d leases held, want 31 with the second's", len(held))
	}
	// Freed while held by a dead holder, a lease is taken at once.
	must(t, jb.ExpireBatchJobLease(ctx, l2))
	_, l2, err = jb.LeaseBatchJob(ctx, "second", time.Hour)
	must(t, err)
	if l2.JobID != rec.ID {
		t.Fatalf("the freed lease was not taken: leased %s", l2.JobID)
	}
	wantCode(t, ja.RenewBatchJobLease(ctx, l1, time.Hour), tradescreen.ECONFLICT)
	wantCode(t, ja.UpdateBatchJob(ctx, l1, r2), tradescreen.ECONFLICT)
	must(t, jb.RenewBatchJobLease(ctx, l2, time.Hour))
	r2.Rows, r2.State = 7, "running"
	must(t, jb.UpdateBatchJob(ctx, l2, r2))
	end := func(holder string) *tradescreen.AuditEvent {
		return &tradescreen.AuditEvent{Actor: "bob", Action: "screen.batch", Object: "batch/" + rec.ID, Details: fmt.Sprintf(`{"status":"completed","by":%q}`, holder)}
	}
	done := *r2
	now := time.Now().UTC()
	done.State, done.Finished, done.ResultsDir = "done", &now, "run-second"
	wantCode(t, ja.FinishBatchJob(ctx, l1, &done, end("first")), tradescreen.ECONFLICT)
	must(t, jb.FinishBatchJob(ctx, l2, &done, end("second")))
	wantCode(t, jb.FinishBatchJob(ctx, l2, &done, end("second")), tradescreen.ECONFLICT)
	wantCode(t, jb.RenewBatchJobLease(ctx, l2, time.Hour), tradescreen.ECONFLICT)
	got, err := ja.FindBatchJob(ctx, rec.ID)
	must(t, err)
	if got.State != "done" || got.Rows != 7 || got.ResultsDir != "run-second" || got.Finished == nil {
		t.Errorf("finished job reads %+v", got)
	}
	_, err = ja.FindBatchJob(ctx, "000000000000000000000000")
	wantCode(t, err, tradescreen.ENOTFOUND)
	bobs, err := jb.FindBatchJobs(ctx, "bob")
	must(t, err)
	all, err := jb.FindBatchJobs(ctx, "")
	must(t, err)
	if len(bobs) != 1 || len(all) != 31 || !all[0].Created.After(all[1].Created) && !all[0].Created.Equal(all[1].Created) {
		t.Errorf("bob's jobs: %d, all: %d", len(bobs), len(all))
	}
	ids, err := ja.DeleteBatchJobs(ctx, created)
	must(t, err)
	if len(ids) != 1 || ids[0] != rec.ID {
		t.Errorf("deleted %v, want only the job created before the others", ids)
	}
}
