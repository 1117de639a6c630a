# Test registration: one Criterion binary per test file, labelled unit or integration.
find_library(CRITERION_LIBRARY criterion REQUIRED)

# laris_add_test(<name> <label> <source> <libraries...>)
function(laris_add_test name label source)
    add_executable(${name} ${source})
    target_link_libraries(${name} PRIVATE ${ARGN} ${CRITERION_LIBRARY})
    add_test(NAME ${name} COMMAND ${name} --jobs 1)
    set_tests_properties(${name} PROPERTIES LABELS ${label} TIMEOUT 300)
endfunction()

# Unit tests: mirror src/<module>/<file>.c as tests/unit/<module>/test_<file>.c.
laris_add_test(test_arena unit tests/unit/core/test_arena.c laris_core)
laris_add_test(test_buf unit tests/unit/core/test_buf.c laris_core)
laris_add_test(test_err unit tests/unit/core/test_err.c laris_core)
laris_add_test(test_json unit tests/unit/core/test_json.c laris_core)
laris_add_test(test_phone unit tests/unit/core/test_phone.c laris_core)
laris_add_test(test_crypto unit tests/unit/core/test_crypto.c laris_core)
laris_add_test(test_router unit tests/unit/http/test_router.c laris_http)
laris_add_test(test_openapi unit tests/unit/api/test_openapi.c laris_api)
target_include_directories(test_openapi PRIVATE ${CMAKE_SOURCE_DIR}/src/api)
target_compile_definitions(test_openapi PRIVATE LARIS_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
laris_add_test(test_crm_wa_numbers unit tests/unit/crm/test_wa_numbers.c laris_crm)
laris_add_test(test_request unit tests/unit/http/test_request.c laris_http)
laris_add_test(test_response unit tests/unit/http/test_response.c laris_http)
laris_add_test(test_server unit tests/unit/http/test_server.c laris_http)

# Integration tests: run against the live stack that scripts/test starts (env from stack.env).
laris_add_test(itest_migrate integration tests/integration/test_migrate.c PkgConfig::LIBPQ)
target_compile_definitions(itest_migrate PRIVATE LARIS_BINARY_DIR="${CMAKE_BINARY_DIR}")

# HTTP integration tests: each binary talks to the live stack through nginx ($LARIS_URL) with
# the small client in tests/integration/client.c (its own cookie jar and client address).
add_library(laris_itest_client STATIC tests/integration/client.c tests/integration/procs.c
    tests/integration/sim_control.c tests/integration/db.c tests/integration/service_fixture.c)
target_link_libraries(laris_itest_client PUBLIC PkgConfig::LIBPQ)
target_link_libraries(laris_itest_client PUBLIC PkgConfig::LIBCURL laris_core)
target_compile_definitions(laris_itest_client PRIVATE LARIS_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
laris_add_test(itest_auth integration tests/integration/test_auth.c laris_itest_client)
laris_add_test(itest_tenancy integration tests/integration/test_tenancy.c laris_itest_client)
laris_add_test(itest_roles integration tests/integration/test_roles.c laris_itest_client)
laris_add_test(itest_tokens integration tests/integration/test_tokens.c laris_itest_client)
laris_add_test(itest_input integration tests/integration/test_input.c laris_itest_client)
laris_add_test(itest_throttle integration tests/integration/test_throttle.c laris_itest_client)
laris_add_test(itest_runtime integration tests/integration/test_runtime.c laris_itest_client)
laris_add_test(itest_prefork integration tests/integration/test_prefork.c laris_itest_client)
target_compile_definitions(itest_prefork PRIVATE LARIS_BINARY_DIR="${CMAKE_BINARY_DIR}")
laris_add_test(itest_webhooks integration tests/integration/test_webhooks.c laris_itest_client
    PkgConfig::LIBPQ)
target_compile_definitions(itest_webhooks
    PRIVATE LARIS_FIXTURES_DIR="${CMAKE_SOURCE_DIR}/../shared/whatsapp/fixtures")
laris_add_test(itest_wa_numbers integration tests/integration/test_wa_numbers.c
    laris_itest_client PkgConfig::LIBPQ)
laris_add_test(itest_webhooks_number integration tests/integration/test_webhooks_number.c
    laris_itest_client PkgConfig::LIBPQ PkgConfig::SODIUM)

# WhatsApp module: unit tests driven by the shared fixtures (shared/ sits beside the repo).
add_library(laris_wa_fixtures STATIC tests/unit/wa/fixtures.c)
target_link_libraries(laris_wa_fixtures PUBLIC laris_wa ${CRITERION_LIBRARY})
target_compile_definitions(laris_wa_fixtures
    PUBLIC LARIS_FIXTURES_DIR="${CMAKE_SOURCE_DIR}/../shared/whatsapp/fixtures")
laris_add_test(test_wa_signature unit tests/unit/wa/test_signature.c laris_wa_fixtures)
laris_add_test(test_wa_webhook unit tests/unit/wa/test_webhook.c laris_wa_fixtures)
laris_add_test(test_wa_webhook_fuzz unit tests/unit/wa/test_webhook_fuzz.c laris_wa_fixtures)
laris_add_test(test_wa_message unit tests/unit/wa/test_message.c laris_wa_fixtures)
laris_add_test(test_wa_errors unit tests/unit/wa/test_errors.c laris_wa)
laris_add_test(test_wa_outgoing unit tests/unit/wa/test_outgoing.c laris_wa)

# laris-sim: unit tests of its pure parts, and an integration test through the stack's nginx
# ($LARIS_SIM_URL) with a webhook listener of its own.
laris_add_test(test_sim_validate unit tests/unit/sim/test_validate.c laris_sim_core)
laris_add_test(test_sim_wamid unit tests/unit/sim/test_wamid.c laris_sim_core)
laris_add_test(test_sim_limits unit tests/unit/sim/test_limits.c laris_sim_core)
laris_add_test(test_sim_graph_error unit tests/unit/sim/test_graph_error.c laris_sim_core)
laris_add_test(itest_sim integration tests/integration/test_sim.c laris_wa PkgConfig::LIBCURL
               Threads::Threads)

# Messages out: replies through the API, laris-worker sending to laris-sim, status webhooks.
laris_add_test(itest_outbound integration tests/integration/test_outbound.c laris_itest_client
    PkgConfig::LIBPQ PkgConfig::LIBCURL)

# Every outbound type, read receipts and "test a number", checked against laris-sim's record.
laris_add_test(itest_reply_types integration tests/integration/test_reply_types.c
    laris_itest_client PkgConfig::LIBPQ PkgConfig::LIBCURL)

# laris-worker's pacing (100 msg/s against laris-sim's limit) and laris-sim's send faults.
laris_add_test(itest_pacing integration tests/integration/test_pacing.c laris_itest_client
    PkgConfig::LIBPQ PkgConfig::LIBCURL)

# Distribution: fair round robin from several laris-worker processes, one owner per chat,
# claim/transfer/escalate, settings.
laris_add_test(itest_distribution integration tests/integration/test_distribution.c
    laris_itest_client laris_kv PkgConfig::LIBPQ Threads::Threads)
target_compile_definitions(itest_distribution PRIVATE LARIS_BINARY_DIR="${CMAKE_BINARY_DIR}")

# Media in and out: inbound fetch by laris-worker from laris-sim, serving through nginx, uploads.
laris_add_test(itest_media integration tests/integration/test_media.c laris_itest_client
    PkgConfig::LIBPQ PkgConfig::SODIUM)
laris_add_test(test_wa_media unit tests/unit/wa/test_media.c laris_wa)
# The inbox API: search terms and quick reply rendering (unit); conversations, labels and quick
# replies through the live stack (integration).
laris_add_test(test_crm_inbox_text unit tests/unit/crm/test_inbox_text.c laris_crm)
laris_add_test(itest_inbox integration tests/integration/test_inbox.c laris_itest_client
    PkgConfig::LIBPQ)
laris_add_test(itest_labels integration tests/integration/test_labels.c laris_itest_client
    PkgConfig::LIBPQ)
laris_add_test(itest_inbox_cache integration tests/integration/test_inbox_cache.c
    laris_itest_client PkgConfig::LIBPQ)
laris_add_test(itest_quick_replies integration tests/integration/test_quick_replies.c
    laris_itest_client PkgConfig::LIBPQ)

# laris-worker's faults: token expiry (190), the pair limit, a worker killed mid-run, Redis and
# PostgreSQL stopped and started under the live stack.
laris_add_test(itest_worker_faults integration tests/integration/test_worker_faults.c
    laris_itest_client PkgConfig::LIBPQ PkgConfig::LIBCURL)
set_tests_properties(itest_worker_faults PROPERTIES TIMEOUT 600)

# laris-worker's pure parts: classification of Graph answers, backoff, job strings.
laris_add_test(test_worker_classify unit tests/unit/worker/test_classify.c laris_worker)
target_include_directories(test_worker_classify PRIVATE ${CMAKE_SOURCE_DIR}/src/worker)

# Business hours, auto-replies and SLA.
laris_add_test(test_hours unit tests/unit/core/test_hours.c laris_core)
laris_add_test(test_textnorm unit tests/unit/core/test_textnorm.c laris_core)
laris_add_test(itest_business_hours integration tests/integration/test_business_hours.c
    laris_itest_client PkgConfig::LIBPQ)
laris_add_test(itest_auto_replies integration tests/integration/test_auto_replies.c
    laris_itest_client PkgConfig::LIBPQ)
laris_add_test(itest_sla integration tests/integration/test_sla.c laris_itest_client
    PkgConfig::LIBPQ)

# Live events: who may subscribe to which channel (unit); EventSource subscribers through
# nginx/nchan, authorization, resume (integration).
laris_add_test(test_crm_live unit tests/unit/crm/test_live.c laris_crm)
laris_add_test(itest_live integration tests/integration/test_live.c laris_itest_client
    PkgConfig::LIBPQ PkgConfig::LIBCURL)

# WhatsApp message templates: Meta's rules (unit), the API against laris-sim (integration).
laris_add_test(test_wa_template unit tests/unit/wa/test_template.c laris_wa)
laris_add_test(itest_templates integration tests/integration/test_templates.c laris_itest_client
    PkgConfig::LIBPQ PkgConfig::SODIUM)
target_compile_definitions(itest_templates
    PRIVATE LARIS_FIXTURES_DIR="${CMAKE_SOURCE_DIR}/../shared/whatsapp/fixtures")
# Contacts and orders: customer records and orders from a chat through the live stack.
laris_add_test(itest_contacts integration tests/integration/test_contacts.c laris_itest_client
    PkgConfig::LIBPQ)
laris_add_test(itest_orders integration tests/integration/test_orders.c laris_itest_client
    PkgConfig::LIBPQ)
