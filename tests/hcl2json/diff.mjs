// Differential test of bulkhead's HCL parser against HashiCorp's own
// (github.com/hashicorp/hcl compiled to WebAssembly: @cdktf/hcl2json).
//
//   node diff.mjs BH_HCLDUMP CORPUS_DIR KNOWN_FILE
//
// Every .tf file below CORPUS_DIR goes through both parsers. They agree on
// a file when both reject it, or both accept it with the same blocks,
// labels and attribute names and the same literal values (expressions are
// not compared: each side prints them its own way). Disagreements must be
// listed, with their cause, in KNOWN_FILE; the test fails on a new one, on
// a listed one that now agrees, or when fewer than 99% of files agree.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { parse } = require('@cdktf/hcl2json');
const [dump, corpus, knownFile] = process.argv.slice(2);

function walk(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git' || e.name === '.terraform' || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && e.name.endsWith('.tf')) out.push(p);
  }
  return out;
}

const isExpr = (v) => typeof v === 'string' && v.includes('${');
let literals = 0;

// The first difference between our value a and theirs b, or null.
function diff(a, b, path) {
  if (isExpr(a) || isExpr(b)) return null;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${path}: list on one side only`;
    if (a.length !== b.length) return `${path}: ${a.length} items, theirs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = diff(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    // keys that are expressions ((k) = v, "${k}" = v) are counted, not compared
    const ka = Object.keys(a).filter((k) => !isExpr(k)).sort();
    const kb = Object.keys(b).filter((k) => !isExpr(k)).sort();
    const ea = Object.keys(a).length - ka.length, eb = Object.keys(b).length - kb.length;
    if (ka.join('\0') !== kb.join('\0') || ea !== eb)
      return `${path}: keys ${JSON.stringify(Object.keys(a))}, theirs ${JSON.stringify(Object.keys(b))}`;
    for (const k of ka) {
      const d = diff(a[k], b[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  literals++;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b) ? null : `${path}: ${a}, theirs ${b}`;
  return a === b ? null : `${path}: ${JSON.stringify(a)}, theirs ${JSON.stringify(b)}`;
}

const files = walk(corpus, []).sort();
const ours = new Map();
const out = execFileSync(dump, ['-'], { input: files.join('\0') + '\0', maxBuffer: 1 << 30 });
for (const line of out.toString().split('\n')) if (line) { const r = JSON.parse(line); ours.set(r.file, r); }

const known = new Map();
for (const line of readFileSync(knownFile, 'utf8').split('\n')) {
  const m = line.match(/^([^#\s]\S*)\s+(.*)$/);
  if (m) known.set(m[1], m[2]);
}

let agree = 0;
const problems = [], listed = [];
for (const f of files) {
  const rel = relative(corpus, f);
  const o = ours.get(f);
  let theirs = null, theirErr = null;
  try { theirs = await parse(f, readFileSync(f, 'utf8')); } catch (e) { theirErr = String(e).split('\n')[0]; }
  let why = null;
  if (!o.ok && theirErr === null) why = `bulkhead rejects it (${o.error}), HashiCorp's parser accepts it`;
  else if (o.ok && theirErr !== null) why = `HashiCorp's parser rejects it (${theirErr}), bulkhead accepts it`;
  else if (o.ok) why = diff(o.body, theirs, '');
  if (!why) {
    agree++;
    if (known.has(rel)) problems.push(`${rel}: listed as a disagreement but both parsers now agree: remove it`);
    continue;
  }
  if (known.has(rel)) listed.push(`${rel}: ${why} (known: ${known.get(rel)})`);
  else problems.push(`${rel}: ${why}`);
}

const pct = files.length ? (100 * agree) / files.length : 100;
console.log(`hcl2json differential: ${agree} of ${files.length} .tf files agree (${pct.toFixed(2)}%), ${literals} literal values compared`);
for (const l of listed) console.log(`  known: ${l}`);
for (const p of problems) console.log(`  FAIL ${p}`);
if (pct < 99) console.log(`  FAIL fewer than 99% of files agree`);
process.exit(problems.length || pct < 99 ? 1 : 0);
