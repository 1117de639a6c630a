/* laris-worker's assigner: gives waiting chats to agents by round robin, and sends the chats of
 * agents offline past their tenant's grace period back to waiting.
 *
 * Each round (every 100 ms while idle, back to back while there is work) asks PostgreSQL which
 * round-robin tenants have chats waiting and an agent online under capacity (so a chat is
 * assigned within one round of an agent coming online or freeing a place). Per
 * chat, oldest first: one transaction takes the chat (FOR UPDATE SKIP LOCKED, so concurrent
 * assigners work on different chats), Redis picks the agent (laris_kv_assign_pick, atomic across
 * processes), and dist_assign records it with a conditional UPDATE that also re-checks the
 * agent's presence and capacity under a lock on the agent. Redis state that is missing or older
 * than the tenant's dist_version is rebuilt from PostgreSQL first; a pick PostgreSQL refuses is
 * given back. Several laris-worker processes may run this at once. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "laris/log.h"
#include "laris/worker.h"

#define ASSIGN_PER_TENANT     500 /* chats per tenant per round, so one tenant cannot starve others */
#define REDISTRIBUTE_EVERY_MS 1000 /* how often offline agents' chats are looked at */
#define ROUND_EVERY_MS                                                                             \
    100 /* rounds that found nothing to do, at most this often: the                                \
         * sender shares the loop */
#define MAX_AGENTS 1000

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *int_text(laris_arena_t *a, int64_t v)
{
    return laris_arena_printf(a, "%lld", (long long)v);
}

/* Runs one statement in its own transaction (committed). */
static laris_rc run_one(laris_worker_t *w, laris_arena_t *a, laris_sql_id id, int n,
                        const char *const *params, PGresult **res, laris_err_t *err)
{
    laris_db_set_tenant(w->db, 0);
    laris_rc rc = laris_db_query(w->db, a, id, n, params, res, err);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, err);
    return rc != LARIS_OK ? rc : finish;
}

/* Rebuilds tenant_id's Redis state from PostgreSQL (fallback_version when it has no agent);
 * *version gets the version it was built from. */
static laris_rc rebuild(laris_worker_t *w, laris_arena_t *a, int64_t tenant_id,
                        int64_t fallback_version, int64_t *version, laris_err_t *err)
{
    const char *params[1] = {int_text(a, tenant_id)};
    PGresult *res;
    laris_rc rc = run_one(w, a, LARIS_SQL_ASSIGNER_AGENTS, 1, params, &res, err);
    if (rc != LARIS_OK)
        return rc;
    int n = PQntuples(res);
    if (n > MAX_AGENTS)
        n = MAX_AGENTS;
    laris_kv_agent_t *agents = LARIS_ARRAY(a, laris_kv_agent_t, n > 0 ? (size_t)n : 1);
    for (int i = 0; i < n; i++) {
        agents[i].user_id = laris_db_int(res, i, "user_id");
        agents[i].max_chats = laris_db_int(res, i, "max_chats");
        agents[i].load = laris_db_int(res, i, "load");
        agents[i].available = laris_db_bool(res, i, "available");
    }
    *version = n > 0 ? laris_db_int(res, 0, "dist_version") : fallback_version;
    return laris_kv_assign_load(w->kv, tenant_id, *version, agents, (size_t)n, err);
}

typedef enum { STEP_ASSIGNED, STEP_DONE, STEP_NOBODY, STEP_STALE } step_t;

/* Assigns the oldest waiting chat of tenant_id: STEP_ASSIGNED, STEP_DONE (nothing waits, or
 * PostgreSQL refused a stale pick: the next round retries), STEP_NOBODY (Redis has nobody
 * available), or STEP_STALE (Redis must be rebuilt first). */
static laris_rc step(laris_worker_t *w, laris_arena_t *a, int64_t tenant_id, int64_t version,
                     step_t *out, laris_err_t *err)
{
    const char *tenant = int_text(a, tenant_id);
    const char *take[1] = {tenant};
    PGresult *res;
    *out = STEP_DONE;
    laris_db_set_tenant(w->db, 0);
    laris_rc rc = laris_db_query(w->db, a, LARIS_SQL_ASSIGNER_TAKE, 1, take, &res, err);
    const char *conv = rc == LARIS_OK ? laris_db_value(res, 0, "conversation_id") : NULL;
    int64_t conversation_id = conv ? strtoll(conv, NULL, 10) : 0;
    int64_t agent = 0;
    if (rc == LARIS_OK && conv)
        rc = laris_kv_assign_pick(w->kv, tenant_id, version, conversation_id, &agent, err);
    if (rc != LARIS_OK || agent <= 0) {
        laris_rc finish = laris_db_finish(w->db, false, err);
        if (rc == LARIS_OK && conv)
            *out = agent < 0 ? STEP_STALE : STEP_NOBODY;
        return rc != LARIS_OK ? rc : finish;
    }
    const char *assign[3] = {tenant, conv, int_text(a, agent)};
    rc = laris_db_query(w->db, a, LARIS_SQL_ASSIGNER_ASSIGN, 3, assign, &res, err);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, err);
    if (rc == LARIS_OK && finish == LARIS_OK &&
        strcmp(laris_db_value(res, 0, "outcome"), "assigned") == 0) {
        *out = STEP_ASSIGNED;
        return LARIS_OK;
    }
    /* Refused (taken meanwhile, or Redis was stale: dist_version moved) or not recorded. */
    laris_err_t release_err;
    laris_err_init(&release_err, a);
    laris_kv_assign_release(w->kv, tenant_id, agent, conversation_id, &release_err);
    if (rc == LARIS_OK && finish == LARIS_OK)
        laris_log(LARIS_INFO, "assignment of chat %s to %lld refused: %s", conv, (long long)agent,
                  laris_db_value(res, 0, "outcome"));
    return rc != LARIS_OK ? rc : finish;
}

/* PostgreSQL listed a tenant (an agent online under capacity) for which Redis had nobody
 * available. Right after a burst that is picks not committed yet; the same disagreement a round
 * later, at the same version, is Redis being wrong (say a lost release), and the state is
 * rebuilt. Remembered for a few tenants at a time. */
#define SUSPECTS 16
static struct {
    int64_t tenant_id, version;
} suspects[SUSPECTS];

/* True when tenant_id had nobody available at version last round too; remembers it otherwise. */
static bool suspected_again(int64_t tenant_id, int64_t version)
{
    size_t slot = (size_t)tenant_id % SUSPECTS;
    bool again = suspects[slot].tenant_id == tenant_id && suspects[slot].version == version;
    suspects[slot].tenant_id = again ? 0 : tenant_id;
    suspects[slot].version = version;
    return again;
}

/* Makes the next pick of tenant_id find its state stale (so it is rebuilt). */
static void forget_state(laris_worker_t *w, laris_arena_t *a, int64_t tenant_id)
{
    laris_err_t err;
    laris_err_init(&err, a);
    laris_kv_del(w->kv, laris_arena_printf(a, "laris:{t:%lld}:ver", (long long)tenant_id), &err);
    laris_log(LARIS_WARN, "distribution state of tenant %lld disagreed with PostgreSQL: rebuilt",
              (long long)tenant_id);
}

/* Assigns up to ASSIGN_PER_TENANT waiting chats of tenant_id; *assigned gets how many. */
static laris_rc assign_tenant(laris_worker_t *w, laris_arena_t *a, int64_t tenant_id,
                              int64_t version, int *assigned, laris_err_t *err)
{
    bool rebuilt = false;
    for (int i = 0; i < ASSIGN_PER_TENANT && !*w->stop; i++) {
        step_t s;
        laris_rc rc = step(w, a, tenant_id, version, &s, err);
        if (rc != LARIS_OK)
            return rc;
        if (s == STEP_ASSIGNED) {
            (*assigned)++;
            continue;
        }
        if (s == STEP_NOBODY && i == 0 && suspected_again(tenant_id, version))
            forget_state(w, a, tenant_id);
        if (s != STEP_STALE || rebuilt)
            return LARIS_OK;
        rc = rebuild(w, a, tenant_id, version, &version, err);
        if (rc != LARIS_OK)
            return rc;
        rebuilt = true;
    }
    return LARIS_OK;
}

bool laris_assign_run(laris_worker_t *w, laris_arena_t *a)
{
    static int64_t last_redistribute, last_round;
    static bool busy; /* the last round assigned something: more may wait */
    if (!busy && now_ms() - last_round < ROUND_EVERY_MS)
        return false;
    last_round = now_ms();
    laris_err_t err;
    laris_err_init(&err, a);
    int worked = 0;
    if (now_ms() - last_redistribute >= REDISTRIBUTE_EVERY_MS) {
        last_redistribute = now_ms();
        PGresult *res;
        if (run_one(w, a, LARIS_SQL_ASSIGNER_REDISTRIBUTE, 0, NULL, &res, &err) == LARIS_OK)
            worked = (int)laris_db_int(res, 0, "freed");
        else
            laris_log(LARIS_WARN, "redistribution: %s", err.detail ? err.detail : "failed");
        if (worked > 0)
            laris_log(LARIS_INFO, "%d chats of offline agents back to waiting", worked);
    }
    laris_err_init(&err, a);
    PGresult *tenants;
    if (run_one(w, a, LARIS_SQL_ASSIGNER_WAITING_TENANTS, 0, NULL, &tenants, &err) != LARIS_OK) {
        laris_log(LARIS_WARN, "assigner: %s", err.detail ? err.detail : "failed");
        return worked > 0;
    }
    for (int i = 0; i < PQntuples(tenants) && !*w->stop; i++) {
        int assigned = 0;
        int64_t tenant_id = laris_db_int(tenants, i, "tenant_id");
        laris_err_init(&err, a);
        if (assign_tenant(w, a, tenant_id, laris_db_int(tenants, i, "dist_version"), &assigned,
                          &err) != LARIS_OK)
            laris_log(LARIS_WARN, "assigner, tenant %lld: %s", (long long)tenant_id,
                      err.detail ? err.detail : "failed");
        if (assigned > 0)
            laris_log(LARIS_INFO, "assigned %d chats of tenant %lld", assigned,
                      (long long)tenant_id);
        worked += assigned;
    }
    busy = worked > 0;
    return busy;
}
