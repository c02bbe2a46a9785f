// The API client: error shape parsing, query strings, CSRF header, 401 listeners.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const { ApiError, buildQuery, createClient, parseError } = await import(
  '../../../src/openrig/console/static/js/api/client.js'
);

test('parseError reads the one error shape', () => {
  const error = parseError(422, {
    error: { code: 'validation_error', message: 'Invalid input', details: [{ path: 'miner.pools.0.url', message: 'bad port' }] },
  });
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 422);
  assert.equal(error.code, 'validation_error');
  assert.equal(error.detailFor('miner.pools'), 'bad port');
  assert.equal(error.detailFor('miner.pools.0.url'), 'bad port');
  assert.equal(error.detailFor('name'), undefined);
});

test('parseError survives bodies that are not the error shape', () => {
  assert.equal(parseError(500, null).message, 'Server error');
  assert.equal(parseError(404, { detail: 'x' }).code, 'http_404');
  assert.equal(parseError(418, { error: 'teapot' }).message, 'HTTP 418');
  const odd = parseError(422, { error: { code: 7, message: '', details: [null, { path: 3 }] } });
  assert.equal(odd.code, 'http_422');
  assert.equal(odd.message, 'Invalid input');
  assert.deepEqual(odd.details, [{ path: '3', message: '' }]);
});

test('buildQuery leaves out empty values and repeats arrays', () => {
  assert.equal(buildQuery({}), '');
  assert.equal(buildQuery({ q: 'a b', status: '', tag: null, x: undefined, n: 0 }), '?q=a+b&n=0');
  assert.equal(buildQuery({ tag: ['a', 'b'] }), '?tag=a&tag=b');
});

function fakeFetch(responses, calls) {
  return async (url, init) => {
    calls.push({ url, init });
    const { status, body } = responses.shift();
    return {
      ok: status >= 200 && status < 300,
      status,
      headers: { get: () => (body === undefined ? '' : 'application/json') },
      json: async () => body,
      text: async () => '',
    };
  };
}

test('the client sends JSON and the CSRF header on writes only, and reports 401s', async () => {
  const calls = [];
  const client = createClient({
    base: '/api/v1',
    fetchImpl: fakeFetch([{ status: 200, body: { ok: 1 } }, { status: 201, body: { id: 'f' } }, { status: 204 }, { status: 401, body: { error: { code: 'unauthorized', message: 'log in' } } }], calls),
  });
  let unauthorized = 0;
  client.onUnauthorized(() => { unauthorized += 1; });
  client.setCsrf('tok');
  assert.deepEqual(await client.get('/farms', { limit: 5 }), { ok: 1 });
  assert.equal(calls[0].url, '/api/v1/farms?limit=5');
  assert.equal(calls[0].init.headers['X-CSRF-Token'], undefined);
  assert.deepEqual(await client.post('/farms', { name: 'x' }), { id: 'f' });
  assert.equal(calls[1].init.headers['X-CSRF-Token'], 'tok');
  assert.equal(calls[1].init.body, '{"name":"x"}');
  assert.equal(await client.del('/farms/f'), null);
  await assert.rejects(client.get('/auth/me'), (e) => e.status === 401 && e.code === 'unauthorized');
  assert.equal(unauthorized, 1);
  assert.equal(client.url('/rigs/r/rig.conf', { csrf: client.csrf() }), '/api/v1/rigs/r/rig.conf?csrf=tok');
});

test('a network failure is an ApiError with status 0', async () => {
  const client = createClient({ fetchImpl: async () => { throw new TypeError('Failed to fetch'); } });
  await assert.rejects(client.get('/x'), (e) => e instanceof ApiError && e.status === 0 && e.code === 'network_error');
});
