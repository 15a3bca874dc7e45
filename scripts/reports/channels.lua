-- Acquisition channels: per source (person.source), the clients it brought, how many of them
-- bought in the period (--from, --to), their revenue, and the share of that revenue that
-- followed a campaign message: a sale counts when the client got an activity of class
-- "campaign" that is a message on any channel (e-mail, SMS, mailing, letter) within --days days
-- (default 30) before the sale's date (the seeds' "share of sales realised thanks to a timely
-- offer"). Per campaign and channel: the attribution report (`kt campaign stats NAME`). Sales
-- to companies have no source and are left out.
local sales = require "reports.lib.sales"

return {
  title = "Acquisition channels",
  params = { from = false, to = false, days = 30 },
  columns = { "source", "clients", "buyers", { "revenue", scale = 2 },
              { "after_campaign", scale = 2 }, { "campaign_share", digits = 4 } },
  run = function(p)
    local days = math.tointeger(p.days)
    if not days or days < 0 then error("--days takes a whole number of days, 0 or more", 0) end
    local from, to = sales.period(p)
    local rows, by = {}, {}
    local function row(source)
      local key = source or "(none)"
      if not by[key] then
        by[key] = { source = key, clients = 0, buyers = 0, revenue = 0, after_campaign = 0 }
        rows[#rows + 1] = by[key]
      end
      return by[key]
    end
    -- every source the field allows, in its order, even without clients
    for _, o in ipairs(kt.query([[SELECT value FROM kt_field, json_each(kt_field.props, '$.options')
                                  WHERE entity = 'person' AND name = 'source']])) do
      row(o.value)
    end
    for _, r in ipairs(kt.query([[
        SELECT p.source AS source, count(*) AS n FROM person p
        JOIN kt_record r ON r.id = p.id AND r.state = 'active' GROUP BY p.source]])) do
      row(r.source).clients = r.n
    end
    local sql = [[
      SELECT p.source AS source, count(DISTINCT s.customer) AS buyers, sum(s.amount) AS revenue,
        sum(CASE WHEN EXISTS (
              SELECT 1 FROM (]] .. sales.campaign_messages .. [[) m
              WHERE m.person = s.customer AND m.day BETWEEN date(s.date, ?3) AND s.date)
            THEN s.amount ELSE 0 END) AS after_campaign
      FROM (]] .. sales.active_sales .. [[) s JOIN person p ON p.id = s.customer
      GROUP BY p.source]]
    for _, r in ipairs(kt.query(sql, from, to, ("-%d days"):format(days))) do
      local x = row(r.source)
      x.buyers, x.revenue, x.after_campaign = r.buyers, r.revenue, r.after_campaign
    end
    for _, x in ipairs(rows) do
      x.campaign_share = x.revenue ~= 0 and x.after_campaign / x.revenue or 0.0
    end
    return rows, { kind = "bar", title = "Revenue by acquisition channel", label = "source",
                   value = "revenue", note = "buyers" }
  end,
}
