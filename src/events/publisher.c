/* laris-events' loop: wait for NOTIFY laris_live (or a 1 s tick), take up to BATCH events with
 * live_take() and POST each to nchan's publisher location on nginx's Unix socket, then commit.
 *
 * One process publishes, so each channel's events reach nchan in seq order. A crash between
 * publishing and COMMIT leaves the rows in place: they are published again with the same seq
 * and clients drop the repeat. Payloads hold ids only; they are never logged. */
#include <curl/curl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "laris/arena.h"
#include "laris/db.h"
#include "laris/events.h"
#include "laris/kv.h"
#include "laris/log.h"

#define BATCH    500
#define TICK_MS  1000
#define RETRY_MS 500

typedef struct {
    const laris_events_t *ev;
    PGconn *pg;
    CURL *curl;
    struct curl_slist *headers;
    laris_kv_t *kv;
    laris_arena_t *arena; /* error details of Redis calls; reset per batch */
} publisher_t;

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static size_t discard(char *ptr, size_t size, size_t n, void *arg)
{
    (void)ptr;
    (void)arg;
    return size * n;
}

static bool exec_ok(PGconn *pg, const char *sql)
{
    PGresult *res = PQexec(pg, sql);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        laris_log(LARIS_WARN, "%s: %s", sql, PQerrorMessage(pg));
    PQclear(res);
    return ok;
}

/* Connects, LISTENs and prepares the take; false (connection dropped) when any step fails. */
static bool pg_open(publisher_t *p)
{
    if (p->pg && PQstatus(p->pg) == CONNECTION_OK)
        return true;
    PQfinish(p->pg);
    p->pg = PQconnectdb(p->ev->database_url);
    if (PQstatus(p->pg) != CONNECTION_OK) {
        laris_log(LARIS_WARN, "PostgreSQL unreachable: %s", PQerrorMessage(p->pg));
        PQfinish(p->pg);
        p->pg = NULL;
        return false;
    }
    const laris_sql_statement_t *take = &laris_sql_statements[LARIS_SQL_LIVE_TAKE];
    PGresult *res = PQprepare(p->pg, take->name, take->text, take->nparams, NULL);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!ok || !exec_ok(p->pg, "LISTEN laris_live")) {
        laris_log(LARIS_WARN, "cannot prepare the take: %s", PQerrorMessage(p->pg));
        PQfinish(p->pg);
        p->pg = NULL;
        return false;
    }
    laris_log(LARIS_INFO, "listening on laris_live");
    return true;
}

/* POSTs one event to nchan; nchan answers 201 (delivered) or 202 (queued, no subscriber). */
static bool publish(publisher_t *p, const char *channel, const char *payload)
{
    char url[128];
    snprintf(url, sizeof url, "http://localhost/pub/%s", channel);
    curl_easy_setopt(p->curl, CURLOPT_URL, url);
    curl_easy_setopt(p->curl, CURLOPT_POSTFIELDS, payload);
    curl_easy_setopt(p->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(payload));
    CURLcode cc = curl_easy_perform(p->curl);
    long status = 0;
    curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, &status);
    if (cc != CURLE_OK || (status != 201 && status != 202)) {
        laris_log(LARIS_WARN, "nchan refused an event on %s: %s (HTTP %ld)", channel,
                  curl_easy_strerror(cc), status);
        return false;
    }
    return true;
}

/* Moves on the inbox version of every tenant whose events in res may change its inbox list
 * (src/crm/inbox_cache.c), before any of them is published: a screen that refetches on an
 * event never gets a cached page older than it. False when Redis could not be reached. */
static bool bump_inbox_versions(publisher_t *p, PGresult *res)
{
    int64_t tenants[BATCH];
    size_t n = 0;
    for (int i = 0; i < PQntuples(res) && n < BATCH; i++) {
        if (strcmp(PQgetvalue(res, i, 4), "t") != 0)
            continue;
        int64_t tenant = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        bool seen = false;
        for (size_t j = 0; j < n && !seen; j++)
            seen = tenants[j] == tenant;
        if (!seen)
            tenants[n++] = tenant;
    }
    laris_arena_reset(p->arena);
    laris_err_t err;
    laris_err_init(&err, p->arena);
    if (laris_kv_inbox_bump(p->kv, n, tenants, NULL, &err) == LARIS_OK)
        return true;
    laris_log(LARIS_WARN, "Redis unreachable: live events wait until inbox versions can move on");
    return false;
}

/* Publishes one batch in one transaction. Returns the number of events, or -1 on failure
 * (rolled back: the events stay for the next try). */
static int publish_batch(publisher_t *p)
{
    if (!exec_ok(p->pg, "BEGIN"))
        return -1;
    char limit[16];
    snprintf(limit, sizeof limit, "%d", BATCH);
    const char *params[1] = {limit};
    PGresult *res = PQexecPrepared(p->pg, laris_sql_statements[LARIS_SQL_LIVE_TAKE].name, 1, params,
                                   NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        laris_log(LARIS_WARN, "live_take failed: %s", PQerrorMessage(p->pg));
        PQclear(res);
        exec_ok(p->pg, "ROLLBACK");
        return -1;
    }
    int n = PQntuples(res);
    if (!bump_inbox_versions(p, res)) {
        PQclear(res);
        exec_ok(p->pg, "ROLLBACK");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (!publish(p, PQgetvalue(res, i, 1), PQgetvalue(res, i, 3))) {
            PQclear(res);
            exec_ok(p->pg, "ROLLBACK");
            return -1;
        }
    }
    PQclear(res);
    return exec_ok(p->pg, "COMMIT") ? n : -1;
}

/* Waits for a notification or the tick, then consumes what arrived. */
static void wait_for_events(publisher_t *p)
{
    struct pollfd pfd = {.fd = PQsocket(p->pg), .events = POLLIN};
    if (poll(&pfd, 1, TICK_MS) <= 0)
        return;
    if (!PQconsumeInput(p->pg))
        return; /* the connection is gone: pg_open reconnects */
    PGnotify *note;
    while ((note = PQnotifies(p->pg)) != NULL)
        PQfreemem(note);
}

int laris_events_run(const laris_events_t *ev)
{
    publisher_t p = {.ev = ev,
                     .curl = curl_easy_init(),
                     .kv = laris_kv_create(ev->redis_url),
                     .arena = laris_arena_create(4096)};
    if (!p.curl)
        return 1;
    p.headers = curl_slist_append(NULL, "Content-Type: application/json");
    p.headers = curl_slist_append(p.headers, "Expect:");
    curl_easy_setopt(p.curl, CURLOPT_UNIX_SOCKET_PATH, ev->nchan_socket);
    curl_easy_setopt(p.curl, CURLOPT_HTTPHEADER, p.headers);
    curl_easy_setopt(p.curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(p.curl, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(p.curl, CURLOPT_NOSIGNAL, 1L);

    while (!*ev->stop) {
        if (!pg_open(&p)) {
            sleep_ms(RETRY_MS);
            continue;
        }
        int n = 0;
        while (!*ev->stop && (n = publish_batch(&p)) == BATCH)
            ;
        if (n < 0) {
            sleep_ms(RETRY_MS);
            continue;
        }
        wait_for_events(&p);
    }
    PQfinish(p.pg);
    curl_slist_free_all(p.headers);
    curl_easy_cleanup(p.curl);
    laris_kv_destroy(p.kv);
    laris_arena_destroy(p.arena);
    return 0;
}
