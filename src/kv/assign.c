/* Round-robin distribution state in Redis: one Lua script, loaded once and called by SHA, picks
 * the next agent atomically across every assigner process.
 *
 * Per tenant (hash tag {t:<id>}, so the script touches one slot): :rr, a sorted set of the
 * available agents, least recently assigned first (score: a per-tenant sequence); :load and
 * :cap, hashes of each agent's open chats and max_chats; :ver, the PostgreSQL dist_version the
 * state was built from; :seq, the sequence; :c:<conversation>, "<agent>:<version>", the agent a
 * chat was picked for (10 minutes), so a chat picked twice at one version (two assigners, or a
 * retry after a crash) gets the same agent and is counted once; a rebuild (new version) forgets
 * those picks along with the loads they counted. PostgreSQL stays the truth: this state is rebuilt
 * from it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv_internal.h"
#include "laris/log.h"

#define KEYS         6
#define LOAD_ARGS    4 /* per agent: id, max_chats, load, available */
#define HELD_SECONDS "600"

/* ARGV[1] is the operation. load: ARGV[2] version, ARGV[3] n, then n agents (id, cap, load,
 * available) in round-robin order; skipped when the whole state is there at that version. pick:
 * ARGV[2] version; -1 when a key of the state is missing (evicted, flushed; a tenant is only
 * asked for while an agent is online, so :rr is never empty then) or of another version, else
 * the agent the chat was picked for at this version, else the first available agent under capacity
 * (counted, moved to the back), else 0. release: ARGV[2] agent; forgets the chat's pick and
 * uncounts it. */
static const char script[] =
    "local rr, load, cap, ver, seq, held = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]\n"
    "local op = ARGV[1]\n"
    "if op == 'load' then\n"
    "  if redis.call('GET', ver) == ARGV[2] and redis.call('EXISTS', rr, load, cap) == 3 then\n"
    "    return 0\n"
    "  end\n"
    "  redis.call('DEL', rr, load, cap, ver, seq)\n"
    "  local n = tonumber(ARGV[3])\n"
    "  for i = 0, n - 1 do\n"
    "    local id = ARGV[4 + i * 4]\n"
    "    redis.call('HSET', cap, id, ARGV[5 + i * 4])\n"
    "    redis.call('HSET', load, id, ARGV[6 + i * 4])\n"
    "    if ARGV[7 + i * 4] == '1' then redis.call('ZADD', rr, i + 1, id) end\n"
    "  end\n"
    "  redis.call('SET', seq, n)\n"
    "  redis.call('SET', ver, ARGV[2])\n"
    "  return 1\n"
    "elseif op == 'pick' then\n"
    "  if redis.call('GET', ver) ~= ARGV[2] or redis.call('EXISTS', rr, load, cap) < 3 then\n"
    "    return -1\n"
    "  end\n"
    "  local h = redis.call('GET', held)\n"
    "  if h then\n"
    "    local hid, hver = string.match(h, '^(%d+):(%d+)$')\n"
    "    if hver == ARGV[2] then return tonumber(hid) end\n"
    "  end\n"
    "  for _, id in ipairs(redis.call('ZRANGE', rr, 0, -1)) do\n"
    "    if tonumber(redis.call('HGET', load, id) or '0') <\n"
    "       tonumber(redis.call('HGET', cap, id) or '0') then\n"
    "      redis.call('HINCRBY', load, id, 1)\n"
    "      redis.call('ZADD', rr, redis.call('INCR', seq), id)\n"
    "      redis.call('SET', held, id .. ':' .. ARGV[2], 'EX', " HELD_SECONDS ")\n"
    "      return tonumber(id)\n"
    "    end\n"
    "  end\n"
    "  return 0\n"
    "elseif op == 'release' then\n"
    "  local h = redis.call('GET', held)\n"
    "  if h and string.match(h, '^(%d+):') == ARGV[2] then\n"
    "    redis.call('DEL', held)\n"
    "    if tonumber(redis.call('HGET', load, ARGV[2]) or '0') > 0 then\n"
    "      redis.call('HINCRBY', load, ARGV[2], -1)\n"
    "    end\n"
    "  end\n"
    "  return 1\n"
    "end\n"
    "return redis.error_reply('unknown operation')\n";

/* The script and its SHA once loaded into Redis. */
static kv_script_t assign_script = {script, ""};

/* Calls the script with the tenant's keys and the arguments args[0..nargs) (args[0]: the
 * operation); *result gets its integer answer. kv_eval reloads the script when Redis lost it. */
static laris_rc run(laris_kv_t *kv, int64_t tenant_id, int64_t conversation_id, int nargs,
                    const char **args, int64_t *result, laris_err_t *err)
{
    char keys[KEYS][64];
    static const char *const names[KEYS - 1] = {"rr", "load", "cap", "ver", "seq"};
    const char **argv = calloc((size_t)(KEYS + nargs), sizeof(*argv));
    if (!argv)
        abort();
    for (int i = 0; i < KEYS - 1; i++)
        snprintf(keys[i], sizeof(keys[i]), "laris:{t:%lld}:%s", (long long)tenant_id, names[i]);
    snprintf(keys[KEYS - 1], sizeof(keys[KEYS - 1]), "laris:{t:%lld}:c:%lld", (long long)tenant_id,
             (long long)conversation_id);
    for (int i = 0; i < KEYS; i++)
        argv[i] = keys[i];
    for (int i = 0; i < nargs; i++)
        argv[KEYS + i] = args[i];
    redisReply *reply;
    laris_rc rc = kv_eval(kv, &assign_script, &reply, err, KEYS, KEYS + nargs, argv);
    free(argv);
    if (rc != LARIS_OK)
        return rc;
    if (reply->type == REDIS_REPLY_INTEGER) {
        *result = reply->integer;
        rc = LARIS_OK;
    } else {
        laris_log(LARIS_WARN, "distribution script: unexpected reply type %d", reply->type);
        rc = kv_unavailable(kv, err);
    }
    freeReplyObject(reply);
    return rc;
}

laris_rc laris_kv_assign_load(laris_kv_t *kv, int64_t tenant_id, int64_t version,
                              const laris_kv_agent_t *agents, size_t n, laris_err_t *err)
{
    size_t nargs = 3 + n * LOAD_ARGS;
    const char **args = calloc(nargs, sizeof(*args));
    char(*text)[24] = calloc(2 + n * LOAD_ARGS, sizeof(*text));
    if (!args || !text)
        abort();
    args[0] = "load";
    snprintf(text[0], sizeof(text[0]), "%lld", (long long)version);
    snprintf(text[1], sizeof(text[1]), "%zu", n);
    args[1] = text[0];
    args[2] = text[1];
    for (size_t i = 0; i < n; i++) {
        char(*t)[24] = text + 2 + i * LOAD_ARGS;
        snprintf(t[0], sizeof(t[0]), "%lld", (long long)agents[i].user_id);
        snprintf(t[1], sizeof(t[1]), "%lld", (long long)agents[i].max_chats);
        snprintf(t[2], sizeof(t[2]), "%lld", (long long)agents[i].load);
        snprintf(t[3], sizeof(t[3]), "%d", agents[i].available ? 1 : 0);
        for (int k = 0; k < LOAD_ARGS; k++)
            args[3 + i * LOAD_ARGS + (size_t)k] = t[k];
    }
    int64_t result;
    laris_rc rc = run(kv, tenant_id, 0, (int)nargs, args, &result, err);
    free(args);
    free(text);
    return rc;
}

laris_rc laris_kv_assign_pick(laris_kv_t *kv, int64_t tenant_id, int64_t version,
                              int64_t conversation_id, int64_t *agent_id, laris_err_t *err)
{
    char v[24];
    snprintf(v, sizeof(v), "%lld", (long long)version);
    const char *args[2] = {"pick", v};
    return run(kv, tenant_id, conversation_id, 2, args, agent_id, err);
}

laris_rc laris_kv_assign_release(laris_kv_t *kv, int64_t tenant_id, int64_t agent_id,
                                 int64_t conversation_id, laris_err_t *err)
{
    char a[24];
    snprintf(a, sizeof(a), "%lld", (long long)agent_id);
    const char *args[2] = {"release", a};
    int64_t result;
    return run(kv, tenant_id, conversation_id, 2, args, &result, err);
}
