-- A pet shop's client base: what the owner decided every client record must hold.
-- Try it: kt init shop --example pet-shop && cd shop && kt field list person

settings {
  country = "PL",             -- phone numbers without +CC are Polish unless the record says otherwise
  timezone = "Europe/Warsaw",
}

plugin "phone"                -- phone numbers stored as E.164, checked per country
plugin "xlsx"                 -- kt import reads Excel files

-- The built-in person, tightened: a client has a name, and only these genders.
field "person.first_name" { required = true }
field "person.last_name"  { required = true }
field "person.gender"     { options = { "F", "M" } }

-- Notes are kept byte for byte (a leading tab, a trailing CR): not trimmed like names are.
field "person.notes" { trim = false }

-- The shop's own mandatory fields.
field "person.expected_gifts" {
  type = "text", required = true, searchable = true,
  label = { en = "Expected gifts", pl = "Oczekiwane prezenty" },
}
field "person.pets" {
  type = "set", required = true,
  options = { "dog", "cat", "fish", "bird", "hamster", "rabbit", "none" },
  label = { en = "Pets", pl = "Zwierzęta" },
}
field "person.loyalty_card" {
  type = "text", pattern = "^[0-9]{8}$", unique = true,
  label = { en = "Loyalty card", pl = "Karta stałego klienta" },
}

rule "person.reachable" {
  message = "a client needs a mobile number or an e-mail",
  check = function(r) return r.mobile ~= nil or r.email ~= nil end,
}
rule "person.birth_date_past" {
  fields = { "birth_date" },
  message = "the date of birth is in the future",
  check = function(r) return r.birth_date == nil or r.birth_date <= kt.today() end,
}
rule "person.mobile_ir" {        -- the seeds' mobile rule, as a warning (kind = "mobile" refuses)
  severity = "warning",
  fields = { "mobile" },
  message = "an Iranian client's mobile is not a mobile number (09xx xxx xxxx)",
  check = function(r)
    return r.country ~= "IR" or r.mobile == nil or kt.phone.type(r.mobile) == "mobile"
  end,
}

-- Birthday offers: each client whose birthday is exactly 7 days after the run date, with an
-- e-mail or a mobile and marketing consent, gets one offer listing their expected gifts, at
-- most once a year. Messages go to the outbox/ folder (.eml mail, .sms text) until settings
-- name real channels (email_channel = "smtp" with smtp_url, smtp_from, ...; sms_channel =
-- "sms_http" with sms_http_url, sms_http_from, ...). Run by `kt due` (cron or a timer).
campaign "birthday" {
  entity = "person",
  schedule = "daily 08:00",
  filter = { marketing_consent = "yes" },   -- narrowed in SQL before any Lua runs
  -- birthdays 7 days ahead, found in SQL (29 February on 28 February in common years); `also`
  -- is asked only about those
  audience = { anniversary = "birth_date", days_ahead = 7,
               also = function(r, day) return r.email ~= nil or r.mobile ~= nil end },
  key = function(r, day) return "birthday-" .. kt.date.year(day + 7) end,
  action = function(r, day)
    local channel, to = "email", r.email
    if to == nil then channel, to = "sms", r.mobile end
    kt.send { channel = channel, to = to, template = "birthday_offer",
              data = { name = r.first_name, gifts = r.expected_gifts, birthday = day + 7 } }
    kt.task { title = "Call about the birthday offer", person = r.id, due = day + 5 }
  end,
}
