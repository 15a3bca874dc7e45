-- Acceptance import of sales.csv (customer_external_id, date, amount) for accept_reports.sh:
-- each line refers to its customer, found by external id among the stubs customers.lua made
-- (or created here if missing), so every sale line lands whatever persons.csv would reject.
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
