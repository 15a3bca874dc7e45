-- Import of a Polish Excel export of clients (klienci-excel-cp1250.csv): Windows-1250, ";",
-- Polish headers and values, dates DD.MM.YYYY, mobiles without +48, consent TAK/NIE.
--   kt import klienci.csv --script imports/klienci-excel.lua [--dry-run] [--rejects r.csv]
-- Polish values are translated to the workspace's options; a value the tables do not know is
-- passed on as written, so the rejects file shows it ("smok" is not one of: dog, cat, ...).
local clean = kt.text.clean

local pets = { pies = "dog", kot = "cat", rybki = "fish", ryba = "fish", ptak = "bird",
               chomik = "hamster", ["królik"] = "rabbit", brak = "none" }
local sources = { ["strona www"] = "website", gazeta = "newspaper", radio = "radio",
                  polecenie = "referral", specjalista = "specialist", wydarzenie = "event",
                  ["media społecznościowe"] = "social media", ["z ulicy"] = "walk-in",
                  inne = "other" }
local yes_no = { tak = "yes", nie = "no" }

return {
  entity = "person",
  read = { format = "csv", encoding = "cp1250", delimiter = ";" },
  match = { "external_id", "email", "mobile" },
  on_match = "update",

  map = function(row, ctx)
    return {
      external_id       = clean(row["Nr klienta"]),
      first_name        = clean(row["Imię"]),
      last_name         = clean(row["Nazwisko"]),
      birth_date        = clean(row["Data urodzenia"]),  -- DD.MM.YYYY: the date type reads it
      mobile            = clean(row["Telefon komórkowy"]), -- national: Polish (country PL)
      email             = clean(row["E-mail"]),
      city              = clean(row["Miejscowość"]),
      street            = clean(row["Ulica"]),
      postal_code       = clean(row["Kod pocztowy"]),
      country           = "PL",
      pets              = ctx.translate(row["Zwierzęta"], pets),
      expected_gifts    = clean(row["Oczekiwane prezenty"]),
      source            = ctx.translate(row["Źródło pozyskania"], sources),
      marketing_consent = ctx.translate(row["Zgoda marketingowa"], yes_no),
    }
  end,
}
