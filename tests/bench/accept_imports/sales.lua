-- Acceptance import of /work/shared/data/sales.csv (customer_external_id, date, amount): each
-- customer is found by external id, or created once as a stub client the pet shop's rules
-- accept, so every sale line lands whatever persons.csv rejected.
local function customer(ext)
  return { entity = "person", ref = "customer", external_id = ext, first_name = "Customer",
           last_name = ext, pets = { "none" }, expected_gifts = "-",
           email = ext:lower() .. "@example.com", match = { "external_id" }, on_match = "skip" }
end

return {
  entity = "sale",
  read = { format = "csv" },
  on_match = "create",
  map = function(row)
    return {
      customer(row.customer_external_id),
      { entity = "sale", customer = { ref = "customer" }, date = row.date, amount = row.amount },
    }
  end,
}
