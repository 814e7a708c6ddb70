/**
 * Every error code govai-coach throws or answers with, in one place (like bolt-js's ErrorCode):
 * logs, HTTP error bodies and tests name these, so a code is added here before it is used
 * (`test/house/error-codes.test.ts` fails on an unregistered one). `status` is the HTTP status
 * an error of that code is answered with, where it reaches an HTTP client.
 */
export interface ErrorCodeInfo {
  description: string;
  status?: number;
}

export const ERROR_CODES = {
  // Start-up and configuration
  config_invalid: { description: 'an environment variable has a wrong value' },
  repo_root_not_found: { description: "govai-coach's package.json is not above the running code" },
  unsafe_anonymous_bind: { description: 'no bot credentials on a network interface' },
  locale_invalid: { description: 'a locales/<lang>/<ns>.json file is not valid JSON' },
  usage: { description: 'a command-line tool was given wrong arguments' },
  teams_package_invalid: { description: 'the Teams app package cannot be built from these settings' },
  eval_set_invalid: { description: 'an evaluation set file has a malformed line' },

  // Programming errors: a caller broke a contract the code relies on
  invariant_violated: { description: 'an internal consistency check failed' },
  used_before_open: { description: 'an adapter was used before open()' },
  invalid_identifier: { description: 'a table or field name is not a plain SQL identifier' },

  // Content, index and storage
  course_content_invalid: { description: 'the course content has errors' },
  'index-missing': { description: 'no retrieval index was built for this content' },
  'index-invalid': { description: 'the retrieval index on disk is damaged or outdated' },
  'references-missing': { description: 'REFERENCES_DIR is not a folder' },
  embedding_mismatch: { description: 'an embedding has the wrong dimensions or count' },
  storage_conflict: { description: 'a document changed since it was read (eTag mismatch)' },
  discussion_summary_rejected: { description: "the model's discussion summary was not usable (shape, invented quote); the extractive one is sent" },
  storage_error: { description: 'the store refused an operation' },
  storage_unavailable: { description: 'the store did not answer; the operation may be retried' },
  not_loaded: { description: 'a readiness check found a part not loaded yet' },
  timeout: { description: 'an operation did not answer in time' },

  // Model calls
  'rate-limited': { description: 'the model endpoint is rate limiting' },
  'server-error': { description: 'the model endpoint failed' },
  'bad-response': { description: 'the model endpoint answered something unusable' },
  unavailable: { description: 'the model endpoint is unreachable or not configured' },

  // Course, cohorts, certificates, privacy
  invalid_answer: { description: 'a quiz answer names no valid option' },
  no_next_occurrence: { description: 'a local time has no next occurrence in a time zone' },
  cohort_exists: { description: 'this conversation already has a cohort' },
  certificate_signing_key: { description: 'the certificate signing key is unusable' },
  personal_data_source_duplicate: { description: 'a personal-data source is registered twice' },
  personal_data_erase_failed: { description: 'erasure failed in one or more personal-data sources' },

  // Channels
  service_url_not_allowed: { description: 'a reply would go to a service URL that is not allowed', status: 403 },
  tenant_not_allowed: { description: 'a Teams tenant outside ALLOWED_TENANT_IDS', status: 403 },
  untrusted_issuer: { description: 'a token from an issuer this bot does not trust', status: 401 },
  unsupported_algorithm: { description: 'a token not signed with RS256', status: 401 },
  missing_token: { description: 'no bearer token', status: 401 },
  missing_shared_secret: { description: 'no or a wrong ANONYMOUS_SHARED_SECRET bearer', status: 401 },
  missing_exp: { description: 'a token without an expiry', status: 401 },
  malformed_token: { description: 'a bearer that is not a JWT', status: 401 },
  missing_signature: { description: 'a Slack request without its signature headers', status: 401 },
  stale_timestamp: { description: 'a Slack request timestamp outside the 5-minute window', status: 401 },
  bad_signature: { description: 'a Slack signature that does not match the body', status: 401 },
  block_kit_limit: { description: 'a Block Kit element is over a Slack limit' },

  // HTTP answers (status is what the client gets)
  invalid_activity: { description: 'the activity fails the schema', status: 400 },
  invalid_payload: { description: 'the Slack payload fails the schema', status: 400 },
  invalid_request: { description: 'the request body fails the schema', status: 400 },
  malformed_body: { description: 'the body is not a valid Slack payload', status: 400 },
  malformed_json: { description: 'the body is not valid JSON', status: 400 },
  unauthorized: { description: 'authentication failed', status: 401 },
  invalid_token: { description: 'a token that does not verify', status: 403 },
  token_expired: { description: 'an expired Direct Line token', status: 403 },
  forbidden: { description: 'the caller may not do this', status: 403 },
  forbidden_host: { description: 'a Host or Origin that is not this machine (local mode)', status: 403 },
  loopback_only: { description: 'a loopback-only route reached through another host name', status: 403 },
  metrics_token_not_set: { description: 'GET /metrics on a network interface without METRICS_TOKEN', status: 403 },
  metrics_unauthorized: { description: 'GET /metrics without the METRICS_TOKEN bearer', status: 401 },
  wrong_conversation: { description: 'a Direct Line token used for another conversation', status: 403 },
  not_found: { description: 'no such resource', status: 404 },
  conversation_not_found: { description: 'no such Direct Line conversation', status: 404 },
  certificate_not_found: { description: 'no certificate has this id', status: 404 },
  export_not_found: { description: 'a cohort export link that is invalid or expired', status: 404 },
  download_not_found: { description: 'a data export link that is invalid or expired', status: 404 },
  privacy_notice_missing: { description: 'docs/privacy.md is not installed', status: 404 },
  payload_too_large: { description: 'the body is over the size limit', status: 413 },
  unsupported_media_type: { description: 'the body is not JSON', status: 415 },
  internal_error: { description: 'an unexpected failure; the log has the details', status: 500 },
  not_ready: { description: 'the bot is starting or stopping', status: 503 },
  unhandled: { description: 'no Slack listener acknowledged the request', status: 404 },
  event_in_progress: { description: 'a Slack retry of an event still being handled', status: 503 },
  signing_key_unavailable: { description: 'the certificate signing key is not available', status: 503 },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
