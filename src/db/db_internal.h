/* Internals shared by the db module's files (not for other modules). */
#ifndef LARIS_DB_INTERNAL_H
#define LARIS_DB_INTERNAL_H

#include <libpq-fe.h>

#include "laris/db.h"

/* The open connection, connecting first when needed; NULL (with err set) when unreachable. */
PGconn *laris_db_conn(laris_db_t *db, laris_err_t *err);

/* Maps a failed result to a code and details on err (SQLSTATE, column); logs what the client
 * is not told. what names the statement for the log. */
laris_rc laris_db_error(laris_db_t *db, const PGresult *res, const char *what, laris_err_t *err);

#endif
