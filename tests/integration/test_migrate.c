/* Migrations on the live test database: re-running is a no-op, and an applied migration that
 * was edited afterwards is refused. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static PGconn *owner_conn(void)
{
    const char *url = getenv("LARIS_DATABASE_OWNER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_OWNER_URL is not set: is the test stack up?");
    PGconn *conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    return conn;
}

static void exec_ok(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);
    cr_assert(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK,
              "%s: %s", sql, PQerrorMessage(conn));
    PQclear(res);
}

/* Runs laris-admin migrate; returns its exit status and the output in out. */
static int run_migrate(char *out, size_t out_size)
{
    FILE *p = popen(LARIS_BINARY_DIR "/laris-admin migrate 2>&1", "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, out_size - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(migrate, rerun_applies_nothing)
{
    char out[4096];
    cr_assert_eq(run_migrate(out, sizeof(out)), 0, "%s", out);
    cr_assert(strstr(out, "0 applied now"), "%s", out);
}

Test(migrate, edited_migration_is_refused)
{
    PGconn *conn = owner_conn();
    exec_ok(conn, "UPDATE schema_migrations SET checksum = 'edited-' || checksum "
                  "WHERE name = '0001_foundation'");
    char out[4096];
    int status = run_migrate(out, sizeof(out));
    exec_ok(conn, "UPDATE schema_migrations SET checksum = substr(checksum, 8) "
                  "WHERE name = '0001_foundation' AND checksum LIKE 'edited-%'");
    PQfinish(conn);
    cr_assert_neq(status, 0, "an edited migration must be refused: %s", out);
    cr_assert(strstr(out, "edited after it was applied"), "%s", out);
    cr_assert_eq(run_migrate(out, sizeof(out)), 0, "restored: %s", out);
}
