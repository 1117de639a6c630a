/* Cloud API error codes: a table of what each means for retrying and for agents, and the
 * synchronous Graph error answer ({"error": {...}}).
 *
 * The table is data, read top to bottom: single codes first, then families (ranges), and a
 * fallback row for anything else. "retryable" means the error says nothing was sent and the
 * same request may succeed later; connection failures and timeouts are the caller's business
 * (a request that may have left must not be retried blindly). */
#include <string.h>

#include "laris/json.h"
#include "laris/wa.h"

#define AUTH      LARIS_WA_ERR_AUTH
#define REQUEST   LARIS_WA_ERR_REQUEST
#define THROTTLED LARIS_WA_ERR_THROTTLED
#define SERVER    LARIS_WA_ERR_SERVER
#define RECIPIENT LARIS_WA_ERR_RECIPIENT
#define WINDOW    LARIS_WA_ERR_WINDOW
#define TEMPLATE  LARIS_WA_ERR_TEMPLATE
#define MEDIA     LARIS_WA_ERR_MEDIA
#define ACCOUNT   LARIS_WA_ERR_ACCOUNT

#define F_TOKEN  LARIS_WA_ERRF_TOKEN_EXPIRED
#define F_OPTOUT LARIS_WA_ERRF_OPTED_OUT
#define F_MKTLIM LARIS_WA_ERRF_MARKETING_LIMIT
#define F_TMPL   LARIS_WA_ERRF_TEMPLATE
#define F_RATE   LARIS_WA_ERRF_RATE_LIMIT
#define F_WINDOW LARIS_WA_ERRF_WINDOW_CLOSED
#define F_STOP   LARIS_WA_ERRF_STOP_NUMBER

/* Texts shared by several rows. */
#define RECONNECT_EN "ask the owner to reconnect WhatsApp."
#define RECONNECT_ID "minta pemilik menghubungkan ulang WhatsApp."
#define DOWN_EN      "WhatsApp is temporarily unavailable: try again in a few minutes."
#define DOWN_ID      "WhatsApp sedang tidak tersedia: coba lagi beberapa menit lagi."

/* {first, last, category, retryable, flags, title, English, Bahasa Indonesia} */
static const laris_wa_error_info_t error_table[] = {
    {0, 0, AUTH, false, F_TOKEN | F_STOP, "Authentication exception",
     "WhatsApp no longer accepts this number's access token: " RECONNECT_EN,
     "WhatsApp tidak lagi menerima token akses nomor ini: " RECONNECT_ID},
    {1, 1, REQUEST, false, 0, "API unknown",
     "WhatsApp could not process the request: try again later, and contact support if it "
     "keeps failing.",
     "WhatsApp tidak dapat memproses permintaan: coba lagi nanti, dan hubungi dukungan jika "
     "terus gagal."},
    {2, 2, SERVER, true, 0, "API service", DOWN_EN, DOWN_ID},
    {3, 3, AUTH, false, F_STOP, "API method",
     "This number's WhatsApp connection lacks a permission: " RECONNECT_EN,
     "Koneksi WhatsApp nomor ini kurang izin: " RECONNECT_ID},
    {4, 4, THROTTLED, true, F_RATE, "Too many API calls",
     "Too many requests to WhatsApp right now: try again in a few minutes.",
     "Terlalu banyak permintaan ke WhatsApp saat ini: coba lagi beberapa menit lagi."},
    {10, 10, AUTH, false, F_STOP, "Permission denied",
     "WhatsApp denied a permission this number needs: " RECONNECT_EN,
     "WhatsApp menolak izin yang dibutuhkan nomor ini: " RECONNECT_ID},
    {33, 33, ACCOUNT, false, F_STOP, "Phone number deleted",
     "This business number no longer exists on WhatsApp: ask the owner to check the number "
     "settings.",
     "Nomor bisnis ini sudah tidak ada di WhatsApp: minta pemilik memeriksa pengaturan nomor."},
    {100, 100, REQUEST, false, 0, "Invalid parameter",
     "WhatsApp rejected the message as invalid: check its content and try again.",
     "WhatsApp menolak pesan karena tidak valid: periksa isinya lalu coba lagi."},
    {190, 190, AUTH, false, F_TOKEN | F_STOP, "Access token expired",
     "The WhatsApp access token has expired: " RECONNECT_EN,
     "Token akses WhatsApp sudah kedaluwarsa: " RECONNECT_ID},
    {368, 368, ACCOUNT, false, F_STOP, "Temporarily blocked for policy violations",
     "WhatsApp has temporarily blocked this number for policy violations: sending is paused.",
     "WhatsApp memblokir sementara nomor ini karena pelanggaran kebijakan: pengiriman "
     "dihentikan."},
    {80007, 80007, THROTTLED, true, F_RATE, "WhatsApp Business Account rate limit",
     "Too many requests for this WhatsApp account: try again later.",
     "Terlalu banyak permintaan untuk akun WhatsApp ini: coba lagi nanti."},
    {130429, 130429, THROTTLED, true, F_RATE, "Rate limit hit",
     "WhatsApp is limiting how fast this number sends: try again in a moment.",
     "WhatsApp membatasi kecepatan kirim nomor ini: coba lagi sebentar lagi."},
    {130472, 130472, RECIPIENT, false, 0, "User's number is part of an experiment",
     "WhatsApp did not send this marketing message because the customer is part of a Meta "
     "experiment.",
     "WhatsApp tidak mengirim pesan pemasaran ini karena pelanggan sedang ikut eksperimen "
     "Meta."},
    {130497, 130497, ACCOUNT, false, 0, "Business account restricted in this country",
     "This account may not message customers in that country.",
     "Akun ini tidak boleh mengirim pesan ke pelanggan di negara tersebut."},
    {131000, 131000, SERVER, true, 0, "Something went wrong",
     "WhatsApp had an unexpected error: try again.",
     "Terjadi kesalahan tak terduga di WhatsApp: coba lagi."},
    {131005, 131005, AUTH, false, F_STOP, "Access denied",
     "WhatsApp denied access for this number: " RECONNECT_EN,
     "WhatsApp menolak akses untuk nomor ini: " RECONNECT_ID},
    {131008, 131008, REQUEST, false, 0, "Required parameter is missing",
     "The message lacks something WhatsApp requires: check it and try again.",
     "Pesan kurang data yang diwajibkan WhatsApp: periksa lalu coba lagi."},
    {131009, 131009, REQUEST, false, 0, "Parameter value is not valid",
     "WhatsApp rejected a value in the message (reactions only work on messages from the last "
     "30 days).",
     "WhatsApp menolak salah satu isi pesan (reaksi hanya bisa untuk pesan 30 hari terakhir)."},
    {131016, 131016, SERVER, true, 0, "Service unavailable", DOWN_EN, DOWN_ID},
    {131021, 131021, REQUEST, false, 0, "Recipient cannot be sender",
     "A message cannot be sent to the business's own number.",
     "Pesan tidak bisa dikirim ke nomor bisnis sendiri."},
    {131026, 131026, RECIPIENT, false, 0, "Message undeliverable",
     "The message could not be delivered: the customer may not use WhatsApp or may need to "
     "update the app.",
     "Pesan tidak dapat terkirim: pelanggan mungkin tidak memakai WhatsApp atau perlu "
     "memperbarui aplikasinya."},
    {131030, 131030, RECIPIENT, false, 0, "Recipient not in allowed list",
     "This test number may only message the recipients listed in Meta's settings.",
     "Nomor uji ini hanya boleh mengirim ke penerima yang terdaftar di pengaturan Meta."},
    {131031, 131031, ACCOUNT, false, F_STOP, "Account has been locked",
     "WhatsApp has locked this business account: sending is paused until the owner resolves "
     "it.",
     "WhatsApp mengunci akun bisnis ini: pengiriman dihentikan sampai pemilik "
     "menyelesaikannya."},
    {131037, 131037, ACCOUNT, false, F_STOP, "Display name needs approval",
     "This number needs an approved display name before it can send: ask the owner.",
     "Nomor ini perlu nama tampilan yang disetujui sebelum bisa mengirim: hubungi pemilik."},
    {131042, 131042, ACCOUNT, false, F_STOP, "Business eligibility payment issue",
     "WhatsApp refused because of a billing problem: ask the owner to check the payment "
     "method in Meta.",
     "WhatsApp menolak karena masalah pembayaran: minta pemilik memeriksa metode pembayaran "
     "di Meta."},
    {131045, 131045, ACCOUNT, false, F_STOP, "Incorrect certificate",
     "This number is not registered correctly with WhatsApp: ask the owner to register it "
     "again.",
     "Nomor ini belum terdaftar dengan benar di WhatsApp: minta pemilik mendaftarkannya "
     "ulang."},
    {131047, 131047, WINDOW, false, F_WINDOW, "Re-engagement message",
     "More than 24 hours since the customer's last message: send a template.",
     "Sudah lebih dari 24 jam sejak pesan terakhir pelanggan: kirim template."},
    {131048, 131048, THROTTLED, false, F_RATE, "Spam rate limit hit",
     "WhatsApp is restricting this number because many customers blocked or reported it: "
     "send less, and only to interested customers.",
     "WhatsApp membatasi nomor ini karena banyak pelanggan memblokir atau melaporkannya: "
     "kurangi pengiriman, dan kirim hanya ke pelanggan yang berminat."},
    {131049, 131049, RECIPIENT, false, F_MKTLIM, "Not delivered to keep engagement healthy",
     "WhatsApp held back this marketing message to protect the customer's inbox: wait at "
     "least 24 hours before trying again.",
     "WhatsApp menahan pesan pemasaran ini demi kenyamanan pelanggan: tunggu minimal 24 jam "
     "sebelum mencoba lagi."},
    {131050, 131050, RECIPIENT, false, F_OPTOUT, "User stopped marketing messages",
     "The customer has stopped marketing messages from this business: do not send "
     "promotions.",
     "Pelanggan sudah berhenti menerima pesan pemasaran dari bisnis ini: jangan kirim "
     "promosi."},
    {131051, 131051, REQUEST, false, 0, "Unsupported message type",
     "WhatsApp does not support this type of message.",
     "WhatsApp tidak mendukung jenis pesan ini."},
    {131052, 131052, MEDIA, false, 0, "Media download error",
     "The customer's file could not be downloaded: ask them to send it again.",
     "File dari pelanggan tidak bisa diunduh: minta pelanggan mengirim ulang."},
    {131053, 131053, MEDIA, false, 0, "Media upload error",
     "WhatsApp could not accept the file: check its type and size.",
     "WhatsApp tidak dapat menerima file ini: periksa jenis dan ukurannya."},
    {131056, 131056, THROTTLED, true, F_RATE, "Pair rate limit hit",
     "Too many messages to this customer in a short time: wait a moment before sending more.",
     "Terlalu banyak pesan ke pelanggan ini dalam waktu singkat: tunggu sebentar sebelum "
     "mengirim lagi."},
    {131057, 131057, SERVER, true, 0, "Account in maintenance mode",
     "This WhatsApp number is briefly under maintenance: try again shortly.",
     "Nomor WhatsApp ini sedang dalam pemeliharaan sebentar: coba lagi sesaat lagi."},
    {131062, 131062, RECIPIENT, false, 0, "Business-scoped user id not supported",
     "This message cannot go to a customer known only by username: use their phone number.",
     "Pesan ini tidak bisa dikirim ke pelanggan yang hanya dikenal lewat nama pengguna: "
     "gunakan nomor teleponnya."},
    {131063, 131063, ACCOUNT, false, 0, "Marketing templates disabled",
     "Marketing templates are turned off for this WhatsApp account: ask the owner.",
     "Template pemasaran dinonaktifkan untuk akun WhatsApp ini: hubungi pemilik."},
    {131064, 131064, ACCOUNT, false, 0, "Messaging limit reached for template categories",
     "WhatsApp limited this account for wrongly categorized templates: fix the template "
     "categories and wait.",
     "WhatsApp membatasi akun ini karena kategori template yang salah: perbaiki kategori "
     "template lalu tunggu."},
    {132000, 132000, TEMPLATE, false, F_TMPL, "Template parameter count mismatch",
     "The template's variables do not match: fill in every variable.",
     "Jumlah variabel template tidak sesuai: isi semua variabelnya."},
    {132001, 132001, TEMPLATE, false, F_TMPL, "Template does not exist",
     "This template does not exist in that language or is not approved yet.",
     "Template ini tidak ada dalam bahasa tersebut atau belum disetujui."},
    {132005, 132005, TEMPLATE, false, F_TMPL, "Template text too long",
     "The template text is too long once filled in: shorten the variables.",
     "Teks template terlalu panjang setelah diisi: persingkat isi variabelnya."},
    {132007, 132007, TEMPLATE, false, F_TMPL, "Template policy violated",
     "The template content breaks a WhatsApp policy: edit the template.",
     "Isi template melanggar kebijakan WhatsApp: ubah templatenya."},
    {132012, 132012, TEMPLATE, false, F_TMPL, "Template parameter format mismatch",
     "A template variable has the wrong format (for example the wrong media type in the "
     "header).",
     "Format variabel template salah (misalnya jenis media di header tidak sesuai)."},
    {132015, 132015, TEMPLATE, false, F_TMPL, "Template is paused",
     "This template is paused for low quality: wait, or edit it.",
     "Template ini dijeda karena kualitasnya rendah: tunggu, atau ubah templatenya."},
    {132016, 132016, TEMPLATE, false, F_TMPL, "Template is disabled",
     "This template has been disabled for good: create a new template.",
     "Template ini dinonaktifkan permanen: buat template baru."},
    {132018, 132018, TEMPLATE, false, F_TMPL, "Template parameter validation error",
     "The template's variables are not valid: check them and try again.",
     "Variabel template tidak valid: periksa lalu coba lagi."},
    {132068, 132068, TEMPLATE, false, F_TMPL, "Flow is blocked",
     "The flow in this template is blocked: fix the flow.",
     "Flow pada template ini diblokir: perbaiki flow-nya."},
    {132069, 132069, TEMPLATE, false, F_TMPL | F_RATE, "Flow is throttled",
     "This flow was sent too often in the last hour: try again later.",
     "Flow ini terlalu sering dikirim dalam satu jam terakhir: coba lagi nanti."},
    {133000, 133000, ACCOUNT, false, F_STOP, "Incomplete deregistration",
     "Deregistering this number did not finish: ask the owner to register it again.",
     "Pelepasan pendaftaran nomor ini belum selesai: minta pemilik mendaftarkannya ulang."},
    {133004, 133004, SERVER, true, 0, "Server temporarily unavailable", DOWN_EN, DOWN_ID},
    {133010, 133010, ACCOUNT, false, F_STOP, "Phone number not registered",
     "This number is not registered with WhatsApp: ask the owner to register it.",
     "Nomor ini belum terdaftar di WhatsApp: minta pemilik mendaftarkannya."},
    {133016, 133016, THROTTLED, false, F_RATE, "Registration attempts rate limited",
     "Too many registration attempts: wait before trying again.",
     "Terlalu banyak percobaan pendaftaran: tunggu sebelum mencoba lagi."},
    {135000, 135000, REQUEST, false, 0, "Generic user error",
     "WhatsApp rejected the request: check the message and try again.",
     "WhatsApp menolak permintaan: periksa pesan lalu coba lagi."},
    {137000, 137000, RECIPIENT, false, 0, "Identity key hash mismatch",
     "The customer's security identity changed: confirm it is still them before sending.",
     "Identitas keamanan pelanggan berubah: pastikan masih orang yang sama sebelum mengirim."},

    /* Families, after the single codes they contain. */
    {200, 299, AUTH, false, F_STOP, "API permission",
     "This number's WhatsApp connection lacks a permission: " RECONNECT_EN,
     "Koneksi WhatsApp nomor ini kurang izin: " RECONNECT_ID},
    {132000, 132999, TEMPLATE, false, F_TMPL, "Template error",
     "WhatsApp rejected the template: check it in the template settings.",
     "WhatsApp menolak template: periksa di pengaturan template."},
    {133000, 133999, ACCOUNT, false, 0, "Phone number registration error",
     "This number has a WhatsApp registration problem: ask the owner.",
     "Nomor ini bermasalah dengan pendaftaran WhatsApp: hubungi pemilik."},
    {0, 0, LARIS_WA_ERR_UNKNOWN, false, 0, NULL, NULL, NULL},
};

/* For codes the table does not know. */
static const laris_wa_error_info_t unknown_error = {
    0,
    -1,
    LARIS_WA_ERR_UNKNOWN,
    false,
    0,
    "Unknown error",
    "WhatsApp refused the message for a reason we do not know yet: try again later, or contact "
    "support.",
    "WhatsApp menolak pesan karena alasan yang belum kami kenali: coba lagi nanti, atau hubungi "
    "dukungan.",
};

static const char *const category_names[] = {
    [LARIS_WA_ERR_UNKNOWN] = "unknown", [LARIS_WA_ERR_AUTH] = "auth",
    [LARIS_WA_ERR_REQUEST] = "request", [LARIS_WA_ERR_THROTTLED] = "throttled",
    [LARIS_WA_ERR_SERVER] = "server",   [LARIS_WA_ERR_RECIPIENT] = "recipient",
    [LARIS_WA_ERR_WINDOW] = "window",   [LARIS_WA_ERR_TEMPLATE] = "template",
    [LARIS_WA_ERR_MEDIA] = "media",     [LARIS_WA_ERR_ACCOUNT] = "account",
};

const laris_wa_error_info_t *laris_wa_error_lookup(int64_t code)
{
    for (const laris_wa_error_info_t *row = error_table; row->title != NULL; row++) {
        if (code >= row->first && code <= row->last)
            return row;
    }
    return &unknown_error;
}

const char *laris_wa_error_agent_message(int64_t code, const char *locale)
{
    const laris_wa_error_info_t *info = laris_wa_error_lookup(code);
    bool indonesian = locale != NULL && strncmp(locale, "id", 2) == 0 &&
                      (locale[2] == '\0' || locale[2] == '-' || locale[2] == '_');
    return indonesian ? info->agent_id : info->agent_en;
}

const char *laris_wa_error_category_name(laris_wa_error_category_t category)
{
    size_t n = sizeof(category_names) / sizeof(category_names[0]);
    if ((size_t)category >= n || category_names[category] == NULL)
        return "unknown";
    return category_names[category];
}

/* A copy of obj's string member key, or NULL when it is absent or not a string. */
static const char *string_member(laris_arena_t *a, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        return NULL;
    return laris_arena_strndup(a, json_string_value(v), json_string_length(v));
}

/* Members other than code are read leniently: an error answer is read for what it offers. */
laris_rc laris_wa_api_error_parse(laris_arena_t *a, const char *body, size_t len,
                                  laris_wa_api_error_t *out, laris_err_t *err)
{
    json_t *root = NULL;
    memset(out, 0, sizeof(*out));
    if (laris_json_decode(a, body != NULL ? body : "", body != NULL ? len : 0, NULL, &root, err) !=
        LARIS_OK)
        return LARIS_EMALFORMED;
    json_t *e = json_object_get(root, "error");
    json_t *code = json_object_get(e, "code");
    if (!json_is_object(e) || !json_is_integer(code))
        return laris_err_set(err, LARIS_EMALFORMED,
                             "The answer is not a Graph API error: it has no error.code.");

    out->code = (int64_t)json_integer_value(code);
    json_t *subcode = json_object_get(e, "error_subcode");
    if (json_is_integer(subcode))
        out->subcode = (int64_t)json_integer_value(subcode);
    out->type = string_member(a, e, "type");
    out->message = string_member(a, e, "message");
    out->user_title = string_member(a, e, "error_user_title");
    out->user_message = string_member(a, e, "error_user_msg");
    out->fbtrace_id = string_member(a, e, "fbtrace_id");
    out->is_transient = json_is_true(json_object_get(e, "is_transient"));
    json_t *data = json_object_get(e, "error_data");
    if (json_is_object(data))
        out->details = string_member(a, data, "details");
    else if (json_is_string(data))
        out->details = string_member(a, e, "error_data");
    out->info = laris_wa_error_lookup(out->code);
    return LARIS_OK;
}

/* is_transient cannot override what a code says about the customer or the token. */
bool laris_wa_api_error_retryable(const laris_wa_api_error_t *e)
{
    const unsigned never =
        LARIS_WA_ERRF_TOKEN_EXPIRED | LARIS_WA_ERRF_OPTED_OUT | LARIS_WA_ERRF_MARKETING_LIMIT;
    const laris_wa_error_info_t *info = e->info != NULL ? e->info : laris_wa_error_lookup(e->code);
    if (info->flags & never)
        return false;
    return info->retryable || e->is_transient;
}
