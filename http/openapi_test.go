package http_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	tshttp "github.com/tradescreen/tradescreen/http"
)

// openAPIDoc is the part of an OpenAPI 3.1 document the tests read.
type openAPIDoc struct {
	OpenAPI    string                                 `json:"openapi"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components struct {
		Schemas map[string]schema `json:"schemas"`
	} `json:"components"`
}

type openAPIOperation struct {
	OperationID string `json:"operationId"`
	// XRole is the least role the route needs (absent on public routes).
	XRole     string                     `json:"x-role"`
	Responses map[string]openAPIResponse `json:"responses"`
}

type openAPIResponse struct {
	Content map[string]struct {
		Schema schema `json:"schema"`
	} `json:"content"`
}

// schema is the subset of JSON Schema the document uses: type (a name or a list of names), required,
// properties, additionalProperties (false only), items, enum, oneOf and $ref to components/schemas.
type schema struct {
	Ref                  string            `json:"$ref"`
	Type                 any               `json:"type"`
	Required             []string          `json:"required"`
	Properties           map[string]schema `json:"properties"`
	AdditionalProperties *bool             `json:"additionalProperties"`
	Items                *schema           `json:"items"`
	Enum                 []any             `json:"enum"`
	OneOf                []schema          `json:"oneOf"`
}

func loadOpenAPI(t *testing.T) *openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(tshttp.OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	return &doc
}

// validate checks v against s and returns every violation, each with its JSON path. Responses are checked
// strictly: an object property the schema does not list is a violation whenever the schema lists properties,
// so that the document keeps up with what the server sends.
func (doc *openAPIDoc) validate(s schema, v any, path string) []string {
	if s.Ref != "" {
		name := strings.TrimPrefix(s.Ref, "#/components/schemas/")
		ref, ok := doc.Components.Schemas[name]
		if !ok {
			return []string{path + ": unresolved $ref " + s.Ref}
		}
		return doc.validate(ref, v, path)
	}
	if len(s.OneOf) > 0 {
		n := 0
		var all []string
		for i, alt := range s.OneOf {
			errs := doc.validate(alt, v, path)
			if len(errs) == 0 {
				n++
			}
			for _, e := range errs {
				all = append(all, fmt.Sprintf("(oneOf %d) %s", i, e))
			}
		}
		if n != 1 {
			return append([]string{fmt.Sprintf("%s: matches %d of the oneOf schemas, want exactly 1", path, n)}, all...)
		}
		return nil
	}
	var errs []string
	if s.Type != nil {
		var types []string
		switch tt := s.Type.(type) {
		case string:
			types = []string{tt}
		case []any:
			for _, x := range tt {
				types = append(types, x.(string))
			}
		}
		ok := false
		for _, typ := range types {
			ok = ok || hasType(v, typ)
		}
		if !ok {
			return []string{fmt.Sprintf("%s: %s is not of type %v", path, kindOf(v), s.Type)}
		}
	}
	if len(s.Enum) > 0 {
		found := false
		for _, e := range s.Enum {
			found = found || e == v
		}
		if !found {
			errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", path, v, s.Enum))
		}
	}
	switch vv := v.(type) {
	case map[string]any:
		for _, r := range s.Required {
			if _, ok := vv[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s: required property %q missing", path, r))
			}
		}
		for k, pv := range vv {
			ps, ok := s.Properties[k]
			if !ok {
				if s.Properties != nil || (s.AdditionalProperties != nil && !*s.AdditionalProperties) {
					errs = append(errs, fmt.Sprintf("%s: property %q is not documented", path, k))
				}
				continue
			}
			errs = append(errs, doc.validate(ps, pv, path+"."+k)...)
		}
	case []any:
		if s.Items != nil {
			for i, x := range vv {
				errs = append(errs, doc.validate(*s.Items, x, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	return errs
}

func hasType(v any, typ string) bool {
	switch typ {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == float64(int64(f))
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "null":
		return v == nil
	}
	return false
}

func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T %v", v, v)
}

// muxToOpenAPI turns a ServeMux pattern into the OpenAPI method and path: "GET /{$}" -> get /.
func muxToOpenAPI(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.ReplaceAll(path, "{$}", "")
	if path == "" {
		path = "/"
	}
	path = regexp.MustCompile(`\{([a-z_]+)\.\.\.\}`).ReplaceAllString(path, "{$1}")
	return strings.ToLower(method), path
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc := loadOpenAPI(t)
	registered := map[string]bool{}
	for _, r := range tshttp.NewServer().Routes() {
		m, p := muxToOpenAPI(r.Pattern)
		registered[m+" "+p] = true
		op, ok := doc.Paths[p][m]
		if !ok {
			t.Errorf("route %s is not documented in openapi.json", r.Pattern)
		} else if op.XRole != "" && op.XRole != string(r.Role) {
			t.Errorf("route %s needs the %s role; openapi.json says x-role %s", r.Pattern, r.Role, op.XRole)
		}
	}
	var documented []string
	for p, ops := range doc.Paths {
		for m, op := range ops {
			documented = append(documented, m+" "+p)
			if !registered[m+" "+p] {
				t.Errorf("openapi.json documents %s %s, which the server does not serve", m, p)
			}
			if op.OperationID == "" || len(op.Responses) == 0 {
				t.Errorf("%s %s: no operationId or responses", m, p)
			}
		}
	}
	sort.Strings(documented)
	t.Logf("%d routes documented: %s", len(documented), strings.Join(documented, ", "))
	// Every $ref resolves.
	for _, ref := range regexp.MustCompile(`"\$ref":\s*"#/components/schemas/([A-Za-z]+)"`).FindAllStringSubmatch(string(tshttp.OpenAPI()), -1) {
		if _, ok := doc.Components.Schemas[ref[1]]; !ok {
			t.Errorf("unresolved $ref %s", ref[1])
		}
	}
}

// TestOpenAPIResponses sends real requests to every documented route, with and without errors, and checks
// that each status is documented and each JSON body satisfies the documented schema.
func TestOpenAPIResponses(t *testing.T) {
	doc := loadOpenAPI(t)
	const key = "openapi-test-key-0123456789"
	dataDir := sdnStore(t)
	ts := newTestServer(t, func(s *tshttp.Server) {
		s.APIKey = key
		s.DataDir = dataDir
		s.JobsDir = t.TempDir()
		s.Store = sqliteStore(t)
	})
	m := hikvision2(t, ts, key)
	bearer := []string{"Authorization", "Bearer " + key}
	basic := []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte("u:"+key))}
	home := string(get(t, ts.URL+"/", basic...).Body)
	css := regexp.MustCompile(`/static/style\.[0-9a-f]+\.css`).FindString(home)

	type call struct {
		path   string // the OpenAPI path
		method string // the documented operation's method
		send   string // the method sent, when another (to provoke 405)
		url    string
		body   string
		header []string
		status int
	}
	jsonHdr := append([]string{"Content-Type", "application/json"}, bearer...)
	job := submit(t, ts, "?limit=3", mediaCSV, []byte(customersCSV), bearer...)
	wait(t, ts, job.ID, bearer...)
	csvHdr := append([]string{"Content-Type", mediaCSV}, bearer...)
	cookie, token := formToken(t, ts, "/orders", basic...)
	formHdr := append(append([]string{"Content-Type", "application/x-www-form-urlencoded"}, basic...), cookie...)
	withToken := func(v url.Values) string {
		v.Set("csrf_token", token)
		return v.Encode()
	}
	badForm := orderForm()
	badForm.Set("destination_country", "Atlantis")

	// The stored side: users of two roles, two parties and the alert the listed one raises.
	ann := addUser(t, ts, "ann", "analyst", bearer...)
	vic := addUser(t, ts, "vic", "viewer", bearer...)
	postJSON(t, ts.URL+"/v1/parties", partiesJSON, bearer...).wantStatus(t, 200)
	var pd tshttp.PartyDetail
	get(t, ts.URL+"/v1/parties/C-1", bearer...).decode(t, &pd)
	if len(pd.Alerts) == 0 {
		t.Fatal("no alert for C-1")
	}
	alert := "/" + strconv.FormatInt(pd.Alerts[0].ID, 10)
	annHdr, vicHdr := []string{"Authorization", "Bearer " + ann}, []string{"Authorization", "Bearer " + vic}
	annJSON := append([]string{"Content-Type", "application/json"}, annHdr...)
	vicJSON := append([]string{"Content-Type", "application/json"}, vicHdr...)
	csvAnn := append([]string{"Content-Type", mediaCSV}, annHdr...)
	upload, uploadType := multipartFile(t, token, "more.csv", "customer_id,company_name\nC-3,Dahua Technology\n")
	uploadHdr := append(append([]string{"Content-Type", uploadType}, basic...), cookie...)
	noFile, noFileType := multipartFile(t, token, "", "")
	ownUpload, ownUploadType := multipartFile(t, token, "restricted.csv", ownRestrictedCSV)
	ownUploadHdr := append(append([]string{"Content-Type", ownUploadType}, basic...), cookie...)
	noFileHdr := append(append([]string{"Content-Type", noFileType}, basic...), cookie...)
	batchUpload, batchType := batchForm(t, token, "customers.csv", customersCSV)
	batchHdr := append(append([]string{"Content-Type", batchType}, basic...), cookie...)
	batchBad, batchBadType := batchForm(t, token, "nonames.csv", "a,b\n1,2\n")
	batchBadHdr := append(append([]string{"Content-Type", batchBadType}, basic...), cookie...)
	calls := []call{
		{"/v1/search", "get", "", "/v1/search?q=Hikvision&type=organization", "", bearer, 200},
		{"/v1/search", "get", "", "/v1/search?q=" + url.QueryEscape("Zzyzx Quartermaine Holdings"), "", bearer, 200},
		{"/v1/search", "get", "", "/v1/search?limit=x", "", bearer, 400},
		{"/v1/search", "get", "", "/v1/search?q=Hikvision", "", nil, 401},
		{"/v1/search", "get", "POST", "/v1/search?q=Hikvision", "", bearer, 405},
		{"/v1/screen", "post", "GET", "/v1/screen", "", bearer, 405},
		{"/v1/screen", "post", "", "/v1/screen", `{"name":"Hikvision","country":"CN"}`, jsonHdr, 200},
		{"/v1/screen", "post", "", "/v1/screen", `{"parties":[{"id":"1","name":"Hikvision"},{"name":"Nobody Special"}]}`, jsonHdr, 200},
		{"/v1/screen", "post", "", "/v1/screen", `{"name":`, jsonHdr, 400},
		{"/v1/screen", "post", "", "/v1/screen", `{"name":"x"}`, bearer, 415},
		{"/v1/screen", "post", "", "/v1/screen", `{"name":""}`, jsonHdr, 422},
		{"/v1/screen", "post", "", "/v1/screen", `{"parties":[` + strings.Repeat(`{"name":"a"},`, 1000) + `{"name":"a"}]}`, jsonHdr, 413},
		{"/v1/entries/{source}/{source_id}", "get", "", "/v1/entries/" + m.Source + "/" + m.SourceID, "", bearer, 200},
		{"/v1/entries/{source}/{source_id}", "get", "", "/v1/entries/un_sc/" + firstID(t, "un_sc"), "", bearer, 200},
		{"/v1/entries/{source}/{source_id}", "get", "", "/v1/entries/gb_hmt/" + firstID(t, "gb_hmt"), "", bearer, 200},
		{"/v1/entries/{source}/{source_id}", "get", "", "/v1/entries/us_sdn/" + firstID(t, "us_sdn"), "", bearer, 200},
		{"/v1/entries/{source}/{source_id}", "get", "", "/v1/entries/us_el/nope", "", bearer, 404},
		{"/v1/lists", "get", "", "/v1/lists", "", bearer, 200},
		{"/v1/orders", "post", "", "/v1/orders", hikvisionOrder, jsonHdr, 200},
		{"/v1/orders", "post", "", "/v1/orders", clearOrder, jsonHdr, 200},
		{"/v1/orders", "post", "", "/v1/orders", `{"date":`, jsonHdr, 400},
		{"/v1/orders", "post", "", "/v1/orders", clearOrder, nil, 401},
		{"/v1/orders", "post", "GET", "/v1/orders", "", bearer, 405},
		{"/v1/orders", "post", "", "/v1/orders", `{"id":"` + strings.Repeat("x", tshttp.MaxOrderBodyBytes) + `"}`, jsonHdr, 413},
		{"/v1/orders", "post", "", "/v1/orders", clearOrder, bearer, 415},
		{"/v1/orders", "post", "", "/v1/orders", `{"parties":[{"role":"buyer"}]}`, jsonHdr, 422},
		{"/v1/changes", "get", "", "/v1/changes", "", bearer, 200},
		{"/v1/changes", "get", "", "/v1/changes?source=us_sdn&from=%231&to=%232&limit=1", "", bearer, 200},
		{"/v1/changes", "get", "", "/v1/changes?since=soon", "", bearer, 400},
		{"/v1/changes", "get", "", "/v1/changes?from=%2399", "", bearer, 404},
		{"/v1/changes", "get", "", "/v1/changes", "", nil, 401},
		{"/v1/batch", "post", "", "/v1/batch?threshold=0.9", customersCSV, csvHdr, 202},
		{"/v1/batch", "post", "", "/v1/batch?limit=x", customersCSV, csvHdr, 400},
		{"/v1/batch", "post", "", "/v1/batch", customersCSV, nil, 401},
		{"/v1/batch", "post", "GET", "/v1/batch", "", bearer, 405},
		{"/v1/batch", "post", "", "/v1/batch", customersCSV, jsonHdr, 415},
		{"/v1/batch", "post", "", "/v1/batch", "a,b\n1,2\n", csvHdr, 422},
		{"/v1/batch/{id}", "get", "", "/v1/batch/" + job.ID, "", bearer, 200},
		{"/v1/batch/{id}", "get", "", "/v1/batch/" + job.ID, "", nil, 401},
		{"/v1/batch/{id}", "get", "", "/v1/batch/000000000000000000000000", "", bearer, 404},
		{"/v1/batch/{id}/results", "get", "", "/v1/batch/" + job.ID + "/results", "", bearer, 200},
		{"/v1/batch/{id}/results", "get", "", "/v1/batch/" + job.ID + "/results?format=csv", "", bearer, 200},
		{"/v1/batch/{id}/results", "get", "", "/v1/batch/" + job.ID + "/results?format=xlsx", "", bearer, 200},
		{"/v1/batch/{id}/results", "get", "", "/v1/batch/" + job.ID + "/results?format=pdf", "", bearer, 400},
		{"/v1/batch/{id}/results", "get", "", "/v1/batch/" + job.ID + "/results", "", nil, 401},
		{"/v1/batch/{id}/results", "get", "", "/v1/batch/000000000000000000000000/results", "", bearer, 404},
		{"/orders", "get", "", "/orders", "", basic, 200},
		{"/orders", "get", "", "/orders", "", nil, 401},
		{"/orders", "post", "", "/orders", withToken(orderForm()), formHdr, 200},
		{"/orders", "post", "", "/orders", withToken(badForm), formHdr, 422},
		{"/orders", "post", "", "/orders", withToken(orderForm()), append([]string{"Sec-Fetch-Site", "cross-site"}, formHdr...), 403},
		{"/orders", "post", "", "/orders", orderForm().Encode(), formHdr, 403},
		{"/v1/parties", "get", "", "/v1/parties?stale=false&limit=10", "", vicHdr, 200},
		{"/v1/parties", "get", "", "/v1/parties?limit=0", "", vicHdr, 400},
		{"/v1/parties", "get", "", "/v1/parties", "", nil, 401},
		{"/v1/parties", "get", "PUT", "/v1/parties", "", vicHdr, 405},
		{"/v1/parties", "post", "", "/v1/parties?name=c.json", `{"id":"C-5","name":"Lakeside Optics Trading GmbH"}`, annJSON, 200},
		{"/v1/parties", "post", "", "/v1/parties?name=more.csv", "customer_id,company_name\nC-3,Dahua Technology\n", csvAnn, 200},
		{"/v1/parties", "post", "", "/v1/parties", "customer_id,company_name\nC-4,\n", csvAnn, 400},
		{"/v1/parties", "post", "", "/v1/parties", "x", append([]string{"Content-Type", "text/plain"}, annHdr...), 415},
		{"/v1/parties", "post", "", "/v1/parties", partiesJSON, vicJSON, 403},
		{"/v1/parties/{id}", "get", "", "/v1/parties/C-1", "", vicHdr, 200},
		{"/v1/parties/{id}", "get", "", "/v1/parties/nope", "", vicHdr, 404},
		{"/v1/parties/{id}", "patch", "", "/v1/parties/C-2", `{"country":"AT","reason":"moved"}`, annJSON, 200},
		{"/v1/parties/{id}", "patch", "", "/v1/parties/C-2", `{"country":"AT"}`, annJSON, 400},
		{"/v1/parties/{id}", "patch", "", "/v1/parties/C-2", `{"country":"AT","reason":"moved"}`, annHdr, 415},
		{"/v1/parties/{id}/screen", "post", "", "/v1/parties/C-1/screen", "", annHdr, 200},
		{"/v1/parties/{id}/screen", "post", "", "/v1/parties/nope/screen", "", annHdr, 404},
		{"/v1/parties/{id}", "delete", "", "/v1/parties/C-2", "", annHdr, 400},
		{"/v1/parties/{id}", "delete", "", "/v1/parties/C-2?reason=closed", "", vicHdr, 403},
		{"/v1/parties/{id}", "delete", "", "/v1/parties/C-2?reason=closed", "", annHdr, 200},
		{"/v1/parties/{id}/screen", "post", "", "/v1/parties/C-2/screen", "", annHdr, 409},
		{"/v1/alerts", "get", "", "/v1/alerts?status=open,escalated&source=us_el&older_than=0s", "", vicHdr, 200},
		{"/v1/alerts", "get", "", "/v1/alerts?older_than=soon", "", vicHdr, 400},
		{"/v1/alerts/{id}", "get", "", "/v1/alerts" + alert, "", vicHdr, 200},
		{"/v1/alerts/{id}", "get", "", "/v1/alerts/999999", "", vicHdr, 404},
		{"/v1/alerts/{id}/transitions", "post", "", "/v1/alerts" + alert + "/transitions", `{"to":"under_review","reason":"looking","from":"open"}`, annJSON, 200},
		{"/v1/alerts/{id}/transitions", "post", "", "/v1/alerts" + alert + "/transitions", `{"to":"escalated"}`, annJSON, 400},
		{"/v1/alerts/{id}/transitions", "post", "", "/v1/alerts" + alert + "/transitions", `{"to":"escalated","reason":"x","from":"open"}`, annJSON, 409},
		{"/v1/alerts/{id}/transitions", "post", "", "/v1/alerts" + alert + "/transitions", `{"to":"escalated","reason":"x"}`, vicJSON, 403},
		{"/v1/alerts/{id}/transitions", "post", "", "/v1/alerts/999999/transitions", `{"to":"escalated","reason":"x"}`, annJSON, 404},
		{"/v1/alerts/{id}/transitions", "post", "", "/v1/alerts" + alert + "/transitions", `{"to":"escalated","reason":"x"}`, annHdr, 415},
		{"/v1/audit", "get", "", "/v1/audit?action=alert.transition&limit=5", "", vicHdr, 200},
		{"/v1/audit", "get", "", "/v1/audit?from=soon", "", vicHdr, 400},
		{"/v1/audit/verify", "get", "", "/v1/audit/verify", "", vicHdr, 200},
		{"/v1/audit/verify", "get", "", "/v1/audit/verify?x=1", "", vicHdr, 400},
		{"/v1/audit/export", "get", "", "/v1/audit/export?format=csv&from=2000-01-01", "", bearer, 200},
		{"/v1/audit/export", "get", "", "/v1/audit/export?format=json", "", bearer, 200},
		{"/v1/audit/export", "get", "", "/v1/audit/export?format=pdf", "", bearer, 400},
		{"/v1/audit/export", "get", "", "/v1/audit/export", "", annHdr, 403},
		{"/v1/users", "get", "", "/v1/users", "", bearer, 200},
		{"/v1/users", "get", "", "/v1/users", "", annHdr, 403},
		{"/v1/users", "post", "", "/v1/users", `{"name":"zoe","role":"approver"}`, jsonHdr, 201},
		{"/v1/users", "post", "", "/v1/users", `{"name":"zoe","role":"approver"}`, jsonHdr, 409},
		{"/v1/users", "post", "", "/v1/users", `{"name":"zed","role":"boss"}`, jsonHdr, 400},
		{"/v1/users/{name}", "delete", "", "/v1/users/zoe", "", bearer, 200},
		{"/v1/users/{name}", "delete", "", "/v1/users/nobody", "", bearer, 404},
		{"/alerts", "get", "", "/alerts?status=open&source=us_el&older_than=7d", "", basic, 200},
		{"/alerts", "get", "", "/alerts?status=nope", "", basic, 400},
		{"/alerts/{id}", "get", "", "/alerts" + alert, "", basic, 200},
		{"/alerts/{id}", "get", "", "/alerts/999999", "", basic, 404},
		{"/alerts/{id}/transitions", "post", "", "/alerts" + alert + "/transitions", withToken(url.Values{"to": {"escalated"}, "reason": {"second look"}, "from": {"under_review"}}), formHdr, 303},
		{"/alerts/{id}/transitions", "post", "", "/alerts" + alert + "/transitions", withToken(url.Values{"to": {"closed_true_match"}}), formHdr, 400},
		{"/alerts/{id}/transitions", "post", "", "/alerts" + alert + "/transitions", withToken(url.Values{"to": {"open"}, "reason": {"x"}, "from": {"open"}}), formHdr, 409},
		{"/alerts/{id}/transitions", "post", "", "/alerts" + alert + "/transitions", url.Values{"to": {"open"}, "reason": {"x"}}.Encode(), formHdr, 403},
		{"/alerts/{id}/transitions", "post", "", "/alerts/999999/transitions", withToken(url.Values{"to": {"open"}, "reason": {"x"}}), formHdr, 404},
		{"/parties", "get", "", "/parties?stale=true", "", basic, 200},
		{"/parties", "get", "", "/parties?stale=maybe", "", basic, 400},
		{"/parties", "post", "", "/parties", upload, uploadHdr, 200},
		{"/parties", "post", "", "/parties", noFile, noFileHdr, 400},
		{"/parties", "post", "", "/parties", upload, append([]string{"Content-Type", uploadType}, basic...), 403},
		{"/parties/{id}", "get", "", "/parties/C-1", "", basic, 200},
		{"/parties/{id}", "get", "", "/parties/nope", "", basic, 404},
		{"/parties/{id}/screen", "post", "", "/parties/C-1/screen", withToken(url.Values{}), formHdr, 200},
		{"/parties/{id}/screen", "post", "", "/parties/nope/screen", withToken(url.Values{}), formHdr, 404},
		{"/parties/{id}/screen", "post", "", "/parties/C-2/screen", withToken(url.Values{}), formHdr, 409},
		{"/audit", "get", "", "/audit?action=alert.transition&verify=1", "", basic, 200},
		{"/audit", "get", "", "/audit?to=soon", "", basic, 400},
		{"/changes", "get", "", "/changes?source=ofac_sdn", "", basic, 200},
		{"/changes", "get", "", "/changes?limit=x", "", basic, 400},
		{"/changes", "get", "", "/changes?to=%2399", "", basic, 404},
		{"/healthz", "get", "", "/healthz", "", nil, 200},
		{"/readyz", "get", "", "/readyz", "", nil, 200},
		{"/metrics", "get", "", "/metrics", "", bearer, 200},
		{"/metrics", "get", "", "/metrics", "", nil, 401},
		{"/openapi.json", "get", "", "/openapi.json", "", nil, 200},
		{"/openapi-3.0.json", "get", "", "/openapi-3.0.json", "", nil, 200},
		{"/openapi-3.0.json", "get", "POST", "/openapi-3.0.json", "", nil, 405},
		{"/batch", "get", "", "/batch", "", basic, 200},
		{"/batch", "get", "", "/batch", "", nil, 401},
		{"/batch", "post", "", "/batch", batchUpload, batchHdr, 303},
		{"/batch", "post", "", "/batch", noFile, noFileHdr, 400},
		{"/batch", "post", "", "/batch", batchBad, batchBadHdr, 422},
		{"/batch", "post", "", "/batch", batchUpload, append([]string{"Content-Type", batchType}, basic...), 403},
		{"/batch/{id}", "get", "", "/batch/" + job.ID, "", basic, 200},
		{"/batch/{id}", "get", "", "/batch/000000000000000000000000", "", basic, 404},
		{"/batch/{id}/results", "get", "", "/batch/" + job.ID + "/results?format=csv", "", basic, 200},
		{"/batch/{id}/results", "get", "", "/batch/" + job.ID + "/results?format=pdf", "", basic, 400},
		{"/batch/{id}/report", "get", "", "/batch/" + job.ID + "/report", "", basic, 200},
		{"/batch/{id}/report", "get", "", "/batch/" + job.ID + "/report", "", nil, 401},
		{"/", "get", "", "/", "", basic, 200},
		{"/", "get", "", "/", "", nil, 401},
		{"/search", "get", "", "/search?q=Hikvision", "", basic, 200},
		{"/search", "get", "", "/search?q=x&country=Atlantis", "", basic, 400},
		{"/entries/{source}/{source_id}", "get", "", "/entries/" + m.Source + "/" + m.SourceID, "", basic, 200},
		{"/entries/{source}/{source_id}", "get", "", "/entries/us_el/nope", "", basic, 404},
		{"/lists", "get", "", "/lists", "", basic, 200},
		{"/static/{file}", "get", "", css, "", nil, 200},
		{"/static/{file}", "get", "", "/static/nope.css", "", nil, 404},
		{"/v1/own-lists", "get", "", "/v1/own-lists", "", bearer, 200},
		{"/v1/own-lists", "get", "", "/v1/own-lists", "", nil, 401},
		{"/v1/own-lists/{list}", "post", "", "/v1/own-lists/restricted?name=restricted.csv", ownRestrictedCSV, csvHdr, 201},
		{"/v1/own-lists/{list}", "post", "", "/v1/own-lists/restricted", ownRestrictedCSV, csvHdr, 200},
		{"/v1/own-lists/{list}", "post", "", "/v1/own-lists/restricted", "id,name\nC-1,\n", csvHdr, 400},
		{"/v1/own-lists/{list}", "post", "", "/v1/own-lists/restricted", "id,name\n", jsonHdr, 400},
		{"/v1/own-lists/{list}", "post", "", "/v1/own-lists/restricted", "id,name\n", bearer, 415},
		{"/v1/own-lists/{list}", "post", "", "/v1/own-lists/friends", "id,name\n", csvHdr, 404},
		{"/v1/own-lists/{list}", "get", "", "/v1/own-lists/restricted", "", bearer, 200},
		{"/v1/own-lists/{list}", "get", "", "/v1/own-lists/allow", "", bearer, 200},
		{"/v1/own-lists/{list}", "get", "", "/v1/own-lists/friends", "", bearer, 404},
		{"/own-lists", "get", "", "/own-lists", "", basic, 200},
		{"/own-lists/{list}", "post", "", "/own-lists/allow", ownUpload, ownUploadHdr, 400},
		{"/own-lists/{list}", "post", "", "/own-lists/restricted", ownUpload, ownUploadHdr, 200},
		{"/own-lists/{list}", "post", "", "/own-lists/restricted", ownUpload, append([]string{"Content-Type", ownUploadType}, basic...), 403},
	}
	covered := map[string]bool{}
	for _, c := range calls {
		t.Run(fmt.Sprintf("%s %s %d", strings.ToUpper(c.method), c.url[:min(len(c.url), 60)], c.status), func(t *testing.T) {
			method := strings.ToUpper(c.method)
			if c.send != "" {
				method = c.send
			}
			var r *response
			if c.status == 303 {
				r = doNoRedirect(t, method, ts.URL+c.url, strings.NewReader(c.body), c.header...)
			} else {
				r = do(t, method, ts.URL+c.url, strings.NewReader(c.body), c.header...)
			}
			r.wantStatus(t, c.status)
			covered[c.method+" "+c.path] = true
			op, ok := doc.Paths[c.path][c.method]
			if !ok {
				t.Fatalf("%s %s not documented", c.method, c.path)
			}
			resp, ok := op.Responses[strconv.Itoa(r.Status)]
			if !ok {
				t.Fatalf("status %d of %s %s is not documented", r.Status, c.method, c.path)
			}
			if r.Status == 303 {
				return
			}
			ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
			media, ok := resp.Content[ct]
			if !ok {
				t.Fatalf("content type %q of %d is not documented for %s %s", ct, r.Status, c.method, c.path)
			}
			if ct != "application/json" {
				return
			}
			var v any
			r.decode(t, &v)
			for _, e := range doc.validate(media.Schema, v, "$") {
				t.Error(e)
			}
		})
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			if !covered[m+" "+p] {
				t.Errorf("no request exercises documented route %s %s", m, p)
			}
		}
	}
}

// hikvision2 is hikvision with an API key.
func hikvision2(t *testing.T, ts *testServer, key string) entryRef {
	t.Helper()
	r := get(t, ts.URL+"/v1/search?q=Hikvision", "X-API-Key", key)
	r.wantStatus(t, 200)
	var res tshttp.ScreenResult
	r.decode(t, &res)
	return entryRef{Source: res.Matches[0].Source, SourceID: url.PathEscape(res.Matches[0].SourceID)}
}

type entryRef struct{ Source, SourceID string }

// firstID returns the source id of the first loaded entry of a list, path-escaped.
func firstID(t *testing.T, source string) string {
	for _, e := range testScreener(t).Entries() {
		if e.Source == source {
			return url.PathEscape(e.SourceID)
		}
	}
	t.Fatalf("no %s entry loaded", source)
	return ""
}

func TestOpenAPISchemaChecker(t *testing.T) {
	doc := loadOpenAPI(t)
	bad := map[string]any{"error": map[string]any{"code": "nope", "extra": 1.0}}
	errs := doc.validate(schema{Ref: "#/components/schemas/Error"}, bad, "$")
	want := []string{`"message" missing`, `nope is not one of`, `"extra" is not documented`}
	for _, w := range want {
		found := false
		for _, e := range errs {
			found = found || strings.Contains(e, w)
		}
		if !found {
			t.Errorf("checker missed %s; got %q", w, errs)
		}
	}
	if errs := doc.validate(schema{Type: "integer"}, 1.5, "$"); len(errs) != 1 {
		t.Errorf("1.5 accepted as integer")
	}
	if errs := doc.validate(schema{Type: "array", Items: &schema{Type: "string"}}, []any{"a", 1.0}, "$"); len(errs) != 1 {
		t.Errorf("array item type not checked: %q", errs)
	}
}
