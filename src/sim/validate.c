/* laris-sim: validation of a send request body, as the Cloud API refuses it synchronously.
 *
 * Pure: a JSON body in, accepted or a Meta error code out. Codes follow REFERENCE.md §2 and
 * §3.8: a missing required member is 131008, a member with a bad value 131009 (100 for an
 * unknown member value such as the type or messaging_product), templates 132000/132001/
 * 132015/132016. */
#include <string.h>
#include <strings.h>

#include "laris/json.h"
#include "laris/sim.h"

static const char *const known_types[] = {"text",        "image",    "audio",    "video",
                                          "document",    "sticker",  "location", "contacts",
                                          "interactive", "template", "reaction", NULL};

static bool refuse(laris_sim_verdict_t *v, int64_t code, const char *details)
{
    v->code = code;
    v->details = details;
    return false;
}

static bool refusef(laris_sim_verdict_t *v, laris_arena_t *a, int64_t code, const char *fmt,
                    const char *arg)
{
    v->code = code;
    v->details = laris_arena_printf(a, fmt, arg);
    return false;
}

/* A string member: NULL when absent or not a string (then *wrong says which). */
static const char *str_member(json_t *obj, const char *key, bool *wrong)
{
    json_t *m = json_object_get(obj, key);
    if (!m || json_is_null(m))
        return NULL;
    if (!json_is_string(m)) {
        *wrong = true;
        return NULL;
    }
    return json_string_value(m);
}

static size_t chars(const char *s)
{
    return laris_utf8_length(s);
}

static bool one_of(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

/* Digits of a phone number given with +, spaces, dashes and parentheses. */
static const char *wa_id_of(laris_arena_t *a, const char *to)
{
    size_t n = strlen(to);
    char *d = laris_arena_alloc(a, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = to[i];
        if (c >= '0' && c <= '9')
            d[k++] = c;
        else if (!(c == '+' || c == ' ' || c == '-' || c == '(' || c == ')'))
            return NULL;
    }
    d[k] = '\0';
    return k >= 6 && k <= 15 ? d : NULL;
}

static bool check_text(laris_arena_t *a, json_t *o, laris_sim_verdict_t *v)
{
    bool wrong = false;
    const char *body = str_member(o, "body", &wrong);
    if (wrong)
        return refuse(v, 131009, "Parameter value is not valid: text.body must be a string.");
    if (!body)
        return refuse(v, 131008, "The parameter text.body is required.");
    size_t n = chars(body);
    if (n == 0 || n > 4096)
        return refusef(v, a, 100, "Param text['body'] must be between 1 and 4096 characters%s",
                       n == 0 ? " (it is empty)." : " long.");
    json_t *pu = json_object_get(o, "preview_url");
    if (pu && !json_is_boolean(pu))
        return refuse(v, 131009,
                      "Parameter value is not valid: text.preview_url must be a "
                      "boolean.");
    return true;
}

static bool check_media(laris_arena_t *a, const char *type, json_t *o, laris_sim_verdict_t *v)
{
    bool wrong = false;
    const char *id = str_member(o, "id", &wrong);
    const char *link = str_member(o, "link", &wrong);
    const char *caption = str_member(o, "caption", &wrong);
    const char *filename = str_member(o, "filename", &wrong);
    if (wrong)
        return refusef(v, a, 131009, "Parameter value is not valid: %s members must be strings.",
                       type);
    if (!id && !link)
        return refusef(v, a, 131008, "The parameter %s needs an id or a link.", type);
    if (id && link)
        return refusef(v, a, 100, "Param %s must have exactly one of id or link.", type);
    if (link && strncmp(link, "https://", 8) != 0 && strncmp(link, "http://", 7) != 0)
        return refusef(v, a, 131009,
                       "Parameter value is not valid: %s.link must be an http(s) "
                       "URL.",
                       type);
    if (id && (!*id || strspn(id, "0123456789") != strlen(id)))
        return refusef(v, a, 131009, "Parameter value is not valid: %s.id must be a media id.",
                       type);
    bool captioned = !strcmp(type, "image") || !strcmp(type, "video") || !strcmp(type, "document");
    if (caption && !captioned)
        return refusef(v, a, 100, "Param %s.caption is not allowed for this type.", type);
    if (caption && chars(caption) > 1024)
        return refusef(v, a, 100, "Param %s.caption must be at most 1024 characters long.", type);
    if (filename && strcmp(type, "document") != 0)
        return refusef(v, a, 100, "Param %s.filename is only allowed for documents.", type);
    return true;
}

static bool check_location(json_t *o, laris_sim_verdict_t *v)
{
    const char *keys[] = {"latitude", "longitude"};
    for (size_t i = 0; i < 2; i++) {
        json_t *m = json_object_get(o, keys[i]);
        if (!m)
            return refuse(v, 131008,
                          "The parameters location.latitude and location.longitude "
                          "are required.");
        if (!json_is_number(m) && !json_is_string(m))
            return refuse(v, 131009, "Parameter value is not valid: coordinates must be numbers.");
    }
    return true;
}

static bool check_contacts(json_t *arr, laris_sim_verdict_t *v)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return refuse(v, 131009,
                      "Parameter value is not valid: contacts must be a non-empty "
                      "array.");
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c)
    {
        json_t *fn = json_object_get(json_object_get(c, "name"), "formatted_name");
        if (!json_is_string(fn) || !*json_string_value(fn))
            return refuse(v, 131008, "The parameter contacts[].name.formatted_name is required.");
    }
    return true;
}

/* A string member with a length range; optional unless required. */
static bool limited(laris_arena_t *a, json_t *o, const char *key, const char *path, size_t max,
                    bool required, const char **out, laris_sim_verdict_t *v)
{
    bool wrong = false;
    const char *s = str_member(o, key, &wrong);
    if (wrong)
        return refusef(v, a, 131009, "Parameter value is not valid: %s must be a string.", path);
    if (!s) {
        if (required)
            return refusef(v, a, 131008, "The parameter %s is required.", path);
        if (out)
            *out = NULL;
        return true;
    }
    size_t n = chars(s);
    if ((required && n == 0) || n > max) {
        v->code = 131009;
        v->details = laris_arena_printf(a,
                                        "Parameter value is not valid: %s must be 1 to %zu "
                                        "characters long.",
                                        path, max);
        return false;
    }
    if (out)
        *out = s;
    return true;
}

static bool check_buttons(laris_arena_t *a, json_t *action, laris_sim_verdict_t *v)
{
    json_t *buttons = json_object_get(action, "buttons");
    if (!json_is_array(buttons) || json_array_size(buttons) == 0)
        return refuse(v, 131008, "The parameter interactive.action.buttons is required.");
    if (json_array_size(buttons) > 3)
        return refuse(v, 131009,
                      "Parameter value is not valid: at most 3 reply buttons are "
                      "allowed.");
    const char *titles[3] = {0};
    const char *ids[3] = {0};
    size_t i;
    json_t *b;
    json_array_foreach(buttons, i, b)
    {
        const char *type = json_string_value(json_object_get(b, "type"));
        if (!type || strcmp(type, "reply") != 0)
            return refuse(v, 131009, "Parameter value is not valid: button type must be reply.");
        json_t *reply = json_object_get(b, "reply");
        if (!limited(a, reply, "id", "button reply.id", 256, true, &ids[i], v) ||
            !limited(a, reply, "title", "button reply.title", 20, true, &titles[i], v))
            return false;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(titles[j], titles[i]) || !strcmp(ids[j], ids[i]))
                return refuse(v, 131009,
                              "Parameter value is not valid: button titles and ids "
                              "must be unique.");
    }
    return true;
}

static bool check_list(laris_arena_t *a, json_t *action, laris_sim_verdict_t *v)
{
    if (!limited(a, action, "button", "interactive.action.button", 20, true, NULL, v))
        return false;
    json_t *sections = json_object_get(action, "sections");
    if (!json_is_array(sections) || json_array_size(sections) == 0)
        return refuse(v, 131008, "The parameter interactive.action.sections is required.");
    size_t nsections = json_array_size(sections);
    if (nsections > 10)
        return refuse(v, 131009, "Parameter value is not valid: at most 10 sections are allowed.");
    size_t total = 0, i;
    json_t *s;
    json_array_foreach(sections, i, s)
    {
        if (!limited(a, s, "title", "section title", 24, nsections > 1, NULL, v))
            return false;
        json_t *rows = json_object_get(s, "rows");
        if (!json_is_array(rows) || json_array_size(rows) == 0)
            return refuse(v, 131008, "The parameter sections[].rows is required.");
        size_t j;
        json_t *r;
        json_array_foreach(rows, j, r)
        {
            if (!limited(a, r, "id", "row id", 200, true, NULL, v) ||
                !limited(a, r, "title", "row title", 24, true, NULL, v) ||
                !limited(a, r, "description", "row description", 72, false, NULL, v))
                return false;
        }
        total += json_array_size(rows);
    }
    if (total > 10)
        return refuse(v, 131009,
                      "Parameter value is not valid: at most 10 rows in total are "
                      "allowed.");
    return true;
}

static bool check_interactive(laris_arena_t *a, json_t *o, laris_sim_verdict_t *v)
{
    bool wrong = false;
    const char *type = str_member(o, "type", &wrong);
    if (!type)
        return refuse(v, 131008, "The parameter interactive.type is required.");
    bool list = strcmp(type, "list") == 0;
    if (!list && strcmp(type, "button") != 0)
        return refusef(v, a, 100, "Param interactive.type '%s' is not supported here.", type);
    json_t *body = json_object_get(o, "body");
    if (!body)
        return refuse(v, 131008, "The parameter interactive.body is required.");
    if (!limited(a, body, "text", "interactive.body.text", list ? 4096 : 1024, true, NULL, v))
        return false;
    json_t *footer = json_object_get(o, "footer");
    if (footer && !limited(a, footer, "text", "interactive.footer.text", 60, true, NULL, v))
        return false;
    json_t *header = json_object_get(o, "header");
    if (header) {
        const char *htype = json_string_value(json_object_get(header, "type"));
        if (!htype)
            return refuse(v, 131008, "The parameter interactive.header.type is required.");
        if (!strcmp(htype, "text")) {
            if (!limited(a, header, "text", "interactive.header.text", 60, true, NULL, v))
                return false;
        } else if (list)
            return refuse(v, 131009, "Parameter value is not valid: list headers must be text.");
        else if (strcmp(htype, "image") != 0 && strcmp(htype, "video") != 0 &&
                 strcmp(htype, "document") != 0)
            return refuse(v, 131009, "Parameter value is not valid: interactive.header.type.");
        else if (!check_media(a, htype, json_object_get(header, htype), v))
            return false;
    }
    json_t *action = json_object_get(o, "action");
    if (!json_is_object(action))
        return refuse(v, 131008, "The parameter interactive.action is required.");
    return list ? check_list(a, action, v) : check_buttons(a, action, v);
}

static bool check_reaction(json_t *o, json_t *context, laris_sim_verdict_t *v)
{
    bool wrong = false;
    const char *mid = str_member(o, "message_id", &wrong);
    const char *emoji = str_member(o, "emoji", &wrong);
    if (wrong)
        return refuse(v, 131009,
                      "Parameter value is not valid: reaction members must be "
                      "strings.");
    if (!mid || !emoji)
        return refuse(v, 131008,
                      "The parameters reaction.message_id and reaction.emoji are "
                      "required.");
    if (strncmp(mid, "wamid.", 6) != 0)
        return refuse(v, 131009,
                      "Parameter value is not valid: reaction.message_id must be a "
                      "wamid.");
    if (context)
        return refuse(v, 131009,
                      "Parameter value is not valid: reactions cannot be contextual "
                      "replies.");
    return true;
}

int laris_sim_count_placeholders(const char *text)
{
    /* Distinct names: a template body rarely has more than a handful. */
    const char *seen[64];
    size_t seen_len[64];
    int n = 0;
    for (const char *p = text ? strstr(text, "{{") : NULL; p; p = strstr(p, "{{")) {
        const char *start = p + 2;
        const char *end = strstr(start, "}}");
        if (!end)
            break;
        size_t len = (size_t)(end - start);
        bool dup = false;
        for (int i = 0; i < n; i++)
            dup = dup || (seen_len[i] == len && memcmp(seen[i], start, len) == 0);
        if (!dup && len > 0 && n < 64) {
            seen[n] = start;
            seen_len[n] = len;
            n++;
        }
        p = end + 2;
    }
    return n;
}

/* One text parameter of a header or body: Meta's rule on its text (132018), and its
 * parameter_name, which named templates need and positional ones refuse. */
static bool check_param(laris_arena_t *a, const laris_sim_template_t *t, json_t *p,
                        laris_sim_verdict_t *v)
{
    const char *text = json_string_value(json_object_get(p, "text"));
    if (text && (strpbrk(text, "\n\t") || strstr(text, "     ")))
        return refuse(v, 132018,
                      "Param text cannot have new-line/tab characters or more than 4 "
                      "consecutive spaces");
    json_t *pn = json_object_get(p, "parameter_name");
    if (!t->named) {
        if (pn)
            return refuse(v, 100,
                          "Param parameter_name is not allowed: the template uses positional "
                          "parameters.");
        return true;
    }
    const char *name = json_string_value(pn);
    if (!name || !*name)
        return refuse(v, 131008, "The parameter parameter_name is required for named templates.");
    const char *placeholder = laris_arena_printf(a, "{{%s}}", name);
    if (!t->text || !strstr(t->text, placeholder))
        return refusef(v, a, 132018, "Parameter name %s does not exist in the template.", name);
    return true;
}

/* A button component's index: a number or a string of digits, 0..9; -1 when it is neither. */
static int button_index(json_t *index)
{
    if (json_is_integer(index))
        return json_integer_value(index) >= 0 && json_integer_value(index) <= 9
                   ? (int)json_integer_value(index)
                   : -1;
    const char *s = json_string_value(index);
    return s && strlen(s) == 1 && s[0] >= '0' && s[0] <= '9' ? s[0] - '0' : -1;
}

/* One component of type button. A URL one names a URL button of the template by index and
 * gives the end of its link as one text parameter when the link ends in a variable (none
 * otherwise); *given gets the bit of the index. Other sub_types are not checked further. */
static bool check_button(laris_arena_t *a, const laris_sim_template_t *t, json_t *c,
                         unsigned *given, laris_sim_verdict_t *v)
{
    const char *sub = json_string_value(json_object_get(c, "sub_type"));
    json_t *index_value = json_object_get(c, "index");
    if (!sub || !index_value)
        return refuse(v, 131008, "The parameters components[].sub_type and index are required.");
    int index = button_index(index_value);
    if (index < 0)
        return refuse(v, 131009, "Parameter value is not valid: index must be 0 to 9.");
    if (strcasecmp(sub, "url") != 0)
        return true;
    if (!(t->url_buttons & (1u << index)))
        return refusef(v, a, 131009,
                       "Parameter value is not valid: button at index %s is not a URL button.",
                       laris_arena_printf(a, "%d", index));
    if (*given & (1u << index))
        return refusef(v, a, 131009,
                       "Parameter value is not valid: button at index %s is given twice.",
                       laris_arena_printf(a, "%d", index));
    *given |= 1u << index;
    json_t *params = json_object_get(c, "parameters");
    int expected = (t->url_vars & (1u << index)) ? 1 : 0;
    if ((int)json_array_size(params) != expected) {
        v->code = 132000;
        v->details = laris_arena_printf(a,
                                        "button: number of localizable_params (%d) does not "
                                        "match the expected number of params (%d)",
                                        (int)json_array_size(params), expected);
        return false;
    }
    json_t *p = json_array_get(params, 0);
    const char *ptype = json_string_value(json_object_get(p, "type"));
    const char *text = json_string_value(json_object_get(p, "text"));
    if (expected && (!ptype || strcmp(ptype, "text") != 0 || !text || !*text))
        return refuse(v, 131008, "The parameter parameters[].text is required for a URL button.");
    if (text && (strpbrk(text, "\n\t") || chars(text) > 2000))
        return refuse(v, 132018,
                      "Param text of a URL button cannot have new-line/tab characters or more "
                      "than 2000 characters.");
    return true;
}

static bool check_template(laris_arena_t *a, json_t *o, laris_sim_template_find_fn find, void *ctx,
                           laris_sim_send_t *out, laris_sim_verdict_t *v)
{
    bool wrong = false;
    const char *name = str_member(o, "name", &wrong);
    json_t *lang = json_object_get(o, "language");
    const char *code = json_string_value(json_object_get(lang, "code"));
    if (!name || !code)
        return refuse(v, 131008,
                      "The parameters template.name and template.language.code are "
                      "required.");
    const laris_sim_template_t *t = find ? find(ctx, name, code) : NULL;
    if (!t)
        return refusef(v, a, 132001, "template name (%s) does not exist in the translation",
                       laris_arena_printf(a, "%s) (%s", name, code));
    if (!strcmp(t->status, "PAUSED"))
        return refusef(v, a, 132015, "Template %s is paused because of low quality.", name);
    if (!strcmp(t->status, "DISABLED"))
        return refusef(v, a, 132016,
                       "Template %s has been paused too many times and is "
                       "disabled.",
                       name);
    if (strcmp(t->status, "APPROVED") != 0)
        return refusef(v, a, 132001, "template name (%s) is not approved in the translation",
                       laris_arena_printf(a, "%s) (%s", name, code));
    json_t *components = json_object_get(o, "components");
    if (components && !json_is_array(components))
        return refuse(v, 131009,
                      "Parameter value is not valid: template.components must be an "
                      "array.");
    int given = 0;
    unsigned buttons = 0;
    size_t i;
    json_t *c;
    json_array_foreach(components, i, c)
    {
        const char *ctype = json_string_value(json_object_get(c, "type"));
        if (!ctype)
            return refuse(v, 131008, "The parameter components[].type is required.");
        json_t *params = json_object_get(c, "parameters");
        if (params && !json_is_array(params))
            return refuse(v, 131009, "Parameter value is not valid: parameters must be an array.");
        if (!strcasecmp(ctype, "button")) {
            if (!check_button(a, t, c, &buttons, v))
                return false;
            continue;
        }
        bool text_part = !strcasecmp(ctype, "body") || !strcasecmp(ctype, "header");
        size_t j;
        json_t *p;
        json_array_foreach(params, j, p)
        {
            const char *ptype = json_string_value(json_object_get(p, "type"));
            if (!ptype)
                return refuse(v, 131008, "The parameter parameters[].type is required.");
            if (text_part && (!strcmp(ptype, "text") || !strcmp(ptype, "currency") ||
                              !strcmp(ptype, "date_time"))) {
                if (!check_param(a, t, p, v))
                    return false;
                given++;
            }
        }
    }
    if (given != t->nparams) {
        v->code = 132000;
        v->details = laris_arena_printf(a,
                                        "body: number of localizable_params (%d) does not match "
                                        "the expected number of params (%d)",
                                        given, t->nparams);
        return false;
    }
    if (t->url_vars & ~buttons)
        return refuse(v, 132000,
                      "button: number of localizable_params (0) does not match the expected "
                      "number of params (1)");
    char *cat = laris_arena_strdup(a, t->category ? t->category : "utility");
    for (char *p = cat; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    out->template_category = cat;
    return true;
}

bool laris_sim_validate_send(laris_arena_t *a, json_t *body, laris_sim_template_find_fn find,
                             void *find_ctx, laris_sim_send_t *out, laris_sim_verdict_t *v)
{
    memset(out, 0, sizeof(*out));
    v->code = 0;
    v->details = NULL;
    if (!json_is_object(body))
        return refuse(v, 100, "The request body must be a JSON object.");
    bool wrong = false;
    const char *product = str_member(body, "messaging_product", &wrong);
    if (!product && !wrong)
        return refuse(v, 131008, "The parameter messaging_product is required.");
    if (!product || strcmp(product, "whatsapp") != 0)
        return refuse(v, 100,
                      "Param messaging_product must be one of {WHATSAPP} - got an "
                      "unknown value.");

    const char *status = str_member(body, "status", &wrong);
    if (status) {
        const char *mid = str_member(body, "message_id", &wrong);
        if (strcmp(status, "read") != 0)
            return refuse(v, 100, "Param status must be one of {READ}.");
        if (!mid)
            return refuse(v, 131008, "The parameter message_id is required.");
        if (strncmp(mid, "wamid.", 6) != 0)
            return refuse(v, 131009, "Parameter value is not valid: message_id must be a wamid.");
        out->mark_read = true;
        out->type = "read";
        return true;
    }

    const char *rtype = str_member(body, "recipient_type", &wrong);
    if (rtype && strcmp(rtype, "individual") != 0 && strcmp(rtype, "group") != 0)
        return refuse(v, 100, "Param recipient_type must be one of {INDIVIDUAL, GROUP}.");
    const char *to = str_member(body, "to", &wrong);
    if (!to)
        return refuse(v, 131008, "The parameter to is required.");
    out->to = to;
    out->wa_id = wa_id_of(a, to);
    if (!out->wa_id)
        return refuse(v, 131009, "Parameter value is not valid: to must be a phone number.");

    const char *type = str_member(body, "type", &wrong);
    if (wrong)
        return refuse(v, 131009, "Parameter value is not valid: type must be a string.");
    if (!type)
        type = "text"; /* Graph's default */
    if (!one_of(type, known_types))
        return refusef(v, a, 100, "Param type '%s' is not a valid message type.", type);
    out->type = type;

    const char *opaque = str_member(body, "biz_opaque_callback_data", &wrong);
    if (wrong || (opaque && chars(opaque) > 512))
        return refuse(v, 131009,
                      "Parameter value is not valid: biz_opaque_callback_data must be "
                      "a string of at most 512 characters.");
    out->biz_opaque_callback_data = opaque;

    json_t *context = json_object_get(body, "context");
    if (context) {
        const char *mid = json_string_value(json_object_get(context, "message_id"));
        if (!mid)
            return refuse(v, 131008, "The parameter context.message_id is required.");
        if (strncmp(mid, "wamid.", 6) != 0)
            return refuse(v, 131009,
                          "Parameter value is not valid: context.message_id must be a "
                          "wamid.");
    }

    json_t *obj = json_object_get(body, type);
    if (!obj)
        return refusef(v, a, 131008, "The parameter %s is required.", type);
    bool is_contacts = strcmp(type, "contacts") == 0;
    if (!is_contacts && !json_is_object(obj))
        return refusef(v, a, 131009, "Parameter value is not valid: %s must be an object.", type);

    out->needs_window = strcmp(type, "template") != 0;
    if (!strcmp(type, "text"))
        return check_text(a, obj, v);
    if (!strcmp(type, "image") || !strcmp(type, "audio") || !strcmp(type, "video") ||
        !strcmp(type, "document") || !strcmp(type, "sticker"))
        return check_media(a, type, obj, v);
    if (!strcmp(type, "location"))
        return check_location(obj, v);
    if (is_contacts)
        return check_contacts(obj, v);
    if (!strcmp(type, "interactive"))
        return check_interactive(a, obj, v);
    if (!strcmp(type, "reaction"))
        return check_reaction(obj, context, v);
    return check_template(a, obj, find, find_ctx, out, v);
}
