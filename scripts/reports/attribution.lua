-- Campaign attribution: per campaign and per channel (e-mail, SMS, mailing, letter), the
-- messages sent, the people they reached, how many of them bought within --days days after a
-- message (default 30), that revenue, and its share of all sales in the period (--from, --to):
-- the seeds' "share of sales realised thanks to a timely offer". A sale counts once per row
-- however many messages preceded it; the "(all)" row of a campaign counts it once across its
-- channels. --campaign NAME keeps one campaign (what `kt campaign stats NAME` shows).
local sales = require "reports.lib.sales"

return {
  title = "Campaign attribution",
  params = { campaign = false, days = 30, from = false, to = false },
  columns = { "campaign", "channel", "messages", "recipients", "buyers",
              { "revenue_after", scale = 2 }, { "sales_share", digits = 4 } },
  run = function(p)
    local days = math.tointeger(p.days)
    if not days or days < 0 then error("--days takes a whole number of days, 0 or more", 0) end
    local from, to = sales.period(p)
    local campaign = p.campaign or nil
    local total = kt.query("SELECT coalesce(sum(amount), 0) AS t FROM (" .. sales.active_sales .. ")",
                           from, to)[1].t
    local rows, by = {}, {}
    local function stats(channel_expr)
      local sql = [[
        WITH m AS (SELECT * FROM (]] .. sales.campaign_messages .. [[)
                   WHERE ?3 IS NULL OR campaign = ?3),
             s AS (]] .. sales.active_sales .. [[),
             hit AS (SELECT DISTINCT m.campaign AS campaign, ]] .. channel_expr .. [[ AS channel,
                       s.sale AS sale, s.amount AS amount, s.customer AS customer
                     FROM m JOIN s ON s.customer = m.person
                      AND s.date BETWEEN m.day AND date(m.day, ?4))
        SELECT g.campaign AS campaign, g.channel AS channel, g.messages AS messages,
          g.recipients AS recipients, coalesce(h.buyers, 0) AS buyers,
          coalesce(h.revenue, 0) AS revenue_after
        FROM (SELECT campaign, ]] .. channel_expr .. [[ AS channel, count(*) AS messages,
                count(DISTINCT person) AS recipients FROM m GROUP BY 1, 2) g
        LEFT JOIN (SELECT campaign, channel, count(DISTINCT customer) AS buyers,
                     sum(amount) AS revenue FROM hit GROUP BY 1, 2) h
          ON h.campaign = g.campaign AND h.channel = g.channel]]
      return kt.query(sql, from, to, campaign, ("+%d days"):format(days))
    end
    for _, r in ipairs(stats("m.channel")) do
      by[r.campaign] = by[r.campaign] or {}
      table.insert(by[r.campaign], r)
    end
    local all = {}
    for _, r in ipairs(stats("'(all)'")) do all[r.campaign] = r end
    local names = {}
    for name in pairs(by) do names[#names + 1] = name end
    table.sort(names)
    for _, name in ipairs(names) do
      table.sort(by[name], function(a, b) return a.channel < b.channel end)
      for _, r in ipairs(by[name]) do rows[#rows + 1] = r end
      if #by[name] > 1 then rows[#rows + 1] = all[name] end
    end
    for _, r in ipairs(rows) do
      r.sales_share = total ~= 0 and r.revenue_after / total or 0.0
    end
    return rows, { kind = "bar", title = "Revenue within " .. days .. " days after a campaign message",
                   label = "campaign", value = "revenue_after", note = "channel" }
  end,
}
