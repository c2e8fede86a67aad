package http

import (
	nethttp "net/http"

	"github.com/tradescreen/tradescreen"
)

// UsersResult is the answer to GET /v1/users.
type UsersResult struct {
	Users []*tradescreen.User `json:"users"`
}

// UserRequest is the body of POST /v1/users.
type UserRequest struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// NewUser is the answer to POST /v1/users: the user and its API key, shown this once (only its hash is
// kept).
type NewUser struct {
	User *tradescreen.User `json:"user"`
	Key  string            `json:"key"`
}

func (s *Server) handleUsers(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	us, err := st.Users().FindUsers(r.Context())
	if err != nil {
		return err
	}
	if us == nil {
		us = []*tradescreen.User{}
	}
	writeJSON(w, nethttp.StatusOK, UsersResult{Users: us})
	return nil
}

func (s *Server) handleUserCreate(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	var req UserRequest
	if err := decodeJSON(w, r, MaxBodyBytes, &req); err != nil {
		return err
	}
	if err := checkText("name", req.Name); err != nil {
		return err
	}
	role, err := tradescreen.ParseRole(req.Role)
	if err != nil {
		return err
	}
	u, key, err := st.Users().CreateUser(r.Context(), actor(r), req.Name, role)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/users")
	writeJSON(w, nethttp.StatusCreated, NewUser{User: u, Key: key})
	return nil
}

func (s *Server) handleUserDisable(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	if err := st.Users().DisableUser(r.Context(), actor(r), name); err != nil {
		return err
	}
	us, err := st.Users().FindUsers(r.Context())
	if err != nil {
		return err
	}
	for _, u := range us {
		if u.Name == name {
			writeJSON(w, nethttp.StatusOK, u)
			return nil
		}
	}
	return errorf(tradescreen.ENOTFOUND, "no user %q", name)
}
