settings { country = "PL", script_time_ms = 500 }
entity "pet" { label = { en = "Pet" } }
field "pet.name" { type = "text", required = true, max_length = 40 }
field "pet.owner" { type = "ref", ref = "person" }
field "pet.weight" { type = "decimal", scale = 2 }
field "person.tags" { type = "set", options = { "vip", "new" } }
rule "pet.named" { message = "a pet needs a name", check = function(r) return r.name ~= nil end }
dedupe "person" { fields = { first_name = "name", email = "email" }, threshold = 0.9 }
campaign "hello" { entity = "person", when = "daily", where = { "city=Kraków" } }
