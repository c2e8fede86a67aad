package http

import (
	"errors"
	"mime"
	nethttp "net/http"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/licence"
	"github.com/tradescreen/tradescreen/order"
)

// MaxOrderBodyBytes bounds the body of POST /v1/orders.
const MaxOrderBodyBytes = 1 << 20

// decodeOrder reads a POST /v1/orders body as order.Decode does (one JSON object, unknown fields rejected),
// with the API's error classes: EMEDIATYPE for a body that is not JSON, ETOOLARGE past MaxOrderBodyBytes,
// EINVALID for malformed JSON, EUNPROCESSABLE for JSON of the wrong shape.
func decodeOrder(w nethttp.ResponseWriter, r *nethttp.Request) (*order.Order, error) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		return nil, errorf(EMEDIATYPE, "Content-Type: %q is not supported; send application/json", ct)
	}
	var o order.Order
	if err := decodeBody(nethttp.MaxBytesReader(w, r.Body, MaxOrderBodyBytes), &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// decide screens an order through the screening service (which records the decision): each party's name as
// every other door screens a name, with the allow list and the ownership data. An invalid order is
// EUNPROCESSABLE naming the field.
func (s *Server) decide(r *nethttp.Request, o *order.Order) (*order.Decision, error) {
	ri := info(r)
	for _, p := range o.Parties {
		ri.names = append(ri.names, p.Name)
	}
	d, err := s.Service.Decide(r.Context(), actor(r), o)
	if err != nil {
		if tradescreen.ErrorCode(err) == tradescreen.EINVALID {
			return nil, errorf(tradescreen.EUNPROCESSABLE, "%s", tradescreen.ErrorMessage(err))
		}
		return nil, err
	}
	for _, rs := range d.Reasons {
		if rs.Entry != nil {
			ri.matches++
		}
	}
	return d, nil
}

func (s *Server) handleOrder(w nethttp.ResponseWriter, r *nethttp.Request) error {
	o, err := decodeOrder(w, r)
	if err != nil {
		return err
	}
	d, err := s.decide(r, o)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, d)
	return nil
}

// Rows of the UI order form.
const (
	orderFormParties = 5
	orderFormItems   = 4
)

// orderForm is the UI order form's values, kept to show them again with the decision.
type orderForm struct {
	ID, Date, DestCountry, DestAddress string
	Parties                            []order.Party
	Items                              []licence.Item
}

// orderPage is the data of the order page.
type orderPage struct {
	Form     orderForm
	Roles    []string
	Error    string
	Decision *order.Decision
}

var orderRoles = []string{order.RolePurchaser, order.RoleIntermediateConsignee, order.RoleUltimateConsignee,
	order.RoleEndUser, order.RoleFreightForwarder}

func (f *orderForm) pad() {
	for len(f.Parties) < orderFormParties {
		f.Parties = append(f.Parties, order.Party{})
	}
	for len(f.Items) < orderFormItems {
		f.Items = append(f.Items, licence.Item{})
	}
}

func (s *Server) handleUIOrderForm(w nethttp.ResponseWriter, r *nethttp.Request) error {
	p := orderPage{Roles: orderRoles, Form: orderForm{Date: s.now().UTC().Format(time.DateOnly)}}
	p.Form.Parties = []order.Party{{Role: order.RolePurchaser}, {Role: order.RoleUltimateConsignee}, {Role: order.RoleEndUser}}
	p.Form.pad()
	return s.render(w, r, nethttp.StatusOK, "order.html", &pageData{Title: "Screen an order", Nav: "orders", Page: p})
}

// crossOrigin refuses form posts from other sites (checkForm, for every UI POST): the browser sends the API
// key (HTTP Basic) with any request to this server, so a page elsewhere must not be able to post to it.
var crossOrigin = nethttp.NewCrossOriginProtection()

func (s *Server) handleUIOrder(w nethttp.ResponseWriter, r *nethttp.Request) error {
	// handle has checked the origin and the CSRF token and parsed the form.
	r.Body = nethttp.MaxBytesReader(w, r.Body, MaxOrderBodyBytes)
	if err := r.ParseForm(); err != nil {
		var mbe *nethttp.MaxBytesError
		if errors.As(err, &mbe) {
			return errorf(tradescreen.ETOOLARGE, "form: larger than %d bytes", mbe.Limit)
		}
		return errorf(tradescreen.EINVALID, "form: %v", err)
	}
	f := r.PostForm
	form := orderForm{ID: strings.TrimSpace(f.Get("id")), Date: strings.TrimSpace(f.Get("date")),
		DestCountry: strings.TrimSpace(f.Get("destination_country")), DestAddress: strings.TrimSpace(f.Get("destination_address"))}
	at := func(key string, i int) string {
		if vs := f[key]; i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	o := &order.Order{ID: form.ID, Date: form.Date, Destination: order.Destination{Country: form.DestCountry, Address: form.DestAddress}}
	for i := range min(len(f["party_name"]), order.MaxParties) {
		p := order.Party{Role: at("party_role", i), Name: at("party_name", i), Country: at("party_country", i), Address: at("party_address", i)}
		form.Parties = append(form.Parties, p)
		if p.Name != "" || p.Address != "" {
			o.Parties = append(o.Parties, p)
		}
	}
	for i := range min(len(f["item_eccn"]), order.MaxItems) {
		it := licence.Item{ECCN: at("item_eccn", i), HTS: at("item_hts", i), Description: at("item_description", i)}
		form.Items = append(form.Items, it)
		if it.ECCN != "" || it.HTS != "" || it.Description != "" {
			o.Items = append(o.Items, it)
		}
	}
	form.pad()
	p := orderPage{Roles: orderRoles, Form: form}
	status := nethttp.StatusOK
	title := "Screen an order"
	d, err := s.decide(r, o)
	switch {
	case tradescreen.ErrorCode(err) == tradescreen.EUNPROCESSABLE:
		p.Error = tradescreen.ErrorMessage(err)
		status = nethttp.StatusUnprocessableEntity
	case err != nil:
		return err
	default:
		p.Decision = d
		title = strings.ToUpper(d.Outcome) + " — order"
		if d.OrderID != "" {
			title += " " + d.OrderID
		}
	}
	return s.render(w, r, status, "order.html", &pageData{Title: title, Nav: "orders", Page: p})
}
