/* The two static files every page uses: the style sheet and the small script (search as you
 * type in reference fields). No inline script or style anywhere, so the CSP forbids them all. */
#include <string.h>

#include "web.h"

static const char css[] =
    "*{box-sizing:border-box}body{font:16px/1.4 system-ui,sans-serif;margin:0;color:#222}"
    "header{background:#234;color:#fff;padding:.4em;display:flex;flex-wrap:wrap;gap:.5em;"
    "align-items:center}header a{color:#fff}nav ul{list-style:none;margin:0;padding:0;"
    "display:flex;flex-wrap:wrap;gap:.8em}main{padding:1em;max-width:70em}"
    "table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.3em;"
    "text-align:start}.error{color:#a00}.error p{margin:.2em 0}[aria-invalid=true]{border:2px "
    "solid #a00}.field{margin:.5em 0}.field label,.field legend{display:block;font-weight:600}"
    "fieldset.field{border:1px solid #ccc}.check{display:inline-block;margin-inline-end:1em}"
    ".check label{display:inline;font-weight:400}input,select,textarea{font:inherit;"
    "max-width:100%}input[type=text],input[type=email],input[type=tel],input[type=url],textarea,"
    "input:not([type]){width:30em}.req{color:#a00;text-decoration:none}.inline{display:inline}"
    ".button,button{display:inline-block;padding:.3em .7em;border:1px solid #456;"
    "background:#eef;color:#123;text-decoration:none;border-radius:3px;cursor:pointer}"
    ".actions{margin:.5em 0;display:flex;flex-wrap:wrap;gap:.5em}.board{display:flex;gap:1em;"
    "overflow-x:auto}.stage{min-width:14em}.stage ul{list-style:none;padding:0}.deal{border:"
    "1px solid #ccc;margin:.3em 0;padding:.3em}.sr{position:absolute;left:-9999px}"
    ".dupes{border:2px solid #c80;padding:.5em}.timeline time{color:#666}"
    ".picker{list-style:none;padding:0;margin:0;border:1px solid #ccc}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:600}"
    "@media(max-width:40em){input,textarea,select{width:100%!important}}";

/* A reference field: typing searches the same find as the search box (/api/v1/find, with the
 * browser's session) and offers the matches; choosing one puts its id in the field. */
static const char js[] =
    "document.querySelectorAll('input[data-ref]').forEach(function(input){\n"
    "  var list=document.createElement('ul');list.className='picker';\n"
    "  input.after(list);var timer;\n"
    "  input.addEventListener('input',function(){clearTimeout(timer);var q=input.value;\n"
    "    if(q.length<2||/^[0-9]+$/.test(q)){list.textContent='';return;}\n"
    "    timer=setTimeout(function(){fetch('/api/v1/find?q='+encodeURIComponent(q),"
    "{credentials:'same-origin'}).then(function(r){return r.ok?r.json():[];})"
    ".then(function(rows){list.textContent='';var kinds=input.dataset.ref.split('|');\n"
    "      rows.filter(function(r){return kinds.indexOf(r.entity)>=0;}).slice(0,10)"
    ".forEach(function(r){\n"
    "        var li=document.createElement('li'),b=document.createElement('button');\n"
    "        b.type='button';b.textContent=[r.first_name,r.last_name,r.name,r.title]"
    ".filter(Boolean).join(' ')+' #'+r.id;\n"
    "        b.addEventListener('click',function(){input.value=r.id;list.textContent='';});\n"
    "        li.appendChild(b);list.appendChild(li);});});},250);});\n"
    "});\n";

enum MHD_Result web_static(web_req *w)
{
    const char *name = w->nseg == 2 ? w->seg[1] : "";
    const char *body = !strcmp(name, "kt.css") ? css : !strcmp(name, "kt.js") ? js : NULL;
    if (!body) return web_fail(w, MHD_HTTP_NOT_FOUND, web_word(w, "There is no such page."));
    web_body b = {(char *)body,
                  strlen(body),
                  0,
                  body == css ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
                  NULL,
                  NULL,
                  "max-age=3600"};
    return web_send_body(w, MHD_HTTP_OK, &b);
}
