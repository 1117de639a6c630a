/* Direct database access for integration tests that check or prepare rows beside the API. */
#include "db.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "client.h"

PGresult *itest_sql(PGconn *conn, const char *fmt, ...)
{
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    cr_assert(n > 0 && (size_t)n < sizeof(text));
    PGresult *res = PQexec(conn, text);
    cr_assert(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK,
              "%s: %s", text, PQerrorMessage(conn));
    return res;
}

long long itest_sql_int(PGconn *conn, const char *fmt, ...)
{
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    cr_assert(n > 0 && (size_t)n < sizeof(text));
    PGresult *res = itest_sql(conn, "%s", text);
    long long v = PQntuples(res) == 0 || PQgetisnull(res, 0, 0)
                      ? -1
                      : strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return v;
}

void itest_random_digits(char *out, size_t n)
{
    char hex[65];
    itest_random_hex(hex, 32);
    for (size_t i = 0; i < n; i++)
        out[i] = (char)('0' + (unsigned char)hex[i % 64] % 10);
    out[0] = '9';
    out[n] = '\0';
}
