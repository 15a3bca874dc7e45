-- XYZ analysis: per customer, the revenue of each calendar month from --from to --to
-- (YYYY-MM; default the first to the last month holding any sale), a month without sales
-- counting 0. CV = population standard deviation / mean; X if <= 0.10, Y if <= 0.25, else Z.
local sales = require "reports.lib.sales"

return {
  title = "XYZ analysis: how steady each customer buys",
  params = { from = false, to = false },
  columns = { "id", { "cv", digits = 4 }, "class", { "revenue", scale = 2 }, "customer",
              "external_id" },
  run = function(p)
    local from, to = sales.period(p)
    local list = sales.xyz(from, to)
    local names = sales.names()
    local rows, count = {}, { X = 0, Y = 0, Z = 0 }
    for _, r in ipairs(list) do
      local who = names[r.id] or {}
      rows[#rows + 1] = { id = tostring(r.id), cv = r.cv, class = r.class, revenue = r.revenue,
                          customer = who.name, external_id = who.external_id }
      count[r.class] = count[r.class] + 1
    end
    local chart = { kind = "bar", title = "Customers by XYZ class", label = "class",
                    value = "customers", rows = {} }
    for _, c in ipairs({ "X", "Y", "Z" }) do
      chart.rows[#chart.rows + 1] = { class = c, customers = count[c] }
    end
    return rows, chart
  end,
}
