-- Acceptance import of deals.csv for accept_reports.sh (deal_external_id, customer_external_id,
-- stage, amount): the deal refers to its customer, found by external id or created once.
return {
  entity = "deal",
  read = { format = "csv" },
  match = { "external_id" },
  on_match = "update",
  map = function(row)
    local ext = row.customer_external_id
    return {
      { entity = "person", ref = "customer", external_id = ext, first_name = "Customer",
        last_name = ext, pets = { "none" }, expected_gifts = "-",
        email = ext:lower() .. "@example.com", match = { "external_id" }, on_match = "skip" },
      { entity = "deal", title = row.deal_external_id, external_id = row.deal_external_id,
        person = { ref = "customer" }, stage = row.stage, amount = row.amount,
        match = { "external_id" }, on_match = "update" },
    }
  end,
}
