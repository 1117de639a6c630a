/* Business hours from their JSON form: [{"day": 1, "start": "08:00", "end": "12:00"}, …] and
 * closed dates ["2026-12-25", …], checked on the way in. */
#include <string.h>

#include "laris/hours.h"

static bool window_from_json(const json_t *w, laris_hours_window_t *out)
{
    if (!json_is_object(w) || json_object_size(w) != 3)
        return false;
    const json_t *day = json_object_get(w, "day");
    const json_t *start = json_object_get(w, "start");
    const json_t *end = json_object_get(w, "end");
    if (!json_is_integer(day) || json_integer_value(day) < 0 || json_integer_value(day) > 6 ||
        !json_is_string(start) || !json_is_string(end))
        return false;
    out->day = (int)json_integer_value(day);
    return laris_hours_parse_time(json_string_value(start), &out->start) &&
           laris_hours_parse_time(json_string_value(end), &out->end);
}

const char *laris_hours_from_json(const json_t *windows, const json_t *closed, const char *zone,
                                  laris_hours_buf_t *buf)
{
    memset(&buf->hours, 0, sizeof(buf->hours));
    buf->hours.zone = zone;
    if (!json_is_array(windows))
        return "Business hours must be a list of windows.";
    if (json_array_size(windows) > LARIS_HOURS_MAX_WINDOWS)
        return "There are too many opening windows (at most 70).";
    size_t i;
    const json_t *v;
    json_array_foreach(windows, i, v)
    {
        if (!window_from_json(v, &buf->windows[i]))
            return "Each window needs day (0 Sunday to 6 Saturday), start and end (\"HH:MM\").";
    }
    const char *why = laris_hours_check(buf->windows, json_array_size(windows));
    if (why)
        return why;
    buf->hours.windows = buf->windows;
    buf->hours.nwindows = json_array_size(windows);
    if (!closed)
        return NULL;
    if (!json_is_array(closed))
        return "Closed dates must be a list of dates.";
    if (json_array_size(closed) > LARIS_HOURS_MAX_CLOSED)
        return "There are too many closed dates (at most 400).";
    json_array_foreach(closed, i, v)
    {
        if (!json_is_string(v) || !laris_date_parse(json_string_value(v), &buf->closed[i]))
            return "Each closed date must be a date like \"2026-12-25\".";
    }
    buf->hours.closed = buf->closed;
    buf->hours.nclosed = json_array_size(closed);
    return NULL;
}
