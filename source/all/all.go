// Package all registers every list format: import it for its side effect.
package all

import (
	_ "github.com/tradescreen/tradescreen/source/csl"     // csl: US Consolidated Screening List CSV and JSON
	_ "github.com/tradescreen/tradescreen/source/curated" // curated: reviewed CSVs (FCC Covered List, 1260H, UFLPA, NDAA 889)
	_ "github.com/tradescreen/tradescreen/source/dpl"     // dpl, el_legacy, isn_csv, dtc_csv
	_ "github.com/tradescreen/tradescreen/source/ecfr"    // ecfr: eCFR XML of 15 CFR Part 744, Supplement No. 4 (Entity List)
	_ "github.com/tradescreen/tradescreen/source/eu"      // eu: EU FSF XML 1.1
	_ "github.com/tradescreen/tradescreen/source/ofac"    // ofac: SDN and non-SDN CSV sets, XML, enhanced XML
	_ "github.com/tradescreen/tradescreen/source/uk"      // uk: UK OFSI ConList.csv
	_ "github.com/tradescreen/tradescreen/source/uksl"    // uksl: FCDO UK Sanctions List CSV
	_ "github.com/tradescreen/tradescreen/source/un"      // un: UN Security Council consolidated.xml
)
