/* Process configuration, read once from LARIS_* environment variables at start. */
#ifndef LARIS_CONFIG_H
#define LARIS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *database_url;       /* DATABASE_URL: the app role (no BYPASSRLS) */
    const char *database_owner_url; /* LARIS_DATABASE_OWNER_URL: migrations */
    const char *redis_url;          /* REDIS_URL, redis://host:port/db */
    const char *api_socket;         /* LARIS_API_SOCKET: Unix socket path, or host:port */
    const char *api_pidfile;        /* LARIS_API_PIDFILE (optional) */
    int api_workers;                /* LARIS_API_WORKERS, default 2 */
    size_t body_limit;              /* LARIS_BODY_LIMIT bytes, default 1 MiB */
    int session_idle_seconds;       /* LARIS_SESSION_IDLE_SECONDS, default 24 h */
    int session_max_seconds;        /* LARIS_SESSION_MAX_SECONDS, default 30 days */
    bool cookie_secure;             /* LARIS_COOKIE_SECURE: force Secure even without HTTPS */
    int login_max_per_account;      /* LARIS_LOGIN_MAX_PER_ACCOUNT failed logins, default 5 */
    int login_max_per_address;      /* LARIS_LOGIN_MAX_PER_ADDRESS failed logins, default 20 */
    int login_window_seconds;       /* LARIS_LOGIN_WINDOW_SECONDS, default 900 */
    int signup_max_per_address;     /* LARIS_SIGNUP_MAX_PER_ADDRESS per hour, default 10 */
    int inbox_cache_seconds;        /* LARIS_INBOX_CACHE_SECONDS, default 300; 0: no cache */
    const char *log_level;          /* LARIS_LOG_LEVEL: debug, info, warn, error */
    const char *meta_app_secret;    /* LARIS_META_APP_SECRET: signs webhooks; NULL refuses them */
    const char *meta_verify_token;  /* LARIS_META_VERIFY_TOKEN: webhook handshake; NULL refuses */
    /* LARIS_SECRET_KEY: 64 hex digits, the secretbox key for secrets at rest (WhatsApp access
     * tokens, app secrets). Unset or invalid: secret_key_set is false, secret_key all zero,
     * and the routes that store secrets answer 503. */
    unsigned char secret_key[32];
    bool secret_key_set;
    /* Media: where files live, and the Graph API uploads go to. */
    const char *media_dir;     /* LARIS_MEDIA_DIR, default var/media */
    const char *graph_url;     /* LARIS_GRAPH_URL, default https://graph.facebook.com */
    const char *graph_version; /* LARIS_GRAPH_VERSION, default v23.0 */
    long graph_timeout_ms;     /* LARIS_GRAPH_TIMEOUT_MS, default 20000 */
} laris_config_t;

/* Reads the environment into a static configuration and returns it. Invalid numbers fall back
 * to the default with a warning. Call once at start; the result lives for the process. */
const laris_config_t *laris_config_load(void);

/* The configuration loaded last (laris_config_load must have run). */
const laris_config_t *laris_config(void);

#endif
