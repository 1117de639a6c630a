/* Integration: what owners, supervisors and agents (and API tokens with those roles) may do to
 * the team, and that refused changes change nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

static void user_path(char *out, size_t size, long long id)
{
    snprintf(out, size, "/api/v1/users/%lld", id);
}

/* GET /users/{id} as c, asserting 200. */
static itest_resp_t *get_user(itest_client_t *c, long long id)
{
    char path[64];
    user_path(path, sizeof(path), id);
    itest_resp_t *r = itest_request(c, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    return r;
}

static json_t *new_user_body(const char *role)
{
    char email[160];
    itest_unique_email(email, sizeof(email));
    return json_pack("{s:s, s:s, s:s, s:s}", "email", email, "name", "New Person", "password",
                     "New-person-pw", "role", role);
}

Test(roles, agent_is_refused_users_and_tokens)
{
    itest_user_t owner, agent;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_create_user(oc, "agent", &agent);
    size_t before = itest_count_users(oc);
    itest_client_t *ac = itest_user_session(&agent);

    itest_resp_t *r = itest_request(ac, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "the agent is logged in: %s", r->body);
    cr_assert_str_eq(itest_get_str(r, "user.role"), "agent");

    r = itest_request(ac, "GET", "/api/v1/users", NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(ac, "POST", "/api/v1/users", new_user_body("agent"), NULL);
    itest_assert_problem(r, 403, NULL);
    char path[64];
    user_path(path, sizeof(path), owner.user_id);
    r = itest_request(ac, "GET", path, NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(ac, "PATCH", path, json_pack("{s:s}", "name", "Agent Was Here"), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(ac, "DELETE", path, NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(ac, "GET", "/api/v1/tokens", NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(ac, "POST", "/api/v1/tokens", json_pack("{s:s}", "name", "agent's"), NULL);
    itest_assert_problem(r, 403, NULL);

    cr_assert_eq(itest_count_users(oc), before, "the agent added someone");
    r = get_user(oc, owner.user_id);
    cr_assert_str_eq(itest_get_str(r, "name"), owner.name);
    cr_assert(json_is_true(itest_get(r, "active")));
    r = itest_request(oc, "GET", "/api/v1/tokens", NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 0, "the agent made a token: %s", r->body);
    itest_client_free(ac);
    itest_client_free(oc);
}

Test(roles, supervisor_adds_agents_only)
{
    itest_user_t owner, supervisor, agent;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_create_user(oc, "supervisor", &supervisor);
    itest_client_t *sc = itest_user_session(&supervisor);

    itest_create_user(sc, "agent", &agent);
    size_t before = itest_count_users(sc);
    cr_assert_eq(before, 3);
    itest_resp_t *r = itest_request(sc, "POST", "/api/v1/users", new_user_body("supervisor"), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(sc, "POST", "/api/v1/users", new_user_body("owner"), NULL);
    cr_assert(r->status == 403 || r->status == 422, "a second owner: %ld %s", r->status, r->body);
    cr_assert_eq(itest_count_users(sc), before);

    /* the supervisor's agent can log in */
    itest_client_t *ac = itest_user_session(&agent);
    itest_client_free(ac);
    itest_client_free(sc);
    itest_client_free(oc);
}

Test(roles, supervisor_cannot_change_owner_or_supervisors)
{
    itest_user_t owner, supervisor, peer, agent;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_create_user(oc, "supervisor", &supervisor);
    itest_create_user(oc, "supervisor", &peer);
    itest_create_user(oc, "agent", &agent);
    itest_client_t *sc = itest_user_session(&supervisor);

    const long long targets[] = {owner.user_id, peer.user_id};
    for (size_t i = 0; i < 2; i++) {
        char path[64];
        user_path(path, sizeof(path), targets[i]);
        itest_resp_t *r =
            itest_request(sc, "PATCH", path, json_pack("{s:s}", "name", "Renamed By Sup"), NULL);
        itest_assert_problem(r, 403, NULL);
        r = itest_request(sc, "PATCH", path, json_pack("{s:s}", "password", "Sup-set-this-pw"),
                          NULL);
        itest_assert_problem(r, 403, NULL);
        r = itest_request(sc, "DELETE", path, NULL, NULL);
        itest_assert_problem(r, 403, NULL);
    }
    /* an agent: yes, but not its role */
    char path[64];
    user_path(path, sizeof(path), agent.user_id);
    itest_resp_t *r =
        itest_request(sc, "PATCH", path, json_pack("{s:s}", "role", "supervisor"), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(sc, "PATCH", path,
                      json_pack("{s:s, s:i}", "name", "Agent Renamed", "max_chats", 25), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "name"), "Agent Renamed");
    cr_assert_eq(itest_get_int(r, "max_chats"), 25);
    cr_assert_str_eq(itest_get_str(r, "role"), "agent");

    r = get_user(oc, owner.user_id);
    cr_assert_str_eq(itest_get_str(r, "name"), owner.name);
    cr_assert(json_is_true(itest_get(r, "active")));
    r = get_user(oc, peer.user_id);
    cr_assert_str_eq(itest_get_str(r, "name"), peer.name);
    cr_assert(json_is_true(itest_get(r, "active")));
    itest_client_t *probe = itest_user_session(&owner);
    itest_client_free(probe);
    probe = itest_user_session(&peer);
    itest_client_free(probe);
    itest_client_free(sc);
    itest_client_free(oc);
}

Test(roles, owner_cannot_change_own_role)
{
    itest_user_t owner;
    itest_client_t *oc = itest_owner_session(&owner);
    char path[64];
    user_path(path, sizeof(path), owner.user_id);
    const char *roles[] = {"supervisor", "agent"};
    for (size_t i = 0; i < 2; i++) {
        itest_resp_t *r =
            itest_request(oc, "PATCH", path, json_pack("{s:s}", "role", roles[i]), NULL);
        itest_assert_problem(r, 403, NULL);
    }
    itest_resp_t *r = get_user(oc, owner.user_id);
    cr_assert_str_eq(itest_get_str(r, "role"), "owner");
    /* the owner still has the owner's powers */
    r = itest_request(oc, "GET", "/api/v1/tokens", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    itest_client_free(oc);
}

Test(roles, owner_changes_role_and_it_ends_sessions)
{
    itest_user_t owner, agent;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_create_user(oc, "agent", &agent);
    itest_client_t *ac = itest_user_session(&agent);
    char path[64];
    user_path(path, sizeof(path), agent.user_id);
    itest_resp_t *r =
        itest_request(oc, "PATCH", path, json_pack("{s:s}", "role", "supervisor"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "role"), "supervisor");
    r = itest_request(ac, "GET", "/api/v1/me", NULL, NULL);
    itest_assert_problem(r, 401, NULL);
    /* logged in again, the new role applies */
    itest_login_ok(ac, &agent);
    r = itest_request(ac, "GET", "/api/v1/users", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    itest_client_free(ac);
    itest_client_free(oc);
}

Test(roles, nobody_deactivates_themselves)
{
    itest_user_t owner, supervisor;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_create_user(oc, "supervisor", &supervisor);
    itest_client_t *sc = itest_user_session(&supervisor);
    itest_client_t *clients[] = {oc, sc};
    const long long ids[] = {owner.user_id, supervisor.user_id};
    for (size_t i = 0; i < 2; i++) {
        char path[64];
        user_path(path, sizeof(path), ids[i]);
        itest_resp_t *r = itest_request(clients[i], "DELETE", path, NULL, NULL);
        itest_assert_problem(r, 403, NULL);
        r = itest_request(clients[i], "PATCH", path, json_pack("{s:b}", "active", 0), NULL);
        itest_assert_problem(r, 403, NULL);
        r = itest_request(clients[i], "GET", "/api/v1/me", NULL, NULL);
        cr_assert_eq(r->status, 200, "still logged in: %s", r->body);
        cr_assert(json_is_true(itest_get(r, "user.active")));
    }
    itest_client_free(sc);
    itest_client_free(oc);
}

Test(roles, deactivated_user_cannot_log_in)
{
    itest_user_t owner, agent;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_create_user(oc, "agent", &agent);
    itest_client_t *ac = itest_user_session(&agent);
    char path[64];
    user_path(path, sizeof(path), agent.user_id);
    itest_resp_t *r = itest_request(oc, "DELETE", path, NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    cr_assert_eq(r->body_len, 0);

    r = itest_request(ac, "GET", "/api/v1/me", NULL, NULL);
    itest_assert_problem(r, 401, NULL);
    itest_client_t *fresh = itest_client_new();
    r = itest_login(fresh, agent.email, agent.password);
    itest_assert_problem(r, 401, NULL);
    r = get_user(oc, agent.user_id);
    cr_assert(json_is_false(itest_get(r, "active")), "%s", r->body);
    /* still listed: history keeps the person */
    cr_assert_eq(itest_count_users(oc), 2);
    itest_client_free(fresh);
    itest_client_free(ac);
    itest_client_free(oc);
}

Test(roles, password_reset_by_owner_ends_sessions)
{
    itest_user_t owner, agent;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_create_user(oc, "agent", &agent);
    itest_client_t *ac = itest_user_session(&agent);
    char path[64];
    user_path(path, sizeof(path), agent.user_id);
    itest_resp_t *r =
        itest_request(oc, "PATCH", path, json_pack("{s:s}", "password", "Reset-by-owner-pw"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_null(itest_get(r, "password"));
    cr_assert_null(itest_get(r, "password_hash"));
    r = itest_request(ac, "GET", "/api/v1/me", NULL, NULL);
    itest_assert_problem(r, 401, NULL);
    itest_client_t *fresh = itest_client_new();
    r = itest_login(fresh, agent.email, agent.password);
    itest_assert_problem(r, 401, NULL);
    r = itest_login(fresh, agent.email, "Reset-by-owner-pw");
    cr_assert_eq(r->status, 200, "%s", r->body);
    /* the owner resets their own password only with the current one */
    user_path(path, sizeof(path), owner.user_id);
    r = itest_request(oc, "PATCH", path, json_pack("{s:s}", "password", "Own-reset-pw"), NULL);
    itest_assert_problem(r, 403, NULL);
    itest_client_free(fresh);
    itest_client_free(ac);
    itest_client_free(oc);
}

/* A client with a new API token of role role made by the owner session oc. */
static itest_client_t *token_client(itest_client_t *oc, const char *role)
{
    itest_resp_t *r = itest_request(oc, "POST", "/api/v1/tokens",
                                    json_pack("{s:s, s:s}", "name", role, "role", role), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "token.role"), role);
    itest_client_t *c = itest_client_new();
    itest_client_set_bearer(c, itest_get_str(r, "secret"));
    return c;
}

Test(roles, agent_token_is_refused_users)
{
    itest_user_t owner;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_client_t *tc = token_client(oc, "agent");
    itest_resp_t *r = itest_request(tc, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "the token works: %s", r->body);
    r = itest_request(tc, "GET", "/api/v1/users", NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(tc, "POST", "/api/v1/users", new_user_body("agent"), NULL);
    itest_assert_problem(r, 403, NULL);
    char path[64];
    user_path(path, sizeof(path), owner.user_id);
    r = itest_request(tc, "GET", path, NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    cr_assert_eq(itest_count_users(oc), 1);
    itest_client_free(tc);
    itest_client_free(oc);
}

Test(roles, supervisor_token_acts_as_supervisor)
{
    itest_user_t owner;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_client_t *tc = token_client(oc, "supervisor");
    itest_resp_t *r = itest_request(tc, "GET", "/api/v1/users", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(tc, "POST", "/api/v1/users", new_user_body("supervisor"), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(tc, "POST", "/api/v1/users", new_user_body("agent"), NULL);
    cr_assert_eq(r->status, 201, "no CSRF needed with a token: %s", r->body);
    cr_assert_eq(itest_count_users(oc), 2);
    itest_client_free(tc);
    itest_client_free(oc);
}

/* A supervisor-role token acts as a supervisor, even though the owner made it: "nobody
 * changes the owner but the owner". */
Test(roles, supervisor_token_cannot_change_owner)
{
    itest_user_t owner;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_client_t *tc = token_client(oc, "supervisor");
    char path[64];
    user_path(path, sizeof(path), owner.user_id);
    itest_resp_t *r =
        itest_request(tc, "PATCH", path, json_pack("{s:s}", "name", "Token Renamed"), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(tc, "PATCH", path, json_pack("{s:i}", "max_chats", 1), NULL);
    itest_assert_problem(r, 403, NULL);
    r = get_user(oc, owner.user_id);
    cr_assert_str_eq(itest_get_str(r, "name"), owner.name);
    cr_assert_eq(itest_get_int(r, "max_chats"), 10);
    itest_client_free(tc);
    itest_client_free(oc);
}
