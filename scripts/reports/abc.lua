-- ABC analysis: customers ranked by revenue in the period (--from, --to: YYYY-MM or
-- YYYY-MM-DD; default all sales), ties by id. A customer is A if the cumulative share of
-- revenue before it is < 80 %, B if < 95 %, else C.
local sales = require "reports.lib.sales"

return {
  title = "ABC analysis: customers by revenue",
  params = { from = false, to = false },
  columns = { "id", { "revenue", scale = 2 }, { "share", digits = 4 }, "class", "customer",
              "external_id" },
  run = function(p)
    local from, to = sales.period(p)
    local ranked = sales.abc(from, to)
    local names = sales.names()
    local rows, per = {}, { A = { 0, 0 }, B = { 0, 0 }, C = { 0, 0 } }
    for _, r in ipairs(ranked) do
      local who = names[r.id] or {}
      rows[#rows + 1] = { id = tostring(r.id), revenue = r.revenue, share = r.share, class = r.class,
                          customer = who.name, external_id = who.external_id }
      per[r.class][1] = per[r.class][1] + 1
      per[r.class][2] = per[r.class][2] + r.revenue
    end
    local chart = { kind = "bar", title = "Revenue by ABC class", label = "class",
                    value = "revenue", note = "customers", scale = 2, rows = {} }
    for _, c in ipairs({ "A", "B", "C" }) do
      chart.rows[#chart.rows + 1] = { class = c, revenue = per[c][2],
                                      customers = per[c][1] .. " customers" }
    end
    return rows, chart
  end,
}
