-- Call-back reminders: a task for every client with no activity for N days
-- ("call the client back if nothing happened in N days").
--
-- As a script:      kt run <kartoteka scripts dir>/reminders.lua 60
-- From a campaign:  local reminders = require "reminders"
--                   campaign "call_back" (reminders.campaign { days = 60, schedule = "daily 07:00" })
--
-- A client is a person whose client_status is not "former client". Nothing happened = no
-- activity at all (of any kind) in the last N days, and the record itself is older than that.
-- A client who already has an open call-back task gets no second one.
local M = {}

M.title = "Call the client back"

local function day_of(text) return kt.date.of(text:sub(1, 10)) end

-- The day something last happened to r: its latest activity, else its creation.
function M.last_touch(r)
  local a = kt.last_activity(r.id)
  if a and a.at then return day_of(a.at) end
  local h = kt.history(r.id)
  if h[1] and h[1].at then return day_of(h[1].at) end
  return nil
end

function M.needs_call(r, day, days)
  if r.client_status == "former client" then return false end
  local last = M.last_touch(r)
  if last == nil or day - last < days then return false end
  return #kt.list("task", { person = r.id, status = "open", title = M.title }, { limit = 1 }) == 0
end

function M.make_task(r, day)
  return kt.task { title = M.title, person = r.id, due = day + 1 }
end

-- A campaign declaration (a table for campaign "name" (...)): not marketing, since a call-back
-- is service; once per client per quiet spell (the key is the day the spell started).
function M.campaign(opts)
  local days = opts.days or 60
  return {
    entity = "person",
    schedule = opts.schedule or "daily 07:00",
    marketing = false,
    audience = function(r, day) return M.needs_call(r, day, days) end,
    key = function(r, day) return "quiet-since-" .. tostring(M.last_touch(r)) end,
    action = function(r, day) M.make_task(r, day) end,
  }
end

-- The script: every person, today.
function M.run(days)
  local today = kt.date.today()
  local made = 0
  for _, r in ipairs(kt.list("person", {})) do
    if M.needs_call(r, today, days) then
      M.make_task(r, today)
      made = made + 1
    end
  end
  kt.print(string.format("%d call-back task(s) for clients quiet for %d days or more", made, days))
  return made
end

if select("#", ...) == 0 then -- run as a script, not required
  local days = tonumber(kt.args and kt.args[1])
  if not days or days < 1 then error("usage: kt run reminders.lua DAYS (a whole number of days)") end
  M.run(days)
end

return M
