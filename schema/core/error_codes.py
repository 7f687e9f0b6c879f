"""Every error code of the API, each with its description: the one registry.

- ``ApiErrorCode``: the codes of top-level errors (``errors[].extensions.code``), published in
  the schema as the ``ErrorCode`` enum. Every emitter (the HTTP view, the document limits,
  the WebSocket server, the download routes…) uses a member of it, never a string, so a new
  code is one line in ``ApiErrorCode`` and one description in ``API_ERROR_DESCRIPTIONS``;
  ``tests/test_error_codes.py`` scans the source tree for code strings missing here.
- ``USER_ERROR_DESCRIPTIONS``: the descriptions of the domain codes
  (``resolvers.core.errors.ErrorCode``), published as ``UserErrorCode``; a field that fails for a
  domain reason (not signed in, not found…) carries one of them at top level too.
"""

from __future__ import annotations

from enum import StrEnum

from resolvers.core.errors import ErrorCode


class ApiErrorCode(StrEnum):
    """Stable codes of top-level errors. Never rename one; add with a description."""

    # The document
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
    # Arguments
    BAD_PAGE_SIZE = "BAD_PAGE_SIZE"
    BAD_CURSOR = "BAD_CURSOR"
    INVALID_ID = "INVALID_ID"
    # The HTTP request
    BAD_REQUEST = "BAD_REQUEST"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    MUTATION_OVER_GET = "MUTATION_OVER_GET"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    PREFLIGHT_REQUIRED = "PREFLIGHT_REQUIRED"
    SUBSCRIPTION_OVER_HTTP = "SUBSCRIPTION_OVER_HTTP"
    # Persisted and trusted documents
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
    PERSISTED_QUERY_VERSION_UNSUPPORTED = "PERSISTED_QUERY_VERSION_UNSUPPORTED"
    DOCUMENT_NOT_TRUSTED = "DOCUMENT_NOT_TRUSTED"
    # Who asks
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    THROTTLED = "THROTTLED"
    LINK_USED = "LINK_USED"
    LINK_EXPIRED = "LINK_EXPIRED"
    # Limits of the server
    TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"
    RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE"
    TIMEOUT = "TIMEOUT"
    OVERLOADED = "OVERLOADED"
    POOL_TIMEOUT = "POOL_TIMEOUT"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


API_ERROR_DESCRIPTIONS: dict[ApiErrorCode, str] = {
    ApiErrorCode.GRAPHQL_PARSE_FAILED: "The document is not valid GraphQL syntax.",
    ApiErrorCode.GRAPHQL_VALIDATION_FAILED: "The document does not match the schema (unknown "
    "field, wrong argument type…); nothing was executed.",
    ApiErrorCode.BAD_USER_INPUT: "A variable is missing or does not match its declared type.",
    ApiErrorCode.QUERY_TOO_DEEP: "The document nests selections deeper than the server allows "
    "(12 levels by default; a Relay list takes two). Introspection fields do not count.",
    ApiErrorCode.QUERY_TOO_COSTLY: "The document's cost (each field counted once per item of "
    "every enclosing page) exceeds the server's bound: ask for smaller pages or fewer nested "
    "lists.",
    ApiErrorCode.TOO_MANY_ALIASES: "The document uses more aliases than allowed (15 by default).",
    ApiErrorCode.TOO_MANY_TOKENS: "The document is longer than allowed (2000 tokens by default).",
    ApiErrorCode.BAD_PAGE_SIZE: "`first` or `last` is negative or larger than the largest page "
    "(100 by default), or both are given.",
    ApiErrorCode.BAD_CURSOR: "`after` or `before` is not a cursor this API returned.",
    ApiErrorCode.INVALID_ID: "A global ID is malformed or names another type than expected.",
    ApiErrorCode.BAD_REQUEST: "The HTTP request is not a GraphQL request (no query, invalid "
    "JSON…).",
    ApiErrorCode.METHOD_NOT_ALLOWED: "The endpoint answers GET and POST only (HTTP 405).",
    ApiErrorCode.MUTATION_OVER_GET: "A mutation was sent with GET; send it with POST (HTTP 405).",
    ApiErrorCode.PAYLOAD_TOO_LARGE: "The request body exceeds the largest accepted (1 MiB, or "
    "the largest upload for multipart requests) (HTTP 413).",
    ApiErrorCode.UNSUPPORTED_MEDIA_TYPE: "The body is neither application/json nor a GraphQL "
    "multipart request (HTTP 415).",
    ApiErrorCode.PREFLIGHT_REQUIRED: "A multipart request (file upload) lacks the "
    "`GraphQL-Require-Preflight` header that protects against cross-site requests.",
    ApiErrorCode.SUBSCRIPTION_OVER_HTTP: "A subscription was sent as a plain HTTP request; open "
    "it over WebSocket (graphql-transport-ws) or Server-Sent Events.",
    ApiErrorCode.PERSISTED_QUERY_NOT_FOUND: "Automatic persisted queries: the hash is unknown; "
    "send the request again with both the hash and the query.",
    ApiErrorCode.PERSISTED_QUERY_HASH_MISMATCH: "Automatic persisted queries: the hash sent is "
    "not the SHA-256 of the query sent.",
    ApiErrorCode.PERSISTED_QUERY_VERSION_UNSUPPORTED: "Automatic persisted queries: only "
    "version 1 of the protocol (`persistedQuery.version: 1`) is supported.",
    ApiErrorCode.DOCUMENT_NOT_TRUSTED: "Trusted-documents mode: only the documents of the "
    "server's manifest are accepted, and this one is not in it.",
    ApiErrorCode.UNAUTHENTICATED: "No valid session: sign in and send "
    "`Authorization: Bearer <token>` (HTTP 401 on the download routes).",
    ApiErrorCode.FORBIDDEN: "The session is valid but this account may not do this (another "
    "kind of account, or not its owner).",
    ApiErrorCode.NOT_FOUND: "The object does not exist or belongs to someone else (HTTP 404 on "
    "the download routes).",
    ApiErrorCode.THROTTLED: "Too many attempts in a short time: wait before trying again.",
    ApiErrorCode.LINK_USED: "A single-use link (a data export's download) was already used "
    "(HTTP 410): ask for a new one.",
    ApiErrorCode.LINK_EXPIRED: "The link has expired (HTTP 410): ask for a new one.",
    ApiErrorCode.TOO_MANY_SUBSCRIPTIONS: "WebSocket: this connection already holds as many "
    "subscriptions as allowed (20 by default); complete one first.",
    ApiErrorCode.RESPONSE_TOO_LARGE: "The response would exceed the largest the server sends: "
    "ask for smaller pages or fewer fields.",
    ApiErrorCode.TIMEOUT: "The request took longer than the server's deadline and was stopped; "
    "nothing it was writing was committed.",
    ApiErrorCode.OVERLOADED: "The server has too many requests in flight: retry after a short "
    "wait (HTTP 503).",
    ApiErrorCode.POOL_TIMEOUT: "No database connection became free in time: retry after a "
    "short wait (HTTP 503).",
    ApiErrorCode.INTERNAL_SERVER_ERROR: "A bug: the details are in the server's log, never in "
    "the response.",
}


USER_ERROR_DESCRIPTIONS: dict[ErrorCode, str] = {
    ErrorCode.REQUIRED: "The field is required and was empty or missing.",
    ErrorCode.TOO_LONG: "The value is longer than allowed (the message says the maximum).",
    ErrorCode.TOO_SHORT: "The value is shorter than allowed (the message says the minimum).",
    ErrorCode.INVALID: "The value is not acceptable here (the message says why).",
    ErrorCode.INVALID_FORMAT: "The value does not have the expected format.",
    ErrorCode.NOT_FOUND: "The object does not exist or belongs to someone else.",
    ErrorCode.DUPLICATE: "Such an object already exists (same name, same offer…).",
    ErrorCode.UNAUTHENTICATED: "No valid session: sign in first.",
    ErrorCode.FORBIDDEN: "This account may not do this.",
    ErrorCode.INVALID_CREDENTIALS: "Wrong identifiant, password or postal code (which one is "
    "never told).",
    ErrorCode.THROTTLED: "Too many attempts lately: the message says when to try again.",
    ErrorCode.LOCKED: "This path is locked after too many failures (for example the secret "
    "question); the message says until when.",
    ErrorCode.PASSWORD_TOO_SHORT: "The password has fewer than 12 characters.",
    ErrorCode.PASSWORD_TOO_WEAK: "The password is too easy to guess (repeated, sequential, "
    "keyboard or dictionary-derived, or built from the person's own data); the message says why.",
    ErrorCode.PASSWORD_TOO_LONG: "The password is longer than accepted.",
    ErrorCode.PASSWORD_TOO_COMMON: "The password is among the most common ones.",
    ErrorCode.PASSWORD_CONTAINS_PERSONAL_DATA: "The password contains personal data: identifiant, "
    "name, birth date, postal code or e-mail address.",
    ErrorCode.WRONG_PASSWORD: "The current password given is wrong.",
    ErrorCode.INVALID_POSTAL_CODE: "A postal code is five digits.",
    ErrorCode.UNKNOWN_POSTAL_CODE: "No commune has this postal code.",
    ErrorCode.COMMUNE_MISMATCH: "This commune does not have this postal code.",
    ErrorCode.INVALID_PHONE: "Not a valid phone number.",
    ErrorCode.INVALID_EMAIL: "Not an e-mail address.",
    ErrorCode.INVALID_DATE: "Not a valid date or date-time, or one out of range (a deadline "
    "in the past…).",
    ErrorCode.IMPLAUSIBLE_BIRTH_DATE: "A birth date too far in the past or in the future.",
    ErrorCode.INVALID_IDENTIFIANT: "An identifiant is 7 digits and a check letter.",
    ErrorCode.TOKEN_INVALID: "The link's token is unknown.",
    ErrorCode.TOKEN_EXPIRED: "The link has expired: ask for a new one.",
    ErrorCode.TOKEN_USED: "The link was already used.",
    ErrorCode.EMAIL_NOT_CONFIRMED: "The dossier's e-mail address is not confirmed yet.",
    ErrorCode.EMAIL_ALREADY_CONFIRMED: "The e-mail address is already confirmed.",
    ErrorCode.NO_EMAIL: "The dossier has no e-mail address.",
    ErrorCode.PHONE_REQUIRED: "The dossier needs a phone number for this.",
    ErrorCode.SECRET_QUESTION_ALREADY_SET: "The account already has a secret question.",
    ErrorCode.SECRET_QUESTION_NOT_SET: "The account has no secret question.",
    ErrorCode.RECOVERY_DISABLED: "Recovery by secret question is switched off on this server.",
    ErrorCode.WRONG_ACCOUNT_KIND: "This is for another kind of account (candidat, employer or "
    "adviser).",
    ErrorCode.INVALID_SIRET: "A SIRET is 14 digits with a valid Luhn key.",
    ErrorCode.INVALID_NAF_CODE: "Not a NAF code (such as 10.71C).",
    ErrorCode.UNKNOWN_ROME_CODE: "No ROME métier has this code.",
    ErrorCode.UNKNOWN_APPELLATION: "No ROME appellation has this code.",
    ErrorCode.UNKNOWN_COMMUNE: "No commune has this INSEE code.",
    ErrorCode.UNKNOWN_DEPARTEMENT: "No département has this code.",
    ErrorCode.UNKNOWN_REGION: "No région has this code.",
    ErrorCode.UNKNOWN_CONTRACT_TYPE: "Not a contract type code.",
    ErrorCode.DISTANCE_WITHOUT_COMMUNE: "A distance needs a commune to be measured from.",
    ErrorCode.CONFLICTING_CRITERIA: "Criteria that cannot be given together.",
    ErrorCode.OUT_OF_RANGE: "A number outside its allowed range (the message says which).",
    ErrorCode.INVALID_TRANSITION: "The object's status does not allow this change.",
    ErrorCode.OFFER_CLOSED: "The offer is closed or no longer published.",
    ErrorCode.NOT_PDF: "The file is not a PDF.",
    ErrorCode.FILE_TOO_LARGE: "The file exceeds the largest upload (2 MiB by default).",
    ErrorCode.FILE_EMPTY: "The file is empty.",
    ErrorCode.DEADLINE_PASSED: "The answer's deadline has passed.",
    ErrorCode.NO_AGENCY: "No agency follows the candidat: no dossier registered at one and "
    "none in the département of the home postal code, so no adviser to write to.",
    ErrorCode.READ_ONLY_CONVERSATION: "Messages from the site cannot be answered.",
    ErrorCode.INTERNAL: "Something failed on the server; try again later.",
    ErrorCode.WINDOW_CLOSED: "The declaration window of that month is not open (the message "
    "gives its dates).",
    ErrorCode.ALREADY_DECLARED: "That month is already declared: correct it while the window is "
    "open instead.",
    ErrorCode.NOT_REGISTERED: "The candidat is not registered as a job seeker (ceased or struck "
    "off, or registered after that month): re-register first.",
    ErrorCode.NOT_PDF_OR_JPEG: "The file is neither a PDF nor a JPEG image (checked by its "
    "content, not its name).",
    ErrorCode.NO_RIGHTS: "No open allowance rights: nothing can be paid or computed.",
    ErrorCode.INVALID_IBAN: "The IBAN is not valid (checksum, country or length).",
    ErrorCode.INVALID_BIC: "The BIC is not valid.",
    ErrorCode.BIC_MISMATCH: "The BIC is not the one of the IBAN's bank.",
    ErrorCode.NOTHING_PENDING: "There is no pending change to cancel.",
    ErrorCode.ATTESTATION_UNAVAILABLE: "This attestation cannot be issued now (no data for it "
    "yet, or the registration has ceased); the message says why.",
    ErrorCode.WORKSHOP_FULL: "Every place of the workshop or event is taken.",
    ErrorCode.END_BEFORE_START: "The end date is before the start date.",
    ErrorCode.DATE_TOO_FAR: "The date is too far in the future (or the period too long) "
    "to be declared now.",
    ErrorCode.OVERLAPPING_PERIOD: "The period overlaps a sick leave, an absence or a training "
    "already declared.",
    ErrorCode.EXPORT_IN_PROGRESS: "A data export of this account is already being prepared: "
    "wait for its mail.",
}
