package auditlog

import (
	"context"
	"fmt"

	"github.com/tradescreen/tradescreen"
)

// Verify recomputes the chain of the trail (VerifyAudit) and, when head is given (a head hash kept elsewhere
// from an earlier verification), finds the chain broken unless it still holds that record: a deletion of
// the newest records leaves a chain that verifies, but not one that holds the old head. Errors: the store's.
func Verify(ctx context.Context, au tradescreen.AuditService, head string) (*tradescreen.AuditVerification, error) {
	v, err := au.VerifyAudit(ctx)
	if err != nil || !v.OK || head == "" {
		return v, err
	}
	evs, err := au.FindAuditEvents(ctx, tradescreen.AuditFilter{})
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		if e.Hash == head {
			return v, nil
		}
	}
	v.OK = false
	v.Problem = fmt.Sprintf("the recorded head %.16s is not in the chain: records were deleted or the chain was rebuilt", head)
	return v, nil
}
