-- The built-in entities and fields of every workspace, in the same form a business uses in its
-- kartoteka.lua. A workspace may add fields to these entities, and may tighten a built-in field
-- (make it required, narrow its options); it cannot change a built-in field's type.

local yes_no = { "yes", "no" }
local client_status = { "prospect", "client", "former client" }

entity "person" { label = { en = "Person", pl = "Osoba", ru = "Персона" } }
field "person.first_name"     { type = "text", searchable = true, pii = true, max_length = 200,
                                label = { en = "First name", pl = "Imię", ru = "Имя" } }
field "person.last_name"      { type = "text", searchable = true, pii = true, max_length = 200,
                                label = { en = "Last name", pl = "Nazwisko", ru = "Фамилия" } }
field "person.gender"         { type = "enum", options = { "F", "M", "X" },
                                label = { en = "Gender", pl = "Płeć" } }
field "person.birth_date"     { type = "date", pii = true, label = { en = "Date of birth", pl = "Data urodzenia" } }
field "person.email"          { type = "email", searchable = true, pii = true, indexed = true,
                                label = { en = "E-mail (work)", pl = "E-mail służbowy" } }
field "person.personal_email" { type = "email", searchable = true, pii = true,
                                label = { en = "E-mail (personal)", pl = "E-mail prywatny" } }
field "person.mobile"         { type = "phone", searchable = true, pii = true, indexed = true,
                                label = { en = "Mobile", pl = "Telefon komórkowy" } }
field "person.work_phone"     { type = "phone", searchable = true, pii = true,
                                label = { en = "Work phone", pl = "Telefon służbowy" } }
field "person.street"         { type = "text", pii = true, label = { en = "Street", pl = "Ulica" } }
field "person.city"           { type = "text", searchable = true, label = { en = "City", pl = "Miejscowość" } }
field "person.postal_code"    { type = "text", max_length = 20, label = { en = "Postal code", pl = "Kod pocztowy" } }
field "person.country"        { type = "text", pattern = "^[A-Z]{2}$", max_length = 2,
                                label = { en = "Country (ISO code)", pl = "Kraj" } }
field "person.company"        { type = "ref", ref = "company", label = { en = "Company", pl = "Firma" } }
field "person.job_title"      { type = "text", label = { en = "Job title", pl = "Stanowisko" } }
field "person.marital_status" { type = "enum", options = { "single", "married", "divorced", "widowed", "partnership" },
                                pii = true, label = { en = "Marital status", pl = "Stan cywilny" } }
field "person.anniversary"    { type = "date", label = { en = "Anniversary", pl = "Rocznica" } }
field "person.source"         { type = "enum",
                                options = { "radio", "newspaper", "event", "specialist", "website", "referral",
                                            "social media", "walk-in", "other" },
                                label = { en = "Source", pl = "Źródło pozyskania" } }
field "person.marketing_consent" { type = "enum", options = yes_no,
                                label = { en = "Marketing consent", pl = "Zgoda marketingowa" } }
field "person.preferred_contact" { type = "enum", options = { "email", "mobile", "work phone", "letter", "visit" },
                                label = { en = "Preferred channel", pl = "Preferowany kontakt" } }
field "person.contact_hours"  { type = "text", max_length = 100,
                                label = { en = "Preferred contact hours", pl = "Godziny kontaktu" } }
field "person.client_status"  { type = "enum", options = client_status, default = "prospect",
                                label = { en = "Client status", pl = "Status klienta" } }
field "person.external_id"    { type = "text", indexed = true, searchable = true,
                                label = { en = "External id", pl = "Identyfikator zewnętrzny" } }
field "person.notes"          { type = "text", trim = false, label = { en = "Notes", pl = "Notatki" } }

entity "company" { label = { en = "Company", pl = "Firma", ru = "Компания" } }
field "company.name"          { type = "text", required = true, searchable = true, max_length = 300,
                                label = { en = "Name", pl = "Nazwa" } }
field "company.tax_id"        { type = "text", searchable = true, indexed = true, label = { en = "Tax id", pl = "NIP" } }
field "company.industry"      { type = "text", label = { en = "Industry", pl = "Branża" } }
field "company.size"          { type = "enum", options = { "1-9", "10-49", "50-249", "250+" },
                                label = { en = "Size", pl = "Wielkość" } }
field "company.website"       { type = "url", label = { en = "Website", pl = "Strona www" } }
field "company.email"         { type = "email", searchable = true, label = { en = "E-mail" } }
field "company.work_phone"    { type = "phone", searchable = true, label = { en = "Phone", pl = "Telefon" } }
field "company.legal_address" { type = "text", label = { en = "Legal address", pl = "Adres rejestrowy" } }
field "company.actual_address" { type = "text", label = { en = "Actual address", pl = "Adres faktyczny" } }
field "company.client_status" { type = "enum", options = client_status, default = "prospect",
                                label = { en = "Client status", pl = "Status klienta" } }
field "company.external_id"   { type = "text", indexed = true, searchable = true, label = { en = "External id" } }
field "company.notes"         { type = "text", trim = false, label = { en = "Notes", pl = "Notatki" } }

entity "deal" { label = { en = "Deal", pl = "Szansa sprzedaży" } }
field "deal.title"            { type = "text", required = true, searchable = true, label = { en = "Title", pl = "Tytuł" } }
field "deal.company"          { type = "ref", ref = "company", label = { en = "Company", pl = "Firma" } }
field "deal.person"           { type = "ref", ref = "person", label = { en = "Person", pl = "Osoba" } }
field "deal.stage"            { type = "enum", required = true, default = "new",
                                options = { "new", "qualified", "proposal", "negotiation", "won", "lost" },
                                label = { en = "Stage", pl = "Etap" } }
field "deal.amount"           { type = "decimal", min = 0, label = { en = "Amount", pl = "Kwota" } }
field "deal.close_date"       { type = "date", label = { en = "Close date", pl = "Data zamknięcia" } }
field "deal.next_step"        { type = "text", label = { en = "Next step", pl = "Następny krok" } }
field "deal.external_id"      { type = "text", indexed = true, label = { en = "External id" } }

entity "activity" { label = { en = "Activity", pl = "Aktywność" } }
field "activity.kind"         { type = "enum", required = true,
                                options = { "call", "meeting", "email", "letter", "visit", "mailing", "sms", "sale" },
                                label = { en = "Kind", pl = "Rodzaj" } }
field "activity.class"        { type = "enum",
                                options = { "client interest", "product presentation", "service visit",
                                            "complaint", "campaign", "follow-up", "other" },
                                label = { en = "Class", pl = "Klasa" } }
field "activity.person"       { type = "ref", ref = "person", indexed = true, label = { en = "Person", pl = "Osoba" } }
field "activity.company"      { type = "ref", ref = "company", indexed = true, label = { en = "Company", pl = "Firma" } }
field "activity.deal"         { type = "ref", ref = "deal", label = { en = "Deal", pl = "Szansa" } }
field "activity.at"           { type = "datetime", label = { en = "When", pl = "Kiedy" } }
field "activity.status"       { type = "enum", default = "done",
                                options = { "planned", "done", "cancelled", "no answer" },
                                label = { en = "Status", pl = "Status" } }
field "activity.outcome"      { type = "text", label = { en = "Outcome", pl = "Wynik" } }
field "activity.note"         { type = "text", trim = false, label = { en = "Note", pl = "Notatka" } }

entity "sale" { label = { en = "Sale", pl = "Sprzedaż" } }
field "sale.customer"         { type = "ref", ref = "person|company", required = true, indexed = true,
                                label = { en = "Customer", pl = "Klient" } }
field "sale.date"             { type = "date", required = true, label = { en = "Date", pl = "Data" } }
field "sale.amount"           { type = "decimal", required = true, label = { en = "Amount", pl = "Kwota" } }
field "sale.product"          { type = "text", label = { en = "Product", pl = "Produkt" } }
field "sale.category"         { type = "text", label = { en = "Category", pl = "Kategoria" } }

entity "task" { label = { en = "Task", pl = "Zadanie" } }
field "task.title"            { type = "text", required = true, searchable = true, label = { en = "Title", pl = "Tytuł" } }
field "task.due"              { type = "date", label = { en = "Due", pl = "Termin" } }
field "task.person"           { type = "ref", ref = "person", label = { en = "Person", pl = "Osoba" } }
field "task.company"          { type = "ref", ref = "company", label = { en = "Company", pl = "Firma" } }
field "task.deal"             { type = "ref", ref = "deal", label = { en = "Deal", pl = "Szansa" } }
field "task.assignee"         { type = "text", label = { en = "Assignee", pl = "Osoba odpowiedzialna" } }
field "task.status"           { type = "enum", default = "open", options = { "open", "done", "cancelled" },
                                label = { en = "Status", pl = "Status" } }
