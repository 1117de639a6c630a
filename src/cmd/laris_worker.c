/* laris-worker: the outbox relay and the WhatsApp sender, and in a child process the background
 * jobs (see include/laris/worker.h). One of possibly several; SIGTERM finishes the requests in
 * flight and exits, stopping the child first. Connects to PostgreSQL as
 * LARIS_WORKER_DATABASE_URL (the laris_worker role; DATABASE_URL when unset). */
#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "laris/crypto.h"
#include "laris/log.h"
#include "laris/worker.h"

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

/* Forks a child that dies with this process; returns 0 in the child, its pid in the parent. */
static pid_t start_child(void)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        laris_log(LARIS_ERROR, "cannot start a child process");
        exit(1);
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) /* the parent died before prctl */
            exit(0);
    }
    return pid;
}

/* Asks child pid to stop and waits for it. */
static void stop_child(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

int main(void)
{
    const laris_config_t *cfg = laris_config_load();
    laris_log_setup("laris-worker", laris_log_level_parse(cfg->log_level));
    if (!laris_crypto_init()) {
        laris_log(LARIS_ERROR, "libsodium failed to initialize");
        return 1;
    }
    if (!cfg->secret_key_set)
        laris_log(LARIS_WARN, "LARIS_SECRET_KEY is not set: sends fail (no access token)");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    const char *pidfile = getenv("LARIS_WORKER_PIDFILE");
    if (pidfile && *pidfile) {
        FILE *f = fopen(pidfile, "w");
        if (f) {
            fprintf(f, "%d\n", (int)getpid());
            fclose(f);
        }
    }
    /* Two children with connections of their own (made below, after the fork): the background
     * jobs, and media downloads (a download blocks for as long as it takes). Each stops with the
     * parent, even one killed with SIGKILL. */
    pid_t jobs = start_child();
    pid_t media = jobs == 0 ? -1 : start_child();
    bool is_jobs = jobs == 0, is_media = media == 0;
    if (is_jobs || is_media)
        pidfile = NULL;
    laris_worker_t w = {
        .db = laris_db_create(env_or("LARIS_WORKER_DATABASE_URL", cfg->database_url)),
        .kv = laris_kv_create(cfg->redis_url),
        .config = cfg,
        .graph_url = env_or("LARIS_GRAPH_URL", "https://graph.facebook.com"),
        .graph_version = env_or("LARIS_GRAPH_VERSION", "v23.0"),
        .stop = &stop_requested,
        .send_timeout_ms = strtol(env_or("LARIS_GRAPH_TIMEOUT_MS", "20000"), NULL, 10),
        .pair_interval_ms = strtol(env_or("LARIS_PAIR_INTERVAL_MS", "6000"), NULL, 10),
        .pair_burst = (int)strtol(env_or("LARIS_PAIR_BURST", "40"), NULL, 10),
    };
    if (w.pair_interval_ms < 1 || w.pair_interval_ms > 3600000) {
        laris_log(LARIS_WARN, "LARIS_PAIR_INTERVAL_MS is not 1..3600000; using 6000");
        w.pair_interval_ms = 6000;
    }
    if (w.pair_burst < 0 || w.pair_burst > 1000) {
        laris_log(LARIS_WARN, "LARIS_PAIR_BURST is not 0..1000; using 40");
        w.pair_burst = 40;
    }
    if (w.send_timeout_ms < 1000 || w.send_timeout_ms > 600000) {
        laris_log(LARIS_WARN, "LARIS_GRAPH_TIMEOUT_MS is not 1000..600000; using 20000");
        w.send_timeout_ms = 20000;
    }
    int status;
    if (is_jobs) {
        laris_log(LARIS_INFO,
                  "running the background jobs (assignment, auto-replies, SLA, snoozes)");
        status = laris_worker_run_jobs(&w);
    } else if (is_media) {
        laris_log(LARIS_INFO, "downloading inbound media");
        status = laris_worker_run_media(&w);
    } else {
        laris_log(LARIS_INFO, "relaying the outbox and sending to %s/%s", w.graph_url,
                  w.graph_version);
        status = laris_worker_run(&w);
        stop_child(jobs);
        stop_child(media);
    }
    laris_db_destroy(w.db);
    laris_kv_destroy(w.kv);
    curl_global_cleanup();
    if (pidfile && *pidfile)
        unlink(pidfile);
    laris_log(LARIS_INFO, "stopped");
    return status;
}
