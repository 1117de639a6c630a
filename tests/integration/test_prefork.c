/* Integration: the prefork master of laris-api — a killed worker is replaced, SIGHUP replaces
 * every worker while requests keep succeeding, SIGTERM stops everything and cleans up. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "procs.h"

#define MAX_WORKERS ITEST_MAX_WORKERS

Test(prefork, killed_worker_is_replaced)
{
    pid_t master = itest_api_master();
    pid_t before[MAX_WORKERS];
    int n = itest_api_workers_of(master, before, MAX_WORKERS);
    cr_assert(n >= 1, "master %d has no workers", (int)master);
    pid_t victim = before[0];
    cr_assert_eq(kill(victim, SIGKILL), 0, "cannot kill worker %d", (int)victim);

    itest_client_t *c = itest_client_new();
    for (int i = 0; i < 2 * n + 2; i++) {
        itest_resp_t *r = itest_request(c, "GET", "/readyz", NULL, NULL);
        cr_assert_eq(r->status, 200, "request %d after the kill: %ld %s", i, r->status, r->body);
    }
    itest_user_t owner;
    itest_signup(c, &owner);
    itest_login_ok(c, &owner);

    pid_t after[MAX_WORKERS];
    int m = 0;
    bool replaced = false;
    for (int waited = 0; waited <= 5000 && !replaced; waited += 50) {
        m = itest_api_workers_of(master, after, MAX_WORKERS);
        bool fresh = false;
        for (int i = 0; i < m; i++)
            fresh = fresh || !itest_has_pid(before, n, after[i]);
        replaced = m == n && !itest_has_pid(after, m, victim) && fresh;
        if (!replaced)
            itest_sleep_ms(50);
    }
    cr_assert(replaced, "after 5 s the master has %d workers (had %d), victim %d %s", m, n,
              (int)victim, itest_has_pid(after, m, victim) ? "still there" : "gone");
    cr_assert_eq(itest_api_master(), master, "the master itself was replaced");
    itest_resp_t *r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    itest_client_free(c);
}

Test(prefork, sighup_replaces_every_worker_without_failing_requests)
{
    pid_t master = itest_api_master();
    pid_t before[MAX_WORKERS];
    int n = itest_api_workers_of(master, before, MAX_WORKERS);
    cr_assert(n >= 1);
    cr_assert_eq(kill(master, SIGHUP), 0);

    itest_client_t *c = itest_client_new();
    bool all_new = false;
    int requests = 0;
    for (int waited = 0; waited <= 15000 && !all_new; waited += 20) {
        itest_resp_t *r = itest_request(c, "GET", "/healthz", NULL, NULL);
        requests++;
        cr_assert_eq(r->status, 200, "request %d during the rolling restart: %ld", requests,
                     r->status);
        pid_t now[MAX_WORKERS];
        int m = itest_api_workers_of(master, now, MAX_WORKERS);
        all_new = m == n;
        for (int i = 0; i < m && all_new; i++)
            all_new = !itest_has_pid(before, n, now[i]);
        if (!all_new)
            itest_sleep_ms(20);
    }
    cr_assert(all_new, "after 15 s not every worker was replaced");
    cr_assert_eq(itest_api_master(), master);
    itest_client_free(c);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Starts a private laris-api (2 workers) on its own socket; returns the master's pid. */
static pid_t start_private_api(const char *socket_path, const char *pidfile)
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        setenv("LARIS_API_SOCKET", socket_path, 1);
        setenv("LARIS_API_PIDFILE", pidfile, 1);
        setenv("LARIS_API_WORKERS", "2", 1);
        setenv("LARIS_LOG_LEVEL", "warn", 1);
        execl(LARIS_BINARY_DIR "/laris-api", "laris-api", (char *)NULL);
        _exit(127);
    }
    for (int waited = 0; waited < 10000 && !exists(pidfile); waited += 20)
        itest_sleep_ms(20);
    cr_assert(exists(socket_path), "the private laris-api did not start");
    return pid;
}

Test(prefork, sigterm_stops_workers_and_removes_socket_and_pidfile)
{
    char socket_path[64], pidfile[64];
    snprintf(socket_path, sizeof(socket_path), "/tmp/laris-itest-%d.sock", (int)getpid());
    snprintf(pidfile, sizeof(pidfile), "/tmp/laris-itest-%d.pid", (int)getpid());
    pid_t master = start_private_api(socket_path, pidfile);
    pid_t workers[MAX_WORKERS];
    int n = 0;
    for (int waited = 0; waited < 5000 && n < 2; waited += 20) {
        n = itest_api_workers_of(master, workers, MAX_WORKERS);
        if (n < 2)
            itest_sleep_ms(20);
    }
    cr_assert_eq(n, 2, "the private master started %d workers", n);

    cr_assert_eq(kill(master, SIGTERM), 0);
    int status = -1;
    pid_t done = 0;
    for (int waited = 0; waited < 10000 && done == 0; waited += 20) {
        done = waitpid(master, &status, WNOHANG);
        if (done == 0)
            itest_sleep_ms(20);
    }
    cr_assert_eq(done, master, "the master did not exit within 10 s of SIGTERM");
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exit status %d", status);
    for (int i = 0; i < n; i++)
        cr_assert(kill(workers[i], 0) == -1 && errno == ESRCH, "worker %d outlived the master",
                  (int)workers[i]);
    cr_assert_not(exists(socket_path), "the socket was left behind");
    cr_assert_not(exists(pidfile), "the pid file was left behind");
}
