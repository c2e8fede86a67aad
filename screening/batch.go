package screening

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/screen"
)

// RunBatch runs a batch job (package batch): each row answered as Answer answers a name, on the lists in
// service. Its end is recorded in the audit trail as actor through channel ("batch", "api"): completed or
// failed, with the input's digest, the lists and the counts (the output files are the row-level record); an
// interrupted run is recorded when it completes. Errors: batch.Run's, and the recorder's (the outputs are
// written all the same: the error says so).
func (s *Service) RunBatch(ctx context.Context, actor tradescreen.Actor, channel string, job batch.Job) (*batch.Result, error) {
	res, err := batch.Run(ctx, s, job)
	var interrupted *batch.InterruptedError
	var unfinished *batch.UnfinishedError
	if res == nil || errors.As(err, &interrupted) || errors.As(err, &unfinished) {
		return res, err
	}
	id := job.ID
	if id == "" {
		id = job.Name
	}
	if id == "" {
		id = filepath.Base(job.Input)
	}
	rec := batch.BatchRecord{Channel: channel, Input: id, SHA256: res.InputSHA256,
		Lists: screen.AsOf(tradescreen.Versions(res.Lists)), BatchStats: res.Stats, Status: "completed"}
	if len(job.Outputs) > 0 {
		rec.Output = job.Outputs[0]
	}
	if err != nil {
		rec.Status = "failed"
	}
	if rerr := s.record(context.WithoutCancel(ctx), batch.BatchAuditEvent(actor, rec)); rerr != nil && err == nil {
		return res, fmt.Errorf("the outputs were written, but %w", rerr)
	}
	return res, err
}

// RunOrders decides every order of an orders file (batch.RunOrders) as Decide decides one, without
// recording each: the output file is the record.
func (s *Service) RunOrders(ctx context.Context, job batch.OrdersJob) (batch.OrderStats, error) {
	return batch.RunOrders(ctx, s.decide, job)
}
