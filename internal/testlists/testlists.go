// Package testlists holds small sets of real list entries for the tests of the packages that screen.
package testlists

import (
	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/source"
)

// Three screens against three real entries, one of each kind of list: the Entity List entry of Hikvision
// (with its alias and address), the SDN vessel ADRIAN DARYA 1 (f.k.a. GRACE 1) and the UN listing of KIM SOK
// CHOL. Tests of the packages that screen use it as a small, fast list set.
func Three() *screen.Screener {
	ds := &source.Dataset{
		Lists: []tradescreen.ListVersion{
			{Source: "us_el", Published: "2022-05-16", Entries: 1, Names: 2, Format: "csl"},
			{Source: "us_sdn", Published: "2022-05-16", Entries: 1, Names: 1, Format: "csl"},
			{Source: "un_sc", Published: "2026-02-27", Entries: 1, Names: 1, Format: "un"},
		},
		Entries: []tradescreen.Entry{
			{Source: "us_el", SourceID: "f095626c9f8becc70b5948507fb6de6e443b257a", Kind: tradescreen.KindOrganization,
				Name:            "Hangzhou Hikvision Digital Technology Co., Ltd.",
				Aliases:         []tradescreen.Name{{Full: "Hikvision", Type: tradescreen.NameAKA}},
				Addresses:       []tradescreen.Address{{Full: "No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN", Country: "CN"}},
				FederalRegister: []string{"84 FR 54002", "85 FR 44159"}, StartDate: "2019-10-09"},
			{Source: "us_sdn", SourceID: "27451", Kind: tradescreen.KindVessel, Name: "ADRIAN DARYA 1",
				Aliases: []tradescreen.Name{{Full: "GRACE 1", Type: tradescreen.NameFKA}}, Programs: []string{"SDGT"}},
			{Source: "un_sc", SourceID: "KPi.036", Kind: tradescreen.KindPerson, Name: "KIM SOK CHOL",
				Nationalities: []string{"KP"}, ListedOn: "2016-11-30"},
		},
	}
	return screen.New(ds)
}
