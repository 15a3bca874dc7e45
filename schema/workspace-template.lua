-- kartoteka.lua: what this business keeps about its clients.
--
-- Kartoteka reads this file on every command and brings the database in line with it: a new
-- field becomes a new column (existing records keep everything they had); a field made
-- required applies to every later save, and `kt check` lists the records that miss it.
-- Nothing here deletes data. Built-in entities (person, company, deal, activity, sale, task)
-- and their fields are listed by `kt field list`.

-- Settings for the whole workspace.
settings {
  country = "PL",                -- default country for phone numbers
  timezone = "Europe/Warsaw",    -- "today" for campaigns and kt.today()
}

-- Plugins add field types and functions: phone numbers to E.164, national ids.
plugin "phone"
plugin "xlsx"                -- reads .xlsx files for kt import
-- plugin "ids_pl"               -- pl.nip, pl.regon, pl.pesel

-- Your own fields. Types: text, integer, decimal, date, datetime, bool, enum, set, email,
-- phone, url, ref. Properties: label, required, default, options, pattern, min, max,
-- max_length, unique, searchable, pii.
--
-- field "person.expected_gifts" {
--   type = "text", required = true,
--   label = { en = "Expected gifts", pl = "Oczekiwane prezenty" },
-- }
-- field "person.pets" {
--   type = "set", required = true,
--   options = { "dog", "cat", "fish", "bird", "hamster", "rabbit", "none" },
--   label = { en = "Pets", pl = "Zwierzęta" },
-- }
-- field "person.loyalty_card" { type = "text", pattern = "^[0-9]{8}$", unique = true }

-- Rules run on every save, from every door (command line, imports, scripts).
-- rule "person.reachable" {
--   message = "a client needs a mobile number or an e-mail",
--   check = function(r) return r.mobile ~= nil or r.email ~= nil end,
-- }
