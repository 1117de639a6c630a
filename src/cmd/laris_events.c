/* laris-events: the live-event publisher (see include/laris/events.h). One process per stack;
 * SIGTERM finishes the batch in hand and exits. Connects to PostgreSQL as
 * LARIS_WORKER_DATABASE_URL (the laris_worker role; DATABASE_URL when unset) and publishes to
 * nchan on LARIS_NCHAN_SOCKET (nginx's publisher Unix socket). */
#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "laris/config.h"
#include "laris/events.h"
#include "laris/log.h"

static volatile bool stop_requested = false;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = true;
}

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

int main(void)
{
    const laris_config_t *cfg = laris_config_load();
    laris_log_setup("laris-events", laris_log_level_parse(cfg->log_level));
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    const char *pidfile = getenv("LARIS_EVENTS_PIDFILE");
    if (pidfile && *pidfile) {
        FILE *f = fopen(pidfile, "w");
        if (f) {
            fprintf(f, "%d\n", (int)getpid());
            fclose(f);
        }
    }
    laris_events_t ev = {
        .database_url = env_or("LARIS_WORKER_DATABASE_URL", cfg->database_url),
        .nchan_socket = env_or("LARIS_NCHAN_SOCKET", "/run/laris/nchan-pub.sock"),
        .redis_url = cfg->redis_url,
        .stop = &stop_requested,
    };
    laris_log(LARIS_INFO, "publishing live events to nchan on %s", ev.nchan_socket);
    int status = laris_events_run(&ev);
    curl_global_cleanup();
    if (pidfile && *pidfile)
        unlink(pidfile);
    laris_log(LARIS_INFO, "stopped");
    return status;
}
