/* PostgreSQL access: one lazily opened connection per process, statements prepared on first
 * use, and one transaction per request that starts with the tenant set.
 *
 * Each call sends its statements in libpq pipeline mode: the first query of a request goes out
 * together with BEGIN and set_config (and PREPARE when the statement is new to the connection),
 * so it costs one round trip.
 *
 * A request that only reads (laris_db_set_read_only) needs no transaction around its
 * statements: each goes out with set_config in a pipeline that ends in Sync, so PostgreSQL
 * runs the pair as one implicit transaction and ends it there, with no BEGIN or COMMIT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "laris/log.h"

struct laris_db_s {
    char *url;
    PGconn *conn;
    bool prepared[LARIS_SQL_COUNT];
    int64_t tenant_id; /* tenant of the next or current transaction */
    bool in_tx;
    bool read_only; /* each statement its own implicit transaction (read-only requests) */
};

static const char begin_sql[] = "BEGIN";
static const char set_tenant_sql[] = "SELECT set_config('laris.tenant_id', $1, true)";

laris_db_t *laris_db_create(const char *url)
{
    laris_db_t *db = calloc(1, sizeof(*db));
    if (!db || !(db->url = strdup(url))) {
        fputs("laris: out of memory\n", stderr);
        abort();
    }
    return db;
}

static void disconnect(laris_db_t *db)
{
    if (db->conn)
        PQfinish(db->conn);
    db->conn = NULL;
    db->in_tx = false;
    memset(db->prepared, 0, sizeof(db->prepared));
}

void laris_db_destroy(laris_db_t *db)
{
    if (!db)
        return;
    disconnect(db);
    free(db->url);
    free(db);
}

/* Server notices (e.g. "already exists, skipping") go to the debug log, not to stderr. */
static void log_notice(void *arg, const char *message)
{
    (void)arg;
    laris_log(LARIS_DEBUG, "PostgreSQL notice: %.200s", message);
}

PGconn *laris_db_conn(laris_db_t *db, laris_err_t *err)
{
    if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
        return db->conn;
    disconnect(db);
    db->conn = PQconnectdb(db->url);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        laris_log(LARIS_ERROR, "cannot connect to PostgreSQL: %s", PQerrorMessage(db->conn));
        disconnect(db);
        laris_err_set(err, LARIS_EUNAVAILABLE, "The database is unavailable. Try again shortly.");
        err->retry_after = 1;
        return NULL;
    }
    PQsetNoticeProcessor(db->conn, log_notice, NULL);
    PGresult *res = PQexec(db->conn, "SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO'");
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!ok) {
        laris_log(LARIS_ERROR, "cannot set up the session: %s", PQerrorMessage(db->conn));
        disconnect(db);
        laris_err_set(err, LARIS_EUNAVAILABLE, "The database is unavailable. Try again shortly.");
        return NULL;
    }
    return db->conn;
}

laris_rc laris_db_error(laris_db_t *db, const PGresult *res, const char *what, laris_err_t *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *column = res ? PQresultErrorField(res, PG_DIAG_COLUMN_NAME) : NULL;
    const char *message = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!state || PQstatus(db->conn) != CONNECTION_OK) {
        laris_log(LARIS_ERROR, "PostgreSQL connection lost during %s: %s", what,
                  PQerrorMessage(db->conn));
        disconnect(db);
        err->retry_after = 1;
        return laris_err_set(err, LARIS_EUNAVAILABLE,
                             "The database is unavailable. Try again shortly.");
    }
    err->sqlstate = laris_arena_strdup(err->arena, state);
    laris_log(LARIS_WARN, "statement %s failed: SQLSTATE %s: %s", what, state,
              message ? message : "");
    if (strcmp(state, "23505") == 0)
        return laris_err_set(err, LARIS_ECONFLICT, "This already exists.");
    if (strcmp(state, "23503") == 0 || strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0 ||
        strncmp(state, "22", 2) == 0) {
        if (column)
            return laris_err_field(err, laris_arena_strdup(err->arena, column), "is not valid");
        return laris_err_set(err, LARIS_EINVALID, "A value is not valid.");
    }
    if (strcmp(state, "42501") == 0)
        return laris_err_set(err, LARIS_ENOTFOUND, "Not found.");
    if (strncmp(state, "08", 2) == 0 || strncmp(state, "53", 2) == 0 ||
        strncmp(state, "57", 2) == 0 || strcmp(state, "40001") == 0 ||
        strcmp(state, "40P01") == 0) {
        err->retry_after = 1;
        return laris_err_set(err, LARIS_EUNAVAILABLE, "The database is busy. Try again shortly.");
    }
    return laris_err_set(err, LARIS_EINTERNAL, "Something went wrong on our side.");
}

void laris_db_set_tenant(laris_db_t *db, int64_t tenant_id)
{
    db->tenant_id = tenant_id;
}

void laris_db_set_read_only(laris_db_t *db, bool read_only)
{
    db->read_only = read_only;
}

/* Reads the results of one pipelined statement: the result itself, then the NULL that ends
 * it. Returns the result (or NULL when the connection broke). */
static PGresult *next_result(PGconn *conn)
{
    PGresult *res = PQgetResult(conn);
    if (res) {
        PGresult *end = PQgetResult(conn);
        while (end) { /* a statement gives one result; drain anything unexpected */
            PQclear(end);
            end = PQgetResult(conn);
        }
    }
    return res;
}

static laris_rc run_pipeline(laris_db_t *db, laris_arena_t *a, laris_sql_id id, int nparams,
                             const char *const *params, PGresult **out, laris_err_t *err);

laris_rc laris_db_query(laris_db_t *db, laris_arena_t *a, laris_sql_id id, int nparams,
                        const char *const *params, PGresult **out, laris_err_t *err)
{
    bool first_of_transaction = !db->in_tx;
    laris_rc rc = run_pipeline(db, a, id, nparams, params, out, err);
    /* A connection that died while idle (server restart) is only noticed now; when nothing of
     * this transaction has run yet, one retry on a fresh connection is safe. */
    if (rc == LARIS_EUNAVAILABLE && first_of_transaction && !db->conn) {
        err->code = LARIS_OK;
        err->detail = NULL;
        err->retry_after = 0;
        rc = run_pipeline(db, a, id, nparams, params, out, err);
    }
    return rc;
}

/* Sends BEGIN and set_config (when the transaction starts), PREPARE (when the statement is new
 * to this connection) and the statement in one pipeline, and reads the results. */
static laris_rc run_pipeline(laris_db_t *db, laris_arena_t *a, laris_sql_id id, int nparams,
                             const char *const *params, PGresult **out, laris_err_t *err)
{
    const laris_sql_statement_t *stmt = &laris_sql_statements[id];
    if (nparams != stmt->nparams) {
        laris_log(LARIS_ERROR, "statement %s takes %d parameters, got %d", stmt->name,
                  stmt->nparams, nparams);
        return laris_err_set(err, LARIS_EINTERNAL, "Something went wrong on our side.");
    }
    PGconn *conn = laris_db_conn(db, err);
    if (!conn)
        return err->code;

    char tenant_text[24];
    snprintf(tenant_text, sizeof(tenant_text), "%lld", (long long)db->tenant_id);
    const char *tenant_param[1] = {tenant_text};
    bool implicit = db->read_only && !db->in_tx;
    bool begins = !db->in_tx && !implicit;
    bool prepares = !db->prepared[id];
    int steps = 0;

    if (!PQenterPipelineMode(conn))
        return laris_db_error(db, NULL, stmt->name, err);
    bool sent = true;
    if (begins) {
        sent = sent && PQsendQueryParams(conn, begin_sql, 0, NULL, NULL, NULL, NULL, 0);
        steps++;
    }
    if ((begins || implicit) && db->tenant_id > 0) {
        sent =
            sent && PQsendQueryParams(conn, set_tenant_sql, 1, NULL, tenant_param, NULL, NULL, 0);
        steps++;
    }
    if (prepares) {
        sent = sent && PQsendPrepare(conn, stmt->name, stmt->text, stmt->nparams, NULL);
        steps++;
    }
    sent = sent && PQsendQueryPrepared(conn, stmt->name, nparams, params, NULL, NULL, 0);
    steps++;
    sent = sent && PQpipelineSync(conn);
    if (!sent)
        return laris_db_error(db, NULL, stmt->name, err);
    if (begins)
        db->in_tx = true;

    laris_rc rc = LARIS_OK;
    PGresult *last = NULL;
    for (int i = 0; i < steps; i++) {
        PGresult *res = next_result(conn);
        if (!res) {
            rc = laris_db_error(db, NULL, stmt->name, err);
            break;
        }
        ExecStatusType status = PQresultStatus(res);
        bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
        if (!ok && rc == LARIS_OK && status != PGRES_PIPELINE_ABORTED)
            rc = laris_db_error(db, res, stmt->name, err);
        if (ok && prepares && i == steps - 2)
            db->prepared[id] = true;
        if (i == steps - 1 && ok)
            last = res;
        else
            PQclear(res);
    }
    if (db->conn) {
        PGresult *sync = PQgetResult(db->conn);
        if (sync && PQresultStatus(sync) != PGRES_PIPELINE_SYNC && rc == LARIS_OK)
            rc = laris_db_error(db, sync, stmt->name, err);
        PQclear(sync);
        PQexitPipelineMode(db->conn);
    }
    if (rc != LARIS_OK) {
        PQclear(last);
        return rc;
    }
    if (out) {
        laris_arena_defer(a, (laris_defer_fn)PQclear, last);
        *out = last;
    } else {
        PQclear(last);
    }
    return LARIS_OK;
}

laris_rc laris_db_finish(laris_db_t *db, bool commit, laris_err_t *err)
{
    db->tenant_id = 0;
    db->read_only = false;
    if (!db->in_tx)
        return LARIS_OK;
    db->in_tx = false;
    if (!db->conn)
        return LARIS_OK;
    PGresult *res = PQexec(db->conn, commit ? "COMMIT" : "ROLLBACK");
    laris_rc rc = LARIS_OK;
    /* A COMMIT of a transaction that failed earlier reports ROLLBACK: treat as a failure. */
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = laris_db_error(db, res, commit ? "COMMIT" : "ROLLBACK", err);
    else if (commit && strcmp(PQcmdStatus(res), "COMMIT") != 0)
        rc = laris_err_set(err, LARIS_EINTERNAL, "Something went wrong on our side.");
    PQclear(res);
    return commit ? rc : LARIS_OK;
}

laris_rc laris_db_commit_step(laris_db_t *db, laris_err_t *err)
{
    int64_t tenant_id = db->tenant_id;
    bool read_only = db->read_only;
    laris_rc rc = laris_db_finish(db, true, err);
    db->tenant_id = tenant_id;
    db->read_only = read_only;
    return rc;
}

laris_rc laris_db_ping(laris_db_t *db, laris_err_t *err)
{
    PGconn *conn = laris_db_conn(db, err);
    if (!conn)
        return err->code;
    PGresult *res = PQexec(conn, "SELECT 1");
    laris_rc rc = LARIS_OK;
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = laris_db_error(db, res, "ping", err);
    PQclear(res);
    return rc;
}

laris_rc laris_db_exec_script(laris_db_t *db, const char *sql, laris_err_t *err)
{
    PGconn *conn = laris_db_conn(db, err);
    if (!conn)
        return err->code;
    PGresult *res = PQexec(conn, sql);
    laris_rc rc = LARIS_OK;
    ExecStatusType status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        laris_log(LARIS_ERROR, "script failed: %s", PQerrorMessage(conn));
        rc = laris_db_error(db, res, "script", err);
    }
    PQclear(res);
    return rc;
}

const char *laris_db_value(const PGresult *res, int row, const char *column)
{
    int col = PQfnumber(res, column);
    if (col < 0 || row >= PQntuples(res) || PQgetisnull(res, row, col))
        return NULL;
    return PQgetvalue(res, row, col);
}

int64_t laris_db_int(const PGresult *res, int row, const char *column)
{
    const char *v = laris_db_value(res, row, column);
    return v ? strtoll(v, NULL, 10) : 0;
}

bool laris_db_bool(const PGresult *res, int row, const char *column)
{
    const char *v = laris_db_value(res, row, column);
    return v && v[0] == 't';
}
