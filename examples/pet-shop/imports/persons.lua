-- Import of a client list shaped like persons.csv (UTF-8, ",", English headers):
--   kt import persons.csv --script imports/persons.lua [--dry-run] [--rejects rejects.csv]
-- Values go to the write door as they are written in the file: the workspace's rules decide
-- what is rejected (a bad e-mail, a phone of the wrong length for its country, a date that is
-- not a real past date, an unknown pet, a gender other than F/M, a missing name, pets or gifts),
-- and the rejects file names every reason. Notes are stored byte for byte, never cleaned.
local clean = kt.text.clean   -- trims and squeezes spaces; "" becomes nil

local pets = { dog = "dog", cat = "cat", fish = "fish", bird = "bird", hamster = "hamster",
               rabbit = "rabbit", none = "none" }

return {
  entity = "person",
  read = { format = "csv" },                    -- encoding and delimiter are detected
  match = { "external_id", "email", "mobile" }, -- the first of these a row has decides
  on_match = "update",

  map = function(row, ctx)
    local person = {
      external_id       = clean(row.external_id),
      first_name        = clean(row.first_name),
      last_name         = clean(row.last_name),
      gender            = clean(row.gender),
      birth_date        = clean(row.birth_date),  -- YYYY-MM-DD or DD.MM.YYYY, both understood
      email             = clean(row.email),
      mobile            = clean(row.mobile),      -- any spelling; checked for its country
      city              = clean(row.city),
      street            = clean(row.street),
      postal_code       = clean(row.postal_code),
      country           = clean(row.country),
      pets              = ctx.translate(row.pets, pets), -- "dog,cat" -> { "dog", "cat" }
      expected_gifts    = clean(row.expected_gifts),
      source            = clean(row.source),
      marital_status    = clean(row.marital_status),
      marketing_consent = clean(row.marketing_consent),
      notes             = row.notes,
    }
    local company = clean(row.company)
    if not company then return person end
    -- The employer as a company record of its own, found by its exact name or created once
    -- (dedupe = false: similar names are for `kt dupes` to judge, not the import); the person
    -- refers to it by the row-local name "employer".
    person.company = { ref = "employer" }
    return {
      { entity = "company", ref = "employer", name = company, match = { "name" }, on_match = "skip",
        dedupe = false },
      person,
    }
  end,
}
