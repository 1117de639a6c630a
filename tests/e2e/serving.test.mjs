// How nginx serves the built app: the SPA fallback, hashed assets precompressed (gzip_static)
// with a year-long immutable cache, index.html revalidated, a missing asset a real 404.
// Reads the build in LARIS_FRONTEND_DIST (default frontend/dist) to know the asset names.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { BASE_URL } from './lib.mjs';

const DIST =
  process.env.LARIS_FRONTEND_DIST ?? fileURLToPath(new URL('../../frontend/dist/', import.meta.url));

function get(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(`${BASE_URL}${path}`, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);

describe('serving the web app', () => {
  it('the build links hashed assets', () => {
    assert.ok(assets.some((a) => /\/assets\/[\w-]+-[\w-]{8}\.js$/.test(a)), assets.join(' '));
    assert.ok(assets.some((a) => a.endsWith('.css')));
  });

  it('answers every app path with index.html, to be revalidated', async () => {
    for (const path of ['/', '/login', '/team', '/a/deep/link?with=query']) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers['content-type'] ?? '', /^text\/html/, path);
      assert.equal(res.body.toString('utf8'), html, path);
      assert.match(
        res.headers['cache-control'] ?? '',
        /no-cache|no-store|max-age=0/,
        `${path}: index.html must be revalidated (nginx: add_header Cache-Control "no-cache" in location /)`,
      );
    }
  });

  it('sends the precompressed assets with a long, immutable cache', async () => {
    for (const asset of assets) {
      const gz = await get(asset, { 'Accept-Encoding': 'gzip' });
      assert.equal(gz.status, 200, asset);
      assert.equal(gz.headers['content-encoding'], 'gzip', asset);
      // gzip_static sends the .gz file the build wrote (nginx's own gzip would stream chunks).
      const file = join(DIST, `${asset.slice(1)}.gz`);
      const wiring = 'nginx needs the location /assets/ with gzip_static and the long Cache-Control';
      assert.equal(Number(gz.headers['content-length']), statSync(file).size, `${asset}: ${wiring}`);
      assert.match(gz.headers['cache-control'] ?? '', /max-age=31536000/, `${asset}: ${wiring}`);
      assert.match(gz.headers['cache-control'] ?? '', /immutable/, `${asset}: ${wiring}`);
      assert.match(gz.headers['vary'] ?? '', /Accept-Encoding/i, asset);

      const plain = await get(asset);
      assert.equal(plain.status, 200);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.deepEqual(plain.body, readFileSync(join(DIST, asset.slice(1))));
    }
  });

  it('answers a missing asset with 404, not with the app', async () => {
    const res = await get('/assets/index-00000000.js');
    assert.equal(res.status, 404, 'nginx: try_files $uri =404 in location /assets/');
    assert.doesNotMatch(res.headers['cache-control'] ?? '', /immutable/);
  });
});
