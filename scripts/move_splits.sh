#!/usr/bin/env bash
# Issue 11's size splits, by definition names (they survive a merge better than line numbers).
# Run from the repository root after scripts/move_domains.py and the circle commits; then
# ruff, mypy, tests/project/test_imports.py and the SDL check. A step whose names are gone
# (someone changed the module) stops the script: split that module by hand.
# The commit "No module over 300 lines ..." of scripts/move_patches/ is the reference result.
set -euo pipefail
cd "$(dirname "$0")/.."
split() { python3 scripts/split_module.py "$@"; }

# resolvers: the reads go beside the writes
split resolvers/proposals/manage.py received_page END resolvers/proposals/reads.py \
    "Reading proposals: the pages of a candidat and an employer, pending counts, batches for the DataLoaders and the live log."
split resolvers/alerts/manage.py AlertView END resolvers/alerts/views.py \
    "Reading alerts: the alert with its dossier's e-mail state (AlertView), pages per dossier, batches for the DataLoaders, matches."
split resolvers/cvs/manage.py CvRow END resolvers/cvs/reads.py \
    "Reading CVs: pages per dossier with their item counts, and batches for the DataLoaders."
split resolvers/applications/manage.py candidate_applications_page END resolvers/applications/reads.py \
    "Reading applications: the pages of a candidat and an employer, and batches for the DataLoaders."
split resolvers/offers/search.py OfferSort SearchResult resolvers/offers/results.py \
    "What an offer search answers: the sort, the facets, the relaxations, the hits and the result."
split resolvers/offers/form.py input_from_row END resolvers/offers/update.py \
    "An offer update: the stored offer as the form it was, with the update's changes merged in."
split resolvers/identity/accounts.py candidate_sign_up END resolvers/identity/sign_up.py \
    "Sign-up: candidats (who get their identifiant), employers, and advisers (created by the espace adviser create command)."

# schema: inputs and payloads, types
split schema/identity/schema.py PASSWORD_RULES SecretQuestionSetPayload schema/identity/types.py \
    "Inputs and payloads of the identity mutations: sign-up, sign-in, sessions, credentials."
# By hand first: move offer_id and search_id above ClasseurEntry in schema/classeur/schema.py.
split schema/classeur/schema.py offer_id dossier_saved_searches schema/classeur/types.py \
    "GraphQL types of the classeur: the kept offer and saved searches, with their pages (viewer.classeur, Dossier.savedSearches)."
sed -i 's/strawberry.lazy("schema.classeur.schema")/strawberry.lazy("schema.classeur.types")/' \
    schema/dossiers/types.py

# refdata (build tool). By hand first: DECOUPAGE goes with the other inputs (sources.py).
split refdata/build.py DECOUPAGE read_tarball_json refdata/sources.py \
    "The reference build's inputs and outputs: the npm tarballs and CSV files it reads, checksums, and the gzipped TSV writer."
split refdata/build.py name_key build_communes refdata/communes.py \
    "The communes table of the reference build: INSEE's communes joined with La Poste's postal codes and the coordinates (names matched across sources)."

# bench. By hand first: move YARDSTICK just above _npm_ci in bench/yardstick.py.
split bench/yardstick.py YARDSTICK trivial_server bench/node.py \
    "PostGraphile for the yardstick: npm ci, finding Node 22 (or older with the shim), running the server and a trivial one."
split bench/dashboard_full.py table END bench/dashboard_table.py \
    "The table printed by the full-dashboard benchmark: statements, sizes, closed- and open-loop throughput per worker count."

# tests (then, by hand: the module fixtures settings_overrides of tests/cvs/test_cvs.py and
# tests/mailer/test_mailer.py, and catalogue of tests/offers/test_search.py, go to a
# conftest.py in their folder, as in the reference commit)
split tests/messages/test_messages.py test_lists_are_paginated_and_batched END tests/messages/test_pages_and_files.py \
    "Messages: lists paginated and batched, PDF attachments uploaded, checked and downloaded."
split tests/messages/test_messages.py employer_and_application test_message_received_replays_after_a_cursor tests/messages/test_employers_and_site.py \
    "Messages with employers (about an application), from the site, in order under concurrency, and replayed live."
split tests/cvs/test_cvs.py search END tests/cvs/test_visibility.py \
    "CVs as employers see them: search, anonymous CVs, visibility by node and connection; completeness; the local file storage."
split tests/cvs/test_cvs.py test_a_pdf_is_uploaded_downloaded_replaced_and_removed test_files_over_the_limit_are_refused tests/cvs/test_files.py \
    "The PDF attached to a CV: uploaded, downloaded, replaced, removed; only real PDFs under the size limit."
split tests/ws/test_fanout.py test_one_user_s_sockets_share_one_execution END tests/ws/test_groups.py \
    "Fan-out groups over the socket: one execution shared by a user's sockets, never across users; sign-out and password changes close sockets."
split tests/dossiers/test_dossiers.py test_update_then_delete END tests/dossiers/test_lifecycle.py \
    "Dossiers after their creation: update and delete, ownership, account kinds, services, pagination."
split tests/ws/test_ws.py test_ping_is_answered_with_pong_echoing_its_payload END tests/ws/test_operations.py \
    "graphql-transport-ws operations: ping and pong, complete, the subscription limit, errors, mutations over the socket, slow peers."
split tests/offers/test_search.py test_few_results_suggest_what_to_relax END tests/offers/test_search_results.py \
    "offerSearch results: relaxations, relevance, every result checked in Python, user errors, the example operations, constant query counts."
split tests/alerts/test_alerts.py test_preview_counts_the_last_seven_days END tests/alerts/test_alerts_reads.py \
    "Alerts read back: the 7-day preview, clear errors on bad input, privacy, batching under dossiers."
split tests/identity/test_accounts.py fastest_sign_in END tests/identity/test_sign_in.py \
    "Sign-in answers identically whatever is wrong, stable codes for ill-formed input, forged tokens, employers and advisers."
split tests/mailer/test_mailer.py test_4xx_reply_is_retried_then_delivered END tests/mailer/test_delivery.py \
    "Mail delivery under failures: retries, dead letters, expired leases, concurrent workers, and the /dev/mails page."
split tests/applications/test_applications.py reach END tests/applications/test_transitions.py \
    "Application transitions from every status, withdrawal, and live events to the two parties only."
split tests/proposals/test_proposals.py test_the_candidat_answers_once_and_the_employer_sees_the_answer END tests/proposals/test_answers.py \
    "Answering proposals: once, anonymity until accepted, deadlines, and each side sees only its own."
