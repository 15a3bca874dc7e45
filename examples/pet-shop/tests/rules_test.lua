-- kt test runs this on an empty copy of the workspace: the shop's rules, as a consultant
-- would check them before importing a client's data.
local id, failures = kt.save { entity = "person", first_name = "Anna", last_name = "Nowak",
                               mobile = "600 100 200", pets = { "dog" }, expected_gifts = "book" }
assert(id, "a complete client is saved")

local none, why = kt.save { entity = "person", first_name = "Jan", last_name = "Kowalski",
                            pets = { "dog" }, expected_gifts = "wine" }
assert(none == nil, "a client with neither mobile nor e-mail is refused")
local rules = {}
for _, f in ipairs(why) do rules[f.rule] = true end
assert(rules["person.reachable"], "the reachable rule says why")

local bad = kt.save { entity = "person", first_name = "Ola", last_name = "Lis", email = "ola@example.com",
                      pets = { "lizard" }, expected_gifts = "book" }
assert(bad == nil, "a pet outside the list is refused")
