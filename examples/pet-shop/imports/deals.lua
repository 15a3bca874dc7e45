-- Import of deals (deals.csv: deal_external_id, customer_external_id, stage, amount): one deal
-- per line, of the person with that external id, matched on the deal's own external id (a
-- second import updates stage and amount).
return {
  entity = "deal",
  read = { format = "csv" },
  match = { "external_id" },
  on_match = "update",

  map = function(row, ctx)
    local id = kt.text.clean(row.deal_external_id)
    local customer = kt.text.clean(row.customer_external_id)
    return {
      external_id = id,
      title       = id and ("Deal " .. id) or nil,
      person      = ctx.lookup("person", "external_id", customer) or customer, -- unknown: rejected
      stage       = kt.text.lower(kt.text.clean(row.stage) or ""),
      amount      = kt.text.clean(row.amount),
    }
  end,
}
