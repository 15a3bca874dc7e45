-- Generated pet-shop clients for the campaign tests: kt run gen_clients.lua N
-- Every 5th has a birthday on 8 March, every 7th refused marketing, every 11th never answered,
-- every 3rd has only a mobile; the gifts name the client ("gift-17") so messages can be checked.
local n = tonumber(kt.args[1]) or 100
local firsts = { "Anna", "Bartosz", "Celina", "Dawid", "Ewa", "Filip", "Grażyna", "Henryk", "Iga",
  "Jacek", "Kamila", "Leszek", "Marta", "Norbert", "Olga", "Piotr", "Renata", "Szymon", "Teresa",
  "Urszula", "Wiktor", "Zofia", "Adam", "Beata", "Cezary", "Dorota", "Emil", "Felicja", "Gustaw",
  "Halina", "Ignacy" }                                           -- 31 names
local lasts = { "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński",
  "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Krawczyk", "Piotrowski",
  "Grabowski", "Pawlak" }                                        -- 17: (i % 31, i % 17) unique below 527
for i = 1, n do
  local md = (i % 5 == 0) and "03-08" or string.format("%02d-%02d", (i % 12) + 1, (i % 27) + 1)
  local consent = "yes"
  if i % 7 == 0 then consent = "no" elseif i % 11 == 0 then consent = nil end
  local email, mobile = "c" .. i .. "@example.com", nil
  if i % 3 == 0 then email, mobile = nil, string.format("+48600%06d", i * 7919 % 1000000) end
  local id, failures = kt.save { entity = "person", first_name = firsts[i % 31 + 1], last_name = lasts[i % 17 + 1], notes = "client " .. i,
    email = email, mobile = mobile, pets = { "dog" }, expected_gifts = "gift-" .. i .. ", bone",
    birth_date = string.format("%d-%s", 1970 + i % 40, md), marketing_consent = consent }
  if not id then error("client " .. i .. ": " .. failures[1].message) end
end
