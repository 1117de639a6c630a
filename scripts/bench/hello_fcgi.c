/* Benchmark baseline: the smallest useful libfcgi server, to compare laris-api with.
 *
 *   laris-bench-hello <unix socket path> <workers>
 *
 * Listens on the socket (FCGX_OpenSocket), forks <workers> processes that each loop on
 * FCGX_Accept_r and answer every request with 200 and {"status":"ok"} (the same head shape as
 * laris-api: status, content type, length). SIGTERM or SIGINT to the parent is forwarded to
 * the workers; each finishes the request in hand and exits; the parent removes the socket and
 * exits 0. Used by scripts/bench/api only. */
#ifndef _GNU_SOURCE
#define _POSIX_C_SOURCE 200809L /* sigaction, kill, nanosleep when built on its own */
#endif
#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 64
#define BACKLOG     1024

static const char response[] = "Status: 200 OK\r\n"
                               "Content-Type: application/json\r\n"
                               "Content-Length: 15\r\n"
                               "\r\n"
                               "{\"status\":\"ok\"}";

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t worker_exited;

static void on_signal(int sig)
{
    if (sig == SIGCHLD)
        worker_exited = 1;
    else
        stop_requested = 1;
}

/* Installs on_signal for sig without SA_RESTART, so a blocked accept returns EINTR. */
static void catch_signal(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = sig == SIGCHLD ? SA_NOCLDSTOP : 0;
    sigaction(sig, &sa, NULL);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The worker loop: one request at a time until SIGTERM. */
static int worker_main(int listen_fd)
{
    signal(SIGPIPE, SIG_IGN);
    if (FCGX_Init() != 0) {
        fprintf(stderr, "hello_fcgi: FCGX_Init failed\n");
        return 1;
    }
    FCGX_Request req;
    FCGX_InitRequest(&req, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
    while (!stop_requested) {
        if (FCGX_Accept_r(&req) < 0)
            break;
        FCGX_PutStr(response, (int)(sizeof(response) - 1), req.out);
        FCGX_Finish_r(&req);
    }
    FCGX_Free(&req, 1);
    return 0;
}

/* Parses a worker count in 1..MAX_WORKERS; returns 0 when the text is not one. */
static int parse_workers(const char *text)
{
    char *end = NULL;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || n < 1 || n > MAX_WORKERS)
        return 0;
    return (int)n;
}

/* Opens the listening Unix socket (replacing a stale one); -1 on failure. */
static int listen_on(const char *path)
{
    struct sockaddr_un sa;
    if (strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "hello_fcgi: socket path too long: %s\n", path);
        return -1;
    }
    unlink(path);
    int fd = FCGX_OpenSocket(path, BACKLOG);
    if (fd < 0) {
        fprintf(stderr, "hello_fcgi: cannot listen on %s: %s\n", path, strerror(errno));
        return -1;
    }
    chmod(path, 0666);
    return fd;
}

/* Sends sig to every live worker. */
static void signal_all(const pid_t *pids, int n, int sig)
{
    for (int i = 0; i < n; i++)
        if (pids[i] > 0)
            kill(pids[i], sig);
}

/* Waits for every worker; a worker that is still there after about 10 s is killed. */
static void reap_all(pid_t *pids, int n)
{
    for (int tries = 0; tries < 1000; tries++) {
        int alive = 0;
        for (int i = 0; i < n; i++) {
            if (pids[i] <= 0)
                continue;
            pid_t got = waitpid(pids[i], NULL, WNOHANG);
            if (got == pids[i] || (got < 0 && errno == ECHILD))
                pids[i] = 0;
            else
                alive++;
        }
        if (alive == 0)
            return;
        sleep_ms(10);
    }
    signal_all(pids, n, SIGKILL);
    for (int i = 0; i < n; i++)
        if (pids[i] > 0)
            waitpid(pids[i], NULL, 0);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s <unix socket path> <workers>\n", argv[0]);
        return 2;
    }
    const char *path = argv[1];
    int n = parse_workers(argv[2]);
    if (n == 0) {
        fprintf(stderr, "hello_fcgi: workers must be 1..%d, got '%s'\n", MAX_WORKERS, argv[2]);
        return 2;
    }

    /* Block the stop signals until the workers exist, so none is lost in between. */
    sigset_t blocked, orig_mask;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGTERM);
    sigaddset(&blocked, SIGINT);
    sigaddset(&blocked, SIGCHLD);
    sigprocmask(SIG_BLOCK, &blocked, &orig_mask);
    catch_signal(SIGTERM);
    catch_signal(SIGINT);
    catch_signal(SIGCHLD); /* a worker that dies ends the baseline: its numbers would lie */

    int fd = listen_on(path);
    if (fd < 0)
        return 1;

    pid_t pids[MAX_WORKERS] = {0};
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            fprintf(stderr, "hello_fcgi: fork failed: %s\n", strerror(errno));
            stop_requested = 1;
            break;
        }
        if (pid == 0) {
            signal(SIGCHLD, SIG_DFL);
            sigprocmask(SIG_SETMASK, &orig_mask, NULL);
            exit(worker_main(fd));
        }
        pids[i] = pid;
    }

    while (!stop_requested && !worker_exited)
        sigsuspend(&orig_mask);
    int status = 0;
    if (worker_exited && !stop_requested) {
        fprintf(stderr, "hello_fcgi: a worker exited unexpectedly; stopping\n");
        status = 1;
    }

    signal_all(pids, n, SIGTERM);
    reap_all(pids, n);
    close(fd);
    unlink(path);
    return status;
}
