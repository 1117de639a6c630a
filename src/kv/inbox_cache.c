/* The inbox cache's keys in Redis: per tenant a version bumped after every change its inbox
 * shows, and items (list pages, sessions vouched for) stored with the version they were made at.
 *
 *   laris:{i:<tenant>}:v        the version: a number, first set from Redis' clock in
 *                               microseconds, then INCR; a lost key starts again above any
 *                               value it had, so an old item never matches again
 *   laris:{i:<tenant>}:<item>   an item: "<version>\n<value>", expiring after its lifetime
 *
 * Both keys of a tenant share a hash slot, so a read is one MGET. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv_internal.h"

#define KEY_MAX 160

/* KEYS: version keys. Each moves on by one, or starts at Redis' clock (microseconds) when
 * absent. Returns the new versions. */
static kv_script_t bump_script = {"local t = redis.call('TIME')\n"
                                  "local now = t[1] .. string.format('%06d', tonumber(t[2]))\n"
                                  "local out = {}\n"
                                  "for i, k in ipairs(KEYS) do\n"
                                  "  if redis.call('EXISTS', k) == 1 then\n"
                                  "    out[i] = redis.call('INCR', k)\n"
                                  "  else\n"
                                  "    redis.call('SET', k, now)\n"
                                  "    out[i] = tonumber(now)\n"
                                  "  end\n"
                                  "end\n"
                                  "return out\n",
                                  ""};

static void version_key(char out[KEY_MAX], int64_t tenant_id)
{
    snprintf(out, KEY_MAX, "laris:{i:%" PRId64 "}:v", tenant_id);
}

static void item_key(char out[KEY_MAX], int64_t tenant_id, const char *item)
{
    snprintf(out, KEY_MAX, "laris:{i:%" PRId64 "}:%.120s", tenant_id, item);
}

laris_rc laris_kv_inbox_bump(laris_kv_t *kv, size_t n, const int64_t *tenant_ids, int64_t *versions,
                             laris_err_t *err)
{
    if (n == 0)
        return LARIS_OK;
    char(*keys)[KEY_MAX] = calloc(n, KEY_MAX);
    const char **args = calloc(n, sizeof(*args));
    if (!keys || !args)
        abort();
    for (size_t i = 0; i < n; i++) {
        version_key(keys[i], tenant_ids[i]);
        args[i] = keys[i];
    }
    redisReply *reply = NULL;
    laris_rc rc = kv_eval(kv, &bump_script, &reply, err, (int)n, (int)n, args);
    free(args);
    free(keys);
    if (rc != LARIS_OK)
        return rc;
    bool ok = reply->type == REDIS_REPLY_ARRAY && reply->elements == n;
    for (size_t i = 0; ok && i < n; i++) {
        ok = reply->element[i]->type == REDIS_REPLY_INTEGER;
        if (ok && versions)
            versions[i] = reply->element[i]->integer;
    }
    freeReplyObject(reply);
    return ok ? LARIS_OK : kv_unavailable(kv, err);
}

/* The version at the head of a stored item ("<version>\n<value>"), and where the value starts;
 * false when it is not shaped so. */
static bool split_item(const char *value, size_t len, int64_t *version, size_t *body_at)
{
    const char *newline = memchr(value, '\n', len);
    if (!newline || newline == value || newline - value > 20)
        return false;
    int64_t v = 0;
    for (const char *p = value; p < newline; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    *version = v;
    *body_at = (size_t)(newline - value) + 1;
    return true;
}

laris_rc laris_kv_inbox_get(laris_kv_t *kv, int64_t tenant_id, size_t n, const char *const *items,
                            int64_t *version, laris_buf_t *values, bool *hits, laris_err_t *err)
{
    for (size_t i = 0; i < n; i++)
        hits[i] = false;
    if (n > LARIS_KV_INBOX_ITEMS_MAX) /* the rest count as misses */
        n = LARIS_KV_INBOX_ITEMS_MAX;
    char keys[LARIS_KV_INBOX_ITEMS_MAX + 1][KEY_MAX];
    const char *argv[LARIS_KV_INBOX_ITEMS_MAX + 2] = {"MGET", keys[0]};
    version_key(keys[0], tenant_id);
    for (size_t i = 0; i < n; i++) {
        item_key(keys[i + 1], tenant_id, items[i]);
        argv[i + 2] = keys[i + 1];
    }
    *version = 0;
    redisReply *reply = NULL;
    laris_rc rc = kv_argv(kv, &reply, err, (int)n + 2, argv);
    if (rc != LARIS_OK)
        return rc;
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != n + 1) {
        freeReplyObject(reply);
        return kv_unavailable(kv, err);
    }
    if (reply->element[0]->type != REDIS_REPLY_STRING) {
        /* No version yet (a new tenant, or Redis lost it): start one; nothing stored matches. */
        freeReplyObject(reply);
        return laris_kv_inbox_bump(kv, 1, &tenant_id, version, err);
    }
    *version = strtoll(reply->element[0]->str, NULL, 10);
    for (size_t i = 0; i < n; i++) {
        const redisReply *stored = reply->element[i + 1];
        int64_t stored_version;
        size_t value_at;
        if (stored->type == REDIS_REPLY_STRING &&
            split_item(stored->str, stored->len, &stored_version, &value_at) &&
            stored_version == *version) {
            laris_buf_append(&values[i], stored->str + value_at, stored->len - value_at);
            hits[i] = true;
        }
    }
    freeReplyObject(reply);
    return LARIS_OK;
}

laris_rc laris_kv_inbox_put(laris_kv_t *kv, int64_t tenant_id, const char *item, int64_t version,
                            const char *body, size_t len, int ttl_seconds, laris_err_t *err)
{
    char ikey[KEY_MAX], head[24], ttl[16];
    item_key(ikey, tenant_id, item);
    int head_len = snprintf(head, sizeof(head), "%" PRId64 "\n", version);
    snprintf(ttl, sizeof(ttl), "%d", ttl_seconds);
    /* A JSON text holds no NUL, so the value goes as a C string. */
    char *value = malloc((size_t)head_len + len + 1);
    if (!value)
        abort();
    memcpy(value, head, (size_t)head_len);
    memcpy(value + head_len, body, len);
    value[(size_t)head_len + len] = '\0';
    const char *argv[5] = {"SET", ikey, value, "EX", ttl};
    redisReply *reply = NULL;
    laris_rc rc = kv_argv(kv, &reply, err, 5, argv);
    free(value);
    if (rc != LARIS_OK)
        return rc;
    return kv_simple(kv, err, reply);
}
