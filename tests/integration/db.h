/* Direct database access for integration tests that check or prepare rows beside the API. */
#ifndef ITEST_DB_H
#define ITEST_DB_H

#include <libpq-fe.h>
#include <stddef.h>

/* Runs a formatted statement on conn; fails the test on error. The caller clears the result. */
PGresult *itest_sql(PGconn *conn, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The single value of a formatted query; -1 for no row or NULL. */
long long itest_sql_int(PGconn *conn, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* n random decimal digits, the first a 9 (unique Cloud API ids per run), NUL-terminated. */
void itest_random_digits(char *out, size_t n);

#endif
