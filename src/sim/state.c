/* laris-sim: the in-memory state of the simulated Graph API and its lookups. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim_internal.h"

sim_state_t sim_state = {.lock = PTHREAD_MUTEX_INITIALIZER};

void sim_lock(void)
{
    pthread_mutex_lock(&sim_state.lock);
}

void sim_unlock(void)
{
    pthread_mutex_unlock(&sim_state.lock);
}

int64_t sim_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sim_state_reset(void)
{
    sim_state_t *s = &sim_state;
    for (size_t i = 0; i < s->ntemplates; i++)
        json_decref(s->templates[i].components);
    for (size_t i = 0; i < s->nmedia; i++)
        free(s->media[i].data);
    json_decref(s->sent);
    json_decref(s->webhooks);
    json_decref(s->wamids);
    free(s->peers);
    s->webhook_url[0] = s->app_secret[0] = '\0';
    s->delays_ms[0] = 50;
    s->delays_ms[1] = 100;
    s->delays_ms[2] = 200;
    s->mps = 80;
    s->pair_burst = 45;
    s->pair_interval_ms = 6000;
    s->slow_ms = 2000;
    s->timeout_ms = 65000;
    s->nnumbers = s->ntemplates = s->nmedia = s->npeers = 0;
    s->peers = calloc(SIM_MAX_PEERS, sizeof(sim_peer_t));
    if (!s->peers)
        abort();
    s->sent = json_array();
    s->webhooks = json_array();
    s->wamids = json_object();
    s->fault[0] = '\0';
    s->fault_count = 0;
    s->next_id = 0;
}

sim_number_t *sim_number_find(const char *phone_number_id)
{
    for (size_t i = 0; i < sim_state.nnumbers; i++)
        if (strcmp(sim_state.numbers[i].phone_number_id, phone_number_id) == 0)
            return &sim_state.numbers[i];
    return NULL;
}

sim_peer_t *sim_peer_get(const char *phone_number_id, const char *wa_id, bool create)
{
    for (size_t i = 0; i < sim_state.npeers; i++) {
        sim_peer_t *p = &sim_state.peers[i];
        if (strcmp(p->phone_number_id, phone_number_id) == 0 && strcmp(p->wa_id, wa_id) == 0)
            return p;
    }
    if (!create)
        return NULL;
    if (sim_state.npeers == SIM_MAX_PEERS) /* forget the oldest pair: a simulator, not a bank */
        memmove(sim_state.peers, sim_state.peers + 1, (SIM_MAX_PEERS - 1) * sizeof(sim_peer_t));
    else
        sim_state.npeers++;
    sim_peer_t *p = &sim_state.peers[sim_state.npeers - 1];
    memset(p, 0, sizeof(*p));
    snprintf(p->phone_number_id, sizeof(p->phone_number_id), "%s", phone_number_id);
    snprintf(p->wa_id, sizeof(p->wa_id), "%s", wa_id);
    return p;
}

sim_template_t *sim_template_find_id(const char *id)
{
    for (size_t i = 0; i < sim_state.ntemplates; i++)
        if (strcmp(sim_state.templates[i].id, id) == 0)
            return &sim_state.templates[i];
    return NULL;
}

sim_media_t *sim_media_find(const char *id)
{
    for (size_t i = 0; i < sim_state.nmedia; i++)
        if (strcmp(sim_state.media[i].id, id) == 0)
            return &sim_state.media[i];
    return NULL;
}

const laris_sim_template_t *sim_template_find(void *waba_id, const char *name, const char *language)
{
    for (size_t i = 0; i < sim_state.ntemplates; i++) {
        sim_template_t *t = &sim_state.templates[i];
        if (strcmp(t->waba_id, (const char *)waba_id) == 0 && strcmp(t->name, name) == 0 &&
            strcmp(t->language, language) == 0) {
            t->view.name = t->name;
            t->view.language = t->language;
            t->view.status = t->status;
            t->view.category = t->category;
            return &t->view;
        }
    }
    return NULL;
}

bool sim_fault_take(const char *mode)
{
    if (sim_state.fault_count <= 0 || strcmp(sim_state.fault, mode) != 0)
        return false;
    sim_state.fault_count--;
    return true;
}

void sim_new_id(char out[24])
{
    /* Graph ids are 15-16 digit numbers; a random base keeps them from looking sequential. */
    sim_state.next_id++;
    snprintf(out, 24, "%lld",
             (long long)(1000000000000000LL + (int64_t)randombytes_uniform(1000000) * 1000000LL +
                         sim_state.next_id));
}

void sim_wamid_remember(const char *wamid, const char *phone_number_id)
{
    json_object_set_new(sim_state.wamids, wamid, json_string(phone_number_id));
}

bool sim_wamid_known(const char *wamid, const char *phone_number_id)
{
    const char *owner = json_string_value(json_object_get(sim_state.wamids, wamid));
    return owner && strcmp(owner, phone_number_id) == 0;
}
