/* Unit tests of src/wa/media.c: the types and limits table, file signatures, the media URL host
 * check and safe file names. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "laris/wa.h"

#define KB ((size_t)1024)
#define MB (KB * 1024)

/* Criterion hands parameters to another process: strings are arrays, not pointers. */
struct limit_case {
    char mime[80];
    char kind[16];
    size_t max;
};

ParameterizedTestParameters(media, limits_table)
{
    static struct limit_case cases[] = {
        {"image/jpeg", "image", 5 * MB},
        {"image/png", "image", 5 * MB},
        {"IMAGE/PNG", "image", 5 * MB},
        {"video/mp4", "video", 16 * MB},
        {"video/3gpp", "video", 16 * MB},
        {"audio/aac", "audio", 16 * MB},
        {"audio/amr", "audio", 16 * MB},
        {"audio/mpeg", "audio", 16 * MB},
        {"audio/mp4", "audio", 16 * MB},
        {"audio/ogg; codecs=opus", "audio", 16 * MB},
        {"text/plain", "document", 100 * MB},
        {"application/pdf", "document", 100 * MB},
        {"application/msword", "document", 100 * MB},
        {"application/vnd.ms-excel", "document", 100 * MB},
        {"application/vnd.ms-powerpoint", "document", 100 * MB},
        {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document",
         100 * MB},
        {"image/webp", "sticker", 500 * KB},
    };
    return cr_make_param_array(struct limit_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct limit_case *c, media, limits_table)
{
    const laris_wa_media_type_t *t = laris_wa_media_type(c->mime);
    cr_assert_not_null(t, "%s is not supported", c->mime);
    cr_assert_str_eq(t->kind, c->kind);
    cr_assert_eq(t->max_bytes, c->max, "%s: %zu", c->mime, t->max_bytes);
}

Test(media, unsupported_types)
{
    static const char *const mimes[] = {
        "image/gif",  "text/html", "application/zip",  "image",
        "image/pngx", "",          "application/json", "image/svg+xml"};
    for (size_t i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++)
        cr_assert_null(laris_wa_media_type(mimes[i]), "%s", mimes[i]);
    cr_assert_null(laris_wa_media_type(NULL));
}

Test(media, sticker_limit_depends_on_animation)
{
    const laris_wa_media_type_t *t = laris_wa_media_type("image/webp");
    static const unsigned char still[] = "RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0";
    static const unsigned char anim[] = "RIFF\0\0\0\0WEBPVP8X\0\0\0\0\x02";
    static const unsigned char extended_still[] = "RIFF\0\0\0\0WEBPVP8X\0\0\0\0\x10";
    cr_assert_eq(laris_wa_media_limit(t, still, sizeof(still) - 1), 100 * KB);
    cr_assert_eq(laris_wa_media_limit(t, anim, sizeof(anim) - 1), 500 * KB);
    cr_assert_eq(laris_wa_media_limit(t, extended_still, sizeof(extended_still) - 1), 100 * KB);
    cr_assert_eq(laris_wa_media_limit(t, anim, 10), 100 * KB, "a short head is not animated");
    const laris_wa_media_type_t *png = laris_wa_media_type("image/png");
    cr_assert_eq(laris_wa_media_limit(png, still, 4), 5 * MB);
}

Test(media, signatures)
{
    const laris_wa_media_type_t *png = laris_wa_media_type("image/png");
    const laris_wa_media_type_t *jpeg = laris_wa_media_type("image/jpeg");
    const laris_wa_media_type_t *pdf = laris_wa_media_type("application/pdf");
    const laris_wa_media_type_t *mp4 = laris_wa_media_type("video/mp4");
    const laris_wa_media_type_t *text = laris_wa_media_type("text/plain");
    cr_assert(laris_wa_media_magic_ok(png, (const unsigned char *)"\x89PNG\r\n\x1a\n", 8));
    cr_assert_not(laris_wa_media_magic_ok(png, (const unsigned char *)"\x89PNG", 4));
    cr_assert_not(laris_wa_media_magic_ok(png, (const unsigned char *)"GIF89a..", 8));
    cr_assert(laris_wa_media_magic_ok(jpeg, (const unsigned char *)"\xff\xd8\xff\xe0", 4));
    cr_assert_not(laris_wa_media_magic_ok(jpeg, (const unsigned char *)"\x89PNG", 4));
    cr_assert(laris_wa_media_magic_ok(pdf, (const unsigned char *)"%PDF-1.7", 8));
    cr_assert_not(laris_wa_media_magic_ok(pdf, (const unsigned char *)"<html>", 6));
    cr_assert(laris_wa_media_magic_ok(mp4,
                                      (const unsigned char *)"\0\0\0\x18"
                                                             "ftypmp42",
                                      12));
    cr_assert_not(laris_wa_media_magic_ok(mp4, (const unsigned char *)"RIFF....", 8));
    cr_assert(laris_wa_media_magic_ok(text, (const unsigned char *)"anything", 8));
}

struct url_case {
    char url[80];
    bool allowed;
};

ParameterizedTestParameters(media, url_host_check)
{
    static struct url_case cases[] = {
        {"http://127.0.0.1:8080/whatsapp_business/attachments/?mid=1", true},
        {"HTTP://127.0.0.1:8080/x", true},
        {"http://127.0.0.1:8080", true},
        {"http://127.0.0.1:8080?mid=1", true},
        {"http://127.0.0.2:8080/x", false},
        {"http://127.0.0.1:8081/x", false},
        {"http://127.0.0.1/x", false},
        {"https://127.0.0.1:8080/x", false},
        {"ftp://127.0.0.1:8080/x", false},
        {"file:///etc/passwd", false},
        {"http://user:pw@127.0.0.1:8080/x", false},
        {"http://127.0.0.1:8080@evil.example/x", false},
        {"http://evil.example#@127.0.0.1:8080/x", false},
        {"http://127.0.0.1:8080.evil.example/x", false},
        {"http://127.0.0.1.evil.example:8080/x", false},
        {"http://127.0.0.1:08080/x", true},
        {"http://127.0.0.1:99999/x", false},
        {"http://127.0.0.1:/x", false},
        {"http://127.0.0.1:8080\\@evil/x", false},
        {"http://127.0.0.1:8080/x y", false},
        {"http://127.0.0.1:8080/x\r\nHost: evil", false},
        {"//127.0.0.1:8080/x", false},
        {"", false},
        {"http://[::1]:8080/x", false},
    };
    return cr_make_param_array(struct url_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct url_case *c, media, url_host_check)
{
    cr_assert_eq(laris_wa_media_url_allowed(c->url, "http://127.0.0.1:8080"), c->allowed, "%s",
                 c->url);
}

Test(media, url_default_ports_match_explicit_ones)
{
    const char *graph = "https://graph.facebook.com";
    cr_assert(laris_wa_media_url_allowed("https://graph.facebook.com:443/v23.0/x", graph));
    cr_assert(laris_wa_media_url_allowed("https://GRAPH.facebook.com/x", graph));
    cr_assert_not(laris_wa_media_url_allowed("http://graph.facebook.com/x", graph));
    cr_assert_not(laris_wa_media_url_allowed("https://lookaside.fbsbx.com/x", graph));
    cr_assert_not(laris_wa_media_url_allowed("https://graph.facebook.com.evil.example/x", graph));
    cr_assert_not(laris_wa_media_url_allowed(NULL, graph));
    cr_assert_not(laris_wa_media_url_allowed("https://graph.facebook.com/x", NULL));
}

struct name_case {
    char in[40];
    char want[40];
};

ParameterizedTestParameters(media, filenames)
{
    static struct name_case cases[] = {
        {"invoice-42.pdf", "invoice-42.pdf"},
        {"Foto Toko (1).jpg", "Foto Toko (1).jpg"},
        {"../../etc/passwd", "passwd"},
        {"C:\\Windows\\evil.exe", "evil.exe"},
        {"a\"b\".pdf", "a_b_.pdf"},
        {"x\r\nSet-Cookie: a=1", "x__Set-Cookie_ a_1"},
        {".hidden", "hidden"},
        {"..", "file"},
        {"", "file"},
        {"/", "file"},
        {"name.", "name"},
        {"\xc3\xa9t\xc3\xa9.png", "__t__.png"},
        {"a;b=c%00.png", "a_b_c_00.png"},
    };
    return cr_make_param_array(struct name_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct name_case *c, media, filenames)
{
    laris_arena_t *a = laris_arena_create(1024);
    const char *got = laris_wa_media_filename(a, c->in);
    cr_assert_str_eq(got, c->want, "\"%s\" gave \"%s\"", c->in, got);
    laris_arena_destroy(a);
}

Test(media, filenames_are_capped_and_null_is_file)
{
    laris_arena_t *a = laris_arena_create(1024);
    char longname[400];
    memset(longname, 'x', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    cr_assert_eq(strlen(laris_wa_media_filename(a, longname)), 100);
    cr_assert_str_eq(laris_wa_media_filename(a, NULL), "file");
    laris_arena_destroy(a);
}

Test(media, content_addressed_path)
{
    laris_arena_t *a = laris_arena_create(1024);
    const char *hex = "c225e68d8f06ad163814c3b056a919f6a63ebe0f5ec9a7cec83f67e6d86c43fd";
    cr_assert_str_eq(laris_wa_media_path(a, hex),
                     "c2/c225e68d8f06ad163814c3b056a919f6a63ebe0f5ec9a7cec83f67e6d86c43fd");
    laris_arena_destroy(a);
}
