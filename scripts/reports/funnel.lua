-- Sales funnel: deals per stage in pipeline order (new, qualified, proposal, negotiation, won,
-- lost), with their count and total amount exact to the cent. Every stage is listed, 0 when
-- it has no deal; a stage a workspace adds to deal.stage comes after the built-in ones.
local pipeline = { "new", "qualified", "proposal", "negotiation", "won", "lost" }

return {
  title = "Sales funnel",
  params = {},
  columns = { "stage", "count", { "amount", scale = 2 } },
  run = function()
    local per = {}
    local rows = kt.query([[
      SELECT d.stage AS stage, count(*) AS count, coalesce(sum(d.amount), 0) AS amount
      FROM deal d JOIN kt_record r ON r.id = d.id AND r.state = 'active'
      GROUP BY d.stage]])
    for _, r in ipairs(rows) do per[r.stage or ""] = r end
    local out, listed = {}, {}
    for _, stage in ipairs(pipeline) do
      local r = per[stage] or {}
      out[#out + 1] = { stage = stage, count = r.count or 0, amount = r.amount or 0 }
      listed[stage] = true
    end
    for _, r in ipairs(rows) do
      if not listed[r.stage or ""] then
        out[#out + 1] = { stage = r.stage or "(none)", count = r.count, amount = r.amount }
      end
    end
    return out, { kind = "funnel", label = "stage", value = "count", note = "amount",
                  beside = { "won", "lost" } }
  end,
}
