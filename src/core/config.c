/* Process configuration from the environment, with defaults; read once at start. */
#include "laris/config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <strings.h>

#include "laris/crypto.h"
#include "laris/log.h"

#define DEFAULT_DATABASE_URL "postgresql://laris_app@127.0.0.1:5432/laris"
#define DEFAULT_REDIS_URL    "redis://127.0.0.1:6379/0"
#define DEFAULT_API_SOCKET   "var/run/laris-api.sock"

_Static_assert(sizeof(((laris_config_t *)0)->secret_key) == LARIS_SECRET_KEY_BYTES,
               "config secret key size");

static laris_config_t config;
static bool loaded;

/* The variable's value, or def when it is unset or empty. */
static const char *env_str(const char *name, const char *def)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : def;
}

/* A decimal integer in [min, max]; anything else falls back to def with a warning. */
static long env_long(const char *name, long def, long min, long max)
{
    const char *v = getenv(name);
    if (v == NULL || v[0] == '\0')
        return def;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || n < min || n > max) {
        laris_log(LARIS_WARN, "%s must be an integer from %ld to %ld; using %ld", name, min, max,
                  def);
        return def;
    }
    return n;
}

static int env_int(const char *name, int def, int min, int max)
{
    return (int)env_long(name, def, min, max);
}

static bool env_bool(const char *name)
{
    const char *v = getenv(name);
    return v != NULL &&
           (strcasecmp(v, "1") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0);
}

const laris_config_t *laris_config_load(void)
{
    laris_config_t *c = &config;
    c->database_url = env_str("DATABASE_URL", DEFAULT_DATABASE_URL);
    c->database_owner_url = env_str("LARIS_DATABASE_OWNER_URL", c->database_url);
    c->redis_url = env_str("REDIS_URL", DEFAULT_REDIS_URL);
    c->api_socket = env_str("LARIS_API_SOCKET", DEFAULT_API_SOCKET);
    c->api_pidfile = env_str("LARIS_API_PIDFILE", NULL);
    c->api_workers = env_int("LARIS_API_WORKERS", 2, 1, 256);
    c->body_limit = (size_t)env_long("LARIS_BODY_LIMIT", 1024L * 1024, 1024, 64L * 1024 * 1024);
    c->session_idle_seconds = env_int("LARIS_SESSION_IDLE_SECONDS", 24 * 3600, 60, 365 * 86400);
    c->session_max_seconds = env_int("LARIS_SESSION_MAX_SECONDS", 30 * 86400, 60, 365 * 86400);
    c->cookie_secure = env_bool("LARIS_COOKIE_SECURE");
    c->login_max_per_account = env_int("LARIS_LOGIN_MAX_PER_ACCOUNT", 5, 1, 1000000);
    c->login_max_per_address = env_int("LARIS_LOGIN_MAX_PER_ADDRESS", 20, 1, 1000000);
    c->login_window_seconds = env_int("LARIS_LOGIN_WINDOW_SECONDS", 900, 1, 86400);
    c->signup_max_per_address = env_int("LARIS_SIGNUP_MAX_PER_ADDRESS", 10, 1, 1000000);
    c->inbox_cache_seconds = env_int("LARIS_INBOX_CACHE_SECONDS", 300, 0, 3600);
    c->log_level = env_str("LARIS_LOG_LEVEL", "info");
    c->meta_app_secret = env_str("LARIS_META_APP_SECRET", NULL);
    c->meta_verify_token = env_str("LARIS_META_VERIFY_TOKEN", NULL);
    const char *key = env_str("LARIS_SECRET_KEY", NULL);
    c->secret_key_set = laris_secret_key_parse(key, c->secret_key);
    if (key != NULL && !c->secret_key_set) /* never the value itself */
        laris_log(LARIS_WARN, "LARIS_SECRET_KEY must be 64 hex digits (32 bytes); secrets "
                              "cannot be stored");
    c->media_dir = env_str("LARIS_MEDIA_DIR", "var/media");
    c->graph_url = env_str("LARIS_GRAPH_URL", "https://graph.facebook.com");
    c->graph_version = env_str("LARIS_GRAPH_VERSION", "v23.0");
    c->graph_timeout_ms = env_long("LARIS_GRAPH_TIMEOUT_MS", 20000, 100, 600000);
    loaded = true;
    return c;
}

const laris_config_t *laris_config(void)
{
    return loaded ? &config : laris_config_load();
}
