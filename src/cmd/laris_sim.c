/* laris-sim: the local stand-in for Meta's Graph API (see include/laris/sim.h). One worker
 * process behind the prefork master: the state lives in that worker's memory, so it must
 * never be more than one. Listens on LARIS_SIM_SOCKET (Unix socket path or host:port). */
#include <stdlib.h>
#include <unistd.h>

#include "laris/config.h"
#include "laris/crypto.h"
#include "laris/http.h"
#include "laris/log.h"
#include "laris/prefork.h"
#include "laris/sim.h"

static int listen_fd = -1;

static int worker_main(void *arg)
{
    (void)arg;
    return laris_http_worker_run(listen_fd, laris_sim_app());
}

int main(void)
{
    const laris_config_t *cfg = laris_config_load();
    laris_log_setup("laris-sim", laris_log_level_parse(cfg->log_level));
    if (!laris_crypto_init()) {
        laris_log(LARIS_ERROR, "libsodium failed to initialize");
        return 1;
    }
    const char *socket = getenv("LARIS_SIM_SOCKET");
    if (!socket || !*socket)
        socket = "var/run/laris-sim.sock";
    listen_fd = laris_http_listen(socket, 256);
    if (listen_fd < 0)
        return 1;
    laris_log(LARIS_INFO, "listening on %s", socket);
    laris_prefork_opts_t opts = {
        .workers = 1,
        .pidfile = getenv("LARIS_SIM_PIDFILE"),
        .worker_main = worker_main,
        .arg = NULL,
        .drain_seconds = 5,
    };
    int status = laris_prefork_run(&opts);
    close(listen_fd);
    if (socket[0] == '/')
        unlink(socket);
    return status;
}
