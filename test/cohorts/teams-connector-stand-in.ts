import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInMember {
  id: string;
  name: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  userRole?: string;
}

export interface Post {
  conversationId: string;
  activity: any;
}

/**
 * A local stand-in for the Teams Bot Connector: serves a channel's roster page by page
 * (pagedmembers with continuation tokens), single members, creates personal conversations
 * (one per person, as Teams does) and records every activity posted. `fail` decides a failure
 * for any request before it is served.
 */
export async function startTeamsStandIn(options: {
  channels: Record<string, StandInMember[]>;
  pageSize?: number;
  fail?: (req: { method: string; path: string; body: any }) => { status: number; headers?: Record<string, string> } | undefined;
}) {
  const posts: Post[] = [];
  /** Cards updated in place (PUT …/activities/<id>). */
  const updates: (Post & { activityId: string })[] = [];
  const rosterCalls: string[] = [];
  const created: string[] = [];
  const pageSize = options.pageSize ?? 5;
  const everyone = () => Object.values(options.channels).flat();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const path = decodeURIComponent(url.pathname);
      const body = raw ? JSON.parse(raw) : undefined;
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      const failure = options.fail?.({ method: req.method ?? '', path, body });
      if (failure) return send(failure.status, { error: { code: 'Failure', message: `status ${failure.status}` } }, failure.headers);

      let m = /^\/v3\/conversations\/([^/]+)\/pagedmembers$/.exec(path);
      if (m && req.method === 'GET') {
        rosterCalls.push(url.search);
        const members = options.channels[m[1]];
        if (!members) return send(404, { error: { code: 'ConversationNotFound', message: 'no such conversation' } });
        const start = Number(url.searchParams.get('continuationToken') ?? '0');
        const next = start + pageSize;
        return send(200, { members: members.slice(start, next), ...(next < members.length ? { continuationToken: String(next) } : {}) });
      }
      m = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path);
      if (m && req.method === 'GET') {
        const wanted = m[2].toLowerCase();
        // Teams resolves a member by id, or by UPN/e-mail within the team.
        const member = everyone().find((p) => p.id.toLowerCase() === wanted || p.userPrincipalName?.toLowerCase() === wanted || p.email?.toLowerCase() === wanted);
        return member ? send(200, member) : send(404, { error: { code: 'MemberNotFound', message: 'no such member' } });
      }
      if (path === '/v3/conversations' && req.method === 'POST') {
        const memberId = body?.members?.[0]?.id as string;
        created.push(memberId);
        return send(201, { id: `a:personal-${memberId}` });
      }
      m = /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/.exec(path);
      if (m && req.method === 'PUT') {
        updates.push({ conversationId: m[1], activityId: m[2], activity: body });
        return send(200, { id: m[2] });
      }
      m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?$/.exec(path);
      if (m && req.method === 'POST') {
        posts.push({ conversationId: m[1], activity: body });
        return send(200, { id: `activity-${posts.length}` });
      }
      send(404, { error: { code: 'NotFound', message: path } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    posts,
    updates,
    rosterCalls,
    created,
    /** Activities posted to one person's personal chat. */
    postsTo: (memberId: string) => posts.filter((p) => p.conversationId === `a:personal-${memberId}`).map((p) => p.activity),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A Teams channel roster: `learners` people, the facilitator, one bot and one guest. */
export function channelRoster(learners: number, extra: StandInMember[] = []): StandInMember[] {
  const people: StandInMember[] = Array.from(
    { length: learners },
    (_, i) =>
      ({
        id: `29:m${i + 1}`,
        name: i === 0 ? 'نور الهدى, "Noor"' : `Member ${i + 1}`,
        aadObjectId: `aad-m${i + 1}`,
        email: `m${i + 1}@gov.example`,
        userPrincipalName: `m${i + 1}@gov.example`,
        userRole: 'user',
        tenantId: 'tenant-1',
      }) as StandInMember,
  );
  return [
    { id: '29:fay', name: 'Fay Facilitator', aadObjectId: 'aad-fay', email: 'fay@gov.example', userPrincipalName: 'fay@gov.example', userRole: 'user' },
    ...people,
    { id: '28:other-bot', name: 'Other bot' },
    { id: '29:guest', name: 'Gus Guest', aadObjectId: 'aad-guest', userRole: 'guest' },
    ...extra,
  ];
}
