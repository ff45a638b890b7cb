import {
  PROVIDER_SECRETS,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';

const KEYS = {
  reader: 'reader-key-0123456789',
  auditor: 'auditor-key-0123456789',
  admin: 'admin-key-0123456789',
} as const;
type Role = keyof typeof KEYS;
const RANK: Record<Role, number> = { reader: 1, auditor: 2, admin: 3 };

/** The role each route needs, by path (api.md), stated independently of the code. */
function requiredRole(path: string): Role | 'none' {
  if (/^\/(webhooks|health|metrics)\b/.test(path)) return 'none';
  if (/^\/(attendance|tickets|deliveries|inventory|discrepancies)\b/.test(path)) return 'reader';
  if (/^\/audit\b/.test(path)) return 'auditor';
  return 'admin';
}

interface Route {
  readonly method: string;
  readonly path: string;
  readonly declared: unknown;
}

describe('API keys and roles on every route', () => {
  let api: RunningLedgerApi;
  let routes: Route[];

  beforeAll(async () => {
    api = await startLedgerApi({
      ...PROVIDER_SECRETS,
      API_KEYS: Object.entries(KEYS)
        .map(([role, key]) => `${key}:${role}`)
        .join(','),
    });
    const document = (await (await fetch(`${api.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path: path.replace(/\{[^}]+\}/g, '1'),
        declared: operation['x-required-role'],
      })),
    );
  });

  afterAll(async () => {
    await api.dispose();
  });

  const call = (route: Route, key?: string) =>
    fetch(`${api.url}${route.path}`, {
      method: route.method,
      headers: {
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        ...(route.method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      ...(route.method === 'POST' ? { body: '{}' } : {}),
    });

  it('finds the routes of api.md in the OpenAPI document, each declaring the role it needs', () => {
    const paths = routes.map((route) => route.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/webhooks/1',
        '/attendance/cope/1',
        '/tickets/1',
        '/discrepancies',
        '/projections',
        '/projections/1/rebuild',
        '/admin/parked/1/reprocess',
        '/health',
      ]),
    );
    for (const route of routes) {
      expect({ route: route.path, role: route.declared }).toEqual({
        route: route.path,
        role: requiredRole(route.path),
      });
    }
  });

  it('answers 401 problem details without a key or with an unknown one on every protected route', async () => {
    for (const route of routes.filter((each) => requiredRole(each.path) !== 'none')) {
      for (const key of [undefined, 'not-a-key-at-all']) {
        const response = await call(route, key);
        expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
          route: `${route.method} ${route.path}`,
          status: 401,
        });
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
      }
    }
  });

  it('lets each role through exactly the routes its rank allows, and answers 403 to the others', async () => {
    for (const route of routes.filter((each) => requiredRole(each.path) !== 'none')) {
      const required = requiredRole(route.path) as Role;
      for (const role of Object.keys(KEYS) as Role[]) {
        const status = (await call(route, KEYS[role])).status;
        const allowed = RANK[role] >= RANK[required];
        expect({ route: `${route.method} ${route.path}`, role, forbidden: status === 403 }).toEqual(
          {
            route: `${route.method} ${route.path}`,
            role,
            forbidden: !allowed,
          },
        );
        expect(status).not.toBe(401);
      }
    }
  });

  it('keeps webhook and operations routes independent of API keys', async () => {
    for (const route of routes.filter((each) => requiredRole(each.path) === 'none')) {
      const without = (await call(route)).status;
      const withAdmin = (await call(route, KEYS.admin)).status;
      expect({ route: route.path, without }).toEqual({ route: route.path, without: withAdmin });
      expect(without).not.toBe(403);
    }
  });

  it('never echoes a key in a problem answer', async () => {
    const response = await call(
      { method: 'GET', path: '/discrepancies', declared: 'reader' },
      'secret-guess-123',
    );

    expect(await response.text()).not.toContain('secret-guess-123');
  });
});
