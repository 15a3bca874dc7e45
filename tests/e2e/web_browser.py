#!/usr/bin/python3
"""Drives kt serve's web face in headless Chromium (Debian's chromium and chromium-driver, via
python3-selenium): the steps of issue 19's "How it is tested". Arguments: BASE_URL SHOTS_DIR
PASSWORD DATA_DIR, where DATA_DIR holds import.csv and ids.txt (the seeded records). Prints
one line per step; exits non-zero at the first failed check, after a screenshot of it."""
import os
import re
import sys

from selenium import webdriver
from selenium.common.exceptions import (NoAlertPresentException, NoSuchElementException,
                                        WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, SHOTS, PASSWORD, DATA = sys.argv[1:5]
IDS = dict(line.split("=", 1) for line in open(os.path.join(DATA, "ids.txt")).read().split())
step_no = 0


def shot(name):
    global step_no
    step_no += 1
    path = os.path.join(SHOTS, "%02d-%s.png" % (step_no, name))
    driver.save_screenshot(path)
    print("step %d %s: screenshot %s" % (step_no, name, path))


def check(ok, what):
    if not ok:
        shot("FAILED")
        print("FAIL: " + what)
        print(driver.current_url)
        print(driver.page_source[:4000])
        driver.quit()
        sys.exit(1)


def open_page(path):
    driver.get(BASE + path)


def by_id(i):
    return driver.find_element(By.ID, i)


def exists(how, what):
    try:
        driver.find_element(how, what)
        return True
    except NoSuchElementException:
        return False


def gone(element):
    """True once element's page was replaced. Chromium may report a node of the old document
    as "does not belong to the document" rather than stale while the next page is loading:
    that is gone too."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


def click_and_wait(element):
    """Clicks what submits a form and waits until the next page has loaded."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 30).until(lambda d: gone(old))
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete")


def submit(button_id):
    click_and_wait(by_id(button_id))


def no_alert():
    try:
        driver.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def login(user):
    open_page("/login")
    driver.find_element(By.NAME, "user").send_keys(user)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "form.login button"))
    check(exists(By.ID, "logout"), user + " is logged in")


opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
          "--window-size=1280,1000", "--lang=en-US"):
    opts.add_argument(a)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
driver.set_page_load_timeout(60)

# 1. log in
login("anna")
check("Today" in driver.title, "logged in lands on Today")
shot("logged-in")

# 2. a new client with a mandatory field missing: the error at the field, the typed values kept
open_page("/e/person/new")
by_id("first_name").send_keys("Zoë")
by_id("last_name").send_keys("Łukasiewicz")
by_id("email").send_keys("zoe@example.com")
driver.find_element(By.CSS_SELECTOR, "input[name=pets][value=cat]").click()
driver.find_element(By.CSS_SELECTOR, "input[name=pets][value=fish]").click()
note = '<script>alert(1)</script> =HYPERLINK("http://evil.example","click")'
by_id("notes").send_keys(note)
submit("save")
check(exists(By.ID, "err-expected_gifts"), "the missing mandatory field has its error")
check(by_id("expected_gifts").get_attribute("aria-invalid") == "true", "the field is marked invalid")
check(by_id("first_name").get_attribute("value") == "Zoë", "the typed first name is kept")
check(by_id("notes").get_attribute("value") == note, "the typed note is kept")
check(driver.find_element(By.CSS_SELECTOR, "input[name=pets][value=fish]").is_selected(),
      "the checked pets are kept")
shot("missing-field")
by_id("expected_gifts").send_keys("aquarium plants")
submit("save")
check(re.search(r"/e/person/\d+$", driver.current_url), "saved: the card opens")
zoe = driver.current_url.rsplit("/", 1)[1]
shot("saved")

# 3. found by a name typed without diacritics
q = by_id("q")
q.clear()
q.send_keys("lukasiewicz zoe")
click_and_wait(driver.find_element(By.CSS_SELECTOR, "form[role=search] button"))
check("/find" in driver.current_url, "the search page")
link = driver.find_elements(By.CSS_SELECTOR, "a[href='/e/person/%s']" % zoe)
check(link and link[0].text == "Zoë Łukasiewicz", "search without diacritics finds her")
shot("search")
click_and_wait(link[0])
check(driver.current_url.endswith("/e/person/" + zoe), "her card opens")

# 4. a hostile note shows as text, nothing runs
check(no_alert(), "no script ran")
notes = by_id("notes")
check(notes.text == note, "the note reads as its text: " + notes.text)
check("&lt;script&gt;alert(1)&lt;/script&gt;" in driver.page_source, "the note is escaped")
shot("hostile-note")

# 5. log a call from the card
click_and_wait(by_id("log-activity"))
check("/e/activity/new" in driver.current_url, "the activity form opens")
check(Select(by_id("kind")).first_selected_option.get_attribute("value") == "call",
      "the activity is a call")
check(by_id("person").get_attribute("value") == zoe, "the activity refers to the client")
Select(by_id("class")).select_by_value("client interest")
by_id("outcome").send_keys("wants a quote for a tank")
submit("save")
check(driver.current_url.endswith("/e/person/" + zoe), "back on the card")
timeline = by_id("timeline").text
check("wants a quote for a tank" in timeline and "call" in timeline, "the call is on the timeline")
shot("call-logged")

# 6. a deal moves to won on the board
open_page("/board")
deal = IDS["deal"]
Select(by_id("stage-" + deal)).select_by_value("won")
click_and_wait(by_id("stage-" + deal).find_element(By.XPATH, "./ancestor::form//button"))
won = by_id("won")
check(won.find_elements(By.CSS_SELECTOR, "a[href='/e/deal/%s']" % deal), "the deal is in won")
check("(1 · 120.50)" in won.text, "the won column counts it with its amount: " + won.text)
shot("deal-won")

# 7. an import: the dry run, then the run
open_page("/import")
by_id("file").send_keys(os.path.join(DATA, "import.csv"))
Select(by_id("script")).select_by_value("persons.lua")
submit("dry-run")
summary = by_id("summary").text
check("Dry run" in summary and "1 created" in summary and "1 rejected" in summary,
      "the dry run's summary: " + summary)
check("e-mail" in by_id("rejects").text.lower() or "email" in by_id("rejects").text,
      "the rejected row has its reason")
check("Bożena" in by_id("diff").text, "the diff shows the new record")
shot("import-dry-run")
submit("run-import")
summary = by_id("summary").text
check("Import" in summary and "1 created" in summary, "the import ran: " + summary)
check("done" in by_id("batches").text, "the batch is listed")
shot("import-done")
open_page("/find?q=bozena")
check(driver.find_elements(By.PARTIAL_LINK_TEXT, "Bożena"), "the imported client is found")

# 7b. the review of duplicates: the next uncertain pair with its explanation; Skip moves on
open_page("/dupes/person")
click_and_wait(driver.find_element(By.CSS_SELECTOR, "a.review"))
check(exists(By.CSS_SELECTOR, "section.review table"), "the review shows a pair explained")
check("email" in driver.find_element(By.CSS_SELECTOR, "section.review table").text,
      "field by field")
shot("review")
click_and_wait(driver.find_element(By.CSS_SELECTOR, "form.review button[value='skip']"))
check(driver.current_url.endswith("/dupes/person/review?at=1"), "Skip shows the next pair")

# 8. merge a duplicate; both histories on the card
open_page("/e/person/" + IDS["a"])
by_id("other").send_keys(IDS["b"])
submit("merge")
check(driver.current_url.endswith("/e/person/" + IDS["a"]), "the merged card")
timeline = by_id("timeline").text
check("Gdynia" in timeline and "Sopot" in timeline and "merged in" in timeline,
      "both histories on the card: " + timeline)
shot("merged")

# 9. the funnel
open_page("/reports/funnel")
check(exists(By.ID, "report"), "the funnel's table")
width = driver.execute_script("return document.getElementById('chart').naturalWidth")
check(width and width > 0, "the funnel's chart is drawn")
shot("funnel")

# 9b. the card lists the person's consents; the erasure asks for a reason and a ticked box
open_page("/e/person/" + IDS["a"])
check("shop form" in by_id("consents").text, "the card lists the consents: " + by_id("consents").text)
by_id("erase-reason").send_keys("asked in the shop")
by_id("erase").click()
check(not by_id("erase-confirm").is_selected() and
      driver.execute_script("return document.getElementById('erase-confirm').validity.valueMissing"),
      "the browser keeps an unconfirmed erasure")
by_id("erase-confirm").click()
submit("erase")
check(driver.current_url.endswith("/e/person/" + IDS["a"]), "back on the card")
check(not exists(By.ID, "email") and "jan.k@example.com" not in driver.page_source,
      "the erased person's e-mail is gone")
shot("erased")

# 10. a viewer: no edit buttons, personal data masked
click_and_wait(by_id("logout"))
check("/login" in driver.current_url, "logged out")
login("vera")
open_page("/e/person/" + zoe)
for button in ("edit", "log-activity", "add-task", "merge"):
    check(not exists(By.ID, button), "a viewer has no " + button)
check(not driver.find_elements(By.CSS_SELECTOR, "form[action$='/archive']"), "no archive for a viewer")
check(by_id("email").text == "***", "the e-mail is masked: " + by_id("email").text)
check("zoe@example.com" not in driver.page_source, "the e-mail is nowhere on the page")
open_page("/e/person")
check(not exists(By.ID, "new"), "a viewer cannot add")
check(not driver.find_elements(By.CSS_SELECTOR, "a[href='/import']"), "no import for a viewer")
open_page("/board")
check(not driver.find_elements(By.CSS_SELECTOR, "form.move"), "a viewer moves no deal")
shot("viewer")

driver.quit()
print("all browser steps passed")
