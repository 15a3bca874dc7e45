/* Report files in Lua as an object of the registry: the report layer finds reports/NAME.lua
 * and asks whoever runs "lua" files, so it never knows a script language. */
#include "kartoteka/ext.h"
#include "script/report_lua_int.h"

static const kt_ext_report_files lua_report_files = {"lua", report_lua_describe, report_lua_run,
                                                     NULL};

kt_status kt_lua_register_report_files(kt_ext *x, kt_error *err)
{
    if (kt_ext_find(x, KT_EXT_REPORT_FILES, lua_report_files.name)) return KT_OK;
    return kt_ext_add(x, KT_EXT_REPORT_FILES, &lua_report_files, "core", err);
}
