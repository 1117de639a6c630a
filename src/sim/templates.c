/* laris-sim: the Graph routes of message templates — list (paged by cursor), create, edit and
 * delete — checked with Meta's creation rules (laris_wa_template_check, REFERENCE.md §4).
 * Every handler holds the state lock throughout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "laris/json.h"
#include "laris/wa_template.h"
#include "sim_internal.h"

#define PAGE_DEFAULT 25
#define PAGE_MAX     100

static laris_rc graph_reply(laris_req_t *req, int64_t code, const char *details)
{
    return laris_resp_json(req, laris_sim_error_http_status(code),
                           laris_sim_graph_error(code, details));
}

/* Answers Meta's code 100 with the first field error of err. */
static void invalid_reply(laris_req_t *req, const laris_err_t *err)
{
    const char *details = err->nfields > 0
                              ? laris_arena_printf(req->arena, "Invalid parameter: %s %s.",
                                                   err->fields[0].field, err->fields[0].message)
                              : "Invalid parameter.";
    graph_reply(req, 100, details);
}

/* The JSON body; answers 100 and returns NULL when it is not a JSON object. */
static json_t *json_body(laris_req_t *req)
{
    json_t *body = NULL;
    laris_err_t err;
    laris_err_init(&err, req->arena);
    if (!req->body ||
        laris_json_decode(req->arena, req->body, req->body_len, &laris_json_default_limits, &body,
                          &err) != LARIS_OK ||
        !json_is_object(body)) {
        graph_reply(req, 100, "The request body must be a JSON object.");
        return NULL;
    }
    return body;
}

/* Sets a template's components (types already uppercase) and what sends are checked against. */
static void set_content(sim_template_t *t, json_t *components, const laris_wa_template_vars_t *v)
{
    json_decref(t->components);
    t->components = json_incref(components);
    t->view.nparams = (int)(v->nbody + v->nheader);
    t->view.named = v->named;
    t->view.text = t->text;
    snprintf(t->parameter_format, sizeof(t->parameter_format), "%s",
             v->named ? "NAMED" : "POSITIONAL");
    t->text[0] = '\0';
    t->view.url_buttons = t->view.url_vars = 0;
    size_t i;
    json_t *c;
    json_array_foreach(components, i, c)
    {
        const char *ct = json_string_value(json_object_get(c, "type"));
        const char *text = json_string_value(json_object_get(c, "text"));
        size_t used = strlen(t->text);
        if (text && (!strcmp(ct, "HEADER") || !strcmp(ct, "BODY")))
            snprintf(t->text + used, sizeof(t->text) - used, "%s\n", text);
        size_t j;
        json_t *b;
        json_array_foreach(!strcmp(ct, "BUTTONS") ? json_object_get(c, "buttons") : NULL, j, b)
        {
            const char *type = json_string_value(json_object_get(b, "type"));
            const char *url = json_string_value(json_object_get(b, "url"));
            if (j >= 10 || !type || strcmp(type, "URL") != 0)
                continue;
            t->view.url_buttons |= 1u << j;
            if (url && strstr(url, "{{"))
                t->view.url_vars |= 1u << j;
        }
    }
}

/* GET /{version}/{waba_id}/message_templates?name=&status=&limit=&after= */
laris_rc sim_templates_list(laris_req_t *req)
{
    const char *waba = laris_req_param(req, "id");
    const char *name = laris_req_query(req, "name");
    const char *status = laris_req_query(req, "status");
    const char *limit_text = laris_req_query(req, "limit");
    const char *after = laris_req_query(req, "after");
    long limit = limit_text ? strtol(limit_text, NULL, 10) : PAGE_DEFAULT;
    size_t start = after ? (size_t)strtoul(after, NULL, 10) : 0;
    if (limit < 1 || limit > PAGE_MAX)
        limit = PAGE_DEFAULT;
    sim_lock();
    if (!sim_waba_known(waba)) {
        laris_resp_json(req, 400, laris_sim_unknown_object_error("GET", waba));
        goto out;
    }
    if (!sim_authorized(req, NULL, waba))
        goto out;
    json_t *data = json_array();
    size_t seen = 0, next = 0;
    for (size_t i = 0; i < sim_state.ntemplates; i++) {
        const sim_template_t *t = &sim_state.templates[i];
        if (strcmp(t->waba_id, waba) != 0 || (name && strcmp(name, t->name) != 0) ||
            (status && strcasecmp(status, t->status) != 0))
            continue;
        if (seen++ < start)
            continue;
        if (json_array_size(data) == (size_t)limit) {
            next = start + (size_t)limit;
            break;
        }
        json_array_append_new(
            data, json_pack("{s:s,s:s,s:s,s:s,s:s,s:O,s:s}", "name", t->name, "parameter_format",
                            t->parameter_format, "language", t->language, "status", t->status,
                            "category", t->category, "components", t->components, "id", t->id));
    }
    char cursor[24];
    snprintf(cursor, sizeof(cursor), "%zu", next ? next : start + json_array_size(data));
    json_t *paging =
        json_pack("{s:{s:s,s:s}}", "cursors", "before", start ? "0" : "", "after", cursor);
    /* Like Meta's: an absolute URL that a client must not blindly follow with its token. */
    if (next)
        json_object_set_new(paging, "next",
                            json_string(laris_arena_printf(
                                req->arena,
                                "https://graph.facebook.com/v23.0/%s/message_templates?limit=%ld"
                                "&after=%s",
                                waba, limit, cursor)));
    laris_resp_json(req, 200, json_pack("{s:o,s:o}", "data", data, "paging", paging));
out:
    sim_unlock();
    return LARIS_OK;
}

/* POST /{version}/{waba_id}/message_templates {name, language, category, components,
 * parameter_format} */
laris_rc sim_templates_create(laris_req_t *req)
{
    const char *waba = laris_req_param(req, "id");
    sim_lock();
    if (!sim_waba_known(waba)) {
        laris_resp_json(req, 400, laris_sim_unknown_object_error("POST", waba));
        goto out;
    }
    if (!sim_authorized(req, NULL, waba))
        goto out;
    json_t *body = json_body(req);
    if (!body)
        goto out;
    if (sim_fault_take("server_error")) {
        graph_reply(req, 2, "Service temporarily unavailable.");
        goto out;
    }
    laris_err_t err;
    laris_err_init(&err, req->arena);
    laris_wa_template_vars_t vars;
    json_t *checked = laris_wa_template_check(req->arena, body, false, &vars, &err);
    if (!checked) {
        invalid_reply(req, &err);
        goto out;
    }
    laris_json_adopt(req->arena, checked);
    const char *name = json_string_value(json_object_get(checked, "name"));
    const char *language = json_string_value(json_object_get(checked, "language"));
    if (sim_template_find((void *)waba, name, language)) {
        graph_reply(req, 100, "Content in this language already exists.");
        goto out;
    }
    if (sim_state.ntemplates == SIM_MAX_TEMPLATES ||
        strlen(name) >= sizeof(sim_state.templates[0].name)) {
        graph_reply(req, 100, "The simulator holds no more templates.");
        goto out;
    }
    sim_template_t *t = &sim_state.templates[sim_state.ntemplates++];
    memset(t, 0, sizeof(*t));
    sim_new_id(t->id);
    snprintf(t->waba_id, sizeof(t->waba_id), "%s", waba);
    snprintf(t->name, sizeof(t->name), "%s", name);
    snprintf(t->language, sizeof(t->language), "%s", language);
    snprintf(t->status, sizeof(t->status), "PENDING");
    snprintf(t->category, sizeof(t->category), "%s",
             json_string_value(json_object_get(checked, "category")));
    set_content(t, json_object_get(checked, "components"), &vars);
    laris_resp_json(
        req, 200,
        json_pack("{s:s,s:s,s:s}", "id", t->id, "status", t->status, "category", t->category));
out:
    sim_unlock();
    return LARIS_OK;
}

/* POST /{version}/{template_id} {components}: an edit; Meta reviews the template again. */
laris_rc sim_templates_edit(laris_req_t *req)
{
    const char *id = laris_req_param(req, "id");
    sim_lock();
    sim_template_t *t = sim_template_find_id(id);
    if (!t) {
        laris_resp_json(req, 400, laris_sim_unknown_object_error("POST", id));
        goto out;
    }
    if (!sim_authorized(req, NULL, t->waba_id))
        goto out;
    json_t *body = json_body(req);
    if (!body)
        goto out;
    if (strcmp(t->status, "APPROVED") != 0 && strcmp(t->status, "REJECTED") != 0 &&
        strcmp(t->status, "PAUSED") != 0) {
        graph_reply(req, 100, "Only approved, rejected or paused templates can be edited.");
        goto out;
    }
    laris_err_t err;
    laris_err_init(&err, req->arena);
    laris_wa_template_vars_t vars;
    json_t *checked = laris_wa_template_check(req->arena, body, true, &vars, &err);
    if (!checked) {
        invalid_reply(req, &err);
        goto out;
    }
    laris_json_adopt(req->arena, checked);
    set_content(t, json_object_get(checked, "components"), &vars);
    snprintf(t->status, sizeof(t->status), "PENDING");
    laris_resp_json(req, 200, json_pack("{s:b}", "success", 1));
out:
    sim_unlock();
    return LARIS_OK;
}

/* DELETE /{version}/{waba_id}/message_templates?name=&hsm_id=: every language of the name (or
 * only template hsm_id). */
laris_rc sim_templates_delete(laris_req_t *req)
{
    const char *waba = laris_req_param(req, "id");
    const char *name = laris_req_query(req, "name");
    const char *hsm_id = laris_req_query(req, "hsm_id");
    sim_lock();
    if (!sim_waba_known(waba)) {
        laris_resp_json(req, 400, laris_sim_unknown_object_error("DELETE", waba));
        goto out;
    }
    if (!sim_authorized(req, NULL, waba))
        goto out;
    if (!name || !*name) {
        graph_reply(req, 100, "The parameter name is required.");
        goto out;
    }
    size_t kept = 0, removed = 0;
    for (size_t i = 0; i < sim_state.ntemplates; i++) {
        sim_template_t *t = &sim_state.templates[i];
        if (!strcmp(t->waba_id, waba) && !strcmp(t->name, name) &&
            (!hsm_id || !strcmp(t->id, hsm_id))) {
            json_decref(t->components);
            removed++;
            continue;
        }
        if (kept != i)
            sim_state.templates[kept] = *t;
        sim_template_t *moved = &sim_state.templates[kept++];
        moved->view.text = moved->text;
    }
    sim_state.ntemplates = kept;
    if (removed == 0)
        graph_reply(req, 100, "Template name does not exist.");
    else
        laris_resp_json(req, 200, json_pack("{s:b}", "success", 1));
out:
    sim_unlock();
    return LARIS_OK;
}
