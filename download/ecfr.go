package download

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
)

// A locator turns a feed whose URL names a service rather than a file into the feed of the file to fetch
// now (Config.AsOf, or the newest). It counts its requests in attempts. Feeds of kinds without a locator
// are fetched from their URL as it is, and cannot answer --as-of.
type locator func(ctx context.Context, u *Updater, f Feed, attempts *int) (Feed, error)

var locators = map[string]locator{"ecfr": locateECFR}

// The eCFR versioner API (https://www.ecfr.gov/developers/documentation/api/v1): titles.json gives, for each
// title, the date up to which the eCFR is current (up_to_date_as_of); full/{DATE}/title-15.xml?part=744 is
// the XML of Part 744 as it stood on DATE.
const (
	ecfrTitles = "/api/versioner/v1/titles.json"
	ecfrFull   = "/api/versioner/v1/full/%s/title-15.xml?part=744"
)

// ecfrTitlesDoc is the part of titles.json read here.
type ecfrTitlesDoc struct {
	Titles []struct {
		Number        int    `json:"number"`
		UpToDateAsOf  string `json:"up_to_date_as_of"`
		LatestAmended string `json:"latest_amended_on"`
	} `json:"titles"`
}

// locateECFR finds the date of the newest version of title 15 (or takes Config.AsOf, after checking the
// eCFR reaches it) and returns the feed of Part 744 on that date, named title-15_DATE.xml so the reader
// dates the version. f.URL is the eCFR's base URL (https://www.ecfr.gov).
func locateECFR(ctx context.Context, u *Updater, f Feed, attempts *int) (Feed, error) {
	base := strings.TrimRight(f.URL, "/")
	if pu, err := url.Parse(base); err != nil || pu.Path != "" {
		return f, tradescreen.Errorf(tradescreen.EINVALID, "ecfr: %q is not the eCFR's base URL (such as https://www.ecfr.gov)", f.URL)
	}
	u.progress(f.Name, StepLocating, "reading the newest date of title 15 from %s", base+ecfrTitles)
	resp, err := u.get(ctx, Feed{Name: f.Name, Kind: f.Kind, URL: base + ecfrTitles}, nil, attempts)
	if err != nil {
		return f, fmt.Errorf("titles.json: %w", err)
	}
	newest, err := title15Date(resp.body)
	if err != nil {
		return f, err
	}
	date := newest
	if u.Config.AsOf != "" {
		if u.Config.AsOf > newest {
			return f, tradescreen.Errorf(tradescreen.EINVALID, "the eCFR is up to date as of %s; it has no text for %s yet", newest, u.Config.AsOf)
		}
		date = u.Config.AsOf
	}
	u.progress(f.Name, StepLocating, "title 15 is up to date as of %s; fetching Part 744 as of %s", newest, date)
	return Feed{Name: f.Name, Kind: f.Kind, URL: base + fmt.Sprintf(ecfrFull, date), File: "title-15_" + date + ".xml",
		Description: f.Description, located: true}, nil
}

// title15Date reads up_to_date_as_of of title 15 from titles.json. Errors are EINVALID.
func title15Date(b []byte) (string, error) {
	var doc ecfrTitlesDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return "", tradescreen.Errorf(tradescreen.EINVALID, "titles.json: not the versioner's JSON: %v", err)
	}
	for _, t := range doc.Titles {
		if t.Number != 15 {
			continue
		}
		if _, err := time.Parse("2006-01-02", t.UpToDateAsOf); err != nil {
			return "", tradescreen.Errorf(tradescreen.EINVALID, "titles.json: title 15 has no up_to_date_as_of date (%q)", t.UpToDateAsOf)
		}
		return t.UpToDateAsOf, nil
	}
	return "", tradescreen.Errorf(tradescreen.EINVALID, "titles.json: no title 15")
}

// FetchAsOf makes sure store holds the text of the eCFR feed (an ecfr source, "ecfr" by default) in force
// on date: when no version of that feed published on date is held, it fetches Part 744 as of date (as
// lists update --as-of does) and stores it. held reports that the version was already there; the Result
// says what the fetch did (Accepted, Unchanged when the text is the same as a version held, Failed).
func FetchAsOf(ctx context.Context, cfg Config, store *history.Store, feed, date string) (res Result, held bool, err error) {
	for _, v := range store.FeedVersions(feed) {
		if v.Published == date {
			v := v
			return Result{Feed: feed, Status: Unchanged, Reason: "held as " + v.Label(), Version: &v}, true, nil
		}
	}
	cfg.AsOf = date
	if err := cfg.Validate(); err != nil {
		return Result{}, false, err
	}
	u, err := NewUpdater(cfg, store)
	if err != nil {
		return Result{}, false, err
	}
	results, err := u.Update(ctx, feed)
	if err != nil {
		return Result{}, false, err
	}
	if len(results) != 1 {
		return Result{}, false, tradescreen.Errorf(tradescreen.EINVALID, "no download source %q", feed)
	}
	return results[0], false, nil
}
