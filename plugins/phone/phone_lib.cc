// The phone plugin's shim over libphonenumber: every C++ call of the plugin is here, behind the C
// interface of phone_lib.h. Exceptions stop at each entry point; strings go out through
// caller-provided buffers, never through allocations the caller would have to free.
#include "phone_lib.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>

#include <kartoteka/plugin.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// In the order of PhoneNumberUtil::PhoneNumberType, which the library has kept since 2011.
extern "C" const char *const phone_types[] = {
    "fixed_line", "mobile",          "fixed_line_or_mobile",
    "toll_free",  "premium_rate",    "shared_cost",
    "voip",       "personal_number", "pager",
    "uan",        "voicemail",       "unknown",
    nullptr};

namespace
{

constexpr size_t n_types = sizeof phone_types / sizeof phone_types[0] - 1;

int fail(char *msg, size_t msg_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int fail(char *msg, size_t msg_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (msg_size) vsnprintf(msg, msg_size, fmt, ap);
    va_end(ap);
    return KT_PLUGIN_FAIL;
}

// "Poland" for "PL": the English name ICU knows (ICU is libphonenumber's own dependency).
std::string country_name(const std::string &region)
{
    if (region.size() != 2) return "no country (+" + region + ")";
    icu::UnicodeString name;
    icu::Locale("", region.c_str()).getDisplayCountry(icu::Locale::getEnglish(), name);
    std::string out;
    name.toUTF8String(out);
    return out.empty() || out == region ? region : out;
}

// The lengths of national significant numbers people dial in the calling code's plan (fixed
// line and mobile; any, for a plan with neither, as +800 has), as bits 1..17. Probed through the
// library, since its metadata is private to it.
unsigned lengths_used(const PhoneNumberUtil &u, int cc)
{
    unsigned any = 0, dialled = 0;
    PhoneNumber p;
    p.set_country_code(cc);
    unsigned long long first = 1;
    for (int len = 1; len <= 17; len++, first *= 10) {
        p.set_national_number(first);
        if (u.IsPossibleNumberWithReason(p) == PhoneNumberUtil::IS_POSSIBLE) any |= 1u << len;
        for (auto t : {PhoneNumberUtil::FIXED_LINE, PhoneNumberUtil::MOBILE})
            if (u.IsPossibleNumberForTypeWithReason(p, t) == PhoneNumberUtil::IS_POSSIBLE)
                dialled |= 1u << len;
    }
    return dialled ? dialled : any;
}

// "9", "9 or 10", "5 to 15", "6, 7 or 10".
std::string lengths_text(unsigned mask)
{
    std::string parts[18];
    int nparts = 0;
    for (int len = 1; len <= 17; len++) {
        if (!(mask >> len & 1)) continue;
        int end = len;
        while (end < 17 && (mask >> (end + 1) & 1))
            end++;
        if (end - len >= 2)
            parts[nparts++] = std::to_string(len) + " to " + std::to_string(end);
        else if (end > len)
            parts[nparts++] = std::to_string(len), parts[nparts++] = std::to_string(end);
        else
            parts[nparts++] = std::to_string(len);
        len = end;
    }
    std::string out;
    for (int i = 0; i < nparts; i++)
        out += (i == 0 ? "" : i == nparts - 1 ? " or " : ", ") + parts[i];
    return out.empty() ? "no" : out;
}

int wrong_length(const PhoneNumberUtil &u, int cc, size_t got, char *msg, size_t msg_size)
{
    std::string region;
    u.GetRegionCodeForCountryCode(cc, &region);
    return fail(msg, msg_size, "a phone number in %s has %s digits after +%d, got %zu",
                country_name(region).c_str(), lengths_text(lengths_used(u, cc)).c_str(), cc, got);
}

size_t digits_in(const std::string &s)
{
    size_t n = 0;
    for (char c : s)
        n += c >= '0' && c <= '9';
    return n;
}

// Why a number the library could parse is not one in use. `plan` is the region a national
// spelling was read in.
int refuse(const PhoneNumberUtil &u, const PhoneNumber &p, const std::string &text,
           const char *plan, char *msg, size_t msg_size)
{
    int cc = p.country_code();
    std::string nsn, region, trunk;
    u.GetNationalSignificantNumber(p, &nsn);
    u.GetRegionCodeForCountryCode(cc, &region);
    if (u.IsPossibleNumberWithReason(p) == PhoneNumberUtil::INVALID_COUNTRY_CODE)
        return fail(msg, msg_size, "+%d is not a country calling code", cc);
    // The library keeps a trunk prefix that leaves a number of the wrong length ("0913254926"
    // in Iran); people count the digits after it.
    u.GetNddPrefixForRegion(plan, true, &trunk);
    if (text.find('+') == std::string::npos && !trunk.empty() && nsn.size() > trunk.size() &&
        nsn.compare(0, trunk.size(), trunk) == 0)
        nsn.erase(0, trunk.size());
    // A length the plan uses somewhere (Poland's 6-digit short numbers) but not for numbers
    // people dial is still the wrong length to them.
    if (nsn.size() > 17 || !(lengths_used(u, cc) >> nsn.size() & 1))
        return wrong_length(u, cc, nsn.size(), msg, msg_size);
    return fail(msg, msg_size, "not a number in use in %s (+%d %s is in no range of its plan)",
                country_name(region).c_str(), cc, nsn.c_str());
}

// The parse error, for people. `text` is what was parsed, `region` where it was read.
int parse_error(const PhoneNumberUtil &u, PhoneNumberUtil::ErrorType e, const std::string &text,
                const char *region, char *msg, size_t msg_size)
{
    bool international = text.find('+') != std::string::npos;
    int cc = region ? u.GetCountryCodeForRegion(region) : 0;
    switch (e) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        if (international)
            return fail(msg, msg_size,
                        "the digits after + are not a country calling code (+48, +7, +98, ...)");
        if (region && !cc)
            return fail(msg, msg_size,
                        "the phone numbers of country '%.8s' are unknown; write the number in "
                        "international form (+...)",
                        region);
        return fail(msg, msg_size,
                    "cannot tell which country this number is from; write it in international "
                    "form (+48..., +7..., +98...), give the record a country or set "
                    "settings { country = \"PL\" }");
    case PhoneNumberUtil::TOO_SHORT_NSN:
    case PhoneNumberUtil::TOO_LONG_NSN:
        if (!international && cc) return wrong_length(u, cc, digits_in(text), msg, msg_size);
        return fail(msg, msg_size, "%s for a phone number",
                    e == PhoneNumberUtil::TOO_LONG_NSN ? "too many digits" : "too few digits");
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
        return fail(msg, msg_size, "too few digits after the international prefix");
    default:
        return fail(msg, msg_size, "not a phone number");
    }
}

int put(const std::string &s, char *out, size_t out_size, char *msg, size_t msg_size)
{
    if (s.size() >= out_size)
        return fail(msg, msg_size, "the phone number does not fit in %zu bytes", out_size);
    memcpy(out, s.c_str(), s.size() + 1);
    return KT_PLUGIN_OK;
}

// A number written "+", calling code, number (what the plugin stores and is asked to show or
// type again, and the spaced "+48 789 658 648" of most imports) taken apart without Parse, whose
// regular expressions cost as much as the whole check. Only when formatting it back gives the
// same digits and the plan knows the number; anything else goes through Parse, which also
// finds a trunk prefix written after the calling code ("+44 (0)20 ...").
bool from_e164(const PhoneNumberUtil &u, const std::string &typed, PhoneNumber *p,
               PhoneNumberUtil::PhoneNumberType *type)
{
    std::string text;
    for (char c : typed)
        if (c != ' ') text += c;
    size_t len = text.size();
    if (len < 4 || len > 16 || text[0] != '+' || text[1] == '0' ||
        text.find_first_not_of("0123456789", 1) != std::string::npos)
        return false;
    std::string region;
    for (size_t cc_len = 1; cc_len <= 3 && cc_len + 1 < len; cc_len++) {
        int cc = std::stoi(text.substr(1, cc_len));
        u.GetRegionCodeForCountryCode(cc, &region);
        if (region == "ZZ") continue; // calling codes are prefix-free: one length fits
        std::string nsn = text.substr(1 + cc_len);
        p->set_country_code(cc);
        p->set_national_number(std::stoull(nsn));
        size_t zeros = nsn.find_first_not_of('0');
        if (zeros > 0 && zeros != std::string::npos) {
            p->set_italian_leading_zero(true);
            if (zeros > 1) p->set_number_of_leading_zeros(static_cast<int>(zeros));
        }
        std::string back;
        u.Format(*p, PhoneNumberUtil::E164, &back);
        if (back != text) return false;
        *type = u.GetNumberType(*p);
        return *type != PhoneNumberUtil::UNKNOWN;
    }
    return false;
}

int read_number(const char *in, const char *region, phone_form form, phone_number *n, char *out,
                size_t out_size, char *msg, size_t msg_size)
{
    const PhoneNumberUtil &u = *PhoneNumberUtil::GetInstance();
    const std::string text(in);
    PhoneNumber p;
    // An unknown region would be logged by the library; "ZZ" reads international forms only.
    const char *plan = region && u.GetCountryCodeForRegion(region) ? region : "ZZ";
    PhoneNumberUtil::PhoneNumberType type;
    if (!from_e164(u, text, &p, &type)) {
        p.Clear();
        PhoneNumberUtil::ErrorType e = u.Parse(text, plan, &p);
        if (e != PhoneNumberUtil::NO_PARSING_ERROR)
            return parse_error(u, e, text, region, msg, msg_size);
        // IsValidNumber is GetNumberType(p) != UNKNOWN, both matching every type's pattern:
        // one call, not two.
        type = u.GetNumberType(p);
        if (type == PhoneNumberUtil::UNKNOWN) return refuse(u, p, text, plan, msg, msg_size);
    }
    size_t t = static_cast<size_t>(type);
    n->type = phone_types[t < n_types ? t : n_types - 1];
    n->extension = p.has_extension();
    std::string s;
    switch (form) {
    case PHONE_E164:
        u.Format(p, PhoneNumberUtil::E164, &s);
        // E.164 has no extension; RFC 3966's parameter keeps it, and Parse reads it back.
        if (p.has_extension()) s += ";ext=" + p.extension();
        break;
    case PHONE_NATIONAL:
        u.Format(p, PhoneNumberUtil::NATIONAL, &s);
        break;
    case PHONE_INTERNATIONAL:
        u.Format(p, PhoneNumberUtil::INTERNATIONAL, &s);
        break;
    case PHONE_HOME:
        // By calling code: a Canadian number is dialled in the US as at home, and a Jersey
        // mobile (+44) in Britain.
        u.Format(p,
                 u.GetCountryCodeForRegion(plan) == p.country_code()
                     ? PhoneNumberUtil::NATIONAL
                     : PhoneNumberUtil::INTERNATIONAL,
                 &s);
        break;
    }
    return put(s, out, out_size, msg, msg_size);
}

} // namespace

extern "C" int phone_read(const char *in, const char *region, phone_form form, phone_number *n,
                          char *out, size_t out_size, char *msg, size_t msg_size)
{
    try {
        return read_number(in, region, form, n, out, out_size, msg, msg_size);
    } catch (const std::bad_alloc &) {
        return fail(msg, msg_size, "out of memory reading a phone number");
    } catch (...) {
        return fail(msg, msg_size, "libphonenumber failed on this number");
    }
}

extern "C" int phone_region_known(const char *region)
{
    try {
        return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(region) != 0;
    } catch (...) {
        return 0;
    }
}
