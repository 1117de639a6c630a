/* The outbox side of laris-worker: outbox rows go to the numbers' Redis queues in the claiming
 * transaction (rolled back when Redis does not take them, so nothing is lost while Redis is
 * down); when Redis lost its queues the queued messages are relayed again; sends a dead worker
 * left in 'sending' become 'unknown'. */
#include "laris/log.h"
#include "worker_internal.h"

laris_rc worker_relay(laris_worker_t *w, laris_arena_t *a, int batch, int64_t *numbers, int *moved,
                      laris_err_t *err)
{
    *moved = 0;
    laris_db_set_tenant(w->db, 0);
    const char *params[1] = {laris_arena_printf(a, "%d", batch)};
    PGresult *res;
    laris_rc rc = laris_db_query(w->db, a, LARIS_SQL_WORKER_OUTBOX_CLAIM, 1, params, &res, err);
    int n = rc == LARIS_OK ? PQntuples(res) : 0;
    const char **jobs = laris_arena_alloc(a, sizeof(*jobs) * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n && i < batch; i++) {
        jobs[i] = laris_arena_printf(a, "%s:%s", laris_db_value(res, i, "tenant_id"),
                                     laris_db_value(res, i, "message_id"));
        numbers[i] = laris_db_int(res, i, "wa_number_id");
    }
    if (rc == LARIS_OK)
        rc = laris_kv_sendq_push_many(w->kv, n < batch ? n : batch, numbers, jobs, err);
    if (rc == LARIS_OK)
        *moved = PQntuples(res);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, err);
    return rc != LARIS_OK ? rc : finish;
}

laris_rc worker_replay_if_lost(laris_worker_t *w, laris_arena_t *a, bool suspect, laris_err_t *err)
{
    bool present = false;
    laris_rc rc = laris_kv_sendq_epoch(w->kv, false, &present, err);
    if (rc != LARIS_OK || (present && !suspect))
        return rc;
    laris_db_set_tenant(w->db, 0);
    laris_db_set_read_only(w->db, true); /* one statement: an implicit transaction */
    PGresult *res;
    rc = laris_db_query(w->db, a, LARIS_SQL_WORKER_OUTBOX_REBUILD, 0, NULL, &res, err);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, err);
    if (rc != LARIS_OK || finish != LARIS_OK)
        return rc != LARIS_OK ? rc : finish;
    laris_log(LARIS_INFO, "send queues %s: %lld queued messages relayed again",
              present ? "may have missed jobs" : "were lost",
              (long long)laris_db_int(res, 0, "rebuilt"));
    return laris_kv_sendq_epoch(w->kv, true, NULL, err);
}

laris_rc worker_expire(laris_worker_t *w, laris_arena_t *a, long grace_ms, laris_err_t *err)
{
    laris_db_set_tenant(w->db, 0);
    laris_db_set_read_only(w->db, true);
    const char *params[1] = {laris_arena_printf(a, "%ld", grace_ms)};
    PGresult *res;
    laris_rc rc = laris_db_query(w->db, a, LARIS_SQL_WORKER_OUTBOUND_EXPIRE, 1, params, &res, err);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, err);
    if (rc == LARIS_OK && finish == LARIS_OK && laris_db_int(res, 0, "expired") > 0)
        laris_log(LARIS_WARN, "%lld messages left in sending by a stopped worker are unknown",
                  (long long)laris_db_int(res, 0, "expired"));
    return rc != LARIS_OK ? rc : finish;
}
