/* Messages out, pure: checks what an agent asks to send against the Cloud API's shapes and
 * limits (REFERENCE.md §2.3-§2.9, §4.4), and builds the Graph request body of a stored message.
 *
 * The check keeps only the members Meta knows, so what is stored (and later sent) is exactly
 * what was checked; the builder trusts the stored object and only wraps it. Strings are never
 * spliced into JSON by hand: jansson encodes them, so quotes or braces in a caption stay text. */
#include <stdio.h>
#include <string.h>

#include "laris/json.h"
#include "laris/wa_outgoing.h"

#define PATH_MAX_LEN 96

static const char *const media_types[] = {"image", "video", "audio", "document", "sticker", NULL};

static bool in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

bool laris_wa_outgoing_type_known(const char *type)
{
    static const char *const types[] = {"text",     "template", "image",   "video",
                                        "audio",    "document", "sticker", "interactive",
                                        "reaction", "read",     NULL};
    return in_list(type, types);
}

bool laris_wa_outgoing_needs_window(const char *type)
{
    return strcmp(type, "template") != 0 && strcmp(type, "read") != 0;
}

/* True when s has no control character (C0, DEL, C1); newlines, carriage returns and tabs
 * are allowed when multiline. */
static bool clean(const char *s, bool multiline)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (multiline && (*p == '\n' || *p == '\t' || *p == '\r'))
            continue;
        if (*p < 0x20 || *p == 0x7f)
            return false;
        if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* U+0080..U+009F */
            return false;
    }
    return true;
}

static bool blank(const char *s)
{
    return strspn(s, " \t\r\n") == strlen(s);
}

static const char *path_of(char buf[PATH_MAX_LEN], const char *prefix, const char *key)
{
    snprintf(buf, PATH_MAX_LEN, "%s.%s", prefix, key);
    return buf;
}

/* Reads string member key of o, min..max code points. Absent: fine unless required (then
 * *out is NULL). Field errors name path. */
static bool text_at(json_t *o, const char *key, const char *path, size_t min, size_t max,
                    bool required, bool multiline, const char **out, laris_err_t *err)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            laris_err_field(err, path, "is required");
        return !required;
    }
    if (!json_is_string(v))
        return laris_err_field(err, path, "must be a string"), false;
    const char *s = json_string_value(v);
    size_t n = laris_utf8_length(s);
    if (strlen(s) != json_string_length(v) || !clean(s, multiline))
        return laris_err_field(err, path, "must not contain control characters"), false;
    if (n < min || n > max)
        return laris_err_field(err, path, "must be %zu to %zu characters long", min, max), false;
    if (min > 0 && blank(s))
        return laris_err_field(err, path, "must not be blank"), false;
    *out = s;
    return true;
}

/* Copies a string member that text_at accepted (when present) into dst. */
static void keep(json_t *dst, const char *key, const char *value)
{
    if (value)
        json_object_set_new(dst, key, json_string(value));
}

/* Refuses members of o not in allowed, so a typo is reported instead of silently dropped. */
static bool only(json_t *o, const char *prefix, const char *const *allowed, laris_err_t *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        if (!in_list(key, allowed)) {
            char p[PATH_MAX_LEN];
            return laris_err_field(err, path_of(p, prefix, key), "is not a member of %s", prefix),
                   false;
        }
    }
    return true;
}

static json_t *check_text(json_t *in, laris_err_t *err)
{
    static const char *const allowed[] = {"body", "preview_url", NULL};
    const char *body;
    if (!only(in, "text", allowed, err) ||
        !text_at(in, "body", "text.body", 1, LARIS_WA_TEXT_MAX, true, true, &body, err))
        return NULL;
    json_t *pu = json_object_get(in, "preview_url");
    if (pu && !json_is_boolean(pu))
        return laris_err_field(err, "text.preview_url", "must be true or false"), NULL;
    json_t *out = json_pack("{s:s}", "body", body);
    if (json_is_true(pu))
        json_object_set_new(out, "preview_url", json_true());
    return out;
}

/* A media object: exactly one of id (a Graph media id: digits) or link (an http(s) URL). */
static json_t *check_media(const char *type, json_t *in, laris_err_t *err)
{
    static const char *const allowed[] = {"id", "link", "caption", "filename", "voice", NULL};
    char p[PATH_MAX_LEN];
    if (!only(in, type, allowed, err))
        return NULL;
    const char *id, *link, *caption = NULL, *filename = NULL;
    if (!text_at(in, "id", path_of(p, type, "id"), 1, 32, false, false, &id, err) ||
        !text_at(in, "link", path_of(p, type, "link"), 8, LARIS_WA_LINK_MAX, false, false, &link,
                 err))
        return NULL;
    if ((id == NULL) == (link == NULL))
        return laris_err_field(err, type, "needs exactly one of id (an uploaded media id) or link"),
               NULL;
    if (id && strspn(id, "0123456789") != strlen(id))
        return laris_err_field(err, path_of(p, type, "id"), "must be a WhatsApp media id (digits)"),
               NULL;
    if (link && ((strncmp(link, "https://", 8) != 0 && strncmp(link, "http://", 7) != 0) ||
                 strpbrk(link, " \"<>\\")))
        return laris_err_field(err, path_of(p, type, "link"), "must be an http(s) URL"), NULL;
    bool captioned = !strcmp(type, "image") || !strcmp(type, "video") || !strcmp(type, "document");
    if (json_object_get(in, "caption") && !captioned)
        return laris_err_field(err, path_of(p, type, "caption"), "is not allowed for %s", type),
               NULL;
    if (json_object_get(in, "filename") && strcmp(type, "document") != 0)
        return laris_err_field(err, path_of(p, type, "filename"), "is only allowed for documents"),
               NULL;
    if (json_object_get(in, "voice") && strcmp(type, "audio") != 0)
        return laris_err_field(err, path_of(p, type, "voice"), "is only allowed for audio"), NULL;
    json_t *voice = json_object_get(in, "voice");
    if (voice && !json_is_boolean(voice))
        return laris_err_field(err, path_of(p, type, "voice"), "must be true or false"), NULL;
    if (!text_at(in, "caption", path_of(p, type, "caption"), 1, LARIS_WA_CAPTION_MAX, false, true,
                 &caption, err) ||
        !text_at(in, "filename", path_of(p, type, "filename"), 1, LARIS_WA_FILENAME_MAX, false,
                 false, &filename, err))
        return NULL;
    if (filename && strpbrk(filename, "/\\"))
        return laris_err_field(err, path_of(p, type, "filename"),
                               "must be a file name, not a path"),
               NULL;
    json_t *out = json_object();
    keep(out, "id", id);
    keep(out, "link", link);
    keep(out, "caption", caption);
    keep(out, "filename", filename);
    if (json_is_true(voice))
        json_object_set_new(out, "voice", json_true());
    return out;
}

/* {"text": "..."} of an interactive body or footer. */
static json_t *text_object(json_t *in, const char *key, size_t max, bool required, laris_err_t *err,
                           bool *ok)
{
    char p[PATH_MAX_LEN];
    json_t *o = json_object_get(in, key);
    *ok = true;
    if (!o && !required)
        return NULL;
    snprintf(p, sizeof(p), "interactive.%s.text", key);
    const char *text;
    if (!json_is_object(o)) {
        laris_err_field(err, p, "is required");
        *ok = false;
    } else
        *ok = text_at(o, "text", p, 1, max, true, true, &text, err);
    return *ok ? json_pack("{s:s}", "text", text) : NULL;
}

static json_t *check_header(json_t *h, bool list, laris_err_t *err)
{
    static const char *const kinds[] = {"text", "image", "video", "document", NULL};
    const char *kind = json_string_value(json_object_get(h, "type"));
    if (!json_is_object(h) || !kind)
        return laris_err_field(err, "interactive.header.type", "is required"), NULL;
    if (!in_list(kind, kinds) || (list && strcmp(kind, "text") != 0))
        return laris_err_field(err, "interactive.header.type",
                               list ? "must be text for a list"
                                    : "must be text, image, video or "
                                      "document"),
               NULL;
    if (!strcmp(kind, "text")) {
        const char *text;
        if (!text_at(h, "text", "interactive.header.text", 1, LARIS_WA_HEADER_TEXT_MAX, true, false,
                     &text, err))
            return NULL;
        return json_pack("{s:s,s:s}", "type", "text", "text", text);
    }
    json_t *media = json_object_get(h, kind);
    if (!json_is_object(media))
        return laris_err_field(err, "interactive.header", "needs the %s object", kind), NULL;
    json_t *m = check_media(kind, media, err);
    if (!m)
        return NULL;
    if (json_object_get(m, "caption")) {
        json_decref(m);
        return laris_err_field(err, "interactive.header", "media takes no caption"), NULL;
    }
    return json_pack("{s:s,s:o}", "type", kind, kind, m);
}

static json_t *check_buttons(json_t *action, laris_err_t *err)
{
    json_t *buttons = json_object_get(action, "buttons");
    size_t n = json_array_size(buttons);
    if (!json_is_array(buttons) || n == 0 || n > LARIS_WA_BUTTONS_MAX)
        return laris_err_field(err, "interactive.action.buttons", "must hold 1 to %d reply buttons",
                               LARIS_WA_BUTTONS_MAX),
               NULL;
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *b = json_array_get(buttons, i);
        json_t *reply = json_object_get(b, "reply");
        const char *type = json_string_value(json_object_get(b, "type"));
        char pid[PATH_MAX_LEN], ptitle[PATH_MAX_LEN];
        snprintf(pid, sizeof(pid), "interactive.action.buttons[%zu].reply.id", i);
        snprintf(ptitle, sizeof(ptitle), "interactive.action.buttons[%zu].reply.title", i);
        const char *id, *title;
        if ((type && strcmp(type, "reply") != 0) || !json_is_object(reply)) {
            laris_err_field(err, pid, "each button must be {type: \"reply\", reply: {id, title}}");
            break;
        }
        if (!text_at(reply, "id", pid, 1, LARIS_WA_BUTTON_ID_MAX, true, false, &id, err) ||
            !text_at(reply, "title", ptitle, 1, LARIS_WA_BUTTON_TITLE_MAX, true, false, &title,
                     err))
            break;
        for (size_t j = 0; j < i; j++) {
            json_t *prev = json_object_get(json_array_get(out, j), "reply");
            if (!strcmp(json_string_value(json_object_get(prev, "id")), id) ||
                !strcmp(json_string_value(json_object_get(prev, "title")), title))
                laris_err_field(err, ptitle, "button ids and titles must be unique");
        }
        json_array_append_new(out, json_pack("{s:s,s:{s:s,s:s}}", "type", "reply", "reply", "id",
                                             id, "title", title));
    }
    if (err->nfields > 0 || json_array_size(out) != n) {
        json_decref(out);
        return NULL;
    }
    return json_pack("{s:o}", "buttons", out);
}

static json_t *check_list(json_t *action, laris_err_t *err)
{
    const char *button;
    if (!text_at(action, "button", "interactive.action.button", 1, LARIS_WA_LIST_BUTTON_MAX, true,
                 false, &button, err))
        return NULL;
    json_t *sections = json_object_get(action, "sections");
    size_t ns = json_array_size(sections);
    if (!json_is_array(sections) || ns == 0 || ns > LARIS_WA_SECTIONS_MAX)
        return laris_err_field(err, "interactive.action.sections", "must hold 1 to %d sections",
                               LARIS_WA_SECTIONS_MAX),
               NULL;
    json_t *out = json_array();
    size_t rows_total = 0;
    for (size_t i = 0; i < ns && err->nfields == 0; i++) {
        json_t *s = json_array_get(sections, i);
        char p[PATH_MAX_LEN];
        snprintf(p, sizeof(p), "interactive.action.sections[%zu].title", i);
        const char *title;
        /* A title is required as soon as there is more than one section. */
        if (!json_is_object(s) ||
            !text_at(s, "title", p, 1, LARIS_WA_SECTION_TITLE_MAX, ns > 1, false, &title, err))
            break;
        json_t *rows = json_object_get(s, "rows");
        size_t nr = json_array_size(rows);
        snprintf(p, sizeof(p), "interactive.action.sections[%zu].rows", i);
        if (!json_is_array(rows) || nr == 0) {
            laris_err_field(err, p, "must hold at least one row");
            break;
        }
        rows_total += nr;
        if (rows_total > LARIS_WA_ROWS_MAX) {
            laris_err_field(err, "interactive.action.sections", "may hold %d rows in total",
                            LARIS_WA_ROWS_MAX);
            break;
        }
        json_t *rows_out = json_array();
        for (size_t j = 0; j < nr; j++) {
            json_t *r = json_array_get(rows, j);
            char pid[2 * PATH_MAX_LEN], pt[2 * PATH_MAX_LEN], pd[2 * PATH_MAX_LEN];
            snprintf(pid, sizeof(pid), "%s[%zu].id", p, j);
            snprintf(pt, sizeof(pt), "%s[%zu].title", p, j);
            snprintf(pd, sizeof(pd), "%s[%zu].description", p, j);
            const char *id, *rt, *desc;
            if (!json_is_object(r) ||
                !text_at(r, "id", pid, 1, LARIS_WA_ROW_ID_MAX, true, false, &id, err) ||
                !text_at(r, "title", pt, 1, LARIS_WA_ROW_TITLE_MAX, true, false, &rt, err) ||
                !text_at(r, "description", pd, 1, LARIS_WA_ROW_DESCRIPTION_MAX, false, false, &desc,
                         err)) {
                if (err->nfields == 0)
                    laris_err_field(err, pid, "each row must be {id, title, description?}");
                break;
            }
            json_t *row = json_pack("{s:s,s:s}", "id", id, "title", rt);
            keep(row, "description", desc);
            json_array_append_new(rows_out, row);
        }
        json_t *sec = json_pack("{s:o}", "rows", rows_out);
        keep(sec, "title", title);
        json_array_append_new(out, sec);
    }
    if (err->nfields > 0) {
        json_decref(out);
        return NULL;
    }
    return json_pack("{s:s,s:o}", "button", button, "sections", out);
}

static json_t *check_interactive(json_t *in, laris_err_t *err)
{
    static const char *const allowed[] = {"type", "header", "body", "footer", "action", NULL};
    static const char *const kinds[] = {"button", "list", NULL};
    const char *kind = json_string_value(json_object_get(in, "type"));
    if (!only(in, "interactive", allowed, err))
        return NULL;
    if (!in_list(kind, kinds))
        return laris_err_field(err, "interactive.type", "must be button or list"), NULL;
    bool list = strcmp(kind, "list") == 0;
    bool ok;
    json_t *out = json_pack("{s:s}", "type", kind);
    json_t *h = json_object_get(in, "header");
    if (h) {
        json_t *header = check_header(h, list, err);
        if (!header)
            goto fail;
        json_object_set_new(out, "header", header);
    }
    json_t *body = text_object(in, "body", list ? LARIS_WA_LIST_BODY_MAX : LARIS_WA_BUTTON_BODY_MAX,
                               true, err, &ok);
    if (!ok)
        goto fail;
    json_object_set_new(out, "body", body);
    json_t *footer = text_object(in, "footer", LARIS_WA_FOOTER_MAX, false, err, &ok);
    if (!ok)
        goto fail;
    if (footer)
        json_object_set_new(out, "footer", footer);
    json_t *action = json_object_get(in, "action");
    if (!json_is_object(action)) {
        laris_err_field(err, "interactive.action", "is required");
        goto fail;
    }
    json_t *a = list ? check_list(action, err) : check_buttons(action, err);
    if (!a)
        goto fail;
    json_object_set_new(out, "action", a);
    return out;
fail:
    json_decref(out);
    return NULL;
}

/* A template parameter value: 1..1024 characters, no newline, tab or five spaces in a row
 * (Meta refuses those with 132018). */
static bool param_ok(json_t *v, const char *path, laris_err_t *err)
{
    const char *s = json_string_value(v);
    if (!s || json_string_length(v) == 0 || strlen(s) != json_string_length(v) ||
        laris_utf8_length(s) > LARIS_WA_TEMPLATE_PARAM_MAX)
        return laris_err_field(err, path, "must be strings of 1 to %d characters",
                               LARIS_WA_TEMPLATE_PARAM_MAX),
               false;
    if (!clean(s, false) || strchr(s, '\t') || strstr(s, "     "))
        return laris_err_field(err, path,
                               "must not contain new lines, tabs or more than four spaces in a "
                               "row"),
               false;
    return true;
}

/* Named parameters: lowercase letters, digits and underscores, starting with a letter. */
static bool param_name_ok(const char *name)
{
    size_t n = strlen(name);
    return n > 0 && n <= 64 && name[0] >= 'a' && name[0] <= 'z' &&
           strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* params: an array of strings (positional) or an object name -> string (named). */
static json_t *check_params(json_t *v, const char *path, size_t max, laris_err_t *err)
{
    if (!v || json_is_null(v))
        return json_array();
    if (json_is_array(v)) {
        if (json_array_size(v) > max)
            return laris_err_field(err, path, "may hold at most %zu parameters", max), NULL;
        for (size_t i = 0; i < json_array_size(v); i++)
            if (!param_ok(json_array_get(v, i), path, err))
                return NULL;
        return json_deep_copy(v);
    }
    if (json_is_object(v)) {
        if (json_object_size(v) > max)
            return laris_err_field(err, path, "may hold at most %zu parameters", max), NULL;
        const char *name;
        json_t *value;
        json_object_foreach(v, name, value)
        {
            if (!param_name_ok(name))
                return laris_err_field(err, path,
                                       "names must be lowercase letters, digits and "
                                       "underscores"),
                       NULL;
            if (!param_ok(value, path, err))
                return NULL;
        }
        return json_deep_copy(v);
    }
    return laris_err_field(err, path,
                           "must be an array of strings (positional) or an object of named "
                           "strings"),
           NULL;
}

/* url_params: [{index, text}], at most one per URL button: index the button's position (0..9),
 * text the end of its link (1..2000 characters, no white space or control characters: it
 * becomes part of a URL). Returns the copy to store ([] when absent). */
static json_t *check_url_params(json_t *v, laris_err_t *err)
{
    static const char *const allowed[] = {"index", "text", NULL};
    if (!v || json_is_null(v))
        return json_array();
    if (!json_is_array(v) || json_array_size(v) > LARIS_WA_URL_PARAMS_MAX)
        return laris_err_field(err, "template.url_params",
                               "must be a list of at most %d {index, text}",
                               LARIS_WA_URL_PARAMS_MAX),
               NULL;
    json_t *out = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(v, i, p)
    {
        char prefix[PATH_MAX_LEN], pi[PATH_MAX_LEN], pt[PATH_MAX_LEN];
        snprintf(prefix, sizeof(prefix), "template.url_params[%zu]", i);
        path_of(pi, prefix, "index");
        path_of(pt, prefix, "text");
        if (!json_is_object(p)) {
            laris_err_field(err, prefix, "must be an object {index, text}");
            break;
        }
        if (!only(p, prefix, allowed, err))
            break;
        json_t *index = json_object_get(p, "index");
        if (!json_is_integer(index) || json_integer_value(index) < 0 ||
            json_integer_value(index) > LARIS_WA_URL_BUTTON_INDEX) {
            laris_err_field(err, pi, "must be the button's position, 0 to %d",
                            LARIS_WA_URL_BUTTON_INDEX);
            break;
        }
        const char *text;
        if (!text_at(p, "text", pt, 1, LARIS_WA_URL_MAX, true, false, &text, err))
            break;
        if (strchr(text, ' ') || strstr(text, "\xc2\xa0")) { /* a space or a no-break space */
            laris_err_field(err, pt, "must not contain spaces: it becomes part of a link");
            break;
        }
        size_t j;
        json_t *prev;
        json_array_foreach(out, j, prev)
        {
            if (json_integer_value(json_object_get(prev, "index")) == json_integer_value(index))
                laris_err_field(err, pi, "names a button given already");
        }
        if (err->nfields > 0)
            break;
        json_array_append_new(out, json_pack("{s:O,s:s}", "index", index, "text", text));
    }
    if (err->nfields > 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}

static json_t *check_template(json_t *in, laris_err_t *err)
{
    static const char *const allowed[] = {"name",          "language",   "params",
                                          "header_params", "url_params", NULL};
    const char *name, *language;
    if (!only(in, "template", allowed, err))
        return NULL;
    bool ok = text_at(in, "name", "template.name", 1, 512, true, false, &name, err);
    ok = text_at(in, "language", "template.language", 2, 15, true, false, &language, err) && ok;
    if (!ok)
        return NULL;
    if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name))
        return laris_err_field(err, "template.name",
                               "must be lowercase letters, digits and underscores"),
               NULL;
    if (strspn(language, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") !=
        strlen(language))
        return laris_err_field(err, "template.language",
                               "must be a language code like id or en_US"),
               NULL;
    json_t *params = check_params(json_object_get(in, "params"), "template.params",
                                  LARIS_WA_TEMPLATE_PARAMS_MAX, err);
    if (!params)
        return NULL;
    json_t *header =
        check_params(json_object_get(in, "header_params"), "template.header_params", 1, err);
    if (!header) {
        json_decref(params);
        return NULL;
    }
    json_t *urls = check_url_params(json_object_get(in, "url_params"), err);
    if (!urls) {
        json_decref(params);
        json_decref(header);
        return NULL;
    }
    json_t *out = json_pack("{s:s,s:s,s:o}", "name", name, "language", language, "params", params);
    if (json_array_size(header) > 0 || json_object_size(header) > 0)
        json_object_set_new(out, "header_params", header);
    else
        json_decref(header);
    if (json_array_size(urls) > 0)
        json_object_set_new(out, "url_params", urls);
    else
        json_decref(urls);
    return out;
}

static bool wamid_ok(json_t *in, const char *path, const char **out, laris_err_t *err)
{
    if (!text_at(in, "message_id", path, 7, 256, true, false, out, err))
        return false;
    if (strncmp(*out, "wamid.", 6) != 0 || strpbrk(*out, " \"\\"))
        return laris_err_field(err, path, "must be a WhatsApp message id"), false;
    return true;
}

/* One emoji, possibly a sequence (skin tone, ZWJ family): no ASCII, at most 16 code points;
 * "" removes the reaction. */
static json_t *check_reaction(json_t *in, laris_err_t *err)
{
    const char *wamid, *emoji;
    if (!wamid_ok(in, "reaction.message_id", &wamid, err) ||
        !text_at(in, "emoji", "reaction.emoji", 0, LARIS_WA_EMOJI_MAX, true, false, &emoji, err))
        return NULL;
    for (const unsigned char *p = (const unsigned char *)emoji; *p; p++)
        if (*p < 0x80)
            return laris_err_field(err, "reaction.emoji", "must be one emoji (or empty to remove)"),
                   NULL;
    return json_pack("{s:s,s:s}", "message_id", wamid, "emoji", emoji);
}

json_t *laris_wa_outgoing_check(const char *type, json_t *in, laris_err_t *err)
{
    if (!laris_wa_outgoing_type_known(type))
        return laris_err_field(err, "type", "is not a message type that can be sent"), NULL;
    if (!strcmp(type, "text") && json_is_string(in)) {
        json_t *wrapped = json_pack("{s:O}", "body", in);
        json_t *out = check_text(wrapped, err);
        json_decref(wrapped);
        return out;
    }
    if (!json_is_object(in))
        return laris_err_field(err, type, "must be an object"), NULL;
    if (!strcmp(type, "text"))
        return check_text(in, err);
    if (in_list(type, media_types))
        return check_media(type, in, err);
    if (!strcmp(type, "interactive"))
        return check_interactive(in, err);
    if (!strcmp(type, "template"))
        return check_template(in, err);
    if (!strcmp(type, "reaction"))
        return check_reaction(in, err);
    const char *wamid; /* read */
    return wamid_ok(in, "read.message_id", &wamid, err) ? json_pack("{s:s}", "message_id", wamid)
                                                        : NULL;
}

/* Template parameters of one component: [{type: text, text, parameter_name?}, ...]. */
static json_t *template_parameters(json_t *params)
{
    json_t *out = json_array();
    if (json_is_array(params)) {
        for (size_t i = 0; i < json_array_size(params); i++)
            json_array_append_new(
                out, json_pack("{s:s,s:O}", "type", "text", "text", json_array_get(params, i)));
    } else if (json_is_object(params)) {
        const char *name;
        json_t *value;
        json_object_foreach(params, name, value)
        {
            json_array_append_new(out, json_pack("{s:s,s:s,s:O}", "type", "text", "parameter_name",
                                                 name, "text", value));
        }
    }
    return out;
}

static json_t *template_object(json_t *stored)
{
    json_t *name = json_object_get(stored, "name");
    json_t *language = json_object_get(stored, "language");
    if (!json_is_string(name) || !json_is_string(language))
        return NULL;
    json_t *t = json_pack("{s:O,s:{s:O}}", "name", name, "language", "code", language);
    json_t *components = json_array();
    json_t *header = template_parameters(json_object_get(stored, "header_params"));
    json_t *body = template_parameters(json_object_get(stored, "params"));
    if (json_array_size(header) > 0)
        json_array_append_new(components,
                              json_pack("{s:s,s:O}", "type", "header", "parameters", header));
    if (json_array_size(body) > 0)
        json_array_append_new(components,
                              json_pack("{s:s,s:O}", "type", "body", "parameters", body));
    json_decref(header);
    json_decref(body);
    /* One button component per URL button with a variable: Meta's index is a string. */
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(stored, "url_params"), i, u)
    {
        json_t *index = json_object_get(u, "index");
        json_t *text = json_object_get(u, "text");
        if (!json_is_integer(index) || !json_is_string(text))
            continue;
        char position[24];
        snprintf(position, sizeof(position), "%lld", (long long)json_integer_value(index));
        json_array_append_new(components, json_pack("{s:s,s:s,s:s,s:[{s:s,s:O}]}", "type", "button",
                                                    "sub_type", "url", "index", position,
                                                    "parameters", "type", "text", "text", text));
    }
    if (json_array_size(components) > 0)
        json_object_set_new(t, "components", components);
    else
        json_decref(components);
    return t;
}

json_t *laris_wa_outgoing_body(const char *type, const char *body, json_t *payload,
                               const char *to_wa_id, const char *context_wamid)
{
    if (!type || !laris_wa_outgoing_type_known(type))
        return NULL;
    if (!strcmp(type, "read")) {
        json_t *mid = json_object_get(payload, "message_id");
        return json_is_string(mid) ? json_pack("{s:s,s:s,s:O}", "messaging_product", "whatsapp",
                                               "status", "read", "message_id", mid)
                                   : NULL;
    }
    if (!to_wa_id || !*to_wa_id)
        return NULL;
    json_t *object;
    if (!strcmp(type, "text"))
        object = body ? json_pack("{s:s,s:b}", "body", body, "preview_url",
                                  json_is_true(json_object_get(payload, "preview_url")))
                      : NULL;
    else if (!strcmp(type, "template"))
        object = template_object(payload);
    else
        object = json_is_object(payload) ? json_deep_copy(payload) : NULL;
    if (!object)
        return NULL;
    json_t *out = json_pack("{s:s,s:s,s:s+,s:s}", "messaging_product", "whatsapp", "recipient_type",
                            "individual", "to", "+", to_wa_id, "type", type);
    if (context_wamid && *context_wamid && strcmp(type, "reaction") != 0)
        json_object_set_new(out, "context", json_pack("{s:s}", "message_id", context_wamid));
    json_object_set_new(out, type, object);
    return out;
}
