/*
 * report_html.c - the HTML dashboard (report.h): one self-contained file,
 * no network and no external assets.
 *
 * The results are embedded as JSON in a <script type="application/json">
 * block (every '<', '>' and '&' written as a \u escape, so no text can end
 * the block), and a small script builds the page from them with
 * textContent only (no markup from data): totals per status, severity,
 * platform and framework; a table of results filterable by text, status
 * and severity and sortable by any column; a click on a row shows its code
 * excerpt, trace and remediation.  Element ids are a test contract
 * (tests/report/html_test.mjs): #filter, #status, #severity, #results,
 * #count, rows tr.result.
 */
#include "report.h"

#include <string.h>

/* A JSON string safe inside <script>. */
static void hstr(FILE *out, const char *s) { json_write_string_html(out, s); }

static void result_json(FILE *out, const bh_result *r)
{
    fputs("{\"policy\":", out);
    hstr(out, r->policy);
    fputs(",\"status\":", out);
    hstr(out, status_name(r->status));
    fputs(",\"severity\":", out);
    hstr(out, severity_name(r->severity));
    fputs(",\"file\":", out);
    hstr(out, r->loc.file);
    fprintf(out, ",\"line\":%u,\"column\":%u,\"endLine\":%u,\"endColumn\":%u,"
                 "\"excerptColumn\":%u,\"object\":",
            r->loc.pos.line, r->loc.pos.col, r->loc.end.line, r->loc.end.col, r->line_col);
    hstr(out, r->object);
    fputs(",\"type\":", out);
    hstr(out, r->object_type);
    fputs(",\"message\":", out);
    hstr(out, r->message);
    fputs(",\"remediation\":", out);
    hstr(out, r->remediation);
    fputs(",\"excerpt\":", out);
    hstr(out, r->line_text);
    fputs(",\"before\":", out);
    hstr(out, r->lines_before);
    fputs(",\"after\":", out);
    hstr(out, r->lines_after);
    fputs(",\"suppressed\":", out);
    if (r->suppression)
        hstr(out, r->suppression->reason);
    else
        fputs("null", out);
    fputs(",\"trace\":[", out);
    for (size_t i = 0; i < r->ntrace; i++) {
        fputs(i ? ",{\"note\":" : "{\"note\":", out);
        hstr(out, r->trace[i].note);
        fputs(",\"file\":", out);
        hstr(out, r->trace[i].loc.file);
        fprintf(out, ",\"line\":%u}", r->trace[i].loc.pos.line);
    }
    fputs("]}", out);
}

static void frameworks_json(FILE *out, const bh_catalog *c)
{
    fputc('[', out);
    for (size_t i = 0; c && i < catalog_nframeworks(c); i++) {
        const bh_framework *f = catalog_framework(c, i);
        fputs(i ? ",{\"id\":" : "{\"id\":", out);
        hstr(out, framework_id(f));
        fputs(",\"name\":", out);
        hstr(out, framework_name(f));
        fputs(",\"policies\":[", out);
        bool first = true;
        for (size_t k = 0; k < framework_ncontrols(f); k++)
            for (size_t p = 0; p < framework_control_npolicies(f, k); p++) {
                fputs(first ? "" : ",", out);
                first = false;
                hstr(out, framework_control_policy(f, k, p));
            }
        fputs("]}", out);
    }
    fputc(']', out);
}

static const char page_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>bulkhead report</title>\n<style>\n"
    "body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}\n"
    "header{background:#1b1f24;color:#fff;padding:12px 20px}header h1{margin:0;font-size:18px}\n"
    "main{padding:16px 20px}.cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:16px}\n"
    ".card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;"
    "min-width:180px}\n.card h2{font-size:12px;text-transform:uppercase;color:#57606a;margin:0 0 6px}\n"
    ".card table{border-collapse:collapse}.card td{padding:1px 8px 1px 0}\n"
    ".controls{display:flex;gap:8px;margin-bottom:8px;align-items:center}\n"
    "input,select{font:inherit;padding:4px 6px}#filter{width:320px}\n"
    "table#results{border-collapse:collapse;width:100%;background:#fff}\n"
    "#results th{cursor:pointer;text-align:left;background:#eaeef2;padding:6px;user-select:none}\n"
    "#results td{padding:5px 6px;border-top:1px solid #d0d7de;vertical-align:top}\n"
    "tr.result{cursor:pointer}tr.result:hover{background:#f3f6f9}\n"
    ".INCOMPLIANT{color:#cf222e;font-weight:600}.UNDETERMINED{color:#8250df;font-weight:600}\n"
    ".COMPLIANT{color:#1a7f37}.INAPPLICABLE{color:#6e7781}\n"
    ".sev-critical,.sev-high{color:#cf222e}.sev-medium{color:#9a6700}.sev-low{color:#0969da}\n"
    "tr.detail td{background:#f6f8fa}pre{margin:4px 0;padding:6px;background:#fff;"
    "border:1px solid #d0d7de;overflow:auto}\n.muted{color:#57606a}\n"
    "</style></head>\n<body><header><h1>bulkhead report</h1></header><main>\n"
    "<div class=\"cards\" id=\"cards\"></div>\n"
    "<div class=\"controls\"><input id=\"filter\" type=\"search\" "
    "placeholder=\"filter: policy, object, file, message\">\n"
    "<select id=\"status\"><option value=\"\">all statuses</option>"
    "<option>INCOMPLIANT</option><option>UNDETERMINED</option><option>COMPLIANT</option>"
    "<option>INAPPLICABLE</option></select>\n"
    "<select id=\"severity\"><option value=\"\">all severities</option><option>critical</option>"
    "<option>high</option><option>medium</option><option>low</option></select>\n"
    "<span id=\"count\" class=\"muted\"></span></div>\n"
    "<table id=\"results\"><thead><tr><th data-key=\"status\">status</th>"
    "<th data-key=\"severity\">severity</th><th data-key=\"policy\">policy</th>"
    "<th data-key=\"object\">object</th><th data-key=\"place\">place</th>"
    "<th data-key=\"message\">message</th></tr></thead><tbody></tbody></table>\n"
    "<p><button id=\"more\" hidden></button></p>\n"
    "</main>\n<script type=\"application/json\" id=\"data\">";

static const char page_script[] =
    "</script>\n<script>\n"
    "'use strict';\n"
    "const data = JSON.parse(document.getElementById('data').textContent);\n"
    "const rank = {critical: 4, high: 3, medium: 2, low: 1};\n"
    "const statusRank = {INCOMPLIANT: 4, UNDETERMINED: 3, COMPLIANT: 2, INAPPLICABLE: 1};\n"
    "const el = (tag, text, cls) => { const e = document.createElement(tag);\n"
    "  if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };\n"
    "function card(title, rows) {\n"
    "  const c = el('div', undefined, 'card'); c.appendChild(el('h2', title));\n"
    "  const t = el('table'); for (const [k, v, cls, note] of rows) { const tr = el('tr');\n"
    "    tr.appendChild(el('td', k, cls)); tr.appendChild(el('td', String(v)));\n"
    "    if (note) tr.appendChild(el('td', note, 'muted')); t.appendChild(tr); }\n"
    "  c.appendChild(t); return c; }\n"
    "function count(by, pred) { const m = new Map(); for (const r of data.results)\n"
    "  if (!pred || pred(r)) { const k = by(r); m.set(k, (m.get(k) || 0) + 1); } return m; }\n"
    "const cards = document.getElementById('cards');\n"
    "const st = count(r => r.status);\n"
    "cards.appendChild(card('Status', ['INCOMPLIANT', 'UNDETERMINED', 'COMPLIANT', 'INAPPLICABLE']\n"
    "  .map(s => [s, st.get(s) || 0, s])));\n"
    "const sv = count(r => r.severity, r => r.status === 'INCOMPLIANT');\n"
    "cards.appendChild(card('Incompliant by severity', ['critical', 'high', 'medium', 'low']\n"
    "  .map(s => [s, sv.get(s) || 0, 'sev-' + s])));\n"
    "const pf = count(r => r.type.split('/').slice(0, -1).join('/') || r.type,\n"
    "  r => r.status === 'INCOMPLIANT');\n"
    "cards.appendChild(card('Incompliant by platform', [...pf.entries()].sort()));\n"
    "cards.appendChild(card('Frameworks (incompliant / results)', data.frameworks.map(f => {\n"
    "  const ps = new Set(f.policies); const rs = data.results.filter(r => ps.has(r.policy));\n"
    "  return [f.name, rs.filter(r => r.status === 'INCOMPLIANT').length + ' / ' + rs.length]; })));\n"
    "if (data.controls.length) cards.appendChild(card(data.framework, data.controls.map(c =>\n"
    "  [c.id + ' ' + c.status, c.incompliant + ' incompliant, ' + c.undetermined +\n"
    "   ' undetermined, ' + c.compliant + ' compliant', c.status, c.policies.join(', ')])));\n"
    "cards.appendChild(card('Scan', [['files', data.files], ['results', data.results.length],\n"
    "  ['errors', data.errors], ['suppressed', data.results.filter(r => r.suppressed).length]]));\n"
    "let sortKey = 'status', sortDir = -1;\n"
    "// computed once: a scan can have 50,000 results, filtered at each keystroke\n"
    "for (const r of data.results) { r.text = [r.policy, r.object, r.file, r.message].join(' ')\n"
    "  .toLowerCase(); r.place = r.file + ':' + String(r.line).padStart(7, '0'); }\n"
    "const value = (r, k) => k === 'severity' ? rank[r.severity] : k === 'status' ?\n"
    "  statusRank[r.status] * 10 + rank[r.severity] : r[k];\n"
    "function excerpt(r) {\n"
    "  const before = r.before ? r.before.split('\\n') : [], after = r.after ? r.after.split('\\n') : [];\n"
    "  const w = String(r.line + after.length).length, gutter = (n) => String(n).padStart(w) + ' | ';\n"
    "  const lines = before.map((t, i) => gutter(r.line - before.length + i) + t);\n"
    "  lines.push(gutter(r.line) + r.excerpt);\n"
    "  const len = r.endLine === r.line && r.endColumn > r.column ? r.endColumn - r.column : 1;\n"
    "  const lead = [...r.excerpt].slice(0, Math.max(0, r.excerptColumn - 1))\n"
    "    .map(c => c === '\\t' ? c : ' ').join('');   // tabs kept: the caret lines up\n"
    "  lines.push(' '.repeat(w) + ' | ' + lead + '^' + '~'.repeat(len - 1));\n"
    "  after.forEach((t, i) => lines.push(gutter(r.line + 1 + i) + t));\n"
    "  const pre = el('pre', lines.join('\\n'), 'excerpt'); return pre; }\n"
    "function detail(r) {\n"
    "  const tr = el('tr', undefined, 'detail'); const td = el('td'); td.colSpan = 6;\n"
    "  td.appendChild(el('div', r.file + ':' + r.line + ':' + r.column, 'muted'));\n"
    "  if (r.excerpt) td.appendChild(excerpt(r));\n"
    "  for (const t of r.trace) td.appendChild(el('div', 'trace: ' + t.note +\n"
    "    (t.line ? ' (' + t.file + ':' + t.line + ')' : ''), 'muted'));\n"
    "  if (r.remediation) td.appendChild(el('div', 'fix: ' + r.remediation));\n"
    "  if (r.suppressed) td.appendChild(el('div', 'suppressed: ' + r.suppressed, 'muted'));\n"
    "  tr.appendChild(td); return tr; }\n"
    "// rows are built a page at a time: tens of thousands of rows take the browser seconds\n"
    "const PAGE = 500; let shown = PAGE;\n"
    "function render(more) {\n"
    "  shown = more ? shown + PAGE : PAGE;\n"
    "  const q = document.getElementById('filter').value.toLowerCase();\n"
    "  const s = document.getElementById('status').value;\n"
    "  const v = document.getElementById('severity').value;\n"
    "  const rows = data.results.filter(r => (!s || r.status === s) && (!v || r.severity === v) &&\n"
    "    (!q || r.text.includes(q)));\n"
    "  rows.sort((a, b) => { const x = value(a, sortKey), y = value(b, sortKey);\n"
    "    return (x < y ? -1 : x > y ? 1 : 0) * sortDir; });\n"
    "  const body = document.querySelector('#results tbody'); body.replaceChildren();\n"
    "  for (const r of rows.slice(0, shown)) {\n"
    "    const tr = el('tr', undefined, 'result');\n"
    "    tr.appendChild(el('td', r.status + (r.suppressed ? ' (suppressed)' : ''), r.status));\n"
    "    tr.appendChild(el('td', r.severity, 'sev-' + r.severity));\n"
    "    tr.appendChild(el('td', r.policy)); tr.appendChild(el('td', r.object));\n"
    "    tr.appendChild(el('td', r.file + ':' + r.line)); tr.appendChild(el('td', r.message));\n"
    "    tr.addEventListener('click', () => { const n = tr.nextSibling;\n"
    "      if (n && n.className === 'detail') n.remove(); else tr.after(detail(r)); });\n"
    "    body.appendChild(tr); }\n"
    "  const rest = rows.length - Math.min(shown, rows.length), btn = document.getElementById('more');\n"
    "  btn.hidden = !rest; btn.textContent = 'show ' + Math.min(rest, PAGE) + ' more (' + rest +\n"
    "    ' not shown)';\n"
    "  document.getElementById('count').textContent = rows.length + ' of ' + data.results.length +\n"
    "    ' results' + (rest ? ', the first ' + shown + ' shown' : ''); }\n"
    "document.getElementById('more').addEventListener('click', () => render(true));\n"
    "for (const th of document.querySelectorAll('#results th')) th.addEventListener('click', () => {\n"
    "  if (sortKey === th.dataset.key) sortDir = -sortDir; else { sortKey = th.dataset.key; sortDir = 1; }\n"
    "  render(); });\n"
    "for (const id of ['filter', 'status', 'severity'])\n"
    "  document.getElementById(id).addEventListener('input', () => render());\n"
    "render();\n"
    "</script></body></html>\n";

bool report_html(FILE *out, const report_input *in)
{
    fputs(page_head, out);
    fprintf(out, "{\"files\":%zu,\"errors\":%zu,\"results\":[\n", in->nfiles,
            in->diags ? diags_count_level(in->diags, DIAG_ERROR) : 0);
    for (size_t i = 0; i < results_len(in->results); i++) {
        if (i)
            fputs(",\n", out);
        result_json(out, results_at(in->results, i));
    }
    fputs("],\n\"frameworks\":", out);
    frameworks_json(out, in->catalog);
    fputs(",\n\"controls\":[", out);
    for (size_t i = 0; in->framework && i < framework_ncontrols(in->framework); i++) {
        fw_control c;
        framework_rollup(in, i, &c);
        fputs(i ? ",{\"id\":" : "{\"id\":", out);
        hstr(out, c.id);
        fputs(",\"title\":", out);
        hstr(out, c.title);
        fputs(",\"status\":", out);
        hstr(out, control_status_name(c.status));
        fprintf(out, ",\"incompliant\":%zu,\"undetermined\":%zu,\"compliant\":%zu,"
                     "\"inapplicable\":%zu,\"policies\":[",
                c.counts[ST_INCOMPLIANT], c.counts[ST_UNDETERMINED], c.counts[ST_COMPLIANT],
                c.counts[ST_INAPPLICABLE]);
        for (size_t k = 0; k < c.npolicies; k++) {
            fputs(k ? "," : "", out);
            hstr(out, framework_control_policy(in->framework, i, k));
        }
        fputs("]}", out);
    }
    fputs("],\"framework\":", out);
    hstr(out, in->framework ? framework_name(in->framework) : "");
    fputs("}\n", out);
    fputs(page_script, out);
    return !ferror(out);
}
