-- Activity: interactions (activities) per month, class and kind — the history of the
-- relationship. --from / --to (YYYY-MM or YYYY-MM-DD) limit the months.
local sales = require "reports.lib.sales"

return {
  title = "Activity: interactions per month, class and kind",
  params = { from = false, to = false },
  columns = { "month", "class", "kind", "count" },
  run = function(p)
    local from, to = sales.period(p)
    local rows = kt.query([[
      SELECT substr(a.at, 1, 7) AS month, coalesce(a.class, '(none)') AS class,
             coalesce(a.kind, '(none)') AS kind, count(*) AS count
      FROM activity a JOIN kt_record r ON r.id = a.id AND r.state = 'active'
      WHERE a.at IS NOT NULL AND substr(a.at, 1, 10) >= coalesce(?1, '0000')
        AND substr(a.at, 1, 10) <= coalesce(?2, '9999')
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3]], from, to)
    local months, per = {}, {}
    for _, r in ipairs(rows) do
      if not per[r.month] then
        per[r.month] = { month = r.month, count = 0 }
        months[#months + 1] = per[r.month]
      end
      per[r.month].count = per[r.month].count + r.count
    end
    return rows, { kind = "bar", title = "Interactions per month", label = "month",
                   value = "count", rows = months }
  end,
}
