-- Shared by the sales reports (abc, xyz, abcxyz, channels, attribution): the period, each customer's revenue
-- and monthly revenue, and the ABC and XYZ classes by the definitions of issue 8. Amounts stay
-- integers in cents (a decimal column is stored scaled by 10^2), so sums and the cumulative
-- comparisons are exact.
local M = {}

local function day(text, name, last)
  if text == nil or text == "" then return nil end
  local y, m, d = tostring(text):match("^(%d%d%d%d)%-(%d%d)%-?(%d?%d?)$")
  local mi, di = tonumber(m or "0"), tonumber(d ~= "" and d or "01")
  if not y or (d ~= "" and #d ~= 2) or mi < 1 or mi > 12 or di < 1 or di > 31 then
    error(("--%s takes YYYY-MM or YYYY-MM-DD, not '%s'"):format(name, text), 0)
  end
  if d == "" then d = last and "31" or "01" end -- "2025-02-31" still compares right as text
  return ("%s-%s-%s"):format(y, m, d)
end

-- The sales period from p.from / p.to: first and last day as text (nil when open).
function M.period(p)
  return day(p.from, "from", false), day(p.to, "to", true)
end

-- SQL of the active sales in [from, to]: the rows customer, date, amount, sale (its id).
local active_sales = [[
  SELECT s.customer AS customer, s.date AS date, s.amount AS amount, s.id AS sale
  FROM sale s JOIN kt_record r ON r.id = s.id AND r.state = 'active'
  WHERE s.date >= coalesce(?1, '0000') AND s.date <= coalesce(?2, '9999')
    AND s.amount IS NOT NULL AND s.customer IS NOT NULL]]
M.active_sales = active_sales

local function days_in(y, m)
  if m == 2 then return (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) and 29 or 28 end
  return (m == 4 or m == 6 or m == 9 or m == 11) and 30 or 31
end

-- The rollup (kt_sale_month: per customer and month, the sum of the active lines' amounts, kept
-- by the write door) answers a period of whole months. Returns its bounds as months
-- ("YYYY-MM", open ends "0000" and "9999"), or nil when the lines must be read: the rollup is
-- not built (a workspace migrated with sales in it, before `kt check --rebuild`) or the
-- period starts or ends inside a month.
function M.rollup(from, to)
  if from and from:sub(9, 10) ~= "01" then return nil end
  if to then
    local y, m, d = to:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
    if not y or tonumber(d) < days_in(tonumber(y), tonumber(m)) then return nil end
  end
  local has = kt.query("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = 'kt_rollup'")
  if not has[1] then return nil end
  local b = kt.query("SELECT built FROM kt_rollup WHERE name = 'sale_month'")[1]
  if not b or b.built ~= 1 then return nil end
  return from and from:sub(1, 7) or "0000", to and to:sub(1, 7) or "9999"
end

-- Who a customer is, for people reading the report: name and external id. The reports look up
-- the customers they rank, all of whom the rollup holds when it answers.
function M.names()
  local customers = M.rollup() and "SELECT customer FROM kt_sale_month" or
                    "SELECT customer FROM sale"
  local out = {}
  for _, r in ipairs(kt.query(([[
      SELECT p.id AS id, trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) AS name,
             p.external_id AS external_id FROM person p
      WHERE p.id IN (%s)
      UNION ALL
      SELECT c.id, c.name, c.external_id FROM company c
      WHERE c.id IN (%s)]]):format(customers, customers))) do
    out[r.id] = r
  end
  return out
end

-- Customers ranked by revenue (descending, ties by id) with share and ABC class: A while the
-- cumulative revenue BEFORE the customer is < 80 % of the total, B while < 95 %, else C.
function M.abc(from, to)
  local lo, hi = M.rollup(from, to)
  local ranked = lo and
    kt.query("SELECT customer AS id, sum(amount) AS revenue FROM kt_sale_month " ..
             "WHERE month >= ?1 AND month <= ?2 GROUP BY customer ORDER BY revenue DESC, customer ASC",
             lo, hi) or
    kt.query("SELECT customer AS id, sum(amount) AS revenue FROM (" .. active_sales ..
             ") GROUP BY customer ORDER BY revenue DESC, customer ASC", from, to)
  local total = 0
  for _, r in ipairs(ranked) do total = total + r.revenue end
  local before = 0
  for _, r in ipairs(ranked) do
    -- before / total < 80 / 100, in integers (cents): no rounding at the boundary
    if total > 0 and before * 5 < total * 4 then r.class = "A"
    elseif total > 0 and before * 20 < total * 19 then r.class = "B"
    else r.class = "C" end
    r.share = total ~= 0 and r.revenue / total or 0.0
    before = before + r.revenue
  end
  return ranked, total
end

local function month_index(text)
  local y, m = text:match("^(%d%d%d%d)%-(%d%d)")
  return tonumber(y) * 12 + tonumber(m) - 1
end

-- The months of the XYZ analysis: from..to, by default the first to the last month holding
-- any active sale. Returns first month index, count, and the bounds as days.
function M.months(from, to)
  if not from or not to then
    local lo, hi = M.rollup(from, to)
    local b = lo and
      kt.query("SELECT min(month) AS first, max(month) AS last FROM kt_sale_month " ..
               "WHERE month >= ?1 AND month <= ?2", lo, hi)[1] or
      kt.query("SELECT min(date) AS first, max(date) AS last FROM (" .. active_sales .. ")",
               from, to)[1]
    if not b or not b.first then return nil, 0, from, to end
    from = from or (b.first:sub(1, 7) .. "-01")
    to = to or (b.last:sub(1, 7) .. "-31")
  end
  local first, last = month_index(from), month_index(to)
  return first, math.max(last - first + 1, 0), from, to
end

-- Per customer: coefficient of variation of the monthly revenue over n months (a month without
-- sales counts 0; population standard deviation / mean) and the XYZ class (X <= 0.10,
-- Y <= 0.25, else Z). With S the sum and Q the sum of squares of the monthly revenues,
-- CV = sqrt(n*Q - S^2) / S; the class is decided on integers when they cannot overflow.
function M.xyz(from, to)
  local _, n, lo, hi = M.months(from, to)
  local out = {}
  if n == 0 then return out, 0 end
  local mlo, mhi = M.rollup(lo, hi)
  local rows = mlo and kt.query([[
    SELECT customer AS id, sum(amount) AS s, sum(amount * amount) AS q FROM kt_sale_month
    WHERE month >= ?1 AND month <= ?2 GROUP BY customer ORDER BY customer]], mlo, mhi) or
    kt.query([[
    SELECT customer AS id, sum(m) AS s, sum(m * m) AS q FROM (
      SELECT customer, substr(date, 1, 7) AS month, sum(amount) AS m FROM (]] .. active_sales .. [[)
      GROUP BY customer, month)
    GROUP BY customer ORDER BY customer]], lo, hi)
  for _, r in ipairs(rows) do
    local s, q, cv, class = r.s, r.q, nil, "Z"
    if s > 0 then
      if math.type(q) == "integer" and s < (1 << 28) and n <= 120 then
        local d = n * q - s * s -- n^2 * variance, exact
        if d < 0 then d = 0 end
        cv = math.sqrt(d) / s
        class = (d <= (s * s) // 100) and "X" or (d <= (s * s) // 16) and "Y" or "Z"
      else
        local mean = s / n
        local var = math.max(q / n - mean * mean, 0)
        cv = math.sqrt(var) / mean
        class = cv <= 0.10 and "X" or cv <= 0.25 and "Y" or "Z"
      end
    end
    out[#out + 1] = { id = r.id, revenue = s, cv = cv, class = class }
  end
  return out, n
end

-- SQL of the campaign messages sales are credited to: done activities of class "campaign" whose
-- kind is a message (e-mail, SMS, mailing, letter; a call is a conversation, not an offer), with
-- the rows person, channel (the kind), campaign (from the outcome "campaign:key" kt.send
-- writes; "(by hand)" without one) and day. ?3: one campaign only, or NULL for all.
M.campaign_messages = [[
  SELECT a.person AS person, a.kind AS channel, substr(a.at, 1, 10) AS day,
    CASE WHEN instr(coalesce(a.outcome, ''), ':') > 1
         THEN substr(a.outcome, 1, instr(a.outcome, ':') - 1) ELSE '(by hand)' END AS campaign
  FROM activity a JOIN kt_record ra ON ra.id = a.id AND ra.state = 'active'
  WHERE a.class = 'campaign' AND a.kind IN ('email', 'sms', 'mailing', 'letter')
    AND coalesce(a.status, 'done') NOT IN ('planned', 'cancelled') AND a.person IS NOT NULL
    AND a.at IS NOT NULL]]

return M
