package main

import "context"

type evalCommand struct{}

func (c *evalCommand) Run(ctx context.Context, m *Main, args []string) error {
	return usagef("not yet available")
}
