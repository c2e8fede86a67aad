package normalize

import (
	"strings"
	"testing"
)

// The strings are names and aliases as the real lists write them (CSL 2022-05-16, UN 2026-02-27).
func TestParts(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string // "text [note prefix]"
	}{
		{"Huawei Technologies Co., Ltd. (Huawei)", []string{"Huawei Technologies Co., Ltd. [name without", "Huawei [short name in parentheses"}},
		{"FOREIGN TRADE BANK (FTB)", []string{"FOREIGN TRADE BANK [name without", "FTB [acronym in parentheses"}},
		{"AFGHAN SUPPORT COMMITTEE (ASC)", []string{"AFGHAN SUPPORT COMMITTEE [name without", "ASC [acronym in parentheses"}},
		{"IRAN AIRCRAFT INDUSTRIES (IACI)", []string{"IRAN AIRCRAFT INDUSTRIES [name without", "IACI [acronym in parentheses"}},
		{"SAMAN TOSE'E ASIA (SATA)", []string{"SAMAN TOSE'E ASIA [name without", "SATA [acronym in parentheses"}},
		{"HAQQANI NETWORK (HQN)", []string{"HAQQANI NETWORK [name without", "HQN [acronym in parentheses"}},
		{"SYRIAN ARAB AIRLINES (SYRIA)", []string{"SYRIAN ARAB AIRLINES [name without"}},
		{"AL-HARAMAYN FOUNDATION (KENYA)", []string{"AL-HARAMAYN FOUNDATION [name without"}},
		{"COMOIL (PVT) LTD", nil},
		{"KOREAN NATIONAL INSURANCE COMPANY (KNIC)", []string{"KOREAN NATIONAL INSURANCE COMPANY [name without", "KNIC [acronym in parentheses"}},
		{"China Aerospace Science and Technology Corporation (CASC)", []string{"China Aerospace Science and Technology Corporation [name without", "CASC [acronym"}},
		{"Beijing Shangtang Technology Development Co., Ltd., and Sense Time", []string{"Beijing Shangtang Technology Development Co., Ltd. [alias split before", "Sense Time [alias split from 'and Sense Time'"}},
		{"Mohammad Ishaq Akhund born in 1963", []string{"Mohammad Ishaq Akhund [note removed from name: born in 1963"}},
		{"Safia Farkash Mohammed Al-Hadad, born 1 Jan. 1953 (Oman passport no.03825239, date of issue 4 May 2014, expiry 3 May 2024.)", []string{"Safia Farkash Mohammed Al-Hadad [note removed from name: born 1 Jan. 1953"}},
		{"LTS Holding Limited (f.k.a. IPP-International Petroleum Products Ltd.)", []string{"LTS Holding Limited [alias split at 'f.k.a.'", "IPP-International Petroleum Products Ltd. [alias split from"}},
		{"Poly Technologies Incorporated (PTI), and its sub-units and successors", []string{"Poly Technologies Incorporated (PTI) [note removed", "Poly Technologies Incorporated [name without", "PTI [acronym"}},
		{"Guangzhou Hongyu Technology Co., Ltd. (a subordinate institute of CETC-7)", []string{"Guangzhou Hongyu Technology Co., Ltd. [note removed from name: (a subordinate"}},
		{"Encep Nurjaman (birth name)", []string{"Encep Nurjaman [note removed"}},
		{"Pakistan Atomic Energy Commission (PAEC), and subordinate entity National Development Complex (NDC)", []string{
			"Pakistan Atomic Energy Commission (PAEC) [alias split before", "Pakistan Atomic Energy Commission [name without", "PAEC [acronym",
			"National Development Complex (NDC) [alias split from", "National Development Complex [name without", "NDC [acronym"}},
		// The party's own acronym, not read from the words of its name (in its own language, often).
		{"Foreign Intelligence Service (SVR)", []string{"Foreign Intelligence Service [name without", "SVR [acronym in parentheses"}},
		{"Rosoboronexport OJSC (ROE)", []string{"Rosoboronexport OJSC [name without", "ROE [acronym in parentheses"}},
		{"Zhukovskiy Central Aerohydrodynamics Institute (TsAGI)", []string{"Zhukovskiy Central Aerohydrodynamics Institute [name without", "TsAGI [acronym"}},
		{"SPECIAL DIVISION OF FIRST RESPONDERS, CHECHNYA (SOBR)", []string{"SPECIAL DIVISION OF FIRST RESPONDERS, CHECHNYA [name without", "SOBR [acronym"}},
		// An acronym before the legal form alone is read as if it closed the name.
		{"UGANDA COMMERCIAL IMPEX (UCI) LTD", []string{"UGANDA COMMERCIAL IMPEX LTD [name without", "UCI [acronym in parentheses"}},
		{"PETROIRAN DEVELOPMENT COMPANY (PEDCO) LIMITED", []string{"PETROIRAN DEVELOPMENT COMPANY LIMITED [name without", "PEDCO [acronym in parentheses"}},
		// Not acronyms: a word in capitals, a country, another spelling of the name's word, a word
		// organizations' names abbreviate, a place written with a capital.
		{"RIYADUS-SALIKHIN RECONNAISSANCE AND SABOTAGE BATTALION OF SHAHIDS (MARTYRS)", []string{"RIYADUS-SALIKHIN RECONNAISSANCE AND SABOTAGE BATTALION OF SHAHIDS [name without"}},
		{"Enerquip Ltd. (UAE)", []string{"Enerquip Ltd. [name without"}},
		{"Lom-ali BUTAYEV (BUTAEV)", []string{"Lom-ali BUTAYEV [name without"}},
		{"AVIC Chengdu Aircraft Industrial (GROUP) Co. Ltd.", nil},
		{"China Unicom Group Corporation (BVI) Co., Ltd.", nil},
		{"ACM Research (Shanghai)", []string{"ACM Research [name without"}},
		{"TOUS POUR LA PAIX ET LE DEVELOPPEMENT (NGO)", []string{"TOUS POUR LA PAIX ET LE DEVELOPPEMENT [note removed"}},
		// An address or addressee written into the name field.
		{"Islamic Revolutionary Guard Corps c/o Tehran Office", []string{"Islamic Revolutionary Guard Corps [note removed from name: c/o Tehran Office"}},
		{"MAHAN AIR, Attn: Accounts Payable", []string{"MAHAN AIR [note removed from name: Attn: Accounts Payable"}},
		{"Ali Hassan care of Global Freight LLC", []string{"Ali Hassan [note removed from name: care of Global Freight LLC"}},
		// A father's or husband's name, or a residence, after a person's name; a name at birth.
		{"Hafiz Muhammad Saeed S/O Kamal-ud-Din", []string{"Hafiz Muhammad Saeed [note removed from name: S/O Kamal-ud-Din"}},
		{"Muhammad Akram son of Abdul Rehman", []string{"Muhammad Akram [note removed from name: son of Abdul Rehman"}},
		{"Olga Ivanova née Petrova", []string{"Olga Ivanova [name without 'née Petrova'", "Olga Petrova [name at birth, from 'née Petrova'"}},
		{"Natalia Poklonskaya (geb. Ivanova)", []string{"Natalia Poklonskaya [name without 'geb. Ivanova'", "Natalia Ivanova [name at birth"}},
		// A company's status after its name.
		{"Sberbank Europe AG in liquidation", []string{"Sberbank Europe AG [note removed from name: in liquidation"}},
		{"ACME TRADING LTD - DISSOLVED", []string{"ACME TRADING LTD [note removed from name: DISSOLVED"}},
		// A number in a name is the name's.
		{"ALPHA 2000", nil},
		// Given names after "LAST," are the name's.
		{"KHAMENEI, Ali Husseini", nil},
		// One name only: an "and" inside a name, a place in parentheses inside it.
		{"THAI SOUTH SUDAN CRUSHER, AGGREGATES, AND BUILDING MATERIALS COMPANY", nil},
		{"Industrial and Commercial Bank of China", nil},
		{"Huawei Technologies (Australia) Pty Ltd.", nil},
		{"BORNYI ZAVOD", nil},
		{"formerly listed as", nil},
	} {
		got := Parts(tc.in)
		var gs []string
		for _, p := range got {
			gs = append(gs, p.Text+" ["+p.Note)
		}
		if len(gs) != len(tc.want) {
			t.Errorf("Parts(%q) = %q, want %q", tc.in, gs, tc.want)
			continue
		}
		for k := range gs {
			if !strings.HasPrefix(gs[k], tc.want[k]) {
				t.Errorf("Parts(%q)[%d] = %q, want %q...", tc.in, k, gs[k], tc.want[k])
			}
		}
	}
	if ps := Parts("Korean National Insurance Corporation (KNIC)"); len(ps) != 2 || ps[0].Acronym || !ps[1].Acronym || ps[1].Own {
		t.Errorf("acronym not marked: %+v", ps)
	}
	if ps := Parts("Foreign Intelligence Service (SVR)"); len(ps) != 2 || !ps[1].Acronym || !ps[1].Own {
		t.Errorf("own acronym not marked: %+v", ps)
	}
}

// A query is read for what users write after a name and the lists write apart or not at all: a person's
// office after a comma, a date or year of birth, a branch or office of the party (the city before it may be
// the branch's), two persons' names joined, a web address, a name written in two scripts. Not a listed name: a list's entry for a branch is the
// branch's own, a number in a listed name is the name's. A query's acronym not read from its words is
// left out (a ticker as often).
func TestQueryParts(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Vladimir Putin 07.10.1952", []string{"Vladimir Putin [date removed from name: 07.10.1952"}},
		{"Putin, Vladimir - DOB 1952-10-07", []string{"Putin, Vladimir [date removed from name: DOB 1952-10-07"}},
		{"Vladimir Putin b. 1952", []string{"Vladimir Putin [date removed from name: b. 1952"}},
		{"Putin Vladimir Vladimirovich 1952", []string{"Putin Vladimir Vladimirovich [year removed from name: 1952"}},
		{"Bank Melli Iran, Hamburg Branch", []string{"Bank Melli Iran, Hamburg [the party of its Branch", "Bank Melli Iran [the party of its Hamburg Branch", "Bank Melli [the party of its Iran, Hamburg Branch"}},
		{"Bank Sepah Representative Office", []string{"Bank Sepah [the party of its Representative Office"}},
		{"Ali Khamenei, Supreme Leader of Iran", []string{"Ali Khamenei [office removed from name: Supreme Leader of Iran"}},
		{"John Smith, CEO", []string{"John Smith [office removed from name: CEO"}},
		// Two persons' names joined (a joint account's holders); not a company's name with "and" or "&".
		{"John Smith and Jane Doe", []string{"John Smith [one of two names joined by 'and'", "Jane Doe [one of two names joined by 'and'"}},
		{"Vladimir Putin & Dmitry Medvedev", []string{"Vladimir Putin [one of two names joined by '&'", "Dmitry Medvedev [one of two"}},
		{"Industrial and Commercial Bank of China", nil},
		{"Procter & Gamble", nil},
		{"Bank Melli and Bank Sepah", nil},
		// A web or e-mail address is screened by the name it registers.
		{"www.hikvision.com", []string{"hikvision [the name of the web address"}},
		{"sales@hikvision.com.cn", []string{"hikvision [the name of the web address"}},
		{"https://china-railway.com/", []string{"china railway [the name of the web address"}},
		// A name written in two scripts is screened in each.
		{"Huawei 华为", []string{"Huawei [the name in Latin letters", "华为 [the name in Han script"}},
		{"Huawei华为", []string{"Huawei [the name in Latin letters", "华为 [the name in Han script"}},
		{"Gazprom Neft / Газпром нефть", []string{"Gazprom Neft [the name in Latin letters", "Газпром нефть [the name in Cyrillic script"}},
	} {
		var gs []string
		for _, p := range QueryParts(tc.in) {
			gs = append(gs, p.Text+" ["+p.Note)
		}
		if len(gs) != len(tc.want) {
			t.Errorf("QueryParts(%q) = %q, want %q", tc.in, gs, tc.want)
			continue
		}
		for k := range gs {
			if !strings.HasPrefix(gs[k], tc.want[k]) {
				t.Errorf("QueryParts(%q)[%d] = %q, want %q...", tc.in, k, gs[k], tc.want[k])
			}
		}
		if ps := Parts(tc.in); ps != nil {
			t.Errorf("Parts(%q) of a listed name = %+v", tc.in, ps)
		}
	}
	if ps := QueryParts("Foreign Intelligence Service (SVR)"); len(ps) != 1 || ps[0].Text != "Foreign Intelligence Service" {
		t.Errorf("a query's own acronym kept: %+v", ps)
	}
}

func FuzzParts(f *testing.F) {
	for _, s := range []string{"Huawei Technologies Co., Ltd. (Huawei)", "A a.k.a. B (f.k.a. C)", "X, born in 1963", "((()))", "a (b (c) d) e)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range Parts(s) {
			if strings.TrimSpace(p.Text) == "" || p.Note == "" || p.Text == strings.TrimSpace(s) {
				t.Fatalf("Parts(%q): bad part %+v", s, p)
			}
		}
	})
}

// A long name of words with one initial and an acronym of that letter is read at once.
func TestAbbreviationOfIsFast(t *testing.T) {
	name := strings.Repeat("AAA ", 200) + "(AAAAAAAB)"
	if got := Parts(name); len(got) != 1 {
		t.Errorf("Parts(%.20q...) = %v", name, got)
	}
}
