/* Validation of the values people type: emails, passwords, names; and role names. */
#include <string.h>

#include "laris/crm.h"
#include "laris/json.h"

laris_role laris_role_parse(const char *name)
{
    if (!name)
        return LARIS_ROLE_NONE;
    if (strcmp(name, "owner") == 0)
        return LARIS_ROLE_OWNER;
    if (strcmp(name, "supervisor") == 0)
        return LARIS_ROLE_SUPERVISOR;
    if (strcmp(name, "agent") == 0)
        return LARIS_ROLE_AGENT;
    return LARIS_ROLE_NONE;
}

const char *laris_role_name(laris_role role)
{
    switch (role) {
    case LARIS_ROLE_OWNER:
        return "owner";
    case LARIS_ROLE_SUPERVISOR:
        return "supervisor";
    case LARIS_ROLE_AGENT:
        return "agent";
    default:
        return "none";
    }
}

static bool has_control_chars(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

/* A practical check, not RFC 5322: one '@', a local part, a dotted domain, no spaces or
 * control characters, at most 254 characters. */
bool laris_validate_email(const char *field, const char *email, laris_err_t *err)
{
    size_t len = strlen(email);
    const char *at = strchr(email, '@');
    bool ok = len >= 3 && len <= 254 && at && at != email && !strchr(at + 1, '@') &&
              !strpbrk(email, " \t\"(),:;<>[\\]") && !has_control_chars(email);
    if (ok) {
        const char *dot = strrchr(at + 1, '.');
        ok = dot && dot != at + 1 && dot[1] != '\0' && strstr(at + 1, "..") == NULL;
    }
    if (!ok)
        laris_err_field(err, field, "must be an email address such as nama@contoh.com");
    return ok;
}

bool laris_validate_password(const char *field, const char *password, laris_err_t *err)
{
    size_t chars = laris_utf8_length(password);
    if (chars < 8) {
        laris_err_field(err, field, "must be at least 8 characters");
        return false;
    }
    if (chars > 128) {
        laris_err_field(err, field, "must be at most 128 characters");
        return false;
    }
    return true;
}

bool laris_validate_name(const char *field, const char *name, size_t max_chars, laris_err_t *err)
{
    size_t chars = laris_utf8_length(name);
    bool blank = strspn(name, " \t") == strlen(name);
    if (chars == 0 || blank) {
        laris_err_field(err, field, "must not be empty");
        return false;
    }
    if (chars > max_chars) {
        laris_err_field(err, field, "must be at most %zu characters", max_chars);
        return false;
    }
    if (has_control_chars(name)) {
        laris_err_field(err, field, "must not contain control characters");
        return false;
    }
    return true;
}
