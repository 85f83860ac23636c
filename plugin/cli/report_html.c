/*
 * report_html.c: the report as one self-contained HTML page: no fetch of
 * anything (a Content-Security-Policy says so to the browser too), the
 * summary per site and zone, a section per action the policy demands,
 * then every camera.  The tables sort and filter with a small inline
 * script (allowed by its nonce alone: a camera's string that got past the
 * escaping still could not run); without it they are plain tables.
 * Prints on A4: repeated headers, rows not cut.  Every string is escaped.
 * Main thread only.
 */
#include <sys/random.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report.h"

int
report_html_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = 0;

	for (; *p != '\0' && rc >= 0; p++) {
		switch (*p) {
		case '&':
			rc = fputs("&amp;", f);
			break;
		case '<':
			rc = fputs("&lt;", f);
			break;
		case '>':
			rc = fputs("&gt;", f);
			break;
		case '"':
			rc = fputs("&quot;", f);
			break;
		case '\'':
			rc = fputs("&#39;", f);
			break;
		default:
			/* Control characters are not text: U+FFFD. */
			if ((*p < 0x20 && *p != '\t' && *p != '\n') ||
			    *p == 0x7f)
				rc = fputs("&#xFFFD;", f);
			else
				rc = fputc(*p, f);
		}
	}
	return rc < 0 ? -1 : 0;
}

static const char css[] =
    "body{font:13px/1.35 system-ui,sans-serif;margin:1.5em;color:#111}"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}"
    "table{border-collapse:collapse;width:100%;margin:.4em 0}"
    "th,td{border:1px solid #bbb;padding:2px 4px;text-align:left;"
    "vertical-align:top;overflow-wrap:break-word}"
    "td.tok{overflow-wrap:anywhere;min-width:4em}td.why{min-width:14em}"
    "th{background:#eee}th.sortable{cursor:pointer}"
    "tr.restricted td{background:#fde8e8}"
    "tr.unidentified td{background:#fff6dc}"
    "dl.meta{display:grid;grid-template-columns:max-content auto;"
    "gap:2px 1em}dl.meta dd{margin:0}"
    "input.filter{margin:.3em 0;width:20em}.none{color:#666}"
    "@page{size:A4 landscape;margin:10mm}"
    "@media print{body{margin:0;font-size:7pt}input.filter{display:none}"
    "thead{display:table-header-group}"
    "tr,td,th{break-inside:avoid;page-break-inside:avoid}"
    "h2{break-after:avoid;page-break-after:avoid}"
    "tr.restricted td,tr.unidentified td,th{-webkit-print-color-adjust:"
    "exact;print-color-adjust:exact}}";

/*
 * Sort on a click on a header, filter on what is typed above the table;
 * data-report-js on <html> says the page's own script ran.  A link may say
 * how every table opens: report.html#filter=dahua&sort=-3 filters on
 * "dahua" and sorts on the fourth column, descending (sort=3: ascending).
 */
static const char js[] =
    "(function(){'use strict';"
    "document.documentElement.setAttribute('data-report-js','ready');"
    "var P={};location.hash.replace(/^#/,'').split('&').forEach("
    "function(kv){var i=kv.indexOf('=');if(i<1)return;"
    "try{P[kv.slice(0,i)]=decodeURIComponent(kv.slice(i+1));}catch(e){}});"
    "function cells(r){return r.cells;}"
    "document.querySelectorAll('table.cams').forEach(function(t){"
    "var tb=t.tBodies[0];if(!tb)return;"
    "var f=document.createElement('input');f.type='search';"
    "f.className='filter';f.placeholder='Filter rows';"
    "f.setAttribute('aria-label','Filter rows');"
    "f.addEventListener('input',function(){var q=f.value.toLowerCase();"
    "Array.prototype.forEach.call(tb.rows,function(r){"
    "r.hidden=q!==''&&r.textContent.toLowerCase().indexOf(q)<0;});});"
    "t.parentNode.insertBefore(f,t);"
    "Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){"
    "th.className='sortable';th.title='Sort';"
    "th.addEventListener('click',function(){"
    "var asc=th.getAttribute('aria-sort')!=='ascending';"
    "Array.prototype.forEach.call(t.tHead.rows[0].cells,function(h){"
    "h.removeAttribute('aria-sort');});"
    "th.setAttribute('aria-sort',asc?'ascending':'descending');"
    "var rows=Array.prototype.slice.call(tb.rows);"
    "rows.sort(function(a,b){var x=cells(a)[i].textContent,"
    "y=cells(b)[i].textContent;var c=x.localeCompare(y,undefined,"
    "{numeric:true});return asc?c:-c;});"
    "rows.forEach(function(r){tb.appendChild(r);});});});"
    "if(P.filter){f.value=P.filter;f.dispatchEvent(new Event('input'));}"
    "if(/^-?[0-9]+$/.test(P.sort||'')){"
    "var c=t.tHead.rows[0].cells[Math.abs(parseInt(P.sort,10))];"
    "if(c){c.click();if(P.sort.charAt(0)==='-')c.click();}}});"
    "})();";

/* The columns of every camera table. */
static const enum rep_field tcols[] = {
    RF_ADDRESS,
    RF_SITE,
    RF_ZONE,
    RF_VERDICT,
    RF_ACTION,
    RF_MAKER,
    RF_BRAND,
    RF_JURISDICTION,
    RF_MANUFACTURER,
    RF_MODEL,
    RF_FIRMWARE,
    RF_SERIAL,
    RF_MAC,
    RF_EVIDENCE,
    RF_LISTS,
    RF_REASON,
    RF_URL,
};
#define N_TCOLS (sizeof(tcols) / sizeof(tcols[0]))

/* The sections, by the policy's action. */
static const struct {
	const char *action, *title, *what;
} sections[] = {
    {"remove", "Remove", "restricted cameras on a sensitive site"},
    {"disconnect", "Disconnect", "restricted cameras on the core network"},
    {"review", "Review", "restricted cameras in a general zone"},
    {"investigate", "Investigate", "unidentified cameras on a sensitive site"},
};
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

static int
text(FILE *f, const char *s)
{
	return report_html_escape(f, s);
}

/* A cell's class: long unbroken tokens (serials, URLs, model numbers)
 * may break anywhere, or they would squeeze the reason to a sliver; the
 * reason, the one sentence of the row, keeps room to be read. */
static const char *
cell_open(enum rep_field col)
{
	switch (col) {
	case RF_URL:
	case RF_MODEL:
	case RF_FIRMWARE:
	case RF_SERIAL:
	case RF_MAC:
	case RF_LISTS:
		return "<td class=\"tok\">";
	case RF_REASON:
		return "<td class=\"why\">";
	default:
		return "<td>";
	}
}

static int
cam_row(FILE *f, const struct report_cam *c)
{
	size_t k;

	if (fputs("<tr class=\"", f) == EOF || text(f, c->f[RF_VERDICT]) ||
	    fputs("\">", f) == EOF)
		return -1;
	for (k = 0; k < N_TCOLS; k++)
		if (fputs(cell_open(tcols[k]), f) == EOF ||
		    text(f, c->f[tcols[k]]) || fputs("</td>", f) == EOF)
			return -1;
	return fputs("</tr>\n", f) == EOF ? -1 : 0;
}

/* The cameras whose action is action (NULL: all) as one table. */
static int
cam_table(FILE *f, const struct report *r, const char *id, const char *action)
{
	size_t i, k, n = 0;

	for (i = 0; i < r->n; i++)
		n += action == NULL ||
		    strcmp(r->cams[i].f[RF_ACTION], action) == 0;
	if (fprintf(f, "<p class=\"count\" id=\"count-%s\">%zu camera%s</p>\n",
		id, n, n == 1 ? "" : "s") < 0)
		return -1;
	if (n == 0)
		return 0;
	if (fprintf(f, "<table class=\"cams\" id=\"t-%s\"><thead><tr>", id) < 0)
		return -1;
	for (k = 0; k < N_TCOLS; k++)
		if (fprintf(f, "<th scope=\"col\">%s</th>",
			report_field_title(tcols[k])) < 0)
			return -1;
	if (fputs("</tr></thead>\n<tbody>\n", f) == EOF)
		return -1;
	for (i = 0; i < r->n; i++)
		if ((action == NULL ||
			strcmp(r->cams[i].f[RF_ACTION], action) == 0) &&
		    cam_row(f, &r->cams[i]) != 0)
			return -1;
	return fputs("</tbody></table>\n", f) == EOF ? -1 : 0;
}

/* Counts of one site and zone. */
struct tally {
	size_t total, compliant, restricted, unidentified, act[N_SECTIONS];
};

static void
tally_add(struct tally *t, const struct report_cam *c)
{
	size_t s;

	t->total++;
	t->compliant += strcmp(c->f[RF_VERDICT], "compliant") == 0;
	t->restricted += strcmp(c->f[RF_VERDICT], "restricted") == 0;
	t->unidentified += strcmp(c->f[RF_VERDICT], "unidentified") == 0;
	for (s = 0; s < N_SECTIONS; s++)
		t->act[s] += strcmp(c->f[RF_ACTION], sections[s].action) == 0;
}

static int
tally_cells(FILE *f, const struct tally *t)
{
	size_t s;

	if (fprintf(f, "<td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td>",
		t->total, t->compliant, t->restricted, t->unidentified) < 0)
		return -1;
	for (s = 0; s < N_SECTIONS; s++)
		if (fprintf(f, "<td>%zu</td>", t->act[s]) < 0)
			return -1;
	return 0;
}

static const struct report *sort_r;

static int
by_site_zone(const void *a, const void *b)
{
	const struct report_cam *x = &sort_r->cams[*(const size_t *)a];
	const struct report_cam *y = &sort_r->cams[*(const size_t *)b];
	int c = strcmp(x->f[RF_SITE], y->f[RF_SITE]);

	return c ? c : strcmp(x->f[RF_ZONE], y->f[RF_ZONE]);
}

static int
summary_row(FILE *f, const struct report_cam *c, const struct tally *t)
{
	if (fputs("<tr class=\"site\"><td>", f) == EOF ||
	    (c->f[RF_SITE][0] ? text(f, c->f[RF_SITE])
			      : (fputs("<span class=\"none\">(none)</span>",
				     f) == EOF)) ||
	    fputs("</td><td>", f) == EOF || text(f, c->f[RF_ZONE]) ||
	    fputs("</td>", f) == EOF || tally_cells(f, t) ||
	    fputs("</tr>\n", f) == EOF)
		return -1;
	return 0;
}

/* Per site and zone, then the total (sorted copies of the indexes). */
static int
summary(FILE *f, const struct report *r)
{
	size_t *ix = malloc((r->n ? r->n : 1) * sizeof(*ix)), i, s;
	struct tally t, all;
	int rc = 0;

	if (ix == NULL)
		return -1;
	for (i = 0; i < r->n; i++)
		ix[i] = i;
	sort_r = r;
	qsort(ix, r->n, sizeof(*ix), by_site_zone);
	if (fputs(
		"<h2 id=\"summary\">Summary by site and zone</h2>\n"
		"<table class=\"summary\" id=\"t-summary\"><thead><tr>"
		"<th scope=\"col\">Site</th><th scope=\"col\">Zone</th>"
		"<th scope=\"col\">Cameras</th><th scope=\"col\">Compliant</th>"
		"<th scope=\"col\">Restricted</th>"
		"<th scope=\"col\">Unidentified</th>",
		f) == EOF)
		rc = -1;
	for (s = 0; s < N_SECTIONS && rc == 0; s++)
		if (fprintf(f, "<th scope=\"col\">%s</th>", sections[s].title) <
		    0)
			rc = -1;
	if (rc == 0 && fputs("</tr></thead>\n<tbody>\n", f) == EOF)
		rc = -1;
	memset(&t, 0, sizeof(t));
	memset(&all, 0, sizeof(all));
	for (i = 0; i < r->n && rc == 0; i++) {
		tally_add(&t, &r->cams[ix[i]]);
		tally_add(&all, &r->cams[ix[i]]);
		if (i + 1 < r->n && by_site_zone(&ix[i], &ix[i + 1]) == 0)
			continue;
		rc = summary_row(f, &r->cams[ix[i]], &t);
		memset(&t, 0, sizeof(t));
	}
	if (rc == 0 &&
	    (fputs("</tbody><tfoot><tr class=\"total\"><th scope=\"row\" "
		   "colspan=\"2\">All sites</th>",
		 f) == EOF ||
		tally_cells(f, &all) ||
		fputs("</tr></tfoot></table>\n", f) == EOF))
		rc = -1;
	free(ix);
	return rc;
}

static int
meta_item(FILE *f, const char *dt, const char *dd)
{
	if (fprintf(f, "<dt>%s</dt><dd>", dt) < 0)
		return -1;
	if (*dd == '\0')
		return fputs("<span class=\"none\">unknown</span></dd>\n", f) ==
			EOF
		    ? -1
		    : 0;
	if (text(f, dd) != 0)
		return -1;
	return fputs("</dd>\n", f) == EOF ? -1 : 0;
}

static int
head(FILE *f, const struct report *r, const char *nonce)
{
	if (fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
		"charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-"
		"Policy\" content=\"default-src 'none'; style-src "
		"'unsafe-inline'; script-src 'nonce-%s'; img-src 'none'; "
		"form-action 'none'; base-uri 'none'\">\n<meta "
		"name=\"viewport\" content=\"width=device-width\">\n"
		"<meta name=\"generator\" content=\"%s\">\n"
		"<title>Camera compliance report</title>\n<style>%s</style>\n"
		"</head>\n<body>\n<h1>Camera compliance report</h1>\n"
		"<dl class=\"meta\">\n",
		nonce, PACKAGE_STRING, css) < 0)
		return -1;
	if (meta_item(f, "Produced (UTC)", r->produced) ||
	    meta_item(f, "Source", r->source) ||
	    meta_item(f, "Source kind", r->kind) ||
	    meta_item(f, "Policy version", r->policy_version) ||
	    meta_item(f, "Policy date", r->policy_date) ||
	    meta_item(f, "OUI registry date", r->registry_date))
		return -1;
	return fprintf(f,
		   "<dt>Cameras</dt><dd id=\"cameras-total\">%zu</dd>\n</dl>\n",
		   r->n) < 0
	    ? -1
	    : 0;
}

int
report_html(FILE *f, const struct report *r)
{
	unsigned char rnd[16];
	char nonce[33];
	size_t s, i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -1;
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(nonce + 2 * i, 3, "%02x", rnd[i]);
	if (head(f, r, nonce) != 0 || summary(f, r) != 0)
		return -1;
	for (s = 0; s < N_SECTIONS; s++) {
		if (fprintf(f,
			"<section id=\"s-%s\"><h2>%s</h2>\n<p>The policy "
			"says %s: %s.</p>\n",
			sections[s].action, sections[s].title,
			sections[s].action, sections[s].what) < 0 ||
		    cam_table(f, r, sections[s].action, sections[s].action) ||
		    fputs("</section>\n", f) == EOF)
			return -1;
	}
	if (fputs("<section id=\"s-all\"><h2>All cameras</h2>\n", f) == EOF ||
	    cam_table(f, r, "all", NULL) || fputs("</section>\n", f) == EOF)
		return -1;
	return fprintf(f, "<script nonce=\"%s\">%s</script>\n</body></html>\n",
		   nonce, js) < 0
	    ? -1
	    : 0;
}
