package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"

	"github.com/tradescreen/tradescreen/screen"
)

// recordDefault reports whether a command records to the audit trail: the --record flag when given, else
// $TRADESCREEN_RECORD (1, true, yes).
func recordDefault(m *Main, fs *flag.FlagSet, name string, value bool) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	if set {
		return value
	}
	v := m.Getenv("TRADESCREEN_RECORD")
	if v == "yes" {
		return true
	}
	b, _ := strconv.ParseBool(v)
	return b
}

// recordScreening appends the audit event of one screening to the store the flags name.
func recordScreening(ctx context.Context, m *Main, sf *storeFlags, channel string, res *screen.Result, asOf string) error {
	store, actor, err := sf.open(ctx, m)
	if err != nil {
		return fmt.Errorf("record the screening: %w", err)
	}
	defer store.Close()
	if err := store.Audit().AppendAudit(ctx, screen.AuditEvent(actor, channel, res, asOf)); err != nil {
		return fmt.Errorf("record the screening: %w", err)
	}
	return nil
}

// recordBatch appends the audit event of one batch run to the store the flags name.
func recordBatch(ctx context.Context, m *Main, sf *storeFlags, rec batch.BatchRecord) error {
	store, actor, err := sf.open(ctx, m)
	if err != nil {
		return fmt.Errorf("record the batch run: %w", err)
	}
	defer store.Close()
	if err := store.Audit().AppendAudit(ctx, batch.BatchAuditEvent(actor, rec)); err != nil {
		return fmt.Errorf("record the batch run: %w", err)
	}
	return nil
}
