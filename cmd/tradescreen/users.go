package main

import (
	"context"
	"fmt"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/textview"
)

type usersCommand struct{}

const usersHelp = `Manages the users who act through API keys, and their roles:

  viewer     reads parties, alerts and the audit trail
  analyst    also imports and changes parties and moves and closes alerts
  approver   also closes escalated alerts (never their own escalations)
  admin      also manages users and configuration

  users add NAME --role ROLE     create a user; prints the API key once (only its hash is stored)
  users list                     list the users
  users disable NAME             revoke a user's key

Commands act as the user of --api-key (or TRADESCREEN_API_KEY) when given, else as the local operator
(cli:$USER, or --as NAME) with the admin role.`

func (c *usersCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "users", "users add|list|disable [--role ROLE] [NAME]", usersHelp)
	sf := addStoreFlags(fs)
	roleFlag := fs.String("role", "", "add: viewer, analyst, approver or admin")
	asJSON := fs.Bool("json", false, "print as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("a subcommand is required: add, list or disable")
	}
	sub, rest := pos[0], pos[1:]
	var role tradescreen.Role
	switch sub {
	case "add":
		if len(rest) != 1 {
			return usagef("users add takes a NAME")
		}
		if role, err = tradescreen.ParseRole(*roleFlag); err != nil {
			return usagef("--role: %s", errorText(err))
		}
	case "disable":
		if len(rest) != 1 {
			return usagef("users disable takes a NAME")
		}
	case "list":
	default:
		return usagef("unknown subcommand %q: want add, list or disable", sub)
	}
	store, actor, err := sf.open(ctx, m)
	if err != nil {
		return err
	}
	defer store.Close()
	us := store.Users()
	switch sub {
	case "add":
		u, key, err := us.CreateUser(ctx, actor, rest[0], role)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(m.Stdout, map[string]any{"user": u, "api_key": key})
		}
		fmt.Fprintf(m.Stdout, "user %s (%s) created. API key (shown once, keep it secret):\n%s\n", u.Name, u.Role, key)
	case "disable":
		if err := us.DisableUser(ctx, actor, rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "user %s disabled\n", rest[0])
	case "list":
		list, err := us.FindUsers(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			if list == nil {
				list = []*tradescreen.User{}
			}
			return writeJSON(m.Stdout, list)
		}
		textview.Users(m.Stdout, list)
	}
	return nil
}
