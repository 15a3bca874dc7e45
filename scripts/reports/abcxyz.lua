-- ABC/XYZ matrix: the nine pairs (AX .. CZ) with their number of customers and revenue;
-- --by customer lists each customer's pair instead. Same period and definitions as abc and xyz.
local sales = require "reports.lib.sales"

return {
  title = "ABC/XYZ matrix",
  params = { from = false, to = false, by = "matrix" },
  columns = { "pair", "abc", "xyz", "customers", { "revenue", scale = 2 }, { "share", digits = 4 } },
  run = function(p)
    if p.by ~= "matrix" and p.by ~= "customer" then
      error("--by takes matrix or customer, not '" .. tostring(p.by) .. "'", 0)
    end
    local from, to = sales.period(p)
    local ranked, total = sales.abc(from, to)
    local steady = {}
    for _, r in ipairs(sales.xyz(from, to)) do steady[r.id] = r.class end
    local rows = {}
    if p.by == "customer" then
      local names = sales.names()
      for _, r in ipairs(ranked) do
        local who, x = names[r.id] or {}, steady[r.id] or "Z"
        rows[#rows + 1] = { pair = r.class .. x, abc = r.class, xyz = x, id = tostring(r.id),
                            revenue = r.revenue, share = r.share, customer = who.name,
                            external_id = who.external_id }
      end
      return rows, nil, { "id", "pair", "abc", "xyz", { "revenue", scale = 2 },
                          { "share", digits = 4 }, "customer", "external_id" }
    end
    local cell = {}
    for _, a in ipairs({ "A", "B", "C" }) do
      for _, x in ipairs({ "X", "Y", "Z" }) do
        cell[a .. x] = { pair = a .. x, abc = a, xyz = x, customers = 0, revenue = 0 }
        rows[#rows + 1] = cell[a .. x]
      end
    end
    for _, r in ipairs(ranked) do
      local c = cell[r.class .. (steady[r.id] or "Z")]
      c.customers = c.customers + 1
      c.revenue = c.revenue + r.revenue
    end
    for _, c in ipairs(rows) do c.share = total ~= 0 and c.revenue / total or 0.0 end
    return rows, { kind = "bar", title = "Revenue by ABC/XYZ pair", label = "pair",
                   value = "revenue", note = "customers" }
  end,
}
