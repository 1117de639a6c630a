/* Shared by the files of src/kv: commands on the process's connection and Lua scripts called
 * by SHA. Not for use outside src/kv. */
#ifndef LARIS_KV_INTERNAL_H
#define LARIS_KV_INTERNAL_H

#include <hiredis/hiredis.h>

#include "laris/kv.h"

#define KV_EVAL_MAX_ARGS 256

/* A Lua script and its SHA ("" until loaded; loaded again after NOSCRIPT). */
typedef struct {
    const char *text;
    char sha[41];
} kv_script_t;

/* Runs a formatted command (connecting first when needed); a lost connection is
 * LARIS_EUNAVAILABLE. The caller frees *out. */
laris_rc kv_command(laris_kv_t *kv, redisReply **out, laris_err_t *err, const char *fmt, ...);

/* The same with an argument vector (binary-safe). */
laris_rc kv_argv(laris_kv_t *kv, redisReply **out, laris_err_t *err, int argc, const char **argv);

/* Frees reply; an error reply is logged and is LARIS_EUNAVAILABLE. */
laris_rc kv_simple(laris_kv_t *kv, laris_err_t *err, redisReply *reply);

/* Logs, drops the connection and sets LARIS_EUNAVAILABLE. */
laris_rc kv_unavailable(laris_kv_t *kv, laris_err_t *err);

/* EVALSHA of script with args (nkeys keys first, nargs in all); loads
 * it on first use and again after NOSCRIPT. An error reply is LARIS_EUNAVAILABLE; the caller
 * frees *out. */
laris_rc kv_eval(laris_kv_t *kv, kv_script_t *script, redisReply **out, laris_err_t *err, int nkeys,
                 int nargs, const char **args);

#endif
