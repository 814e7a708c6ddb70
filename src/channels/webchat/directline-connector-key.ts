import { randomBytes } from 'node:crypto';

/** The header with which the bot proves to its own Direct Line connector route that the call is its own. */
export const CONNECTOR_KEY_HEADER = 'x-govai-connector-key';

/**
 * Random per process: only this process sends it (through the service URL policy), so no other
 * process on the host, whatever address it connects from, can post into a learner's web chat.
 */
export const DIRECT_LINE_CONNECTOR_KEY = randomBytes(32).toString('base64url');
