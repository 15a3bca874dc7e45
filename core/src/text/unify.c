/* Letters whose equivalence Unicode decomposition does not give us. Latin letters with a bar or
 * stroke (ł, đ, ø) have no decomposition, so stripping marks leaves them; Persian text is typed
 * on Arabic keyboards and back, so yeh, kaf, heh and alef forms must meet; and all digits should
 * compare as ASCII digits. */
#include "text/fold.h"

static int one(int32_t out[2], int32_t a)
{
    out[0] = a;
    return 1;
}

static int two(int32_t out[2], int32_t a, int32_t b)
{
    out[0] = a;
    out[1] = b;
    return 2;
}

static int latin(int32_t cp, int32_t out[2])
{
    switch (cp) {
    case 0x00E6:
        return two(out, 'a', 'e'); /* æ */
    case 0x0153:
        return two(out, 'o', 'e'); /* œ */
    case 0x00FE:
        return two(out, 't', 'h'); /* þ */
    case 0x00F0:
        return one(out, 'd'); /* ð */
    case 0x00F8:
        return one(out, 'o'); /* ø */
    case 0x0111:
        return one(out, 'd'); /* đ */
    case 0x0127:
        return one(out, 'h'); /* ħ */
    case 0x0131:
        return one(out, 'i'); /* ı */
    case 0x0138:
        return one(out, 'k'); /* ĸ */
    case 0x0140:
        return one(out, 'l'); /* ŀ */
    case 0x0142:
        return one(out, 'l'); /* ł */
    case 0x014B:
        return one(out, 'n'); /* ŋ */
    case 0x0167:
        return one(out, 't'); /* ŧ */
    case 0x0180:
        return one(out, 'b'); /* ƀ */
    case 0x0268:
        return one(out, 'i'); /* ɨ */
    /* Apostrophes join: O'Brien, O’Brien and OBrien are one name. */
    case 0x00B7: /* middle dot of Catalan l·l */
    case 0x02BB:
    case 0x02BC:
    case 0x2018:
    case 0x2019:
    case 0x2032:
        return 0;
    }
    return -1;
}

static int arabic(int32_t cp, int32_t out[2])
{
    if (cp >= 0x0660 && cp <= 0x0669) return one(out, '0' + (cp - 0x0660));
    if (cp >= 0x06F0 && cp <= 0x06F9) return one(out, '0' + (cp - 0x06F0));
    if ((cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || cp == 0x0640) return 0;
    switch (cp) {
    case 0x0649: /* alef maksura */
    case 0x064A:
        return one(out, 0x06CC); /* Arabic yeh -> Persian yeh */
    case 0x0643:
        return one(out, 0x06A9); /* Arabic kaf -> keheh */
    case 0x0629:                 /* teh marbuta */
    case 0x06C0:                 /* heh with yeh above (decomposes to ە) */
    case 0x06C1:                 /* heh goal */
    case 0x06C3:                 /* teh marbuta goal */
    case 0x06D5:
        return one(out, 0x0647); /* ae */
    case 0x0671:                 /* alef wasla */
    case 0x0672:                 /* alef with wavy hamza */
    case 0x0673:
        return one(out, 0x0627);
    }
    return -1;
}

int kt_unify_letter(int32_t cp, int32_t out[2])
{
    if (cp < 0x0600) return latin(cp, out);
    if (cp <= 0x06FF) return arabic(cp, out);
    if (cp >= 0x2000) return latin(cp, out);
    return -1;
}
