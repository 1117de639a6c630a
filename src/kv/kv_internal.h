/* Shared by the kv module's files: the connection behind a handle, for commands built there. */
#ifndef LARIS_KV_INTERNAL_H
#define LARIS_KV_INTERNAL_H

#include <hiredis/hiredis.h>
#include <stddef.h>

#include "laris/kv.h"

/* Runs the command argv[0..argc) (lens: each argument's length), connecting first when needed.
 * *out gets the reply (the caller frees it with freeReplyObject); a lost connection is
 * LARIS_EUNAVAILABLE and the handle reconnects next time. An error reply is still a reply. */
laris_rc kv_command_argv(laris_kv_t *kv, int argc, const char **argv, const size_t *lens,
                         redisReply **out, laris_err_t *err);

/* Logs, drops the connection and records LARIS_EUNAVAILABLE on err (retry after 1 s). */
laris_rc kv_unavailable(laris_kv_t *kv, laris_err_t *err);

#endif
