import type { StoragePort } from '../../ports/storage';
import { listAll } from './personal-data';

/** Deletes documents under `prefix` whose keys start with an ISO time (`<prefix><ISO time>:…`) before `cutoff`. */
export async function purgeTimeOrderedKeys(storage: StoragePort, prefix: string, cutoff: Date): Promise<number> {
  const limit = `${prefix}${cutoff.toISOString()}`;
  let deleted = 0;
  for (const key of await listAll(storage, prefix)) {
    if (key >= limit) break;
    if (await storage.delete(key)) deleted++;
  }
  return deleted;
}
