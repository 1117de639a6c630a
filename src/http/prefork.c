/* The prefork master: keeps N worker processes alive, replaces crashed ones, drains them on
 * SIGTERM and replaces them one by one on SIGHUP.
 *
 * The master blocks its signals and waits in sigsuspend, so a signal is handled between two
 * loop turns and never in the middle of bookkeeping. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "laris/clock.h"
#include "laris/log.h"
#include "laris/prefork.h"

#define MAX_WORKERS 256

static volatile sig_atomic_t got_term;
static volatile sig_atomic_t got_hup;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        got_hup = 1;
    else if (sig == SIGTERM || sig == SIGINT)
        got_term = 1;
    /* SIGCHLD only wakes sigsuspend; the loop reaps. */
}

static pid_t spawn(const laris_prefork_opts_t *opts, const sigset_t *orig_mask)
{
    pid_t pid = fork();
    if (pid < 0) {
        laris_log(LARIS_ERROR, "fork failed: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        signal(SIGHUP, SIG_DFL);
        signal(SIGCHLD, SIG_DFL);
        sigprocmask(SIG_SETMASK, orig_mask, NULL);
        exit(opts->worker_main(opts->arg));
    }
    return pid;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void log_exit(pid_t pid, int status)
{
    if (WIFSIGNALED(status))
        laris_log(LARIS_WARN, "worker %d killed by signal %d; starting another", (int)pid,
                  WTERMSIG(status));
    else if (WEXITSTATUS(status) != 0)
        laris_log(LARIS_WARN, "worker %d exited with status %d; starting another", (int)pid,
                  WEXITSTATUS(status));
    else
        laris_log(LARIS_INFO, "worker %d exited; starting another", (int)pid);
}

/* Waits up to seconds for pid to exit, then kills it. */
static void stop_worker(pid_t pid, int seconds)
{
    kill(pid, SIGTERM);
    int64_t deadline = laris_clock_mono_ns() + (int64_t)seconds * 1000000000LL;
    while (waitpid(pid, NULL, WNOHANG) == 0) {
        if (laris_clock_mono_ns() > deadline) {
            laris_log(LARIS_WARN, "worker %d did not stop in %d s; killing it", (int)pid, seconds);
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            return;
        }
        sleep_ms(10);
    }
}

/* Stops every worker: SIGTERM to all, then wait, then SIGKILL what is left. */
static void stop_all(pid_t *pids, int n, int seconds)
{
    for (int i = 0; i < n; i++)
        if (pids[i] > 0)
            kill(pids[i], SIGTERM);
    int64_t deadline = laris_clock_mono_ns() + (int64_t)seconds * 1000000000LL;
    int alive = n;
    while (alive > 0) {
        alive = 0;
        for (int i = 0; i < n; i++) {
            if (pids[i] <= 0)
                continue;
            if (waitpid(pids[i], NULL, WNOHANG) == pids[i])
                pids[i] = 0;
            else
                alive++;
        }
        if (alive == 0)
            break;
        if (laris_clock_mono_ns() > deadline) {
            for (int i = 0; i < n; i++)
                if (pids[i] > 0) {
                    kill(pids[i], SIGKILL);
                    waitpid(pids[i], NULL, 0);
                    pids[i] = 0;
                }
            break;
        }
        sleep_ms(10);
    }
}

static void write_pidfile(const char *path)
{
    if (!path)
        return;
    FILE *f = fopen(path, "w");
    if (!f) {
        laris_log(LARIS_WARN, "cannot write pid file %s: %s", path, strerror(errno));
        return;
    }
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
}

int laris_prefork_run(const laris_prefork_opts_t *opts)
{
    int n = opts->workers;
    if (n < 1 || n > MAX_WORKERS) {
        laris_log(LARIS_ERROR, "worker count %d is outside 1..%d", n, MAX_WORKERS);
        return 1;
    }
    int drain = opts->drain_seconds > 0 ? opts->drain_seconds : 10;
    pid_t pids[MAX_WORKERS] = {0};

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_NOCLDSTOP;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);

    sigset_t blocked, orig_mask;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGTERM);
    sigaddset(&blocked, SIGINT);
    sigaddset(&blocked, SIGHUP);
    sigaddset(&blocked, SIGCHLD);
    sigprocmask(SIG_BLOCK, &blocked, &orig_mask);

    write_pidfile(opts->pidfile);
    for (int i = 0; i < n; i++)
        pids[i] = spawn(opts, &orig_mask);
    laris_log(LARIS_INFO, "master %d started %d workers", (int)getpid(), n);

    int64_t window_start = laris_clock_mono_ns();
    int restarts_in_window = 0;
    while (!got_term) {
        sigsuspend(&orig_mask);

        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            for (int i = 0; i < n; i++) {
                if (pids[i] != pid)
                    continue;
                log_exit(pid, status);
                pids[i] = 0;
                /* A worker that dies at once again and again must not spin the machine. */
                if (laris_clock_mono_ns() - window_start > 10000000000LL) {
                    window_start = laris_clock_mono_ns();
                    restarts_in_window = 0;
                }
                if (++restarts_in_window > 20)
                    sleep_ms(1000);
                if (!got_term)
                    pids[i] = spawn(opts, &orig_mask);
            }
        }
        if (got_hup && !got_term) {
            got_hup = 0;
            laris_log(LARIS_INFO, "SIGHUP: replacing workers one by one");
            for (int i = 0; i < n && !got_term; i++) {
                pid_t old = pids[i];
                pids[i] = spawn(opts, &orig_mask);
                if (old > 0)
                    stop_worker(old, drain);
            }
        }
    }
    laris_log(LARIS_INFO, "master %d stopping: draining workers", (int)getpid());
    stop_all(pids, n, drain);
    if (opts->pidfile)
        unlink(opts->pidfile);
    return 0;
}
