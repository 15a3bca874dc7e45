---@meta kt
-- Type annotations of Kartoteka's `kt` module for lua-language-server: point your editor's
-- workspace.library at this folder (kt init writes a .luarc.json that does) and `kt.`
-- completes. This file is documentation only; Kartoteka never runs it.

---A date as "YYYY-MM-DD", or a date object from kt.date.of (supports d + 7, d - 1,
---d2 - d1 in days, comparisons with dates and strings, tostring and ..).
---@alias kt.Date string|kt.DateObject

---@class kt.DateObject
---@field ymd string "YYYY-MM-DD"
---@operator add(integer): kt.DateObject
---@operator sub(integer): kt.DateObject
---@operator sub(kt.DateObject): integer

---A record: `id` (absent until saved), `entity`, `state`, then every non-empty field by name.
---Text, dates, decimals ("12.50"), e-mails and phones are strings; integers are integers;
---bool fields are booleans; a set is a list of strings; a ref is the target's id.
---@class kt.Record
---@field id integer?
---@field entity string
---@field state? "active"|"archived"|"merged"
---@field merged_into integer?
---@field [string] any

---One broken rule of a refused save.
---@class kt.Failure
---@field field string?
---@field value string?
---@field rule string "required", "options", "pattern", "person.reachable", ...
---@field message string
---@field severity "error"|"warning"

---A history entry.
---@class kt.Change
---@field record integer
---@field at string UTC, "YYYY-MM-DDTHH:MM:SSZ"
---@field action string create, update, archive, restore, merge, ...
---@field field string?
---@field old string?
---@field new string?
---@field source string
---@field batch integer?

---@class kt
kt = {}

---A value that clears a field: kt.save { id = 7, entity = "person", email = kt.null }
kt.null = {}

---The arguments after the script's name: `kt run report.lua 2024` gives { "2024" }.
---@type string[]
kt.args = {}

---A record by id, or nil. `kt.get { external_id = "C100000", entity = "person" }` finds the record
---known by that external id: its own, one of a row absorbed into it, or of a record merged into
---it (entity may be left out).
---@param id integer|string|{ external_id: string, entity: string? }
---@return kt.Record?
function kt.get(id) end

---Active records of an entity matching every filter: { city = "Kraków" } for equality (a set
---field: contains), { birth_date = { ">=", "1990-01-01" } } for the operators = != < <= > >= ~.
---@param entity string
---@param filter? table<string, any>
---@param opts? { limit?: integer, archived?: boolean }
---@return kt.Record[]
function kt.list(entity, filter, opts) end

---Full-text search, insensitive to case and diacritics, across Cyrillic and Latin spellings.
---@param text string
---@param limit? integer default 50
---@return kt.Record[]
function kt.find(text, limit) end

---Read-only SQL with bound parameters, for what filters cannot say. Tables are named after
---entities, columns after fields; decimals are integers in the smallest unit (cents).
---@param sql string
---@param ... any
---@return table[] rows
function kt.query(sql, ...) end

---Saves through the write door (defaults, normalisation, validation, rules, history).
---New when `id` is absent. Returns the id and any warnings, or nil and every failure.
---@param record kt.Record
---@return integer? id
---@return kt.Failure[] failures
function kt.save(record) end
-- (record.allow_duplicate = true skips the duplicate check for that save)

---Logs an activity: kt.log { person = id, kind = "call", class = "complaint", note = "..." }.
---`at` defaults to now. Returns like kt.save.
---@param activity table
---@return integer? id
---@return kt.Failure[] failures
function kt.log(activity) end

---Archives a record (nothing is ever deleted). true, or nil and a message.
---@param id integer|string
---@return boolean? ok
---@return string? message
function kt.archive(id) end

---Brings an archived record back. true, or nil and a message.
---@param id integer|string
---@return boolean? ok
---@return string? message
function kt.restore(id) end

---A record's history, oldest first.
---@param id integer|string
---@return kt.Change[]
function kt.history(id) end

---Today in the workspace's time zone, "YYYY-MM-DD".
---@return string
function kt.today() end

---Now in the workspace's time zone, "YYYY-MM-DDTHH:MM:SS".
---@return string
function kt.now() end

---Prints to the command's output (print does the same).
---@param ... any
function kt.print(...) end

---A stored decimal (an integer in units of 10^-scale, such as SUM(amount) in cents) as exact
---text: kt.decimal(1250) -> "12.50".
---@param units integer
---@param scale? integer default 2
---@return string
function kt.decimal(units, scale) end

---Inside a campaign's action: queues a message in the outbox (delivered by `kt due` or
---`kt outbox deliver`) and logs it as an activity of the person (kind email, class campaign).
---Templates are campaigns/templates/NAME.txt with {{name}} placeholders filled from data.
---@param m { channel: string, to: string, template?: string, text?: string, subject?: string, data?: table }
---@return integer outbox_id
function kt.send(m) end

---Creates a task through the write door: kt.task { title = "Call back", person = id, due = day + 5 }.
---@param t table
---@return integer id
function kt.task(t) end

---The person's latest activity (by `at`) matching every filter, or nil: what drips look at.
---@param person integer
---@param filters? table<string, any>
---@return kt.Record?
function kt.last_activity(person, filters) end

---@class kt.date
kt.date = {}

---A date object (for arithmetic) from a date string or object.
---@param d kt.Date
---@return kt.DateObject
function kt.date.of(d) end

---Today as a date object.
---@return kt.DateObject
function kt.date.today() end

---Parses a date written as fmt (YYYY, YY, MM, M, DD, D and literals), or in any common form
---when fmt is absent. "YYYY-MM-DD", or nil and why.
---@param text string?
---@param fmt? string e.g. "DD.MM.YYYY"
---@return string? date
---@return string? message
function kt.date.parse(text, fmt) end

---@param d kt.Date
---@param days integer
---@return kt.Date
function kt.date.add(d, days) end

---@param d kt.Date
---@param months integer clamped to the month's end
---@return kt.Date
function kt.date.add_months(d, months) end

---Days from a to b.
---@param a kt.Date
---@param b kt.Date
---@return integer
function kt.date.days_between(a, b) end

---@param d kt.Date
---@return integer
function kt.date.year(d) end
---@param d kt.Date
---@return integer
function kt.date.month(d) end
---@param d kt.Date
---@return integer
function kt.date.day(d) end
---ISO weekday: 1 = Monday .. 7 = Sunday.
---@param d kt.Date
---@return integer
function kt.date.weekday(d) end

---Is `day` an anniversary of `event` (29 February counts on 28 February in other years)?
---@param event kt.Date?
---@param day kt.Date
---@return boolean
function kt.date.anniversary(event, day) end

---Whole years from birth to day (default today).
---@param birth kt.Date
---@param day? kt.Date
---@return integer
function kt.date.age(birth, day) end

---@class kt.text
kt.text = {}

---The folding search and duplicate matching use: case, diacritics, Persian/Arabic letter
---forms, Cyrillic transliterated, spaces collapsed. "Łukasz ВОЛКОВА" -> "lukasz volkova".
---@param s string?
---@return string?
function kt.text.fold(s) end
---"łUKASZ nOWAK-kowalski" -> "Łukasz Nowak-Kowalski"
---@param s string?
---@return string?
function kt.text.title(s) end
---@param s string?
---@return string?
function kt.text.lower(s) end
---@param s string?
---@return string?
function kt.text.upper(s) end
---Trims and collapses white space.
---@param s string?
---@return string?
function kt.text.squeeze(s) end
---Like squeeze, but empty text becomes nil: for mapping spreadsheet cells.
---@param s string?
---@return string?
function kt.text.clean(s) end
---Persian and Arabic-Indic digits to ASCII.
---@param s string?
---@return string?
function kt.text.ascii_digits(s) end
---Length in characters.
---@param s string
---@return integer
function kt.text.length(s) end

---A person's consents per purpose ("email", "sms", "phone", "profiling" and the purposes of
---settings { consent_purposes = "..." }), kept with their proof; the same as `kt consent`.
---@class kt.consent
kt.consent = {}

---How a consent was given or withdrawn: source (form, call, campaign reply, ...), the version
---id of the wording shown and its text, a note. The script's name is recorded as who.
---@alias kt.ConsentProof { source?: string, wording?: string, wording_text?: string, note?: string }

---Records that the person gave consent to purpose. true, or nil and why.
---@param id integer|string
---@param purpose string
---@param proof? kt.ConsentProof
---@return boolean?, string?
function kt.consent.give(id, purpose, proof) end

---Records that the person withdrew consent to purpose. true, or nil and why.
---@param id integer|string
---@param purpose string
---@param proof? kt.ConsentProof
---@return boolean?, string?
function kt.consent.withdraw(id, purpose, proof) end

---{ person, marketing_consent, current = { {purpose, state, at, source, by, wording, ...} },
---history = { ... } } as `kt consent show --json` prints it (absent values are nil).
---@param id integer|string
---@return table
function kt.consent.show(id) end

---"given", "withdrawn", "expired" or "none" for the person and purpose now.
---@param id integer|string
---@param purpose string
---@return string
function kt.consent.state(id, purpose) end

---Functions of the phone plugin (plugin "phone" in kartoteka.lua). Each returns the
---normalised value, or nil and why; country defaults to the workspace's.
---@class kt.phone
---@field e164 fun(number: string, country?: string): string?, string?
---@field national fun(number: string, country?: string): string?, string?
---@field international fun(number: string, country?: string): string?, string?
---@field type fun(number: string, country?: string): string?, string? mobile, fixed_line, toll_free, ...
---@field display fun(number: string, country?: string): string?, string? national at home, else international
---@field valid fun(number: string, country?: string): string?, string?
kt.phone = {}

return kt
