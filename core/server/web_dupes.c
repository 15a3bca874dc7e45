#include "web.h"

enum MHD_Result web_dupes(web_req *w)
{
    return web_fail(w, MHD_HTTP_NOT_FOUND, web_word(w, "There is no such page."));
}
