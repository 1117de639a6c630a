/* laris-api: the FastCGI server behind nginx — a prefork master and its workers. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "laris/api.h"
#include "laris/config.h"
#include "laris/crypto.h"
#include "laris/http.h"
#include "laris/log.h"
#include "laris/prefork.h"

static int listen_fd = -1;

static int worker_main(void *arg)
{
    (void)arg;
    return laris_http_worker_run(listen_fd, laris_api_app());
}

int main(void)
{
    const laris_config_t *cfg = laris_config_load();
    laris_log_setup("laris-api", laris_log_level_parse(cfg->log_level));
    if (!laris_crypto_init()) {
        laris_log(LARIS_ERROR, "libsodium failed to initialize");
        return 1;
    }
    listen_fd = laris_http_listen(cfg->api_socket, 1024);
    if (listen_fd < 0)
        return 1;
    laris_log(LARIS_INFO, "listening on %s with %d workers", cfg->api_socket, cfg->api_workers);
    laris_prefork_opts_t opts = {
        .workers = cfg->api_workers,
        .pidfile = cfg->api_pidfile,
        .worker_main = worker_main,
        .arg = NULL,
        .drain_seconds = 10,
    };
    int status = laris_prefork_run(&opts);
    close(listen_fd);
    if (cfg->api_socket[0] == '/')
        unlink(cfg->api_socket);
    return status;
}
