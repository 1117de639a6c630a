/* One JSON line per event on stderr, with request id, tenant and route when a request is on. */
#ifndef LARIS_LOG_H
#define LARIS_LOG_H

#include <stdint.h>

typedef enum { LARIS_DEBUG = 0, LARIS_INFO = 1, LARIS_WARN = 2, LARIS_ERROR = 3 } laris_log_level;

/* Sets the lowest level written (default LARIS_INFO) and the program name in each line. */
void laris_log_setup(const char *program, laris_log_level min_level);

/* Parses "debug", "info", "warn" or "error"; anything else gives LARIS_INFO. */
laris_log_level laris_log_level_parse(const char *s);

/* The request context added to each line until cleared (NULL/0 clears). Strings must outlive
 * the request; the logger copies nothing. */
void laris_log_context(const char *request_id, int64_t tenant_id, const char *route);

/* Writes one line: {"ts","level","prog","pid","msg","src","func",request context...}.
 * The message must never contain tokens, passwords, full phone numbers or message bodies. */
void laris_log_write(laris_log_level level, const char *file, int line, const char *func,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The access-log line of one request. */
void laris_log_request(const char *method, const char *route, int status, double duration_ms,
                       int64_t tenant_id, const char *request_id);

#define laris_log(level, ...) laris_log_write((level), __FILE__, __LINE__, __func__, __VA_ARGS__)

#endif
