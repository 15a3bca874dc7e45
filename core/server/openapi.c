/* GET /openapi.json: an OpenAPI 3.0 document made from the field registry at request time, so
 * it always says what this workspace holds: each entity's fields, types, options, bounds and
 * required flags, and the routes of the API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/json.h"
#include "server.h"

static cJSON *ref_to(const char *name)
{
    char ref[160];
    snprintf(ref, sizeof ref, "#/components/schemas/%s", name);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "$ref", ref);
    return o;
}

static void add_number(cJSON *o, const char *key, const char *text)
{
    char *end;
    double d = text ? strtod(text, &end) : 0;
    if (text && *text && !*end) cJSON_AddNumberToObject(o, key, d);
}

static cJSON *options(const kt_field *f)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < f->noptions; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(f->options[i]));
    return a;
}

/* A field as a schema: the JSON kt_json_record writes for it. */
static cJSON *field_schema(const kt_field *f)
{
    cJSON *s = cJSON_CreateObject();
    const char *type = "string", *format = NULL;
    switch (f->kind) {
    case KT_TYPE_INTEGER:
        type = "integer";
        break;
    case KT_TYPE_BOOL:
        type = "boolean";
        break;
    case KT_TYPE_SET:
        type = "array";
        break;
    case KT_TYPE_DATE:
        format = "date";
        break;
    case KT_TYPE_DATETIME:
        format = "date-time";
        break;
    case KT_TYPE_EMAIL:
        format = "email";
        break;
    case KT_TYPE_URL:
        format = "uri";
        break;
    default:
        break;
    }
    cJSON_AddStringToObject(s, "type", type);
    if (format) cJSON_AddStringToObject(s, "format", format);
    if (f->kind == KT_TYPE_SET) {
        cJSON *items = cJSON_AddObjectToObject(s, "items");
        cJSON_AddStringToObject(items, "type", "string");
        if (f->noptions) cJSON_AddItemToObject(items, "enum", options(f));
    } else {
        cJSON_AddBoolToObject(s, "nullable", 1);
    }
    if (f->kind == KT_TYPE_ENUM && f->noptions) {
        cJSON *e = options(f);
        cJSON_AddItemToArray(e, cJSON_CreateNull()); /* empty reads as null */
        cJSON_AddItemToObject(s, "enum", e);
    }
    if (f->kind == KT_TYPE_INTEGER) {
        add_number(s, "minimum", f->min);
        add_number(s, "maximum", f->max);
    }
    if (f->kind == KT_TYPE_DECIMAL) cJSON_AddStringToObject(s, "pattern", "^-?[0-9]+([.][0-9]+)?$");
    if (f->max_length > 0) cJSON_AddNumberToObject(s, "maxLength", (double)f->max_length);
    cJSON *label = f->label ? cJSON_Parse(f->label) : NULL;
    const cJSON *en = cJSON_GetObjectItem(label, "en");
    char desc[256];
    snprintf(desc, sizeof desc, "%s%s%s%s", cJSON_IsString(en) ? en->valuestring : f->name,
             f->ref ? " (the id of a " : "", f->ref ? f->ref : "", f->ref ? ")" : "");
    cJSON_AddStringToObject(s, "description", desc);
    cJSON_Delete(label);
    if (strcmp(f->type, kt_type_name(f->kind)) != 0)
        cJSON_AddStringToObject(s, "x-kartoteka-type", f->type);
    if (f->pii) cJSON_AddBoolToObject(s, "x-kartoteka-pii", 1);
    return s;
}

/* "<entity>": a record as read; "<entity>_input": the fields a POST or PATCH may send. */
static void entity_schemas(cJSON *schemas, const kt_entity *e)
{
    cJSON *rec = cJSON_CreateObject(), *in = cJSON_CreateObject();
    cJSON_AddStringToObject(rec, "type", "object");
    cJSON_AddStringToObject(in, "type", "object");
    cJSON *props = cJSON_AddObjectToObject(rec, "properties");
    cJSON *iprops = cJSON_AddObjectToObject(in, "properties");
    cJSON *req = cJSON_AddArrayToObject(rec, "required"), *ireq = cJSON_CreateArray();
    static const char *const own[] = {"id", "entity", "state"};
    for (size_t i = 0; i < 3; i++) {
        cJSON *p = cJSON_AddObjectToObject(props, own[i]);
        cJSON_AddStringToObject(p, "type", "string");
        cJSON_AddBoolToObject(p, "readOnly", 1);
        cJSON_AddItemToArray(req, cJSON_CreateString(own[i]));
    }
    cJSON *state = cJSON_GetObjectItem(props, "state"), *st = cJSON_AddArrayToObject(state, "enum");
    cJSON_AddItemToArray(st, cJSON_CreateString("active"));
    cJSON_AddItemToArray(st, cJSON_CreateString("archived"));
    cJSON_AddItemToArray(st, cJSON_CreateString("merged"));
    cJSON *merged = cJSON_AddObjectToObject(props, "merged_into");
    cJSON_AddStringToObject(merged, "type", "string");
    cJSON_AddBoolToObject(merged, "readOnly", 1);
    for (size_t i = 0; i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        cJSON_AddItemToObject(props, f->name, field_schema(f));
        cJSON_AddItemToObject(iprops, f->name, field_schema(f));
        if (f->required && !f->default_value && !f->default_fn)
            cJSON_AddItemToArray(ireq, cJSON_CreateString(f->name));
    }
    if (cJSON_GetArraySize(ireq))
        cJSON_AddItemToObject(in, "required", ireq);
    else
        cJSON_Delete(ireq);
    cJSON_AddBoolToObject(in, "additionalProperties", 0);
    char name[96];
    snprintf(name, sizeof name, "%s_input", e->name);
    cJSON_AddItemToObject(schemas, e->name, rec);
    cJSON_AddItemToObject(schemas, name, in);
}

static cJSON *response(cJSON *paths_parent, const char *code, const char *desc, cJSON *schema)
{
    cJSON *r = cJSON_AddObjectToObject(paths_parent, code);
    cJSON_AddStringToObject(r, "description", desc);
    if (schema) {
        cJSON *c = cJSON_AddObjectToObject(r, "content");
        cJSON *j = cJSON_AddObjectToObject(c, "application/json");
        cJSON_AddItemToObject(j, "schema", schema);
    }
    return r;
}

static cJSON *array_of(cJSON *items)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "type", "array");
    cJSON_AddItemToObject(a, "items", items);
    return a;
}

static void errors(cJSON *responses, const char *const *codes)
{
    static const struct {
        const char *code, *desc;
    } all[] = {{"400", "a bad request"},
               {"401", "no valid token"},
               {"403", "the role may not"},
               {"404", "not found"},
               {"409", "a probable duplicate (with candidates)"},
               {"412", "If-Match is stale"},
               {"413", "the body is too large"},
               {"422", "the write door's failures"}};
    for (size_t i = 0; codes[i]; i++)
        for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
            if (!strcmp(codes[i], all[k].code))
                response(responses, all[k].code, all[k].desc, ref_to("Error"));
}

static cJSON *operation(cJSON *path, const char *method, const char *summary, const char *id)
{
    cJSON *op = cJSON_AddObjectToObject(path, method);
    cJSON_AddStringToObject(op, "summary", summary);
    cJSON_AddStringToObject(op, "operationId", id);
    return op;
}

static void parameter(cJSON *op, const char *name, const char *in, const char *type, int required,
                      const char *desc)
{
    cJSON *ps = cJSON_GetObjectItem(op, "parameters");
    if (!ps) ps = cJSON_AddArrayToObject(op, "parameters");
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "name", name);
    cJSON_AddStringToObject(p, "in", in);
    cJSON_AddBoolToObject(p, "required", required);
    cJSON_AddStringToObject(p, "description", desc);
    cJSON *s = cJSON_AddObjectToObject(p, "schema");
    if (!strcmp(type, "string[]")) {
        cJSON_AddStringToObject(s, "type", "array");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(s, "items"), "type", "string");
        cJSON_AddStringToObject(p, "style", "form");
        cJSON_AddBoolToObject(p, "explode", 1);
    } else {
        cJSON_AddStringToObject(s, "type", type);
    }
    cJSON_AddItemToArray(ps, p);
}

static void body(cJSON *op, const char *schema)
{
    cJSON *b = cJSON_AddObjectToObject(op, "requestBody");
    cJSON_AddBoolToObject(b, "required", 1);
    cJSON *c = cJSON_AddObjectToObject(b, "content");
    cJSON_AddItemToObject(cJSON_AddObjectToObject(c, "application/json"), "schema", ref_to(schema));
}

static void entity_paths(cJSON *paths, const kt_entity *e)
{
    char p[128], id[160], input[96];
    snprintf(input, sizeof input, "%s_input", e->name);
    snprintf(p, sizeof p, "/%s", e->name);
    cJSON *list = cJSON_AddObjectToObject(paths, p);
    snprintf(id, sizeof id, "list_%s", e->name);
    cJSON *op = operation(list, "get", "list records (by id, a page at a time)", id);
    parameter(op, "q", "query", "string", 0, "search text (alone)");
    parameter(op, "where", "query", "string[]", 0, "a filter: field=value, !=, <, <=, >, >=, ~");
    parameter(op, "state", "query", "string", 0, "active (default), archived or all");
    parameter(op, "sort", "query", "string", 0,
              "id (default), or fields by commas, '-' before one sorts it descending");
    parameter(op, "limit", "query", "integer", 0, "1 to 1000, default 50");
    parameter(op, "after", "query", "string", 0, "the last id of the page before (id order)");
    parameter(op, "offset", "query", "integer", 0, "records to skip (sorted by fields)");
    cJSON *rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "200", "records; a Link header points at the next page",
             array_of(ref_to(e->name)));
    errors(rs, (const char *const[]){"400", "401", "403", NULL});
    snprintf(id, sizeof id, "create_%s", e->name);
    op = operation(list, "post", "create a record through the write door", id);
    parameter(op, "allow_duplicate", "query", "string", 0, "1 saves a probable duplicate");
    body(op, input);
    rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "201", "created", ref_to(e->name));
    errors(rs, (const char *const[]){"400", "401", "403", "409", "413", "422", NULL});

    snprintf(p, sizeof p, "/%s/{id}", e->name);
    cJSON *one = cJSON_AddObjectToObject(paths, p);
    snprintf(id, sizeof id, "get_%s", e->name);
    op = operation(one, "get", "one record; its version is the ETag", id);
    parameter(op, "id", "path", "string", 1, "the record's id");
    rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "200", "the record", ref_to(e->name));
    errors(rs, (const char *const[]){"401", "403", "404", NULL});
    snprintf(id, sizeof id, "change_%s", e->name);
    op = operation(one, "patch", "change the fields sent", id);
    parameter(op, "id", "path", "string", 1, "the record's id");
    parameter(op, "If-Match", "header", "string", 0, "the version read (its ETag)");
    body(op, input);
    rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "200", "the record as changed", ref_to(e->name));
    errors(rs, (const char *const[]){"400", "401", "403", "404", "412", "413", "422", NULL});

    static const char *const acts[] = {"archive", "restore"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "/%s/{id}/%s", e->name, acts[i]);
        snprintf(id, sizeof id, "%s_%s", acts[i], e->name);
        op = operation(cJSON_AddObjectToObject(paths, p), "post", acts[i], id);
        parameter(op, "id", "path", "string", 1, "the record's id");
        rs = cJSON_AddObjectToObject(op, "responses");
        response(rs, "200", "the record", ref_to(e->name));
        errors(rs, (const char *const[]){"401", "403", "404", "409", NULL});
    }
    snprintf(p, sizeof p, "/%s/{id}/history", e->name);
    snprintf(id, sizeof id, "history_%s", e->name);
    op = operation(cJSON_AddObjectToObject(paths, p), "get", "every change, oldest first", id);
    parameter(op, "id", "path", "string", 1, "the record's id");
    rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "200", "the history", array_of(ref_to("change")));
    errors(rs, (const char *const[]){"401", "404", NULL});
}

static cJSON *any_object(void);

static cJSON *object_of(const char *const *names, const char *const *types)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", "object");
    cJSON *props = cJSON_AddObjectToObject(o, "properties");
    for (size_t i = 0; names[i]; i++) {
        cJSON *p = cJSON_AddObjectToObject(props, names[i]);
        if (types[i][0] == '#') {
            cJSON_AddItemToObject(p, "$ref", cJSON_CreateString(types[i]));
            continue;
        }
        cJSON_AddStringToObject(p, "type", types[i]);
        if (strcmp(types[i], "array") == 0) cJSON_AddObjectToObject(p, "items");
        if (strcmp(types[i], "string") == 0) cJSON_AddBoolToObject(p, "nullable", 1);
    }
    return o;
}

static void common(cJSON *schemas, cJSON *paths)
{
    cJSON_AddItemToObject(schemas, "change",
                          object_of((const char *const[]){"at", "action", "field", "old", "new",
                                                          "source", "batch", NULL},
                                    (const char *const[]){"string", "string", "string", "string",
                                                          "string", "string", "integer"}));
    cJSON *err =
        object_of((const char *const[]){"status", "message", "failures", "candidates", NULL},
                  (const char *const[]){"integer", "string", "array", "array"});
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "type", "object");
    cJSON_AddItemToObject(cJSON_AddObjectToObject(e, "properties"), "error", err);
    cJSON_AddItemToObject(schemas, "Error", e);
    cJSON *op =
        operation(cJSON_AddObjectToObject(paths, "/fields"), "get", "the field registry", "fields");
    parameter(op, "entity", "query", "string", 0, "only this entity's");
    cJSON *rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "200", "fields", array_of(any_object()));
    errors(rs, (const char *const[]){"401", "404", NULL});
    cJSON *consents = cJSON_AddObjectToObject(paths, "/person/{id}/consents");
    op = operation(consents, "get", "a person's consents: the state per purpose and every row",
                   "consents_person");
    parameter(op, "id", "path", "string", 1, "the person's id");
    rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "200", "{person, marketing_consent, current, history}", any_object());
    errors(rs, (const char *const[]){"401", "403", "404", NULL});
    op = operation(consents, "post", "give or withdraw a consent, with its proof (staff)",
                   "consent_person");
    parameter(op, "id", "path", "string", 1, "the person's id");
    cJSON *cb = cJSON_AddObjectToObject(op, "requestBody");
    cJSON_AddBoolToObject(cb, "required", 1);
    cJSON_AddItemToObject(
        cJSON_AddObjectToObject(cJSON_AddObjectToObject(cb, "content"), "application/json"),
        "schema",
        object_of(
            (const char *const[]){"purpose", "action", "source", "wording", "wording_text", "note",
                                  NULL},
            (const char *const[]){"string", "string", "string", "string", "string", "string"}));
    rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "201", "the consents as they are now", any_object());
    errors(rs, (const char *const[]){"400", "401", "403", "404", NULL});
    op = operation(cJSON_AddObjectToObject(paths, "/merge"), "post",
                   "merge duplicates into a winner (manager)", "merge");
    cJSON *mb = cJSON_AddObjectToObject(op, "requestBody");
    cJSON_AddBoolToObject(mb, "required", 1);
    cJSON_AddItemToObject(
        cJSON_AddObjectToObject(cJSON_AddObjectToObject(mb, "content"), "application/json"),
        "schema",
        object_of((const char *const[]){"winner", "losers", NULL},
                  (const char *const[]){"string", "array"}));
    rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "200", "the winner, the merged ids and the record now", any_object());
    errors(rs, (const char *const[]){"400", "401", "403", "404", "409", NULL});
    op = operation(cJSON_AddObjectToObject(paths, "/find"), "get", "search every entity", "find");
    parameter(op, "q", "query", "string", 1, "the text");
    parameter(op, "limit", "query", "integer", 0, "1 to 1000, default 50");
    rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "200", "records of any entity", array_of(any_object()));
    errors(rs, (const char *const[]){"400", "401", NULL});
}

static cJSON *any_object(void)
{
    cJSON *any = cJSON_CreateObject();
    cJSON_AddStringToObject(any, "type", "object");
    return any;
}

/* Reports, duplicates and imports. */
static void analyses(cJSON *paths)
{
    cJSON *op = operation(cJSON_AddObjectToObject(paths, "/reports/{name}"), "get",
                          "run a report (staff): its parameters as query arguments", "report");
    parameter(op, "name", "path", "string", 1, "the report, as kt report list names it");
    cJSON *rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "200", "the report's rows", array_of(any_object()));
    errors(rs, (const char *const[]){"400", "401", "403", "404", NULL});

    op = operation(cJSON_AddObjectToObject(paths, "/dupes/{entity}"), "get",
                   "clusters of likely duplicates, best first", "dupes");
    parameter(op, "entity", "path", "string", 1, "the entity");
    parameter(op, "threshold", "query", "number", 0, "in (0, 1]; default the entity's rule's");
    rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "200", "clusters",
             array_of(object_of((const char *const[]){"ids", "score", NULL},
                                (const char *const[]){"array", "number"})));
    errors(rs, (const char *const[]){"400", "401", "403", "404", NULL});

    op = operation(cJSON_AddObjectToObject(paths, "/dupes/{entity}/review"), "get",
                   "the pairs the model is least sure of (nearest 0.5) with their explanation, "
                   "to label (who may merge)",
                   "dupesReview");
    parameter(op, "entity", "path", "string", 1, "the entity");
    parameter(op, "limit", "query", "integer", 0, "1 to 1000, default 10");
    rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "200",
             "pairs nearest 0.5 first: ids, score, probability, trained, queued and per "
             "field the two values, the level and the weight",
             array_of(object_of((const char *const[]){"ids", "score", "probability", "trained",
                                                      "queued", "fields", NULL},
                                (const char *const[]){"array", "number", "number", "boolean",
                                                      "boolean", "array"})));
    errors(rs, (const char *const[]){"400", "401", "403", "404", NULL});

    op = operation(cJSON_AddObjectToObject(paths, "/dupes/{entity}/label"), "post",
                   "label a pair: same (reported whatever it scores, a match in training), "
                   "distinct (never proposed again) or clear (who may merge)",
                   "dupesLabel");
    parameter(op, "entity", "path", "string", 1, "the entity");
    cJSON *lb = cJSON_AddObjectToObject(op, "requestBody");
    cJSON_AddBoolToObject(lb, "required", 1);
    cJSON *lschema = object_of((const char *const[]){"a", "b", "label", NULL},
                               (const char *const[]){"integer", "integer", "string"});
    cJSON *lenum = cJSON_AddArrayToObject(
        cJSON_GetObjectItem(cJSON_GetObjectItem(lschema, "properties"), "label"), "enum");
    for (int i = 0; i < 3; i++)
        cJSON_AddItemToArray(
            lenum, cJSON_CreateString((const char *const[]){"same", "distinct", "clear"}[i]));
    cJSON_AddItemToObject(
        cJSON_AddObjectToObject(cJSON_AddObjectToObject(lb, "content"), "application/json"),
        "schema", lschema);
    rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "200", "the pair and its label",
             object_of((const char *const[]){"ids", "label", NULL},
                       (const char *const[]){"array", "string"}));
    errors(rs, (const char *const[]){"400", "401", "403", "404", NULL});

    op = operation(cJSON_AddObjectToObject(paths, "/import"), "post",
                   "import a file through a script in imports/ (manager)", "import");
    cJSON *b = cJSON_AddObjectToObject(op, "requestBody");
    cJSON_AddBoolToObject(b, "required", 1);
    cJSON *form = object_of((const char *const[]){"file", "script", "dry_run", "on_match", NULL},
                            (const char *const[]){"string", "string", "string", "string"});
    cJSON *props = cJSON_GetObjectItem(form, "properties");
    cJSON_AddStringToObject(cJSON_GetObjectItem(props, "file"), "format", "binary");
    cJSON *req = cJSON_AddArrayToObject(form, "required");
    cJSON_AddItemToArray(req, cJSON_CreateString("file"));
    cJSON_AddItemToArray(req, cJSON_CreateString("script"));
    cJSON_AddItemToObject(
        cJSON_AddObjectToObject(cJSON_AddObjectToObject(b, "content"), "multipart/form-data"),
        "schema", form);
    rs = cJSON_AddObjectToObject(op, "responses");
    response(rs, "200", "the counts, and the refused rows with their reasons", any_object());
    errors(rs, (const char *const[]){"400", "401", "403", "404", "413", NULL});
}

/* A request body of one JSON object with the given string members. */
static void json_body(cJSON *op, int required, const char *const *names, const char *const *types)
{
    cJSON *b = cJSON_AddObjectToObject(op, "requestBody");
    cJSON_AddBoolToObject(b, "required", required);
    cJSON_AddItemToObject(
        cJSON_AddObjectToObject(cJSON_AddObjectToObject(b, "content"), "application/json"),
        "schema", object_of(names, types));
}

/* A person's export and erasure (README, Personal data). */
static void privacy(cJSON *paths)
{
    static const char *const result[] = {"id",           "action",   "records", "fields",
                                         "related",      "messages", "files",   "kept_files",
                                         "checkpointed", NULL};
    static const char *const result_types[] = {"string",  "string",  "integer",
                                               "integer", "integer", "integer",
                                               "integer", "integer", "boolean"};
    cJSON *op =
        operation(cJSON_AddObjectToObject(paths, "/person/{id}/export"), "get",
                  "everything held about a person (GDPR articles 15 and 20)", "export_person");
    parameter(op, "id", "path", "string", 1, "the person's id");
    parameter(op, "format", "query", "string", 0, "json (default) or html");
    cJSON *rs = cJSON_AddObjectToObject(op, "responses");
    cJSON *ok =
        response(rs, "200", "the document (kt person export), or its HTML page", any_object());
    cJSON_AddObjectToObject(cJSON_GetObjectItem(ok, "content"), "text/html");
    errors(rs, (const char *const[]){"400", "401", "403", "404", NULL});
    static const char *const verbs[] = {"erase", "anonymise"};
    for (size_t i = 0; i < 2; i++) {
        char path[48], id[32];
        snprintf(path, sizeof path, "/person/{id}/%s", verbs[i]);
        snprintf(id, sizeof id, "%s_person", verbs[i]);
        op = operation(cJSON_AddObjectToObject(paths, path), "post",
                       i ? "keep the record for statistics, erase the rest (manager)"
                         : "erase every personal value of the person everywhere (manager)",
                       id);
        parameter(op, "id", "path", "string", 1, "the person's id");
        json_body(op, !i, (const char *const[]){"reason", NULL}, (const char *const[]){"string"});
        rs = cJSON_AddObjectToObject(op, "responses");
        response(rs, "200", "what was erased (kt person erase --json)",
                 object_of(result, result_types));
        errors(rs, (const char *const[]){"400", "401", "403", "404", "422", NULL});
    }
}

enum MHD_Result srv_openapi(srv_req *r)
{
    if (strcmp(r->method, "GET") != 0)
        return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET", NULL);
    kt_registry *reg = kt_ws_registry(r->ws);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "openapi", "3.0.3");
    cJSON *info = cJSON_AddObjectToObject(doc, "info");
    cJSON_AddStringToObject(info, "title", "Kartoteka");
    cJSON_AddStringToObject(info, "version", KT_SERVER_VERSION);
    cJSON *server = cJSON_CreateObject();
    cJSON_AddStringToObject(server, "url", "/api/v1");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "servers"), server);
    cJSON *bearer = cJSON_CreateObject();
    cJSON_AddItemToObject(bearer, "bearer", cJSON_CreateArray());
    cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "security"), bearer);
    cJSON *paths = cJSON_AddObjectToObject(doc, "paths");
    cJSON *comp = cJSON_AddObjectToObject(doc, "components");
    cJSON *schemes = cJSON_AddObjectToObject(comp, "securitySchemes");
    cJSON *scheme = cJSON_AddObjectToObject(schemes, "bearer");
    cJSON_AddStringToObject(scheme, "type", "http");
    cJSON_AddStringToObject(scheme, "scheme", "bearer");
    cJSON *schemas = cJSON_AddObjectToObject(comp, "schemas");
    common(schemas, paths);
    analyses(paths);
    privacy(paths);
    for (size_t i = 0; i < kt_registry_entity_count(reg); i++) {
        const kt_entity *e = kt_registry_entity_at(reg, i);
        entity_schemas(schemas, e);
        entity_paths(paths, e);
    }
    return srv_reply_json(r, MHD_HTTP_OK, doc, NULL);
}
