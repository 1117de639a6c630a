/* Migrations: applies the sql/NNNN_*.sql files compiled into the binary, in order, each in its
 * own transaction, and records them with a checksum so an edited migration is refused. */
#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "laris/crypto.h"
#include "laris/log.h"

static const char create_table_sql[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                       " name text PRIMARY KEY,"
                                       " checksum text NOT NULL,"
                                       " applied_at timestamptz NOT NULL DEFAULT now())";

/* Serializes concurrent `laris-admin migrate` runs on one database. */
static const char lock_sql[] = "SELECT pg_advisory_lock(7368277)";
static const char unlock_sql[] = "SELECT pg_advisory_unlock(7368277)";

static bool run_simple(PGconn *conn, const char *sql, laris_err_t *err)
{
    PGresult *res = PQexec(conn, sql);
    ExecStatusType status = PQresultStatus(res);
    bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (!ok) {
        laris_err_set(err, LARIS_EINTERNAL, "%s", PQresultErrorMessage(res));
    }
    PQclear(res);
    return ok;
}

/* The checksum recorded for a migration, or NULL when it has not been applied. The returned
 * string is copied into out. */
static bool applied_checksum(PGconn *conn, const char *name, char *out, size_t out_size,
                             laris_err_t *err, bool *found)
{
    const char *params[1] = {name};
    PGresult *res = PQexecParams(conn, "SELECT checksum FROM schema_migrations WHERE name = $1", 1,
                                 NULL, params, NULL, NULL, 0);
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    *found = false;
    if (!ok) {
        laris_err_set(err, LARIS_EINTERNAL, "%s", PQresultErrorMessage(res));
    } else if (PQntuples(res) == 1) {
        snprintf(out, out_size, "%s", PQgetvalue(res, 0, 0));
        *found = true;
    }
    PQclear(res);
    return ok;
}

static bool apply_one(PGconn *conn, const laris_sql_migration_t *m, const char *checksum,
                      laris_err_t *err)
{
    if (!run_simple(conn, "BEGIN", err))
        return false;
    if (!run_simple(conn, m->text, err)) {
        laris_err_set(err, LARIS_EINTERNAL, "migration %s failed: %s", m->name, err->detail);
        PQclear(PQexec(conn, "ROLLBACK"));
        return false;
    }
    const char *params[2] = {m->name, checksum};
    PGresult *res =
        PQexecParams(conn, "INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", 2,
                     NULL, params, NULL, NULL, 0);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        laris_err_set(err, LARIS_EINTERNAL, "%s", PQresultErrorMessage(res));
    PQclear(res);
    if (!ok) {
        PQclear(PQexec(conn, "ROLLBACK"));
        return false;
    }
    return run_simple(conn, "COMMIT", err);
}

laris_rc laris_db_migrate(laris_db_t *db, laris_err_t *err)
{
    PGconn *conn = laris_db_conn(db, err);
    if (!conn)
        return err->code;
    if (!run_simple(conn, lock_sql, err) || !run_simple(conn, create_table_sql, err))
        return err->code;

    laris_rc rc = LARIS_OK;
    int applied = 0;
    for (int i = 0; i < laris_sql_migration_count && rc == LARIS_OK; i++) {
        const laris_sql_migration_t *m = &laris_sql_migrations[i];
        char checksum[LARIS_HASH_HEX_MAX];
        char recorded[LARIS_HASH_HEX_MAX];
        bool found;
        laris_token_hash_hex(m->text, checksum);
        if (!applied_checksum(conn, m->name, recorded, sizeof(recorded), err, &found)) {
            rc = err->code;
        } else if (found && strcmp(recorded, checksum) != 0) {
            rc = laris_err_set(err, LARIS_ECONFLICT,
                               "migration %s was edited after it was applied; add a new "
                               "migration instead",
                               m->name);
        } else if (!found) {
            if (apply_one(conn, m, checksum, err)) {
                printf("applied %s\n", m->name);
                applied++;
            } else {
                rc = err->code;
            }
        }
    }
    laris_err_t unlock_err;
    laris_err_init(&unlock_err, err->arena);
    run_simple(conn, unlock_sql, &unlock_err);
    if (rc == LARIS_OK)
        printf("database is up to date (%d applied now, %d in all)\n", applied,
               laris_sql_migration_count);
    return rc;
}
