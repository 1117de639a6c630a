/* Labels: a tenant's named colors for conversations and contacts (names unique ignoring case). */
#include <ctype.h>
#include <string.h>

#include "laris/crm.h"
#include "laris/json.h"

#define NAME_MAX_CHARS 50
#define LABELS_MAX     50

static const char *int_text(laris_arena_t *a, int64_t v)
{
    return laris_arena_printf(a, "%lld", (long long)v);
}

static laris_rc query(laris_ctx_t *ctx, laris_sql_id id, int n, const char *const *params,
                      PGresult **out)
{
    return laris_db_query(ctx->db, ctx->arena, id, n, params, out, ctx->err);
}

static json_t *label_json(laris_arena_t *a, const PGresult *res, int row)
{
    const char *created = laris_time_rfc3339(a, laris_db_value(res, row, "created_at"));
    return json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)laris_db_int(res, row, "id"), "name",
                     laris_db_value(res, row, "name"), "color", laris_db_value(res, row, "color"),
                     "created_at", created ? created : "");
}

static laris_rc not_found(laris_ctx_t *ctx)
{
    return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such label.");
}

static laris_rc name_taken(laris_ctx_t *ctx)
{
    laris_err_field(ctx->err, "name", "is taken by another label");
    return laris_err_set(ctx->err, LARIS_ECONFLICT,
                         "A label with this name exists already (names ignore case).");
}

/* Reads name (trimmed, no control characters) and color ("#rrggbb", stored lowercase). */
static bool read_label(laris_ctx_t *ctx, json_t *body, bool required, const char **name,
                       const char **color)
{
    *name = *color = NULL;
    bool ok = true;
    const char *raw;
    if (laris_json_string(body, "name", 1, NAME_MAX_CHARS, required, &raw, ctx->err)) {
        while (*raw == ' ')
            raw++;
        size_t len = strlen(raw);
        while (len > 0 && raw[len - 1] == ' ')
            len--;
        bool clean = len > 0;
        for (size_t i = 0; clean && i < len; i++)
            clean = (unsigned char)raw[i] >= 0x20 && raw[i] != 0x7f;
        if (!clean) {
            laris_err_field(ctx->err, "name", "must be visible text");
            ok = false;
        }
        *name = laris_arena_strndup(ctx->arena, raw, len);
    } else if (json_object_get(body, "name") || required) {
        ok = false;
    }
    const char *c;
    if (laris_json_string(body, "color", 7, 7, false, &c, ctx->err)) {
        char *lower = laris_arena_strdup(ctx->arena, c);
        bool hex = lower[0] == '#';
        for (size_t i = 1; hex && i < 7; i++) {
            lower[i] = (char)tolower((unsigned char)lower[i]);
            hex = isxdigit((unsigned char)lower[i]) != 0;
        }
        if (!hex) {
            laris_err_field(ctx->err, "color", "must be a color such as #22c55e");
            ok = false;
        }
        *color = lower;
    } else if (json_object_get(body, "color")) {
        ok = false;
    }
    return ok;
}

laris_rc laris_labels_list(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                           int64_t *next_after)
{
    const char *params[2] = {int_text(ctx->arena, after_id), int_text(ctx->arena, limit + 1)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_LABELS_LIST, 2, params, &res);
    if (rc != LARIS_OK)
        return rc;
    int n = PQntuples(res);
    *items = json_array();
    for (int i = 0; i < n && i < limit; i++)
        json_array_append_new(*items, label_json(ctx->arena, res, i));
    *next_after = n > limit ? laris_db_int(res, limit - 1, "id") : 0;
    return LARIS_OK;
}

laris_rc laris_labels_get(laris_ctx_t *ctx, int64_t id, json_t **out)
{
    const char *params[1] = {int_text(ctx->arena, id)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_LABELS_GET, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return not_found(ctx);
    *out = label_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_labels_create(laris_ctx_t *ctx, json_t *body, json_t **out)
{
    const char *name, *color;
    if (!read_label(ctx, body, true, &name, &color))
        return LARIS_EINVALID;
    const char *params[2] = {name, color ? color : "#64748b"};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_LABELS_INSERT, 2, params, &res);
    if (rc == LARIS_ECONFLICT)
        return name_taken(ctx);
    if (rc != LARIS_OK)
        return rc;
    *out = label_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_labels_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out)
{
    const char *name, *color;
    if (!read_label(ctx, body, false, &name, &color))
        return LARIS_EINVALID;
    const char *params[3] = {int_text(ctx->arena, id), name, color};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_LABELS_UPDATE, 3, params, &res);
    if (rc == LARIS_ECONFLICT)
        return name_taken(ctx);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return not_found(ctx);
    *out = label_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_labels_delete(laris_ctx_t *ctx, int64_t id)
{
    const char *params[1] = {int_text(ctx->arena, id)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_LABELS_DELETE, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return not_found(ctx);
    return LARIS_OK;
}

laris_rc laris_contact_labels_set(laris_ctx_t *ctx, int64_t contact_id, json_t *body, json_t **out)
{
    json_t *ids = json_object_get(body, "label_ids");
    if (!json_is_array(ids) || json_array_size(ids) > LABELS_MAX)
        return laris_err_field(ctx->err, "label_ids", "must be an array of at most %d label ids",
                               LABELS_MAX);
    json_t *clean = laris_json_adopt(ctx->arena, json_array());
    for (size_t i = 0; i < json_array_size(ids); i++) {
        json_t *id = json_array_get(ids, i);
        if (!json_is_integer(id) || json_integer_value(id) <= 0)
            return laris_err_field(ctx->err, "label_ids", "must hold positive integers");
        bool seen = false;
        for (size_t j = 0; j < json_array_size(clean); j++)
            seen = seen || json_integer_value(json_array_get(clean, j)) == json_integer_value(id);
        if (!seen)
            json_array_append(clean, id);
    }
    const char *id_text = int_text(ctx->arena, contact_id);
    const char *one[1] = {id_text};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_CONTACT_EXISTS, 1, one, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such contact.");
    rc = query(ctx, LARIS_SQL_CONTACT_LABELS_CLEAR, 1, one, NULL);
    if (rc == LARIS_OK && json_array_size(clean) > 0) {
        size_t len;
        const char *set[2] = {id_text, laris_json_encode(ctx->arena, clean, &len)};
        rc = query(ctx, LARIS_SQL_CONTACT_LABELS_SET, 2, set, &res);
        if (rc == LARIS_OK && (size_t)PQntuples(res) != json_array_size(clean))
            return laris_err_field(ctx->err, "label_ids", "holds an id that is not a label here");
    }
    if (rc == LARIS_OK)
        rc = query(ctx, LARIS_SQL_CONTACT_LABELS_LIST, 1, one, &res);
    if (rc != LARIS_OK)
        return rc;
    json_t *labels = json_array();
    for (int i = 0; i < PQntuples(res); i++)
        json_array_append_new(labels, json_pack("{s:I,s:s,s:s}", "id",
                                                (json_int_t)laris_db_int(res, i, "id"), "name",
                                                laris_db_value(res, i, "name"), "color",
                                                laris_db_value(res, i, "color")));
    *out = json_pack("{s:I,s:o}", "contact_id", (json_int_t)contact_id, "labels", labels);
    return LARIS_OK;
}
