package main

import (
	"github.com/tradescreen/tradescreen/source/ecfr"
	"regexp"
	"strings"
)

// quoteSemiRe finds a semicolon typed inside a closing quote ("JSC Shipyard 'Zaliv;' JSC Zaliv Shipyard").
var quoteSemiRe = regexp.MustCompile(`(\w);'(\s|$)`)

// Repair takes the parenthetical alias clauses of an extracted row out of its name (and address, and
// aliases) and makes their names aliases. The law writes other and former names in parentheses after the
// name: "Rosneft (a.k.a. Open Joint-Stock Company Rosneft Oil Company), Address: ...", "Gaz-Oil, OOO (f.k.a.,
// Zakrytoe Aktsionernoe Obshchestvo Gaz Oil), a.k.a., ...". The extraction cut such a clause anywhere:
//
//   - whole in the name: "Mesbah Energy Company (a.k.a. “MEC”)";
//   - open in the name, its ")" lost: "Rosneft (a.k.a. Open Joint-Stock Company Rosneft Oil Company";
//   - open in the name and closed in the address: "Sabanican Company (a.k.a." + "Sabanican Pad Co.), Unit #23 ...";
//   - whole at the head of the address: "(a.k.a., NEL Electronics Pte Ltd), 14K Block 2 ...".
//
// Written as it came, the Entity cell reads "Rosneft (a.k.a. ...", and the eCFR reader ends the name at the
// "a.k.a.": "Rosneft (". Repair returns the row with the name alone, the clause's names first among the
// aliases (former names too: the Entity cell's alias clause is the one way to give them, and a former name is
// screened as an alias, as the CSL lists it) and the address without the clause. An alias holding such a
// clause is split the same way, and a ")" an alias does not open is dropped.
func Repair(e Entity) Entity {
	name, addr := strings.TrimSpace(e.Name), strings.TrimSpace(e.Address)
	var clause []string
	if m := ecfr.ClauseRe.FindStringIndex(name); m != nil && m[0] > 0 {
		head, body := strings.TrimSpace(name[:m[0]]), name[m[1]:]
		if end := ecfr.Closing(body); end >= 0 {
			head = strings.TrimSpace(head + " " + strings.TrimSpace(body[end+1:]))
			body = body[:end]
		} else if end := ecfr.Closing(addr); end >= 0 {
			body += "; " + addr[:end]
			addr = strings.TrimLeft(addr[end+1:], " ,;")
		}
		name, clause = strings.TrimRight(head, " ,"), splitClause(body)
	} else if m := ecfr.ClauseRe.FindStringIndex(addr); m != nil && m[0] == 0 {
		if end := ecfr.Closing(addr[m[1]:]); end >= 0 {
			clause = splitClause(addr[m[1] : m[1]+end])
			addr = strings.TrimLeft(addr[m[1]+end+1:], " ,;")
		}
	}
	aliases, changed := clause, len(clause) > 0
	for _, a := range e.Aliases {
		r := repairAlias(a)
		changed = changed || len(r) != 1 || r[0] != strings.TrimSpace(a)
		aliases = append(aliases, r...)
	}
	if changed {
		e.Aliases = distinct(name, aliases)
	}
	e.Name, e.Address = name, addr
	return e
}

// repairAlias splits an alias holding a clause ("AO Institute Stroyproekt (f.k.a., Institut Stroiproekt
// Zakrytoe Aktsionernoe Obshchestvo)") into its names, and drops a ")" the alias does not open ("JSC AOMZ)").
func repairAlias(a string) []string {
	a = strings.TrimSpace(a)
	if m := ecfr.ClauseRe.FindStringIndex(a); m != nil && m[0] > 0 {
		body := a[m[1]:]
		rest := ""
		if end := ecfr.Closing(body); end >= 0 {
			body, rest = body[:end], strings.TrimSpace(body[end+1:])
		}
		return append([]string{strings.TrimSpace(strings.TrimRight(a[:m[0]], " ,") + " " + rest)}, splitClause(body)...)
	}
	if strings.HasSuffix(a, ")") && strings.Count(a, ")") > strings.Count(a, "(") {
		a = strings.TrimSpace(strings.TrimSuffix(a, ")"))
	}
	return []string{a}
}

// clauseLegal holds the legal forms that continue a name after a comma inside a clause ("Institut
// Giprostroimost-Sankt-Peterburg, ZAO").
var clauseLegal = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`ltd limited llc inc co corp company jsc ojsc cjsc pjsc zao ooo oao ao gmbh sa plc pte pvt`) {
		clauseLegal[w] = true
	}
}

// splitClause splits a clause's names: "Lin Rongnan, Steven Lim and Yong Nam Lim", "AO Shipyard 'Zaliv';
// JSC Zaliv Shipyard; and OJSC ZALIV SHIPYARD". A comma followed by a legal form stays in the name.
func splitClause(body string) []string {
	body = quoteSemiRe.ReplaceAllString(body, "$1';$2")
	var out []string
	for _, part := range strings.Split(body, ";") {
		var names []string
		for _, c := range strings.Split(part, ", ") {
			w := strings.ToLower(strings.Trim(strings.Fields(c + " x")[0], ".,"))
			if len(names) > 0 && clauseLegal[w] {
				names[len(names)-1] += ", " + c
				continue
			}
			names = append(names, c)
		}
		for _, n := range names {
			for _, a := range strings.Split(" "+n+" ", " and ") {
				a = strings.Trim(strings.TrimSpace(a), ",;")
				a = strings.TrimSpace(strings.Trim(a, "“”\""))
				if a != "" {
					out = append(out, a)
				}
			}
		}
	}
	return out
}

// distinct drops the empty aliases and those repeating the name or an alias before them (letter case aside):
// a clause may give a name the row has already.
func distinct(name string, aliases []string) []string {
	seen := map[string]bool{strings.ToLower(name): true}
	var out []string
	for _, a := range aliases {
		k := strings.ToLower(strings.TrimSpace(a))
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, a)
	}
	return out
}
