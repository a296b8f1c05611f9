// The HTML dashboard in a real browser: Debian's headless Chromium driven by
// playwright-core. Loads the page from file://, checks the totals and the
// rows, applies the filters, sorts, opens a row's details and takes a
// screenshot (SCREENSHOT). Then HOSTILE.html, a dashboard of a file whose
// name, object and container are markup: it must show them as text and
// run nothing. Then MANY.html, with more results than one page of rows
// (500): the rest come a page at a time.
//
//   node html_test.mjs REPORT.html EXPECTED.json SCREENSHOT.png HOSTILE.html MANY.html MANY.json
//
// EXPECTED.json is the JSON report of the same scan: the counts to find.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const [page_, expected_, shot, hostile, many, manyExpected] = process.argv.slice(2);
const expected = JSON.parse(readFileSync(expected_, 'utf8'));
const results = expected.results;
let failures = 0;
function check(what, got, want) {
  const ok = JSON.stringify(got) === JSON.stringify(want);
  const show = (v) => { const s = JSON.stringify(v); return s.length > 120 ? s.slice(0, 117) + "..." : s; };
  console.log(`${ok ? "ok  " : "FAIL"} ${what}: ${show(got)}${ok ? "" : ` (want ${show(want)})`}`);
  if (!ok) failures++;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,   // playwright gives it a fresh, empty profile directory
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [], requests = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
  await page.goto('file://' + resolve(page_));
  const rows = () => page.locator('#results tbody tr.result').count();
  check('rows shown at first', await rows(), results.length);
  check('count line', await page.locator('#count').textContent(), `${results.length} of ${results.length} results`);

  const fw = expected.framework;
  const control = page.locator('#cards .card', { has: page.locator('h2', { hasText: fw.name }) });
  check('framework card: one row per control', await control.locator('tr').count(), fw.controls.length);
  check('framework card: each control\'s status and policies',
    await control.locator('tr').evaluateAll((trs) => trs.map((tr) => [tr.cells[0].textContent, tr.cells[2].textContent])),
    fw.controls.map((c) => [`${c.id} ${c.status}`, c.policies.join(', ')]));

  await page.selectOption('#status', 'INCOMPLIANT');
  const incompliant = results.filter((r) => r.status === 'INCOMPLIANT');
  check('rows with status INCOMPLIANT', await rows(), incompliant.length);

  await page.selectOption('#severity', 'high');
  const high = incompliant.filter((r) => r.severity === 'high');
  check('rows INCOMPLIANT and high', await rows(), high.length);

  await page.fill('#filter', 'terraform');
  const tf = high.filter((r) => [r.policy, r.object, r.file, r.message].join(' ').toLowerCase().includes('terraform'));
  check('rows after the text filter', await rows(), tf.length);
  const files = await page.locator('#results tbody tr.result td:nth-child(5)').allTextContents();
  check('every visible row is a Terraform file', files.every((f) => f.includes('terraform')), true);

  await page.fill('#filter', '');
  await page.selectOption('#severity', '');
  await page.click('#results th[data-key="place"]');
  const places = await page.locator('#results tbody tr.result td:nth-child(5)').allTextContents();
  const key = (p) => { const i = p.lastIndexOf(':'); return p.slice(0, i) + ':' + p.slice(i + 1).padStart(7, '0'); };
  check('sorted by place', places.map(key), [...places.map(key)].sort());

  await page.locator('#results tbody tr.result').first().click();
  check('a click opens the details', await page.locator('#results tbody tr.detail').count(), 1);
  const detail = await page.locator('#results tbody tr.detail').textContent();
  check('details show a fix', detail.includes('fix:'), true);
  const pre = await page.locator('#results tbody tr.detail pre').textContent();
  const first = places[0].slice(places[0].lastIndexOf(':') + 1);
  check('the excerpt numbers its lines, the finding\'s among them',
    pre.split('\n').some((l) => l.startsWith(first.padStart(l.indexOf(' |')) + ' | ')), true);
  check('the excerpt has a caret line', /^ +\| [ \t]*\^~*$/m.test(pre), true);
  check('the excerpt shows lines around the finding', pre.split('\n').length > 2, true);

  check('script errors', errors, []);
  check('network requests', requests, []);
  await page.screenshot({ path: shot, fullPage: true });
  const detailShot = shot.replace(/\.png$/, '-top.png');
  await page.screenshot({ path: detailShot });
  console.log(`screenshots: ${shot} (the whole page), ${detailShot} (the top, an opened row)`);

  const bad = await browser.newPage();
  const dialogs = [];
  bad.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  bad.on('pageerror', (e) => errors.push(String(e)));
  await bad.goto('file://' + resolve(hostile));
  await bad.locator('#results tbody tr.result').first().click();
  check('hostile: no script ran (no dialog)', dialogs, []);
  check('hostile: no element came from the data',
    await bad.evaluate(() => [document.scripts.length, document.images.length]), [2, 0]);
  const cells = await bad.locator('#results tbody tr.result td').allTextContents();
  check('hostile: the object name shown as text', cells.includes('Pod/<script>alert(1)</script>'), true);
  check('hostile: the file name shown as text', cells.some((c) => c.includes('<img src=x onerror=alert(1)>.yaml:6')), true);
  const text = await bad.locator('#results tbody tr.detail pre').textContent();
  check('hostile: the excerpt shown as text', text.includes('"</script><script>alert(2)</script>"'), true);
  check('hostile: script errors', errors, []);

  const big = await browser.newPage();
  big.on('pageerror', (e) => errors.push(String(e)));
  await big.goto('file://' + resolve(many));
  const n = JSON.parse(readFileSync(manyExpected, 'utf8')).results.length;
  const bigRows = () => big.locator('#results tbody tr.result').count();
  check('many: more results than a page', n > 500 && n < 1000, true);
  check('many: the first page of rows', await bigRows(), 500);
  check('many: the count says so', await big.locator('#count').textContent(), `${n} of ${n} results, the first 500 shown`);
  check('many: the button', await big.locator('#more').textContent(), `show ${n - 500} more (${n - 500} not shown)`);
  await big.click('#more');
  check('many: every row after "show more"', await bigRows(), n);
  check('many: the button is gone', await big.locator('#more').isHidden(), true);
  await big.fill('#filter', 'pod-7.yaml');
  const seven = await bigRows();
  check('many: a filter narrows below a page', seven > 0 && seven < 50, true);
  check('many: script errors', errors, []);
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
