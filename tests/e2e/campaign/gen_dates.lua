-- People for comparing declared audiences with Lua ones: kt run gen_dates.lua N
-- Birthdays on every day of the year (29 February and the turn of the year among them, some in
-- years still to come), every 7th refused marketing, every 5th has no e-mail; last orders and
-- activities (done and planned) spread over the half year before April 2027.
local n = tonumber(kt.args[1]) or 400
local specials = { "02-28", "02-29", "03-01", "12-31", "01-01", "01-07", "01-08", "12-25" }
local function day_of(k) -- a month-day from a day number 0..365 of a leap year
  local lengths = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
  local m = 1
  while k >= lengths[m] do k = k - lengths[m]; m = m + 1 end
  return string.format("%02d-%02d", m, k + 1)
end
local function back(k) -- the date k days before 2027-04-01
  return tostring(kt.date.of("2027-04-01") - k)
end
for i = 1, n do
  local md = (i % 3 == 0) and specials[i % #specials + 1] or day_of(i * 37 % 366)
  local year = (md == "02-29") and (1980 + 4 * (i % 10)) or (1950 + i % 83) -- up to 2032
  local consent = (i % 7 == 0) and "no" or ((i % 11 == 0) and nil or "yes")
  local id, failures = kt.save { entity = "person", first_name = "P" .. i, last_name = "Date",
    email = (i % 5 ~= 0) and ("p" .. i .. "@example.com") or nil,
    birth_date = string.format("%d-%s", year, md), marketing_consent = consent,
    last_order = (i % 4 ~= 0) and back(i * 13 % 200) or nil }
  if not id then error("person " .. i .. ": " .. failures[1].message) end
  for k = 1, i % 3 do
    local aid, f2 = kt.save { entity = "activity", kind = "call", person = id,
      at = back((i * 17 + k * 41) % 220) .. "T09:30:00", status = (k == 2) and "planned" or "done" }
    if not aid then error("activity of " .. i .. ": " .. f2[1].message) end
  end
end
