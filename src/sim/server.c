/* laris-sim: the route table and the FastCGI application (one worker process, state in its
 * memory, a sender thread for webhooks). Control routes come first: the router takes the
 * first match and /_sim/x would otherwise fit /{version}/{id}. */
#include <stdlib.h>
#include <string.h>

#include "laris/log.h"
#include "sim_internal.h"

#define MEDIA_BODY_LIMIT ((size_t)16 * 1024 * 1024)

static const laris_route_t sim_routes[] = {
    {"PUT", "/_sim/config", sim_config_put, 0, 0, 0},
    {"POST", "/_sim/numbers", sim_numbers_create, 0, 0, 0},
    {"POST", "/_sim/inbound", sim_inbound_create, 0, 0, 0},
    {"GET", "/_sim/sent", sim_sent_list, 0, 0, 0},
    {"GET", "/_sim/webhooks", sim_webhooks_list, 0, 0, 0},
    {"POST", "/_sim/faults", sim_faults_set, 0, 0, 0},
    {"POST", "/_sim/reset", sim_reset, 0, 0, 0},
    {"POST", "/_sim/templates/{id}/status", sim_template_approve, 0, 0, 0},
    {"GET", "/_sim/media/{id}", sim_media_show, 0, 0, 0},
    {"GET", "/whatsapp_business/attachments/", sim_media_download, 0, 0, 0},
    {"POST", "/{version}/{id}/messages", sim_messages_send, 0, 0, 0},
    {"POST", "/{version}/{id}/media", sim_media_upload, 0, 0, MEDIA_BODY_LIMIT},
    {"GET", "/{version}/{id}/message_templates", sim_templates_list, 0, 0, 0},
    {"POST", "/{version}/{id}/message_templates", sim_templates_create, 0, 0, 0},
    {"DELETE", "/{version}/{id}/message_templates", sim_templates_delete, 0, 0, 0},
    {"POST", "/{version}/{id}", sim_templates_edit, 0, 0, 0},
    {"GET", "/{version}/{id}", sim_object_get, 0, 0, 0},
    {NULL, NULL, NULL, 0, 0, 0},
};

static laris_rc handle(laris_req_t *req)
{
    return req->route->handler(req);
}

static void worker_start(void)
{
    sim_lock();
    sim_state_reset();
    sim_unlock();
    sim_webhook_start();
}

static void worker_stop(void)
{
    sim_webhook_stop();
    sim_lock();
    sim_state_reset();
    json_decref(sim_state.sent);
    json_decref(sim_state.webhooks);
    json_decref(sim_state.wamids);
    free(sim_state.peers);
    sim_state.sent = sim_state.webhooks = sim_state.wamids = NULL;
    sim_state.peers = NULL;
    sim_unlock();
}

static const laris_http_app_t sim_app = {
    .routes = sim_routes,
    .handle = handle,
    .worker_start = worker_start,
    .worker_stop = worker_stop,
    .default_body_limit = (size_t)1024 * 1024,
};

const laris_http_app_t *laris_sim_app(void)
{
    return &sim_app;
}
