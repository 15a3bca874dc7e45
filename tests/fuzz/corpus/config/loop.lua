field "person.x" { type = "integer", unique = true, pattern = "^[0-9]+$" }
local t = {} for i = 1, 10 do t[i] = i end
