/* Redis access: one lazily opened connection per process with short timeouts, Lua scripts
 * loaded once and called by SHA (EVALSHA; NOSCRIPT loads again), and windowed counters.
 * The worker's send queues are in sendq.c, its rate limiters in gcra.c. */
#include <hiredis/hiredis.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv_internal.h"
#include "laris/log.h"

struct laris_kv_s {
    char host[256];
    int port;
    int database;
    redisContext *ctx;
};

/* INCR a key; on its first hit give it the window (ms) as expiry. Returns {count, ttl_ms}. */
static kv_script_t hit_script = {"local n = redis.call('INCR', KEYS[1])\n"
                                 "local ttl = redis.call('PTTL', KEYS[1])\n"
                                 "if ttl < 0 then\n"
                                 "  redis.call('PEXPIRE', KEYS[1], ARGV[1])\n"
                                 "  ttl = tonumber(ARGV[1])\n"
                                 "end\n"
                                 "return {n, ttl}\n",
                                 ""};

/* Parses redis://host:port/db (port and db optional). */
static bool parse_url(laris_kv_t *kv, const char *url)
{
    const char *prefix = "redis://";
    if (strncmp(url, prefix, strlen(prefix)) != 0)
        return false;
    const char *host = url + strlen(prefix);
    size_t host_len = strcspn(host, ":/");
    if (host_len == 0 || host_len >= sizeof(kv->host))
        return false;
    memcpy(kv->host, host, host_len);
    kv->host[host_len] = '\0';
    const char *rest = host + host_len;
    kv->port = 6379;
    kv->database = 0;
    if (*rest == ':') {
        char *end;
        long port = strtol(rest + 1, &end, 10);
        if (port <= 0 || port > 65535)
            return false;
        kv->port = (int)port;
        rest = end;
    }
    if (*rest == '/' && rest[1]) {
        char *end;
        long database = strtol(rest + 1, &end, 10);
        if (database < 0 || database > 1024 || *end)
            return false;
        kv->database = (int)database;
    }
    return true;
}

laris_kv_t *laris_kv_create(const char *url)
{
    laris_kv_t *kv = calloc(1, sizeof(*kv));
    if (!kv) {
        fputs("laris: out of memory\n", stderr);
        abort();
    }
    if (!parse_url(kv, url)) {
        laris_log(LARIS_ERROR, "REDIS_URL is not redis://host:port/db; using 127.0.0.1:6379");
        snprintf(kv->host, sizeof(kv->host), "127.0.0.1");
        kv->port = 6379;
    }
    return kv;
}

static void disconnect(laris_kv_t *kv)
{
    if (kv->ctx)
        redisFree(kv->ctx);
    kv->ctx = NULL;
}

void laris_kv_destroy(laris_kv_t *kv)
{
    if (!kv)
        return;
    disconnect(kv);
    free(kv);
}

laris_rc kv_unavailable(laris_kv_t *kv, laris_err_t *err)
{
    laris_log(LARIS_WARN, "Redis unavailable: %s", kv->ctx ? kv->ctx->errstr : "no connection");
    disconnect(kv);
    err->retry_after = 1;
    laris_err_set(err, LARIS_EUNAVAILABLE, "A service is unavailable. Try again shortly.");
    return LARIS_EUNAVAILABLE;
}

/* Connects when not connected. */
static laris_rc ensure_connected(laris_kv_t *kv, laris_err_t *err)
{
    if (!kv->ctx) {
        struct timeval timeout = {1, 0};
        kv->ctx = redisConnectWithTimeout(kv->host, kv->port, timeout);
        if (!kv->ctx || kv->ctx->err)
            return kv_unavailable(kv, err);
        redisSetTimeout(kv->ctx, timeout);
        if (kv->database) {
            redisReply *r = redisCommand(kv->ctx, "SELECT %d", kv->database);
            bool ok = r && r->type != REDIS_REPLY_ERROR;
            if (r)
                freeReplyObject(r);
            if (!ok)
                return kv_unavailable(kv, err);
        }
    }
    return LARIS_OK;
}

laris_rc kv_command(laris_kv_t *kv, redisReply **out, laris_err_t *err, const char *fmt, ...)
{
    *out = NULL;
    laris_rc rc = ensure_connected(kv, err);
    if (rc != LARIS_OK)
        return rc;
    va_list ap;
    va_start(ap, fmt);
    redisReply *reply = redisvCommand(kv->ctx, fmt, ap);
    va_end(ap);
    if (!reply)
        return kv_unavailable(kv, err);
    *out = reply;
    return LARIS_OK;
}

laris_rc kv_argv(laris_kv_t *kv, redisReply **out, laris_err_t *err, int argc, const char **argv)
{
    *out = NULL;
    laris_rc rc = ensure_connected(kv, err);
    if (rc != LARIS_OK)
        return rc;
    redisReply *reply = redisCommandArgv(kv->ctx, argc, argv, NULL);
    if (!reply)
        return kv_unavailable(kv, err);
    *out = reply;
    return LARIS_OK;
}

laris_rc kv_simple(laris_kv_t *kv, laris_err_t *err, redisReply *reply)
{
    bool ok = reply->type != REDIS_REPLY_ERROR;
    if (!ok)
        laris_log(LARIS_WARN, "Redis error: %.200s", reply->str);
    freeReplyObject(reply);
    return ok ? LARIS_OK : kv_unavailable(kv, err);
}

/* SCRIPT LOAD: the SHA goes into the script (it is the SHA1 of the text, the same on every
 * server, so one load per process suffices until a server forgets it). */
static laris_rc load_script(laris_kv_t *kv, kv_script_t *s, laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = kv_command(kv, &reply, err, "SCRIPT LOAD %s", s->text);
    if (rc != LARIS_OK)
        return rc;
    bool ok = reply->type == REDIS_REPLY_STRING && reply->len == 40;
    if (ok)
        memcpy(s->sha, reply->str, 41);
    freeReplyObject(reply);
    return ok ? LARIS_OK : kv_unavailable(kv, err);
}

laris_rc kv_eval(laris_kv_t *kv, kv_script_t *s, redisReply **out, laris_err_t *err, int nkeys,
                 int nargs, const char **args)
{
    *out = NULL;
    const char **argv = calloc((size_t)nargs + 3, sizeof(*argv));
    char numkeys[16];
    if (!argv)
        abort();
    snprintf(numkeys, sizeof(numkeys), "%d", nkeys);
    argv[0] = "EVALSHA";
    argv[2] = numkeys;
    for (int i = 0; i < nargs; i++)
        argv[3 + i] = args[i];
    laris_rc rc = LARIS_EUNAVAILABLE;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!s->sha[0] && (rc = load_script(kv, s, err)) != LARIS_OK)
            break;
        argv[1] = s->sha;
        redisReply *reply = NULL;
        if ((rc = kv_argv(kv, &reply, err, nargs + 3, argv)) != LARIS_OK) {
            s->sha[0] = '\0'; /* a new connection may reach a Redis without it */
            break;
        }
        if (reply->type == REDIS_REPLY_ERROR && strncmp(reply->str, "NOSCRIPT", 8) == 0) {
            freeReplyObject(reply); /* Redis restarted or flushed its scripts: load again */
            s->sha[0] = '\0';
            rc = kv_unavailable(kv, err);
            continue;
        }
        if (reply->type == REDIS_REPLY_ERROR) {
            rc = kv_simple(kv, err, reply);
            break;
        }
        *out = reply;
        rc = LARIS_OK;
        break;
    }
    free(argv);
    return rc;
}

laris_rc laris_kv_ping(laris_kv_t *kv, laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = kv_command(kv, &reply, err, "PING");
    if (rc != LARIS_OK)
        return rc;
    bool ok = reply->type == REDIS_REPLY_STATUS;
    freeReplyObject(reply);
    return ok ? LARIS_OK : kv_unavailable(kv, err);
}

laris_rc laris_kv_hit(laris_kv_t *kv, const char *key, int window_seconds, int64_t *count,
                      int64_t *ttl_ms, laris_err_t *err)
{
    char window_ms[24];
    snprintf(window_ms, sizeof(window_ms), "%lld", (long long)window_seconds * 1000);
    const char *args[2] = {key, window_ms};
    redisReply *reply = NULL;
    laris_rc rc = kv_eval(kv, &hit_script, &reply, err, 1, 2, args);
    if (rc != LARIS_OK)
        return rc;
    bool ok = reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
              reply->element[0]->type == REDIS_REPLY_INTEGER &&
              reply->element[1]->type == REDIS_REPLY_INTEGER;
    if (ok) {
        *count = reply->element[0]->integer;
        *ttl_ms = reply->element[1]->integer;
    }
    freeReplyObject(reply);
    return ok ? LARIS_OK : kv_unavailable(kv, err);
}

laris_rc laris_kv_peek(laris_kv_t *kv, const char *key, int64_t *count, int64_t *ttl_ms,
                       laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = kv_command(kv, &reply, err, "MGET %s", key);
    if (rc != LARIS_OK)
        return rc;
    *count = 0;
    *ttl_ms = 0;
    bool ok = reply->type == REDIS_REPLY_ARRAY && reply->elements == 1;
    if (ok && reply->element[0]->type == REDIS_REPLY_STRING)
        *count = strtoll(reply->element[0]->str, NULL, 10);
    freeReplyObject(reply);
    if (!ok)
        return kv_unavailable(kv, err);
    if (*count == 0)
        return LARIS_OK;
    rc = kv_command(kv, &reply, err, "PTTL %s", key);
    if (rc != LARIS_OK)
        return rc;
    if (reply->type == REDIS_REPLY_INTEGER && reply->integer > 0)
        *ttl_ms = reply->integer;
    freeReplyObject(reply);
    return LARIS_OK;
}

laris_rc laris_kv_del(laris_kv_t *kv, const char *key, laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = kv_command(kv, &reply, err, "DEL %s", key);
    if (rc != LARIS_OK)
        return rc;
    freeReplyObject(reply);
    return LARIS_OK;
}
