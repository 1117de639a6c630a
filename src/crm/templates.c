/* WhatsApp message templates: the tenant's copy of its WABA's templates, written only after
 * Meta answered (create, edit, delete, sync) and kept current by status webhooks.
 *
 * Graph calls are made with no database transaction open: the request's transaction (the
 * authentication's statements) is committed first, the number's token is opened only for the
 * call and wiped after it, and a new transaction under the same tenant stores the result. If
 * that last step fails, Meta holds a template we do not: the next sync brings it back. A token
 * Graph refuses (190) marks the number that asked 'disconnected', as the send path does. */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "laris/crm.h"
#include "laris/buf.h"
#include "laris/crypto.h"
#include "laris/json.h"
#include "laris/log.h"
#include "laris/wa_template.h"

#define SYNC_PAGES_MAX    50
#define GRAPH_TIMEOUT_MAX 15000L
#define META_WORDS_MAX    300

static const char *const categories[] = {"MARKETING", "UTILITY", "AUTHENTICATION", NULL};

/* The number whose token speaks for a WABA, its token open (wipe it after use). */
typedef struct {
    const char *number_id;
    const char *waba_id;
    unsigned char *token;
    size_t token_len;
} speaker_t;

static const char *int_text(laris_arena_t *a, int64_t v)
{
    return laris_arena_printf(a, "%lld", (long long)v);
}

static laris_rc query(laris_ctx_t *ctx, laris_sql_id id, int n, const char *const *params,
                      PGresult **out)
{
    return laris_db_query(ctx->db, ctx->arena, id, n, params, out, ctx->err);
}

static bool in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

/* Meta's status words: uppercase letters and underscores. */
static bool status_word(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n >= 1 && n <= 32 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") == n;
}

/* A json/jsonb column as a new reference ([] when NULL). */
static json_t *json_column(const PGresult *res, int row, const char *column)
{
    const char *text = laris_db_value(res, row, column);
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    return v ? v : json_array();
}

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *template_json(laris_arena_t *a, const PGresult *res, int row)
{
    const char *status_at = laris_time_rfc3339(a, laris_db_value(res, row, "status_at"));
    const char *created = laris_time_rfc3339(a, laris_db_value(res, row, "created_at"));
    const char *updated = laris_time_rfc3339(a, laris_db_value(res, row, "updated_at"));
    return json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:o,s:s,s:o,s:o,s:s,s:s,s:s}", "id",
        (json_int_t)laris_db_int(res, row, "id"), "waba_id", laris_db_value(res, row, "waba_id"),
        "name", laris_db_value(res, row, "name"), "language", laris_db_value(res, row, "language"),
        "category", laris_db_value(res, row, "category"), "components",
        json_column(res, row, "components"), "parameter_format",
        laris_db_value(res, row, "parameter_format"), "body_params",
        json_column(res, row, "body_params"), "header_params",
        json_column(res, row, "header_params"), "status", laris_db_value(res, row, "status"),
        "rejection_reason", string_or_null(laris_db_value(res, row, "rejection_reason")),
        "meta_template_id", string_or_null(laris_db_value(res, row, "meta_template_id")),
        "status_at", status_at ? status_at : "", "created_at", created ? created : "", "updated_at",
        updated ? updated : "");
}

static laris_rc not_found(laris_ctx_t *ctx)
{
    return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such template.");
}

static json_t *string_array(const char **list, size_t n)
{
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, json_string(list[i]));
    return out;
}

/* Opens the sealed token (hex) into the arena; NULL when it cannot be opened. */
static unsigned char *open_token(laris_ctx_t *ctx, const char *hex, size_t *len)
{
    unsigned char *token = NULL;
    if (!ctx->config->secret_key_set ||
        !laris_secret_open_hex(ctx->config->secret_key, hex, ctx->arena, &token, len))
        return NULL;
    return token;
}

/* Finds the number for wa_number_id (NULL: any) in waba_id (NULL: any) and opens its token. */
static laris_rc find_speaker(laris_ctx_t *ctx, const char *number_id, const char *waba_id,
                             speaker_t *out)
{
    const char *params[2] = {number_id, waba_id};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_TEMPLATES_NUMBER, 2, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0) {
        if (number_id)
            return laris_err_field(ctx->err, "wa_number_id", "is not a connected number");
        return laris_err_set(ctx->err, LARIS_EINVALID,
                             "No connected WhatsApp number can reach this business account. "
                             "Connect a number in Settings first.");
    }
    out->number_id = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "id"));
    out->waba_id = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "waba_id"));
    out->token = open_token(ctx, laris_db_value(res, 0, "token"), &out->token_len);
    if (!out->token)
        return laris_err_set(ctx->err, LARIS_EINVALID,
                             "This number's access token cannot be used. Enter the access token "
                             "again in Settings, then try again.");
    return LARIS_OK;
}

static void graph(laris_ctx_t *ctx, speaker_t *sp, const char *method, const char *path,
                  const json_t *body, laris_wa_graph_answer_t *out)
{
    const laris_config_t *cfg = ctx->config;
    long timeout =
        cfg->graph_timeout_ms < GRAPH_TIMEOUT_MAX ? cfg->graph_timeout_ms : GRAPH_TIMEOUT_MAX;
    laris_wa_graph_request(ctx->arena, cfg->graph_url, cfg->graph_version, method, path,
                           (const char *)sp->token, body, timeout, out);
    laris_log(LARIS_INFO, "template graph %s: http %ld, code %lld", method, out->http_status,
              out->error_given ? (long long)out->error.code : 0LL);
}

/* How many bytes of s to show so that at most max are shown and no character is cut. */
static int utf8_prefix(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return (int)n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--; /* s[max] continues a character: cut before that character */
    return (int)max;
}

/* A token Graph refused (190): the number that spoke is marked 'disconnected', as the send
 * path and "test a number" do, until the owner enters a new token. Committed at once, since
 * the request itself ends in an error (and a rollback). */
static laris_rc token_refused(laris_ctx_t *ctx, const speaker_t *sp)
{
    const char *params[2] = {sp->number_id, "disconnected"};
    laris_rc rc = query(ctx, LARIS_SQL_WA_NUMBER_TEST_STATUS, 2, params, NULL);
    if (rc == LARIS_OK)
        rc = laris_db_commit_step(ctx->db, ctx->err);
    laris_log(LARIS_WARN, "template graph: token refused, wa number %s marked disconnected",
              sp->number_id);
    return rc;
}

/* The problem for a Graph answer that is not a success (sp: the number that asked). */
static laris_rc graph_refused(laris_ctx_t *ctx, const speaker_t *sp,
                              const laris_wa_graph_answer_t *g)
{
    if (!g->reached || g->http_status >= 500) {
        ctx->err->retry_after = 30;
        return laris_err_set(ctx->err, LARIS_EUNAVAILABLE,
                             "WhatsApp could not be reached to manage templates. Try again in a "
                             "minute.");
    }
    if (!g->error_given)
        return laris_err_set(ctx->err, LARIS_EUNAVAILABLE,
                             "WhatsApp answered with HTTP %ld and no reason. Try again later.",
                             g->http_status);
    const laris_wa_api_error_t *e = &g->error;
    if (e->info && (e->info->flags & LARIS_WA_ERRF_TOKEN_EXPIRED)) {
        laris_rc rc = token_refused(ctx, sp);
        if (rc != LARIS_OK)
            return rc;
        return laris_err_set(ctx->err, LARIS_EINVALID,
                             "WhatsApp refused this number's access token (code %lld), so the "
                             "number is marked disconnected. Enter a new access token in "
                             "Settings, then try again.",
                             (long long)e->code);
    }
    if (e->code == 4 || e->code == 80007 || e->code == 130429 || e->is_transient) {
        ctx->err->retry_after = 60;
        return laris_err_set(ctx->err, LARIS_ETHROTTLED,
                             "WhatsApp asks to slow down (code %lld). Try again in a minute.",
                             (long long)e->code);
    }
    const char *words = e->user_message ? e->user_message : e->details ? e->details : e->message;
    if (!words)
        words = "no reason given";
    return laris_err_set(ctx->err, LARIS_EINVALID,
                         "WhatsApp refused the template (code %lld): %.*s", (long long)e->code,
                         utf8_prefix(words, META_WORDS_MAX), words);
}

static bool graph_ok(const laris_wa_graph_answer_t *g)
{
    return g->reached && g->http_status >= 200 && g->http_status < 300;
}

/* A template as templates_upsert takes it. */
static json_t *row_json(json_t *graph_body, const char *category, const char *status,
                        const char *reason, const char *meta_id,
                        const laris_wa_template_vars_t *vars)
{
    return json_pack(
        "{s:O,s:O,s:s,s:O,s:s,s:o,s:o,s:s,s:o,s:o}", "name", json_object_get(graph_body, "name"),
        "language", json_object_get(graph_body, "language"), "category", category, "components",
        json_object_get(graph_body, "components"), "parameter_format",
        vars->named ? "NAMED" : "POSITIONAL", "body_params", string_array(vars->body, vars->nbody),
        "header_params", string_array(vars->header, vars->nheader), "status", status,
        "rejection_reason", string_or_null(reason), "meta_template_id", string_or_null(meta_id));
}

laris_rc laris_templates_list(laris_ctx_t *ctx, const char *status, const char *q, int64_t after_id,
                              int limit, json_t **items, int64_t *next_after)
{
    char want[40] = "";
    if (status) {
        size_t n = strlen(status);
        for (size_t i = 0; i < n && i + 1 < sizeof(want); i++)
            want[i] = (char)(status[i] >= 'a' && status[i] <= 'z' ? status[i] - 32 : status[i]);
        if (!status_word(want) || n >= sizeof(want))
            return laris_err_field(ctx->err, "status", "must be a status such as APPROVED");
    }
    if (ctx->role < LARIS_ROLE_OWNER)
        snprintf(want, sizeof(want), "APPROVED");
    if (q && (laris_utf8_length(q) < 1 || laris_utf8_length(q) > 100))
        return laris_err_field(ctx->err, "q", "must be 1 to 100 characters");
    char *needle = q ? laris_arena_strdup(ctx->arena, q) : NULL;
    for (char *p = needle; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    const char *params[4] = {int_text(ctx->arena, after_id), int_text(ctx->arena, limit + 1),
                             want[0] ? want : NULL, needle};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_TEMPLATES_LIST, 4, params, &res);
    if (rc != LARIS_OK)
        return rc;
    int n = PQntuples(res);
    *items = json_array();
    for (int i = 0; i < n && i < limit; i++)
        json_array_append_new(*items, template_json(ctx->arena, res, i));
    *next_after = n > limit ? laris_db_int(res, limit - 1, "id") : 0;
    return LARIS_OK;
}

/* Template id's row, or a 404 (also an unapproved one for agents and supervisors). */
static laris_rc load(laris_ctx_t *ctx, int64_t id, PGresult **res)
{
    const char *params[1] = {int_text(ctx->arena, id)};
    laris_rc rc = query(ctx, LARIS_SQL_TEMPLATES_GET, 1, params, res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(*res) == 0 || (ctx->role < LARIS_ROLE_OWNER &&
                                 strcmp(laris_db_value(*res, 0, "status"), "APPROVED") != 0))
        return not_found(ctx);
    return LARIS_OK;
}

laris_rc laris_templates_get(laris_ctx_t *ctx, int64_t id, json_t **out)
{
    PGresult *res;
    laris_rc rc = load(ctx, id, &res);
    if (rc != LARIS_OK)
        return rc;
    *out = template_json(ctx->arena, res, 0);
    return LARIS_OK;
}

/* body.wa_number_id as text, NULL when absent; false (a field error) when not an id. */
static bool number_field(laris_ctx_t *ctx, json_t *body, const char **out)
{
    int64_t id;
    *out = NULL;
    if (!json_object_get(body, "wa_number_id"))
        return true;
    if (!laris_json_int(body, "wa_number_id", 1, INT64_MAX, false, &id, ctx->err))
        return false;
    *out = int_text(ctx->arena, id);
    return true;
}

laris_rc laris_templates_create(laris_ctx_t *ctx, json_t *body, json_t **out)
{
    laris_wa_template_vars_t vars;
    const char *number_id;
    if (!number_field(ctx, body, &number_id))
        return LARIS_EINVALID;
    /* The template as Meta takes it: without the number to create it with. */
    json_t *template = laris_json_adopt(ctx->arena, json_copy(body));
    json_object_del(template, "wa_number_id");
    json_t *graph_body = laris_json_adopt(
        ctx->arena, laris_wa_template_check(ctx->arena, template, false, &vars, ctx->err));
    if (!graph_body)
        return LARIS_EINVALID;
    speaker_t sp = {NULL, NULL, NULL, 0};
    laris_rc rc = find_speaker(ctx, number_id, NULL, &sp);
    if (rc == LARIS_OK)
        rc = laris_db_commit_step(ctx->db, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    laris_wa_graph_answer_t g;
    graph(ctx, &sp, "POST", laris_arena_printf(ctx->arena, "%s/message_templates", sp.waba_id),
          graph_body, &g);
    sodium_memzero(sp.token, sp.token_len);
    if (!graph_ok(&g))
        return graph_refused(ctx, &sp, &g);
    const char *meta_id = json_string_value(json_object_get(g.answer, "id"));
    const char *status = json_string_value(json_object_get(g.answer, "status"));
    const char *category = json_string_value(json_object_get(g.answer, "category"));
    if (!meta_id || strspn(meta_id, "0123456789") != strlen(meta_id) || !*meta_id)
        return laris_err_set(ctx->err, LARIS_EUNAVAILABLE,
                             "WhatsApp accepted the template without an id. Sync the templates "
                             "to see it.");
    json_t *rows = laris_json_adopt(ctx->arena, json_array());
    json_array_append_new(rows,
                          row_json(graph_body,
                                   in_list(category, categories)
                                       ? category
                                       : json_string_value(json_object_get(graph_body, "category")),
                                   status_word(status) ? status : "PENDING", NULL, meta_id, &vars));
    const char *params[3] = {sp.waba_id, laris_json_encode(ctx->arena, rows, NULL),
                             ctx->user_id ? int_text(ctx->arena, ctx->user_id) : NULL};
    PGresult *res;
    rc = query(ctx, LARIS_SQL_TEMPLATES_UPSERT, 3, params, &res);
    if (rc != LARIS_OK)
        return rc;
    *out = template_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_templates_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out)
{
    PGresult *res;
    laris_rc rc = load(ctx, id, &res);
    if (rc != LARIS_OK)
        return rc;
    static const char *const editable[] = {"APPROVED", "REJECTED", "PAUSED", NULL};
    if (!in_list(laris_db_value(res, 0, "status"), editable))
        return laris_err_set(ctx->err, LARIS_ECONFLICT,
                             "WhatsApp lets only approved, rejected or paused templates be "
                             "edited; this one is %s.",
                             laris_db_value(res, 0, "status"));
    laris_wa_template_vars_t vars;
    json_t *graph_body = laris_json_adopt(
        ctx->arena, laris_wa_template_check(ctx->arena, body, true, &vars, ctx->err));
    if (!graph_body)
        return LARIS_EINVALID;
    bool was_named = strcmp(laris_db_value(res, 0, "parameter_format"), "NAMED") == 0;
    if (vars.nbody + vars.nheader > 0 && vars.named != was_named)
        return laris_err_field(ctx->err, "components",
                               was_named ? "must keep named {{name}} variables"
                                         : "must keep numbered {{1}} variables");
    const char *meta_id =
        laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "meta_template_id"));
    const char *waba = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "waba_id"));
    if (!laris_db_value(res, 0, "meta_template_id"))
        return laris_err_set(ctx->err, LARIS_ECONFLICT,
                             "This template has no WhatsApp id yet. Sync the templates first.");
    speaker_t sp = {NULL, NULL, NULL, 0};
    rc = find_speaker(ctx, NULL, waba, &sp);
    if (rc == LARIS_OK)
        rc = laris_db_commit_step(ctx->db, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    laris_wa_graph_answer_t g;
    graph(ctx, &sp, "POST", meta_id, graph_body, &g);
    sodium_memzero(sp.token, sp.token_len);
    if (!graph_ok(&g))
        return graph_refused(ctx, &sp, &g);
    const char *params[5] = {
        int_text(ctx->arena, id),
        laris_json_encode(ctx->arena, json_object_get(graph_body, "components"), NULL),
        laris_json_encode(ctx->arena,
                          laris_json_adopt(ctx->arena, string_array(vars.body, vars.nbody)), NULL),
        laris_json_encode(ctx->arena,
                          laris_json_adopt(ctx->arena, string_array(vars.header, vars.nheader)),
                          NULL),
        was_named ? "NAMED" : "POSITIONAL"};
    rc = query(ctx, LARIS_SQL_TEMPLATES_EDIT, 5, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return not_found(ctx); /* deleted while Graph answered */
    *out = template_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_templates_delete(laris_ctx_t *ctx, int64_t id)
{
    PGresult *res;
    laris_rc rc = load(ctx, id, &res);
    if (rc != LARIS_OK)
        return rc;
    const char *name = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "name"));
    const char *waba = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "waba_id"));
    speaker_t sp = {NULL, NULL, NULL, 0};
    rc = find_speaker(ctx, NULL, waba, &sp);
    if (rc == LARIS_OK)
        rc = laris_db_commit_step(ctx->db, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    laris_wa_graph_answer_t g;
    /* The name is [a-z0-9_] (checked by the table), so it needs no escaping. */
    graph(ctx, &sp, "DELETE",
          laris_arena_printf(ctx->arena, "%s/message_templates?name=%s", waba, name), NULL, &g);
    sodium_memzero(sp.token, sp.token_len);
    if (!graph_ok(&g))
        return graph_refused(ctx, &sp, &g);
    const char *params[2] = {waba, name};
    return query(ctx, LARIS_SQL_TEMPLATES_DELETE, 2, params, NULL);
}

/* One template of a Graph list as templates_upsert takes it; NULL when it is not shaped like
 * one (then it is skipped). */
static json_t *listed_row(laris_ctx_t *ctx, json_t *t)
{
    const char *name = json_string_value(json_object_get(t, "name"));
    const char *language = json_string_value(json_object_get(t, "language"));
    const char *category = json_string_value(json_object_get(t, "category"));
    const char *status = json_string_value(json_object_get(t, "status"));
    const char *meta_id = json_string_value(json_object_get(t, "id"));
    json_t *components = json_object_get(t, "components");
    laris_wa_template_vars_t vars;
    if (!name || !*name || strlen(name) > LARIS_WA_TEMPLATE_NAME_MAX ||
        strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name) || !language ||
        strlen(language) < 2 || strlen(language) > 8 || !in_list(category, categories) ||
        !status_word(status) || !meta_id || !*meta_id || strlen(meta_id) > 32 ||
        strspn(meta_id, "0123456789") != strlen(meta_id) || !json_is_array(components) ||
        !laris_wa_template_vars(ctx->arena, components, &vars, NULL) || vars.nbody > 100)
        return NULL;
    const char *reason = json_string_value(json_object_get(t, "rejected_reason"));
    json_t *graph_body =
        json_pack("{s:s,s:s,s:O}", "name", name, "language", language, "components", components);
    json_t *row = row_json(graph_body, category, status,
                           reason && strcmp(reason, "NONE") != 0 ? reason : NULL, meta_id, &vars);
    json_decref(graph_body);
    return row;
}

laris_rc laris_templates_sync(laris_ctx_t *ctx, json_t *body, json_t **out)
{
    const char *number_id;
    if (!number_field(ctx, body, &number_id))
        return LARIS_EINVALID;
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        if (strcmp(key, "wa_number_id") != 0)
            return laris_err_field(ctx->err, key, "is not a member of a sync");
    }
    speaker_t sp = {NULL, NULL, NULL, 0};
    laris_rc rc = find_speaker(ctx, number_id, NULL, &sp);
    if (rc == LARIS_OK)
        rc = laris_db_commit_step(ctx->db, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    json_t *rows = laris_json_adopt(ctx->arena, json_array());
    json_t *ids = laris_json_adopt(ctx->arena, json_array());
    int skipped = 0, pages = 0;
    const char *after = NULL;
    laris_wa_graph_answer_t g;
    do {
        const char *path = laris_arena_printf(
            ctx->arena,
            "%s/message_templates?fields=name,language,category,status,components,"
            "parameter_format,rejected_reason&limit=100%s%s",
            sp.waba_id, after ? "&after=" : "", after ? after : "");
        graph(ctx, &sp, "GET", path, NULL, &g);
        if (!graph_ok(&g))
            break;
        size_t i;
        json_t *t;
        json_array_foreach(json_object_get(g.answer, "data"), i, t)
        {
            json_t *row = listed_row(ctx, t);
            if (!row) {
                skipped++;
                continue;
            }
            json_array_append(ids, json_object_get(row, "meta_template_id"));
            json_array_append_new(rows, row);
        }
        json_t *paging = json_object_get(g.answer, "paging");
        const char *cursor =
            json_string_value(json_object_get(json_object_get(paging, "cursors"), "after"));
        /* Only the cursor is taken from paging.next: the token goes to LARIS_GRAPH_URL only. */
        after = json_object_get(paging, "next") && cursor && *cursor &&
                        strspn(cursor, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789-_=") == strlen(cursor)
                    ? laris_arena_strdup(ctx->arena, cursor)
                    : NULL;
    } while (after && ++pages < SYNC_PAGES_MAX);
    sodium_memzero(sp.token, sp.token_len);
    if (!graph_ok(&g))
        return graph_refused(ctx, &sp, &g);
    const char *params[3] = {sp.waba_id, laris_json_encode(ctx->arena, rows, NULL), NULL};
    rc = query(ctx, LARIS_SQL_TEMPLATES_UPSERT, 3, params, NULL);
    PGresult *res = NULL;
    int removed = 0;
    if (rc == LARIS_OK && !after) { /* every page read: what Meta no longer lists goes */
        /* A text[] literal: the ids are digits only (listed_row checked them). */
        size_t i;
        json_t *id;
        laris_buf_t lit;
        laris_buf_init(&lit, ctx->arena);
        laris_buf_putc(&lit, '{');
        json_array_foreach(ids, i, id)
        {
            laris_buf_printf(&lit, "%s%s", i ? "," : "", json_string_value(id));
        }
        laris_buf_putc(&lit, '}');
        const char *prune[2] = {sp.waba_id, laris_buf_cstr(&lit)};
        rc = query(ctx, LARIS_SQL_TEMPLATES_PRUNE, 2, prune, &res);
        removed = rc == LARIS_OK ? PQntuples(res) : 0;
    }
    if (rc != LARIS_OK)
        return rc;
    if (skipped > 0)
        laris_log(LARIS_WARN, "template sync: %d listed templates were not shaped like Meta's",
                  skipped);
    *out = json_pack("{s:i,s:i,s:i}", "synced", (int)json_array_size(rows), "removed", removed,
                     "skipped", skipped);
    return LARIS_OK;
}

/* The status an event leaves a template in; NULL when it leaves the status as it is (FLAGGED:
 * a quality warning, the template still sends). */
static const char *status_after(const char *event)
{
    if (strcmp(event, "FLAGGED") == 0)
        return NULL;
    if (strcmp(event, "REINSTATED") == 0 || strcmp(event, "UNARCHIVED") == 0)
        return "APPROVED";
    return event;
}

laris_rc laris_templates_apply_status(laris_ctx_t *ctx, const char *waba_id,
                                      const laris_wa_template_status_t *t, int64_t at)
{
    if (!status_word(t->event) || !t->template_id || strlen(t->template_id) > 32 ||
        strspn(t->template_id, "0123456789") != strlen(t->template_id)) {
        laris_log(LARIS_WARN, "template status event not applied: not shaped like Meta's");
        return LARIS_OK;
    }
    const char *status = status_after(t->event);
    if (!status)
        return LARIS_OK;
    const char *params[8] = {waba_id,
                             t->template_id,
                             t->name,
                             t->language,
                             status,
                             t->reason,
                             in_list(t->category, categories) ? t->category : NULL,
                             int_text(ctx->arena, at > 0 ? at : (int64_t)time(NULL))};
    return query(ctx, LARIS_SQL_TEMPLATES_STATUS, 8, params, NULL);
}
