// After `vite build`: writes a .gz beside every compressible file in dist/ (nginx serves them
// with gzip_static) and fails the build when the initial JavaScript, gzipped, is over budget.
// The initial JavaScript is every script index.html loads: its module scripts and their
// modulepreloads. Usage: node scripts/postbuild.mjs [dist] ; LARIS_JS_BUDGET_KB overrides 80.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = process.argv[2] ?? join(root, 'dist');
const budgetKb = Number(process.env.LARIS_JS_BUDGET_KB ?? 80);
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|webmanifest)$/;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function gzip(buf) {
  return gzipSync(buf, { level: constants.Z_BEST_COMPRESSION });
}

const sizes = new Map();
for (const file of walk(dist)) {
  if (!COMPRESSIBLE.test(file)) continue;
  const raw = readFileSync(file);
  const gz = gzip(raw);
  sizes.set(relative(dist, file), { raw: raw.length, gz: gz.length });
  // Tiny files gain nothing; nginx then compresses on the fly (or not at all).
  if (raw.length >= 256) writeFileSync(`${file}.gz`, gz);
}

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set();
for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) initial.add(m[1]);
for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) initial.add(m[1]);
for (const m of html.matchAll(/<link[^>]*href="([^"]+)"[^>]*rel="modulepreload"/g)) initial.add(m[1]);
if (initial.size === 0) {
  console.error('postbuild: index.html loads no script; is this a Vite build?');
  process.exit(1);
}

let total = 0;
const lines = [];
for (const src of initial) {
  const rel = src.replace(/^\//, '');
  const s = sizes.get(rel);
  if (!s) {
    console.error(`postbuild: index.html loads ${src}, which is not in ${dist}`);
    process.exit(1);
  }
  total += s.gz;
  lines.push(`  ${rel}  ${(s.raw / 1024).toFixed(1)} KB, ${(s.gz / 1024).toFixed(1)} KB gzipped`);
}
const css = [...sizes].filter(([f]) => f.endsWith('.css'));
for (const [f, s] of css) {
  lines.push(`  ${f}  ${(s.raw / 1024).toFixed(1)} KB, ${(s.gz / 1024).toFixed(1)} KB gzipped (CSS)`);
}
console.log(`initial JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (budget ${budgetKb} KB)`);
console.log(lines.join('\n'));
writeFileSync(
  join(dist, 'build-size.json'),
  JSON.stringify({ initial_js_gzip_bytes: total, budget_bytes: budgetKb * 1024 }, null, 2) + '\n',
);
if (total > budgetKb * 1024) {
  console.error(
    `postbuild: initial JavaScript is ${(total / 1024).toFixed(1)} KB gzipped, over the ${budgetKb} KB budget`,
  );
  process.exit(1);
}
