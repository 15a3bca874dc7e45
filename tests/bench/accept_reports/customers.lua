-- Acceptance import of the distinct customer ids of sales.csv and deals.csv (one column,
-- external_id), made by accept_reports.sh: one stub client each, created without the duplicate
-- check (stubs look alike on purpose), so sales and deals always find their customer.
return {
  entity = "person",
  read = { format = "csv" },
  on_match = "create",
  map = function(row)
    local ext = row.external_id
    return { external_id = ext, first_name = "Customer", last_name = ext, pets = { "none" },
             expected_gifts = "-", email = ext:lower() .. "@example.com" }
  end,
}
