package download

import (
	"context"
	"strings"
	"testing"
)

// TestUpdateUKSanctionsList: the FCDO CSV is read by the uksl reader and stored as gb_fcdo, dated by its
// Report Date line.
func TestUpdateUKSanctionsList(t *testing.T) {
	f := newFixture(t, "uksl", "UK-Sanctions-List.csv")
	f.serveFile(read(t, "uk/UK_Sanctions_List_format_sample_2026-10.csv"), "text/csv")
	r := f.update(t)
	if r.Status != Accepted || r.Version.Lists["gb_fcdo"] != 2 || r.Version.Published != "2026-10-08" {
		t.Fatalf("%+v %+v", r, r.Version)
	}
	// The retired OFSI ConList is rejected by this reader: it is not the FCDO's file.
	f.serveFile(read(t, "uk/ConList_2022-03_sample.csv"), "text/csv")
	if r := f.update(t); r.Status != Rejected || !strings.Contains(r.Reason, "not the UK Sanctions List CSV") {
		t.Errorf("ConList: %+v", r)
	}
}

// TestRetiredFeed: the retired OFSI feed is skipped, saying why, unless named.
func TestRetiredFeed(t *testing.T) {
	f := newFixture(t, "uk", "ConList.csv")
	f.u.Config.Feeds[0].Retired = "OFSI retired the Consolidated List on 28 January 2026"
	f.serveFile(read(t, "uk/ConList_2022-03_sample.csv"), "text/csv")
	rs, err := f.u.Update(context.Background())
	if err != nil || len(rs) != 1 || rs[0].Status != Skipped || !strings.Contains(rs[0].Reason, "retired: OFSI retired") || f.requests.Load() != 0 {
		t.Fatalf("unnamed: %+v %v (%d requests)", rs, err, f.requests.Load())
	}
	rs, err = f.u.Update(context.Background(), "test")
	if err != nil || len(rs) != 1 || rs[0].Status != Accepted || rs[0].Version.Lists["gb_hmt"] == 0 {
		t.Fatalf("named: %+v %v", rs, err)
	}
	var uk, uksl bool
	for _, f := range DefaultFeeds() {
		uk = uk || (f.Name == "uk" && f.Retired != "")
		uksl = uksl || (f.Name == "uksl" && f.Kind == "uksl" && f.URL == "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv")
	}
	if !uk || !uksl {
		t.Errorf("default feeds: uk retired %v, uksl %v", uk, uksl)
	}
}
