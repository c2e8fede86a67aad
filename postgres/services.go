package postgres

import (
	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/sqlstore"
)

// The services are sqlstore's, over this package's transactions.
type (
	// PartyService is the parties register.
	PartyService = sqlstore.PartyService
	// AlertService is the alert service.
	AlertService = sqlstore.AlertService
	// AuditService is the audit trail.
	AuditService = sqlstore.AuditService
	// UserService is the user service.
	UserService = sqlstore.UserService
	// MonitorState is the monitoring state.
	MonitorState = sqlstore.MonitorState
	// BatchJobService is the batch jobs shared by the instances using the database.
	BatchJobService = sqlstore.BatchJobService
)

var (
	_ tradescreen.PartyService    = (*PartyService)(nil)
	_ tradescreen.AlertService    = (*AlertService)(nil)
	_ tradescreen.AuditService    = (*AuditService)(nil)
	_ tradescreen.UserService     = (*UserService)(nil)
	_ tradescreen.MonitorState    = (*MonitorState)(nil)
	_ tradescreen.BatchJobService = (*BatchJobService)(nil)
	_ tradescreen.LockService     = (*LockService)(nil)
	_ tradescreen.NotifyService   = (*NotifyService)(nil)
	_ sqlstore.Conn               = (*DB)(nil)
)

// Parties returns the parties register.
func (db *DB) Parties() tradescreen.PartyService { return &PartyService{DB: db} }

// Alerts returns the alert service.
func (db *DB) Alerts() tradescreen.AlertService { return &AlertService{DB: db} }

// Audit returns the audit trail.
func (db *DB) Audit() tradescreen.AuditService { return &AuditService{DB: db} }

// Users returns the user service.
func (db *DB) Users() tradescreen.UserService { return &UserService{DB: db} }

// Monitor returns the monitoring state.
func (db *DB) Monitor() tradescreen.MonitorState { return &MonitorState{DB: db} }

// Locks returns the named locks shared by every process using the database.
func (db *DB) Locks() tradescreen.LockService { return &LockService{DB: db} }

// Notifications returns the notifications between the processes using the database.
func (db *DB) Notifications() tradescreen.NotifyService { return &NotifyService{DB: db} }

// BatchJobs returns the batch jobs shared by every instance using the database.
func (db *DB) BatchJobs() tradescreen.BatchJobService { return &BatchJobService{DB: db} }
