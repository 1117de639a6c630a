/* The route table: every route of laris-api with its authentication and the least role. */
#include "api_internal.h"

#define KiB ((size_t)1024)
#define MiB (1024 * KiB)

const laris_route_t api_routes[] = {
    {"GET", "/healthz", health_live, API_AUTH_NONE, LARIS_ROLE_NONE, 0},
    {"GET", "/readyz", health_ready, API_AUTH_NONE, LARIS_ROLE_NONE, 0},

    {"POST", "/api/v1/signup", signup_create, API_AUTH_NONE, LARIS_ROLE_NONE, 16 * KiB},
    {"POST", "/api/v1/auth/login", session_login, API_AUTH_NONE, LARIS_ROLE_NONE, 16 * KiB},
    {"POST", "/api/v1/auth/logout", session_logout, API_AUTH_SESSION, LARIS_ROLE_AGENT, 16 * KiB},

    {"GET", "/api/v1/me", me_show, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"PATCH", "/api/v1/me", me_update, API_AUTH_SESSION, LARIS_ROLE_AGENT, 16 * KiB},
    {"PUT", "/api/v1/me/password", me_password, API_AUTH_SESSION, LARIS_ROLE_AGENT, 16 * KiB},
    {"PUT", "/api/v1/me/presence", me_presence, API_AUTH_SESSION, LARIS_ROLE_AGENT, 16 * KiB},

    {"GET", "/api/v1/users", users_index, API_AUTH_PERSON, LARIS_ROLE_SUPERVISOR, 0},
    {"POST", "/api/v1/users", users_create, API_AUTH_PERSON, LARIS_ROLE_SUPERVISOR, 16 * KiB},
    {"GET", "/api/v1/users/{id}", users_show, API_AUTH_PERSON, LARIS_ROLE_SUPERVISOR, 0},
    {"PATCH", "/api/v1/users/{id}", users_update, API_AUTH_PERSON, LARIS_ROLE_SUPERVISOR, 16 * KiB},
    {"DELETE", "/api/v1/users/{id}", users_delete, API_AUTH_PERSON, LARIS_ROLE_SUPERVISOR, 0},

    {"GET", "/api/v1/tokens", tokens_index, API_AUTH_SESSION, LARIS_ROLE_OWNER, 0},
    {"POST", "/api/v1/tokens", tokens_create, API_AUTH_SESSION, LARIS_ROLE_OWNER, 16 * KiB},
    {"DELETE", "/api/v1/tokens/{id}", tokens_delete, API_AUTH_SESSION, LARIS_ROLE_OWNER, 0},

    /* WhatsApp numbers: the owner, by session or by an owner-role API token. */
    {"GET", "/api/v1/wa-numbers", wa_numbers_index, API_AUTH_PERSON, LARIS_ROLE_OWNER, 0},
    {"POST", "/api/v1/wa-numbers", wa_numbers_create, API_AUTH_PERSON, LARIS_ROLE_OWNER, 16 * KiB},
    {"GET", "/api/v1/wa-numbers/{id}", wa_numbers_show, API_AUTH_PERSON, LARIS_ROLE_OWNER, 0},
    {"PATCH", "/api/v1/wa-numbers/{id}", wa_numbers_update, API_AUTH_PERSON, LARIS_ROLE_OWNER,
     16 * KiB},
    {"DELETE", "/api/v1/wa-numbers/{id}", wa_numbers_delete, API_AUTH_PERSON, LARIS_ROLE_OWNER, 0},

    /* A conversation's messages: history and replies (agents and up, session or token). */
    {"GET", "/api/v1/conversations/{id}/messages", messages_index, API_AUTH_PERSON,
     LARIS_ROLE_AGENT, 0},
    {"POST", "/api/v1/conversations/{id}/messages", messages_create, API_AUTH_PERSON,
     LARIS_ROLE_AGENT, 64 * KiB},

    /* Distribution: settings (owner; supervisors read) and a chat's owner. */
    {"GET", "/api/v1/settings", settings_show, API_AUTH_PERSON, LARIS_ROLE_SUPERVISOR, 0},
    {"PUT", "/api/v1/settings", settings_update, API_AUTH_PERSON, LARIS_ROLE_OWNER, 16 * KiB},
    {"POST", "/api/v1/conversations/{id}/claim", conversations_claim, API_AUTH_PERSON,
     LARIS_ROLE_AGENT, 16 * KiB},
    {"POST", "/api/v1/conversations/{id}/transfer", conversations_transfer, API_AUTH_PERSON,
     LARIS_ROLE_AGENT, 16 * KiB},
    {"POST", "/api/v1/conversations/{id}/escalate", conversations_escalate, API_AUTH_PERSON,
     LARIS_ROLE_AGENT, 16 * KiB},
    /* Every outbound type: read receipts (agents), testing a number (the owner). */
    {"POST", "/api/v1/conversations/{id}/messages/{message_id}/read", messages_read,
     API_AUTH_PERSON, LARIS_ROLE_AGENT, 16 * KiB},
    {"POST", "/api/v1/wa-numbers/{id}/test", wa_numbers_test, API_AUTH_PERSON, LARIS_ROLE_OWNER,
     16 * KiB},
    /* The inbox (agents and up); labels and quick replies are written by supervisors. */
    {"GET", "/api/v1/conversations", conversations_index, API_AUTH_PERSON_CACHED, LARIS_ROLE_AGENT,
     0},
    {"GET", "/api/v1/conversations/{id}", conversations_show, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"PATCH", "/api/v1/conversations/{id}", conversations_update, API_AUTH_PERSON, LARIS_ROLE_AGENT,
     16 * KiB},
    {"POST", "/api/v1/conversations/{id}/read", conversations_read, API_AUTH_PERSON,
     LARIS_ROLE_AGENT, 16 * KiB},
    {"GET", "/api/v1/conversations/{id}/notes", notes_index, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"POST", "/api/v1/conversations/{id}/notes", notes_create, API_AUTH_PERSON, LARIS_ROLE_AGENT,
     32 * KiB},
    {"GET", "/api/v1/conversations/{id}/quick-replies", conversations_quick_replies,
     API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"GET", "/api/v1/labels", labels_index, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"POST", "/api/v1/labels", labels_create, API_AUTH_PERSON, LARIS_ROLE_SUPERVISOR, 16 * KiB},
    {"GET", "/api/v1/labels/{id}", labels_show, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"PATCH", "/api/v1/labels/{id}", labels_update, API_AUTH_PERSON, LARIS_ROLE_SUPERVISOR,
     16 * KiB},
    {"DELETE", "/api/v1/labels/{id}", labels_delete, API_AUTH_PERSON, LARIS_ROLE_SUPERVISOR, 0},
    {"PUT", "/api/v1/contacts/{id}/labels", contact_labels_update, API_AUTH_PERSON,
     LARIS_ROLE_AGENT, 16 * KiB},
    {"GET", "/api/v1/quick-replies", quick_replies_index, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"POST", "/api/v1/quick-replies", quick_replies_create, API_AUTH_PERSON, LARIS_ROLE_SUPERVISOR,
     16 * KiB},
    {"GET", "/api/v1/quick-replies/{id}", quick_replies_show, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"PATCH", "/api/v1/quick-replies/{id}", quick_replies_update, API_AUTH_PERSON,
     LARIS_ROLE_SUPERVISOR, 16 * KiB},
    {"DELETE", "/api/v1/quick-replies/{id}", quick_replies_delete, API_AUTH_PERSON,
     LARIS_ROLE_SUPERVISOR, 0},

    /* Customer service: business hours, greeting/away, SLA targets and keyword auto-replies
     * (owner; supervisors read), and a chat's SLA figures. */
    {"GET", "/api/v1/settings/service", service_settings_show, API_AUTH_PERSON,
     LARIS_ROLE_SUPERVISOR, 0},
    {"PUT", "/api/v1/settings/service", service_settings_update, API_AUTH_PERSON, LARIS_ROLE_OWNER,
     64 * KiB},
    {"GET", "/api/v1/auto-replies", auto_replies_index, API_AUTH_PERSON, LARIS_ROLE_SUPERVISOR, 0},
    {"POST", "/api/v1/auto-replies", auto_replies_create, API_AUTH_PERSON, LARIS_ROLE_OWNER,
     16 * KiB},
    {"PATCH", "/api/v1/auto-replies/{id}", auto_replies_update, API_AUTH_PERSON, LARIS_ROLE_OWNER,
     16 * KiB},
    {"DELETE", "/api/v1/auto-replies/{id}", auto_replies_delete, API_AUTH_PERSON, LARIS_ROLE_OWNER,
     0},
    {"GET", "/api/v1/conversations/{id}/sla", conversations_sla, API_AUTH_PERSON, LARIS_ROLE_AGENT,
     0},

    /* Meta's documented maximum payload is 3 MB; nginx lets up to 4m through. */
    {"GET", "/webhooks/whatsapp", webhooks_verify, API_AUTH_WEBHOOK, LARIS_ROLE_NONE, 0},
    {"POST", "/webhooks/whatsapp", webhooks_receive, API_AUTH_WEBHOOK, LARIS_ROLE_NONE, 3 * MiB},
    /* A number whose tenant brings its own Meta app: that number's token and secret. */
    {"GET", "/webhooks/whatsapp/{wa_number_id}", webhooks_number_verify, API_AUTH_WEBHOOK,
     LARIS_ROLE_NONE, 0},
    {"POST", "/webhooks/whatsapp/{wa_number_id}", webhooks_number_receive, API_AUTH_WEBHOOK,
     LARIS_ROLE_NONE, 3 * MiB},

    /* Media files: download (nginx sends the file) and upload for replies (raw body, up to
     * Meta's largest limit: documents, 100 MB; each type's own limit is checked inside). */
    {"GET", "/api/v1/media/{id}", media_show, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"POST", "/api/v1/media", media_create, API_AUTH_PERSON, LARIS_ROLE_AGENT, 100 * MiB},

    /* Live events: an agent typing in a chat (others see it locked), and nginx's check of an
     * nchan subscription (reached only through nginx's internal location, never from outside). */
    {"POST", "/api/v1/conversations/{id}/typing", conversations_typing, API_AUTH_SESSION,
     LARIS_ROLE_AGENT, 1 * KiB},
    {"GET", "/internal/rt/auth", live_authorize, API_AUTH_SESSION, LARIS_ROLE_AGENT, 0},

    /* WhatsApp message templates: agents read approved ones (the composer); the owner writes,
     * at Meta first. */
    {"GET", "/api/v1/templates", templates_index, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"POST", "/api/v1/templates", templates_create, API_AUTH_PERSON, LARIS_ROLE_OWNER, 64 * KiB},
    {"POST", "/api/v1/templates/sync", templates_sync, API_AUTH_PERSON, LARIS_ROLE_OWNER, 1 * KiB},
    {"GET", "/api/v1/templates/{id}", templates_show, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"PATCH", "/api/v1/templates/{id}", templates_update, API_AUTH_PERSON, LARIS_ROLE_OWNER,
     64 * KiB},
    {"DELETE", "/api/v1/templates/{id}", templates_delete, API_AUTH_PERSON, LARIS_ROLE_OWNER, 0},
    /* Contacts and orders (agents and up; deleting a contact: supervisors and owners). */
    {"GET", "/api/v1/contacts", contacts_index, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"POST", "/api/v1/contacts", contacts_create, API_AUTH_PERSON, LARIS_ROLE_AGENT, 16 * KiB},
    {"GET", "/api/v1/contacts/{id}", contacts_show, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"PATCH", "/api/v1/contacts/{id}", contacts_update, API_AUTH_PERSON, LARIS_ROLE_AGENT,
     16 * KiB},
    {"DELETE", "/api/v1/contacts/{id}", contacts_delete, API_AUTH_PERSON, LARIS_ROLE_SUPERVISOR, 0},
    {"GET", "/api/v1/orders", orders_index, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"POST", "/api/v1/orders", orders_create, API_AUTH_PERSON, LARIS_ROLE_AGENT, 64 * KiB},
    {"GET", "/api/v1/orders/{id}", orders_show, API_AUTH_PERSON, LARIS_ROLE_AGENT, 0},
    {"PATCH", "/api/v1/orders/{id}", orders_update, API_AUTH_PERSON, LARIS_ROLE_AGENT, 64 * KiB},

    {NULL, NULL, NULL, 0, 0, 0},
};
