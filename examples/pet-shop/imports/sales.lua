-- Import of sales lines (sales.csv: customer_external_id, date, amount): each line a `sale` of
-- the person with that external id. A line whose customer is not in the workspace is rejected
-- ("customer is required"). Sales have no id of their own, so a line matches a stored sale of
-- the same customer, date and amount — the nth such line the nth such sale, so a file that
-- repeats a line keeps both and importing the same file again creates nothing.
local seen = {}

return {
  entity = "sale",
  read = { format = "csv" },
  match = { { "customer", "date", "amount" } },
  on_match = "skip",

  map = function(row, ctx)
    local customer = ctx.lookup("person", "external_id", kt.text.clean(row.customer_external_id))
    local key = table.concat({ row.customer_external_id or "", row.date or "", row.amount or "" }, "|")
    seen[key] = (seen[key] or 0) + 1
    return {
      customer = customer,
      date     = kt.text.clean(row.date),
      amount   = kt.text.clean(row.amount),
      nth      = seen[key],
    }
  end,
}
