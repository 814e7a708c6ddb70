import XAPI, { type Statement } from '@xapi/xapi';
import { withoutTrailingSlashes } from '../../core/text-normalize';

export type LrsOutcome = 'stored' | 'retry' | 'rejected';

/**
 * The LRS through @xapi/xapi (xAPI 1.0.3, Basic auth). 409 means the LRS already holds a
 * statement with this id: for us that is "stored", since ids are stable.
 */
export class LrsClient {
  private readonly xapi: XAPI;

  constructor(options: { endpoint: string; key?: string; secret?: string }) {
    this.xapi = new XAPI({
      endpoint: withoutTrailingSlashes(options.endpoint),
      version: '1.0.3',
      ...(options.key ? { auth: XAPI.toBasicAuth(options.key, options.secret ?? '') } : {}),
    });
  }

  async send(statement: Statement): Promise<{ outcome: LrsOutcome; status?: number }> {
    try {
      await this.xapi.sendStatement({ statement });
      return { outcome: 'stored' };
    } catch (err) {
      const status = (err as { response?: { status?: number } }).response?.status;
      if (status === 409) return { outcome: 'stored', status };
      // Down, throttled or failing: try again later. Any other 4xx will not get better by retrying.
      if (status === undefined || status === 408 || status === 429 || status >= 500) return { outcome: 'retry', ...(status ? { status } : {}) };
      return { outcome: 'rejected', status };
    }
  }
}
