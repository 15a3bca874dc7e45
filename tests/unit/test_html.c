/* The web face's HTML builder: every value escaped, in text and in attributes; names that are
 * not plain lowercase names never reach the page; a failed build is never sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "html.h"
#include "kartoteka/alloc.h"

static char *page(html *h)
{
    size_t len = 0;
    char *text = html_take(h, &len);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    return text;
}

static void text_is_escaped(void **state)
{
    (void)state;
    html h = HTML_INIT;
    html_el(&h, "p", "<script>alert(1)</script> & \"x\" 'y'", HTML_END);
    html_text(&h, "=HYPERLINK(\"http://e.example\")");
    char *t = page(&h);
    assert_string_equal(t,
                        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39;"
                        "</p>=HYPERLINK(&quot;http://e.example&quot;)");
    kt_free(t);
}

static void attributes_are_escaped(void **state)
{
    (void)state;
    html h = HTML_INIT;
    html_open(&h, "input", "name", "first_name", "value", "\" autofocus onfocus=\"alert(1)",
              "placeholder", NULL, "checked", "", "title", "", HTML_END);
    char *t = page(&h);
    assert_string_equal(t, "<input name=\"first_name\" value=\"&quot; autofocus "
                           "onfocus=&quot;alert(1)\" checked title=\"\">");
    kt_free(t);
}

static void bad_names_are_dropped(void **state)
{
    (void)state;
    html h = HTML_INIT;
    /* an attribute name from outside is dropped, the element stays */
    html_open(&h, "a", "href", "/x", "onclick=\"alert(1)\" x", "1", "Data-X", "2", HTML_END);
    html_close(&h, "a");
    char *t = page(&h);
    assert_string_equal(t, "<a href=\"/x\"></a>");
    kt_free(t);
    /* a tag that is not a plain name fails the whole page: nothing half-built is sent */
    html bad = HTML_INIT;
    html_open(&bad, "img src=x onerror=alert(1)", HTML_END);
    size_t len = 0;
    assert_null(html_take(&bad, &len));
    html_free(&bad);
    html bad2 = HTML_INIT;
    html_close(&bad2, "p><script");
    assert_null(html_take(&bad2, &len));
}

static void embedded_nul_and_parts(void **state)
{
    (void)state;
    html h = HTML_INIT, part = HTML_INIT;
    html_textn(&h, "a\0<b", 4);
    html_el(&part, "li", "<i>", HTML_END);
    html_append(&h, &part);
    html_num(&h, -42);
    char *t = page(&h);
    assert_string_equal(t, "a&lt;b<li>&lt;i&gt;</li>-42");
    kt_free(t);
}

static void url_values(void **state)
{
    (void)state;
    kt_buf b = KT_BUF_INIT;
    html_url_value(&b, "city = Kraków&x=\"1\"");
    assert_string_equal(kt_buf_str(&b), "city%20%3D%20Krak%C3%B3w%26x%3D%221%22");
    kt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_is_escaped),
        cmocka_unit_test(attributes_are_escaped),
        cmocka_unit_test(bad_names_are_dropped),
        cmocka_unit_test(embedded_nul_and_parts),
        cmocka_unit_test(url_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
