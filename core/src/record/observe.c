/* The write door's observers: what must follow every written record (the search index) hears
 * of it here instead of being called by the door by name. */
#include "kartoteka/alloc.h"
#include "record/door.h"

kt_status kt_ws_observe_writes(kt_ws *ws, kt_written_fn fn, void *ud, kt_error *err)
{
    kt_door *door;
    kt_status st = kt_door_of(ws, &door, err);
    if (st) return st;
    for (size_t i = 0; i < door->nobservers; i++)
        if (door->observers[i].fn == fn && door->observers[i].ud == ud) return KT_OK;
    kt_door_observer *grown =
        kt_realloc(door->observers, (door->nobservers + 1) * sizeof *door->observers);
    if (!grown) return kt_error_set(err, KT_NOMEM, "out of memory");
    door->observers = grown;
    door->observers[door->nobservers++] = (kt_door_observer){fn, ud};
    return KT_OK;
}

kt_status kt_door_written(kt_ws *ws, const kt_record *old, const kt_record *full, kt_error *err)
{
    const kt_door *door = kt_door_peek(ws);
    kt_status st = KT_OK;
    for (size_t i = 0; !st && door && i < door->nobservers; i++)
        st = door->observers[i].fn(door->observers[i].ud, ws, old, full, err);
    return st;
}
