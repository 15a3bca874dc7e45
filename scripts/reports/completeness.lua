-- Completeness: per field, the share of active records that fill it (the figures of
-- `kt check`). --entity limits it to one entity; entities without records are left out.
local function ident(name) return '"' .. name:gsub('"', '""') .. '"' end

return {
  title = "Completeness: how many records fill each field",
  params = { entity = false },
  columns = { "entity", "field", "required", "filled", "records", { "share", digits = 4 } },
  run = function(p)
    local rows = {}
    local entities = kt.query("SELECT name FROM kt_entity WHERE ?1 IS NULL OR name = ?1 ORDER BY rowid",
                              p.entity)
    if p.entity and #entities == 0 then error("there is no entity '" .. p.entity .. "'", 0) end
    for _, e in ipairs(entities) do
      local fields = kt.query([[SELECT name, type, coalesce(json_extract(props, '$.required'), 0) AS required
                                FROM kt_field WHERE entity = ? ORDER BY position]], e.name)
      if #fields > 0 then
        local parts = {}
        for i, f in ipairs(fields) do
          local c = "t." .. ident(f.name)
          -- empty as the core sees it: no value, empty text, or an empty set
          parts[i] = ("sum(CASE WHEN %s IS NULL OR %s = '' OR %s = '[]' THEN 0 ELSE 1 END) AS f%d")
                       :format(c, c, c, i)
        end
        local sql = ("SELECT count(*) AS records, %s FROM %s t JOIN kt_record r ON r.id = t.id " ..
                     "AND r.state = 'active'"):format(table.concat(parts, ", "), ident(e.name))
        local got = kt.query(sql)[1]
        if got.records > 0 then
          for i, f in ipairs(fields) do
            local filled = got["f" .. i] or 0
            rows[#rows + 1] = { entity = e.name, field = f.name, required = f.required == 1,
                                filled = filled, records = got.records,
                                share = filled / got.records }
          end
        end
      end
    end
    return rows
  end,
}
