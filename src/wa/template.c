/* Message templates by Meta's rules: the variables of a template's text and the checks a new
 * or edited template must pass before it goes to Graph (REFERENCE.md §4.3, §4.4). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "laris/buf.h"
#include "laris/json.h"
#include "laris/wa_outgoing.h"
#include "laris/wa_template.h"

#define TEXT_VARS_MAX 100 /* placeholders read from one text, past which it is refused */
#define URL_MAX       2000
#define PHONE_MAX     20
#define CODE_MAX      15 /* a copy-code button's example */

static const char *const component_types[] = {"HEADER", "BODY", "FOOTER", "BUTTONS", NULL};
static const char *const header_formats[] = {"TEXT",     "IMAGE",    "VIDEO",
                                             "DOCUMENT", "LOCATION", NULL};
static const char *const button_types[] = {"QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", NULL};

/* The index of s (any case) in the NULL-terminated list, or -1. */
static int choice(const char *s, const char *const *list)
{
    for (int i = 0; s && list[i]; i++)
        if (strcasecmp(s, list[i]) == 0)
            return i;
    return -1;
}

static bool fail(laris_err_t *err, const char *field, const char *message)
{
    if (err)
        laris_err_field(err, field, "%s", message);
    return false;
}

/* A string member key of o (path names it in errors): min..max characters. Absent is fine
 * unless required. */
static bool text_at(laris_arena_t *a, json_t *o, const char *key, const char *path, size_t min,
                    size_t max, bool required, const char **out, laris_err_t *err)
{
    const char *field = laris_arena_printf(a, "%s%s%s", path, *path ? "." : "", key);
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? fail(err, field, "is required") : true;
    if (!json_is_string(v))
        return fail(err, field, "must be a string");
    size_t n = laris_utf8_length(json_string_value(v));
    if (n < min || n > max) {
        laris_err_field(err, field, "must be %zu to %zu characters", min, max);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

static bool only_members(laris_arena_t *a, json_t *o, const char *path, const char *const *allowed,
                         laris_err_t *err)
{
    const char *key;
    json_t *v;
    bool ok = true;
    json_object_foreach(o, key, v)
    {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], key) != 0)
            i++;
        if (!allowed[i]) {
            laris_err_field(err, laris_arena_printf(a, "%s%s%s", path, *path ? "." : "", key),
                            "is not a member Meta knows here");
            ok = false;
        }
    }
    return ok;
}

/* Adds name to list (of *n) unless it is there already. */
static void add_unique(laris_arena_t *a, const char ***list, size_t *n, size_t *cap,
                       const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], name) == 0)
            return;
    if (*n == *cap) {
        size_t grown = *cap ? *cap * 2 : 4;
        const char **bigger = LARIS_ARRAY(a, const char *, grown);
        if (*n)
            memcpy(bigger, *list, *n * sizeof(**list));
        *list = bigger;
        *cap = grown;
    }
    (*list)[(*n)++] = name;
}

/* The placeholders of text in order of first use; kind gets 'p' (positional), 'n' (named) or
 * 0 (none). False with a message when a placeholder is malformed or the kinds are mixed. */
static bool scan_text(laris_arena_t *a, const char *text, const char ***names, size_t *n,
                      char *kind, const char **why)
{
    size_t cap = 0;
    *names = NULL;
    *n = 0;
    *kind = 0;
    for (const char *p = strstr(text, "{{"); p; p = strstr(p, "{{")) {
        const char *end = strstr(p + 2, "}}");
        if (!end) {
            *why = "has a {{ without its }}";
            return false;
        }
        size_t len = (size_t)(end - (p + 2));
        const char *inner = p + 2;
        char k;
        if (len > 0 && len <= 3 && strspn(inner, "0123456789") >= len && inner[0] != '0')
            k = 'p';
        else if (len > 0 && len <= 60 && inner[0] >= 'a' && inner[0] <= 'z' &&
                 strspn(inner, "abcdefghijklmnopqrstuvwxyz0123456789_") >= len)
            k = 'n';
        else {
            *why = "has a variable that is neither {{1}}, {{2}}… nor a lowercase {{name}}";
            return false;
        }
        if (*kind && *kind != k) {
            *why = "mixes numbered {{1}} and named {{name}} variables";
            return false;
        }
        *kind = k;
        if (*n >= TEXT_VARS_MAX) {
            *why = "has too many variables";
            return false;
        }
        add_unique(a, names, n, &cap, laris_arena_printf(a, "%.*s", (int)len, inner));
        p = end + 2;
    }
    if (*kind == 'p') {
        /* {{1}}..{{n}}: every number from 1 to the count, none missing. */
        for (size_t i = 0; i < *n; i++) {
            int v = 0;
            sscanf((*names)[i], "%d", &v);
            if (v < 1 || (size_t)v > *n) {
                *why = "must number its variables {{1}}, {{2}}… without a gap";
                return false;
            }
        }
        /* In number order, which is how a send fills them. */
        for (size_t i = 0; i < *n; i++)
            (*names)[i] = laris_arena_printf(a, "%zu", i + 1);
    }
    return true;
}

bool laris_wa_template_vars(laris_arena_t *a, json_t *components, laris_wa_template_vars_t *out,
                            laris_err_t *err)
{
    memset(out, 0, sizeof(*out));
    char kind = 0;
    size_t i;
    json_t *c;
    json_array_foreach(components, i, c)
    {
        const char *type = json_string_value(json_object_get(c, "type"));
        const char *text = json_string_value(json_object_get(c, "text"));
        bool body = type && strcasecmp(type, "BODY") == 0;
        bool header = type && strcasecmp(type, "HEADER") == 0;
        if (!text || (!body && !header))
            continue;
        const char *field = laris_arena_printf(a, "components[%zu].text", i);
        const char **names;
        size_t n;
        char k;
        const char *why = NULL;
        if (!scan_text(a, text, &names, &n, &k, &why))
            return fail(err, field, why);
        if (k && kind && k != kind)
            return fail(err, field, "mixes numbered {{1}} and named {{name}} variables");
        if (k)
            kind = k;
        if (body) {
            out->body = names;
            out->nbody = n;
        } else {
            if (n > 1)
                return fail(err, field, "may hold one variable at most");
            if (n == 1 && k == 'p' && strcmp(names[0], "1") != 0)
                return fail(err, field, "numbers its variable {{1}}");
            out->header = names;
            out->nheader = n;
        }
    }
    out->named = kind == 'n';
    return true;
}

/* example.<key>: an array of n strings (positional), or with nested, [[n strings]]. */
static bool examples_positional(laris_arena_t *a, json_t *example, const char *key, bool nested,
                                size_t n, const char *path, laris_err_t *err)
{
    const char *field = laris_arena_printf(a, "%s.example.%s", path, key);
    json_t *list = json_object_get(example, key);
    if (nested)
        list = json_array_size(list) == 1 ? json_array_get(list, 0) : NULL;
    if (!json_is_array(list) || json_array_size(list) != n)
        return fail(err, field,
                    laris_arena_printf(a, "must give an example for each of the %zu variables%s", n,
                                       nested ? " (as [[…]])" : ""));
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        if (!json_is_string(v) || laris_utf8_length(json_string_value(v)) < 1 ||
            laris_utf8_length(json_string_value(v)) > LARIS_WA_TEMPLATE_BODY_MAX)
            return fail(err, field, "examples are non-empty strings");
    }
    return true;
}

/* example.<key>: [{param_name, example}] naming each of names exactly once. */
static bool examples_named(laris_arena_t *a, json_t *example, const char *key, const char **names,
                           size_t n, const char *path, laris_err_t *err)
{
    const char *field = laris_arena_printf(a, "%s.example.%s", path, key);
    json_t *list = json_object_get(example, key);
    if (!json_is_array(list) || json_array_size(list) != n)
        return fail(err, field, "must give {param_name, example} for each variable");
    for (size_t k = 0; k < n; k++) {
        bool found = false;
        size_t i;
        json_t *v;
        json_array_foreach(list, i, v)
        {
            const char *pn = json_string_value(json_object_get(v, "param_name"));
            const char *ex = json_string_value(json_object_get(v, "example"));
            if (pn && ex && *ex && strcmp(pn, names[k]) == 0)
                found = true;
        }
        if (!found)
            return fail(err, field,
                        laris_arena_printf(a, "must give an example for {{%s}}", names[k]));
    }
    return true;
}

/* Checks the examples of a text component with names as its variables. */
static bool check_examples(laris_arena_t *a, json_t *c, bool header, const char **names, size_t n,
                           bool named, const char *path, laris_err_t *err)
{
    json_t *example = json_object_get(c, "example");
    if (n == 0)
        return true;
    if (!json_is_object(example))
        return fail(err, laris_arena_printf(a, "%s.example", path),
                    "is required: Meta reviews a template with an example for every variable");
    if (named)
        return examples_named(a, example,
                              header ? "header_text_named_params" : "body_text_named_params", names,
                              n, path, err);
    return examples_positional(a, example, header ? "header_text" : "body_text", !header, n, path,
                               err);
}

/* One button of BUTTONS; counts go up by its type. */
static bool check_button(laris_arena_t *a, json_t *b, const char *path, int counts[4],
                         laris_err_t *err)
{
    static const char *const members[] = {"type", "text", "url", "phone_number", "example", NULL};
    if (!json_is_object(b))
        return fail(err, path, "must be an object");
    if (!only_members(a, b, path, members, err))
        return false;
    int type = choice(json_string_value(json_object_get(b, "type")), button_types);
    if (type < 0)
        return fail(err, laris_arena_printf(a, "%s.type", path),
                    "must be QUICK_REPLY, URL, PHONE_NUMBER or COPY_CODE");
    counts[type]++;
    json_object_set_new(b, "type", json_string(button_types[type]));
    const char *text, *value;
    if (!text_at(a, b, "text", path, 1, LARIS_WA_TEMPLATE_BUTTON_MAX, type != 3, &text, err))
        return false;
    if (type == 1) {
        if (!text_at(a, b, "url", path, 1, URL_MAX, true, &value, err))
            return false;
        if (strncmp(value, "https://", 8) != 0 && strncmp(value, "http://", 7) != 0)
            return fail(err, laris_arena_printf(a, "%s.url", path), "must start with https://");
        const char *var = strstr(value, "{{");
        if (var) {
            if (strcmp(var, "{{1}}") != 0)
                return fail(err, laris_arena_printf(a, "%s.url", path),
                            "may end with one variable, {{1}}, and hold no other");
            json_t *ex = json_object_get(b, "example");
            if (!json_is_array(ex) || json_array_size(ex) != 1 ||
                !json_is_string(json_array_get(ex, 0)))
                return fail(err, laris_arena_printf(a, "%s.example", path),
                            "must give the whole URL as an example (one string)");
        }
    } else if (type == 2) {
        if (!text_at(a, b, "phone_number", path, 4, PHONE_MAX, true, &value, err))
            return false;
        if (strspn(value, "+0123456789") != strlen(value))
            return fail(err, laris_arena_printf(a, "%s.phone_number", path),
                        "must be digits with an optional +");
    } else if (type == 3) {
        json_t *ex = json_object_get(b, "example");
        const char *code = json_string_value(json_is_array(ex) ? json_array_get(ex, 0) : ex);
        if (!code || laris_utf8_length(code) < 1 || laris_utf8_length(code) > CODE_MAX)
            return fail(err, laris_arena_printf(a, "%s.example", path),
                        "must be the example code (1 to 15 characters)");
    }
    return true;
}

static bool check_buttons(laris_arena_t *a, json_t *c, const char *path, laris_err_t *err)
{
    json_t *buttons = json_object_get(c, "buttons");
    const char *field = laris_arena_printf(a, "%s.buttons", path);
    if (!json_is_array(buttons) || json_array_size(buttons) < 1 ||
        json_array_size(buttons) > LARIS_WA_TEMPLATE_BUTTONS)
        return fail(err, field, "must be a list of 1 to 10 buttons");
    int counts[4] = {0, 0, 0, 0};
    int groups = 0, last = -1;
    size_t i;
    json_t *b;
    json_array_foreach(buttons, i, b)
    {
        if (!check_button(a, b, laris_arena_printf(a, "%s[%zu]", field, i), counts, err))
            return false;
        int quick = strcmp(json_string_value(json_object_get(b, "type")), "QUICK_REPLY") == 0;
        if (quick != last)
            groups++;
        last = quick;
    }
    if (counts[1] > LARIS_WA_TEMPLATE_URL_BUTTONS)
        return fail(err, field, "may hold 2 URL buttons at most");
    if (counts[2] > 1 || counts[3] > 1)
        return fail(err, field, "may hold one phone number and one copy-code button at most");
    if (groups > 2)
        return fail(err, field, "must keep quick replies together, before or after the others");
    return true;
}

/* One component (a copy the caller owns: types are rewritten in uppercase). seen marks the
 * types met so far. */
static bool check_component(laris_arena_t *a, json_t *c, size_t i, const char *category,
                            bool seen[4], laris_err_t *err)
{
    static const char *const members[] = {"type", "format", "text", "example", "buttons", NULL};
    const char *path = laris_arena_printf(a, "components[%zu]", i);
    if (!json_is_object(c))
        return fail(err, path, "must be an object");
    if (!only_members(a, c, path, members, err))
        return false;
    int type = choice(json_string_value(json_object_get(c, "type")), component_types);
    if (type < 0)
        return fail(err, laris_arena_printf(a, "%s.type", path),
                    "must be HEADER, BODY, FOOTER or BUTTONS");
    if (seen[type])
        return fail(err, laris_arena_printf(a, "%s.type", path), "appears twice");
    seen[type] = true;
    json_object_set_new(c, "type", json_string(component_types[type]));
    const char *text;
    switch (type) {
    case 0: { /* HEADER */
        int format = choice(json_string_value(json_object_get(c, "format")), header_formats);
        if (format < 0)
            return fail(err, laris_arena_printf(a, "%s.format", path),
                        "must be TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION");
        json_object_set_new(c, "format", json_string(header_formats[format]));
        if (format == 0)
            return text_at(a, c, "text", path, 1, LARIS_WA_TEMPLATE_HEADER_MAX, true, &text, err);
        if (json_object_get(c, "text"))
            return fail(err, laris_arena_printf(a, "%s.text", path), "is only for a TEXT header");
        if (format == 4)
            return strcmp(category, "AUTHENTICATION") != 0 ||
                   fail(err, path, "a location header is for marketing and utility templates");
        json_t *handles = json_object_get(json_object_get(c, "example"), "header_handle");
        if (!json_is_array(handles) || json_array_size(handles) != 1 ||
            !json_is_string(json_array_get(handles, 0)))
            return fail(err, laris_arena_printf(a, "%s.example.header_handle", path),
                        "must hold the upload handle of a sample file");
        return true;
    }
    case 1: /* BODY */
        return text_at(a, c, "text", path, 1, LARIS_WA_TEMPLATE_BODY_MAX, true, &text, err);
    case 2: /* FOOTER */
        if (!text_at(a, c, "text", path, 1, LARIS_WA_TEMPLATE_FOOTER_MAX, true, &text, err))
            return false;
        return !strstr(text, "{{") ||
               fail(err, laris_arena_printf(a, "%s.text", path), "may not hold variables");
    default: /* BUTTONS */
        return check_buttons(a, c, path, err);
    }
}

/* Components and their variables' examples; fills vars. */
static bool check_components(laris_arena_t *a, json_t *components, const char *category,
                             const char *format, laris_wa_template_vars_t *vars, laris_err_t *err)
{
    if (!json_is_array(components) || json_array_size(components) < 1 ||
        json_array_size(components) > 4)
        return fail(err, "components", "must be a list of 1 to 4 components with one BODY");
    bool seen[4] = {false, false, false, false};
    size_t i;
    json_t *c;
    json_array_foreach(components, i, c)
    {
        if (!check_component(a, c, i, category, seen, err))
            return false;
    }
    if (!seen[1])
        return fail(err, "components", "must hold a BODY with the message text");
    if (!laris_wa_template_vars(a, components, vars, err))
        return false;
    if (vars->nbody > LARIS_WA_TEMPLATE_VARS_MAX)
        return fail(err, "components", "may hold 20 variables in the body at most");
    if (format && (strcasecmp(format, "named") == 0) != vars->named &&
        vars->nbody + vars->nheader > 0)
        return fail(err, "parameter_format",
                    vars->named ? "must be named: the text uses {{name}} variables"
                                : "must be positional: the text uses {{1}}, {{2}}… variables");
    json_array_foreach(components, i, c)
    {
        const char *type = json_string_value(json_object_get(c, "type"));
        const char *path = laris_arena_printf(a, "components[%zu]", i);
        bool header = strcmp(type, "HEADER") == 0;
        if (header &&
            !check_examples(a, c, true, vars->header, vars->nheader, vars->named, path, err))
            return false;
        if (strcmp(type, "BODY") == 0 &&
            !check_examples(a, c, false, vars->body, vars->nbody, vars->named, path, err))
            return false;
    }
    return true;
}

json_t *laris_wa_template_check(laris_arena_t *a, json_t *in, bool components_only,
                                laris_wa_template_vars_t *vars, laris_err_t *err)
{
    static const char *const create_members[] = {"name",       "language",         "category",
                                                 "components", "parameter_format", NULL};
    static const char *const edit_members[] = {"components", NULL};
    static const char *const categories[] = {"MARKETING", "UTILITY", "AUTHENTICATION", NULL};
    static const char *const formats[] = {"positional", "named", NULL};
    memset(vars, 0, sizeof(*vars));
    if (!only_members(a, in, "", components_only ? edit_members : create_members, err))
        return NULL;
    const char *name = NULL, *language = NULL, *category = "MARKETING", *format = NULL;
    bool ok = true;
    if (!components_only) {
        ok = text_at(a, in, "name", "", 1, LARIS_WA_TEMPLATE_NAME_MAX, true, &name, err) && ok;
        if (name && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name))
            ok = fail(err, "name", "must be lowercase letters, digits and underscores");
        ok = text_at(a, in, "language", "", 2, 8, true, &language, err) && ok;
        if (language) {
            size_t lower = strspn(language, "abcdefghijklmnopqrstuvwxyz");
            bool region = language[lower] == '_' &&
                          strspn(language + lower + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
                              strlen(language) - lower - 1 &&
                          strlen(language) - lower - 1 >= 2;
            if (lower < 2 || lower > 3 || (language[lower] != '\0' && !region))
                ok = fail(err, "language", "must be a language code such as id or en_US");
        }
        const char *cat = NULL;
        ok = text_at(a, in, "category", "", 1, 20, true, &cat, err) && ok;
        int which = cat ? choice(cat, categories) : -1;
        if (cat && (which < 0 || which > 1))
            ok = fail(err, "category",
                      which == 2 ? "authentication templates are made in WhatsApp Manager; use "
                                   "MARKETING or UTILITY here"
                                 : "must be MARKETING or UTILITY");
        else if (which >= 0)
            category = categories[which];
        ok = text_at(a, in, "parameter_format", "", 1, 20, false, &format, err) && ok;
        if (format && choice(format, formats) < 0)
            ok = fail(err, "parameter_format", "must be positional or named");
    }
    if (!ok)
        return NULL;
    json_t *components = json_deep_copy(json_object_get(in, "components"));
    laris_json_adopt(a, components);
    if (!check_components(a, components, category, format, vars, err))
        return NULL;
    json_t *out = json_pack("{s:O}", "components", components);
    if (!components_only) {
        json_object_set_new(out, "name", json_string(name));
        json_object_set_new(out, "language", json_string(language));
        json_object_set_new(out, "category", json_string(category));
        json_object_set_new(out, "parameter_format",
                            json_string(vars->named ? "named" : "positional"));
    }
    return out;
}

/* Values given for variables names (n of them, named or positional) at field: an object with
 * exactly those names, or an array of n values. */
static bool values_fit(laris_arena_t *a, json_t *given, const char **names, size_t n, bool named,
                       const char *field, laris_err_t *err)
{
    size_t count = json_is_object(given) ? json_object_size(given) : json_array_size(given);
    if (n == 0)
        return count == 0 ||
               fail(err, field, "must be left out: the template has no variables here");
    if (named) {
        bool ok = json_is_object(given) && count == n;
        for (size_t i = 0; ok && i < n; i++)
            ok = json_object_get(given, names[i]) != NULL;
        if (ok)
            return true;
        laris_buf_t list;
        laris_buf_init(&list, a);
        for (size_t i = 0; i < n; i++)
            laris_buf_printf(&list, "%s%s", i ? ", " : "", names[i]);
        return fail(err, field,
                    laris_arena_printf(a, "must give exactly the template's variables by name: %s",
                                       laris_buf_cstr(&list)));
    }
    if (!json_is_array(given) || count != n)
        return fail(err, field,
                    laris_arena_printf(a,
                                       "must be a list of %zu values, one for each variable "
                                       "of the template",
                                       n));
    return true;
}

/* The URL of button index of components' BUTTONS, if it is a URL button; else NULL. */
static const char *button_url(json_t *components, json_int_t index)
{
    size_t i;
    json_t *c;
    json_array_foreach(components, i, c)
    {
        const char *type = json_string_value(json_object_get(c, "type"));
        if (!type || strcasecmp(type, "BUTTONS") != 0)
            continue;
        json_t *b = json_array_get(json_object_get(c, "buttons"), (size_t)index);
        const char *btype = json_string_value(json_object_get(b, "type"));
        return btype && strcasecmp(btype, "URL") == 0 ? json_string_value(json_object_get(b, "url"))
                                                      : NULL;
    }
    return NULL;
}

bool laris_wa_template_fits(laris_arena_t *a, json_t *components, json_t *message, laris_err_t *err)
{
    laris_wa_template_vars_t vars;
    if (!json_is_array(components) || !laris_wa_template_vars(a, components, &vars, NULL))
        return true;
    if (!values_fit(a, json_object_get(message, "params"), vars.body, vars.nbody, vars.named,
                    "template.params", err) ||
        !values_fit(a, json_object_get(message, "header_params"), vars.header, vars.nheader,
                    vars.named, "template.header_params", err))
        return false;
    json_t *given = json_object_get(message, "url_params");
    size_t i;
    json_t *u;
    json_array_foreach(given, i, u)
    {
        json_int_t index = json_integer_value(json_object_get(u, "index"));
        const char *url = button_url(components, index);
        const char *field = laris_arena_printf(a, "template.url_params[%zu].index", i);
        if (!url || !strstr(url, "{{"))
            return fail(err, field,
                        url ? "names a link button without a variable"
                            : "must be the position of one of the template's link buttons (0 is "
                              "the first button)");
        const char *text = json_string_value(json_object_get(u, "text"));
        size_t fixed = laris_utf8_length(url); /* the link without its {{1}} */
        fixed = fixed > strlen("{{1}}") ? fixed - strlen("{{1}}") : 0;
        if (fixed + laris_utf8_length(text) > LARIS_WA_URL_MAX)
            return fail(err, laris_arena_printf(a, "template.url_params[%zu].text", i),
                        "makes the link longer than 2000 characters");
    }
    /* Every URL button whose link ends in a variable needs its value. */
    for (json_int_t index = 0; index <= LARIS_WA_URL_BUTTON_INDEX; index++) {
        const char *url = button_url(components, index);
        if (!url || !strstr(url, "{{"))
            continue;
        bool found = false;
        json_array_foreach(given, i, u)
        {
            found = found || json_integer_value(json_object_get(u, "index")) == index;
        }
        if (!found)
            return fail(err, "template.url_params",
                        laris_arena_printf(a,
                                           "must give the end of the link of button %lld (the "
                                           "template's link ends in a variable)",
                                           (long long)index));
    }
    return true;
}
