/* PostgreSQL access for one process: a lazily opened connection, tenant-scoped transactions and
 * named statements compiled in from sql/queries (prepared once per connection). */
#ifndef LARIS_DB_H
#define LARIS_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "laris/arena.h"
#include "laris/err.h"
#include "laris/sql_gen.h"

typedef struct laris_db_s laris_db_t;

/* Makes a handle for url; connects on first use. Never NULL. */
laris_db_t *laris_db_create(const char *url);
void laris_db_destroy(laris_db_t *db);

/* Runs the statements of the next transaction as tenant tenant_id (0: no tenant; tables under
 * Row-Level Security then show no rows). The transaction starts at the first laris_db_query
 * with BEGIN and set_config('laris.tenant_id', $1, true), so a request that needs no query
 * costs no round trip. */
void laris_db_set_tenant(laris_db_t *db, int64_t tenant_id);

/* Marks the current request as one that only reads: its statements then run each in an
 * implicit transaction of its own (with the tenant set), without BEGIN and COMMIT, which saves
 * PostgreSQL two statements per request. A statement that writes then commits at once on its
 * own, so use it only where no two writes must succeed together. Cleared by finish. */
void laris_db_set_read_only(laris_db_t *db, bool read_only);

/* Runs statement id with nparams text parameters (NULL for SQL NULL) inside the current
 * transaction. *out (optional) gets the result, freed with the arena. Maps failures:
 * 23505 -> LARIS_ECONFLICT, 23503/23514/22xxx -> LARIS_EINVALID, lost connection ->
 * LARIS_EUNAVAILABLE (the connection is reset for the next request), others -> LARIS_EINTERNAL.
 * After an error the transaction is aborted: call laris_db_finish. */
laris_rc laris_db_query(laris_db_t *db, laris_arena_t *a, laris_sql_id id, int nparams,
                        const char *const *params, PGresult **out, laris_err_t *err);

/* Ends the transaction if one was started: COMMIT when commit is true (a failed COMMIT returns
 * its error), ROLLBACK otherwise. Clears the tenant. */
laris_rc laris_db_finish(laris_db_t *db, bool commit, laris_err_t *err);

/* Commits what the request ran so far and keeps its tenant: the next statement starts a new
 * transaction. For a request that then waits on something slow outside PostgreSQL (a Graph
 * call) and must not hold a transaction, its snapshot and its locks open meanwhile. */
laris_rc laris_db_commit_step(laris_db_t *db, laris_err_t *err);

/* Checks the connection with a trivial query (readiness). */
laris_rc laris_db_ping(laris_db_t *db, laris_err_t *err);

/* Runs a whole script (several statements, no parameters) outside the statement table; for
 * migrations. */
laris_rc laris_db_exec_script(laris_db_t *db, const char *sql, laris_err_t *err);

/* Column value of row, by column name; NULL when SQL NULL or no such column. */
const char *laris_db_value(const PGresult *res, int row, const char *column);

/* Column value parsed as an integer; 0 when NULL. */
int64_t laris_db_int(const PGresult *res, int row, const char *column);

/* Column value as a boolean ('t'). */
bool laris_db_bool(const PGresult *res, int row, const char *column);

/* Applies the migrations compiled into the binary that are not yet recorded in
 * schema_migrations, each in its own transaction; refuses (LARIS_ECONFLICT) when an applied
 * migration's text has changed since. Prints one line per migration applied to stdout. */
laris_rc laris_db_migrate(laris_db_t *db, laris_err_t *err);

#endif
