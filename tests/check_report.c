/*
 * check_report.c: unit tests for the escaping of `camcomply report`
 * (report_html.c, report_text.c): HTML text and RFC 4180 CSV fields with
 * a formula neutralised, fed hostile camera strings.  No sockets.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report.h"

/* What fn wrote for s, in a buffer the caller frees. */
static char *
render(int (*fn)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fn(f, s), 0);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

static void
html_is(const char *in, const char *want)
{
	char *got = render(report_html_escape, in);

	ck_assert_str_eq(got, want);
	free(got);
}

static void
csv_is(const char *in, const char *want)
{
	char *got = render(report_csv_field, in);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(html_escapes_markup)
{
	html_is("<script>alert(1)</script>",
	    "&lt;script&gt;alert(1)&lt;/script&gt;");
	html_is("a & b \"c\" 'd'", "a &amp; b &quot;c&quot; &#39;d&#39;");
	html_is("&amp;", "&amp;amp;");
	html_is("<img src=x onerror=alert(1)>",
	    "&lt;img src=x onerror=alert(1)&gt;");
	html_is("\"><svg onload=alert(1)>",
	    "&quot;&gt;&lt;svg onload=alert(1)&gt;");
	html_is("", "");
}
END_TEST

START_TEST(html_keeps_utf8_drops_controls)
{
	html_is("Caf\xc3\xa9 \xe6\xb5\xb7\xe5\xba\xb7",
	    "Caf\xc3\xa9 \xe6\xb5\xb7\xe5\xba\xb7");
	html_is("a\rb", "a&#xFFFD;b");
	html_is("a\x01\x1b[31m\x7f", "a&#xFFFD;&#xFFFD;[31m&#xFFFD;");
	html_is("tab\there\nline", "tab\there\nline");
}
END_TEST

START_TEST(csv_plain_and_quoted)
{
	csv_is("AXIS", "AXIS");
	csv_is("", "");
	csv_is("a,b", "\"a,b\"");
	csv_is("say \"hi\"", "\"say \"\"hi\"\"\"");
	csv_is("two\r\nlines", "\"two\r\nlines\"");
	csv_is("lf\nonly", "\"lf\nonly\"");
	csv_is("Caf\xc3\xa9", "Caf\xc3\xa9");
	csv_is("<script>alert(1)</script>", "<script>alert(1)</script>");
}
END_TEST

START_TEST(csv_neutralises_formulas)
{
	csv_is("=1+1", "'=1+1");
	csv_is("+SUM(A1)", "'+SUM(A1)");
	csv_is("-2+3", "'-2+3");
	csv_is("@SUM(A1)", "'@SUM(A1)");
	csv_is("\t=1", "'\t=1");
	csv_is("\r=1", "\"'\r=1\"");
	csv_is("=HYPERLINK(\"http://x\",\"y\")",
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	/* Only the first character counts. */
	csv_is("a=1", "a=1");
	csv_is("1-2", "1-2");
}
END_TEST

/* A whole CSV report: a header, CRLF rows, every cell neutralised. */
START_TEST(csv_report_rows)
{
	struct report r;
	struct report_cam *c;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	report_init(&r, "test");
	c = report_add(&r);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(
	    report_set(c, RF_MANUFACTURER, "=cmd|' /C calc'!A0"), 0);
	ck_assert_int_eq(report_set(c, RF_MODEL, "a\nb"), 0);
	ck_assert_int_eq(report_csv(f, &r), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "address,service_url,"));
	ck_assert_ptr_nonnull(strstr(buf, "\r\n"));
	ck_assert_ptr_nonnull(strstr(buf, ",'=cmd|' /C calc'!A0,"));
	ck_assert_ptr_nonnull(strstr(buf, ",\"a\nb\","));
	ck_assert_ptr_null(strstr(buf, ",=cmd"));
	free(buf);
	report_free(&r);
}
END_TEST

/* A whole HTML report: no camera string appears unescaped. */
START_TEST(html_report_escapes_every_field)
{
	struct report r;
	struct report_cam *c;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int k;

	report_init(&r, "<b>source</b>");
	c = report_add(&r);
	ck_assert_ptr_nonnull(c);
	for (k = 0; k < RF_COUNT; k++)
		ck_assert_int_eq(report_set(c, k, "<i>x</i>"), 0);
	ck_assert_int_eq(report_set(c, RF_ACTION, "remove"), 0);
	ck_assert_int_eq(report_html(f, &r), 0);
	fclose(f);
	ck_assert_ptr_null(strstr(buf, "<i>"));
	ck_assert_ptr_null(strstr(buf, "<b>source"));
	ck_assert_ptr_nonnull(strstr(buf, "&lt;i&gt;x&lt;/i&gt;"));
	/* One script: the page's own. */
	ck_assert_ptr_null(strstr(strstr(buf, "<script") + 1, "<script"));
	free(buf);
	report_free(&r);
}
END_TEST

START_TEST(fields_are_cut)
{
	struct report r;
	struct report_cam *c;
	char *big = malloc(REPORT_FIELD_MAX * 4);

	ck_assert_ptr_nonnull(big);
	memset(big, 'A', REPORT_FIELD_MAX * 4 - 1);
	big[REPORT_FIELD_MAX * 4 - 1] = '\0';
	report_init(&r, "t");
	c = report_add(&r);
	ck_assert_int_eq(report_set(c, RF_MODEL, big), 0);
	ck_assert_uint_eq(strlen(c->f[RF_MODEL]), REPORT_FIELD_MAX);
	ck_assert_int_eq(report_setn(c, RF_SERIAL, "a\0b", 3), 0);
	ck_assert_str_eq(c->f[RF_SERIAL], "a?b");
	report_free(&r);
	free(big);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, html_escapes_markup);
	tcase_add_test(tc, html_keeps_utf8_drops_controls);
	tcase_add_test(tc, csv_plain_and_quoted);
	tcase_add_test(tc, csv_neutralises_formulas);
	tcase_add_test(tc, csv_report_rows);
	tcase_add_test(tc, html_report_escapes_every_field);
	tcase_add_test(tc, fields_are_cut);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
