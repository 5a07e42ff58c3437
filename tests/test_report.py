"""The review report: self-contained, escaped, and usable in a real browser (headless Chromium).

Browser tests start Debian's Chromium with its chromedriver themselves and are skipped, with the
reason, only where the browser is not installed (.ci/run installs it). Screenshots and the
performance figures land in test-artifacts/.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest

from conftest import PAGE_2020, ROOT, facts, run_facts

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")

XSS_TEXT = """Hostile quotes

In 2021 the <script>window.__xss = 1</script> hotline answered 94,428 calls.

Another 1,234 reports came in <img src=x onerror="window.__xss = 2"> during 2021.

See <a href="javascript:window.__xss = 3">this link</a> for the 55 cases of 2021.
"""


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM and DRIVER):
        pytest.skip("headless Chromium or chromedriver not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--window-size=1400,1000", f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}"):
        opts.add_argument(a)
    opts.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


def _open(driver, path: Path):
    driver.get(path.resolve().as_uri())
    for _ in range(100):
        if driver.execute_script("return document.readyState") == "complete":
            return
        time.sleep(0.05)


def _by(driver, css):
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.CSS_SELECTOR, css)


def test_report_is_one_file_without_network(scenario):
    html = (scenario["out"] / "v0002" / "report.html").read_text()
    # no external resources: every src/href is inline data or a plain link to a publisher
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"https?:", html)
    assert "default-src 'none'" in html  # and the page forbids itself any fetch
    assert "<style>" in html and "data:image/png;base64," in html  # PDF crops embedded


def test_report_command_writes_anywhere(scenario, tmp_path):
    r = facts("report", "v0001", "--dir", scenario["out"], "--out", tmp_path / "r.html", "--raw", scenario["raw"])
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "r.html").stat().st_size > 10_000
    # `facts run` hands the report its facts from memory: the page is the one facts.csv gives
    for version in ("v0001", "v0002"):
        r = facts("report", version, "--dir", scenario["out"], "--out", tmp_path / f"{version}.html",
                  "--raw", scenario["raw"])
        assert r.returncode == 0, r.stderr
        assert (tmp_path / f"{version}.html").read_bytes() == (scenario["out"] / version / "report.html").read_bytes()


def test_browser_filter_open_fact_and_conflict(scenario, browser):
    report = scenario["out"] / "v0002" / "report.html"
    _open(browser, report)
    _by(browser, "[data-tab=facts]")[0].click()
    search = _by(browser, "#f-text")[0]
    search.send_keys("CyberTipline reports")
    _by(browser, "#f-period option[value='2020']")[0].click()
    rows = _by(browser, "tr.fact-row")
    assert rows and all("2020" in r.text for r in rows)
    target = next(r for r in rows if r.text.startswith("CyberTipline reports\n") or r.text.startswith("CyberTipline reports "))
    target.click()
    detail = _by(browser, "tr.detail")[0]
    assert "21,751,085" in detail.text and "page 4" in detail.text
    assert "well over 21.7 million" in detail.text  # the 2020 web page agrees with the report
    marks = [m.text for m in _by(browser, "tr.detail mark")]
    assert "21,751,085" in marks
    assert _by(browser, "tr.detail img")  # a picture of the PDF page around the figure
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "report-facts.png"))
    # the source filter: facts with an observation from that document
    n_all = len(_by(browser, "tr.fact-row"))
    _by(browser, f"#f-source option[value='{PAGE_2020}']")[0].click()
    n_page = len(_by(browser, "tr.fact-row"))
    assert 0 < n_page < n_all

    _by(browser, "[data-tab=conflicts]")[0].click()
    card = next(c for c in _by(browser, ".conflict") if c.get_attribute("data-kind") == "scale_anomaly")
    text = card.text
    assert "29,397,681 million" in text and "Our impact (2021)" in text
    assert "CY 2022 Report to the Committees on Appropriations" in text
    browser.save_screenshot(str(ARTIFACTS / "report-conflicts.png"))


def test_hostile_quotes_are_shown_as_written(tmp_path, browser):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "hostile.txt").write_text(XSS_TEXT)
    out = tmp_path / "extracted"
    r = run_facts(raw, out)
    assert r.returncode == 0, r.stderr
    report = out / "v0001" / "report.html"
    html = report.read_text()
    assert "<script>window.__xss" not in html and '<img src=x onerror' not in html
    _open(browser, report)
    _by(browser, "[data-tab=facts]")[0].click()
    for i in range(len(_by(browser, "tr.fact-row"))):
        _by(browser, "tr.fact-row")[i].click()  # each click re-renders the table
    shown = " ".join(d.text for d in _by(browser, "tr.detail"))
    assert "<script>window.__xss = 1</script>" in shown
    assert '<img src=x onerror="window.__xss = 2">' in shown
    assert '<a href="javascript:window.__xss = 3">this link</a>' in shown
    assert browser.execute_script("return window.__xss === undefined")
    assert not _by(browser, "img[src='x']") and not _by(browser, "a[href^='javascript']")
    browser.save_screenshot(str(ARTIFACTS / "report-hostile.png"))


def _big_version(tmp_path: Path, n: int) -> Path:
    """A version folder with n facts (each with one observation), written with the real code."""
    from pipeline.dataset.datapackage import datapackage
    from pipeline.dataset.io import FACT_COLUMNS, OBSERVATION_COLUMNS, to_csv
    from pipeline.models import Fact, Observation

    v = tmp_path / "v0001"
    v.mkdir()
    obs, fs = [], []
    for i in range(n):
        oid = f"o{i:06d}"
        year = 2000 + i % 23
        obs.append(Observation(observation_id=oid, source=f"doc{i % 40}.txt", source_sha256="0" * 64, char_start=i,
                               char_end=i + 5, quote=f"In {year}, region {i} reported {i * 7:,} cases.",
                               surface=f"{i * 7:,}", value=i * 7, unit="count", metric="demo.cases",
                               metric_label="cases reported", dimensions=f"region=R{i}",
                               period_start=date(year, 1, 1), period_end=date(year, 12, 31),
                               period_type="calendar_year", rule="generic.count.v1"))
        fs.append(Fact(fact_id=f"f{i:06d}", metric="demo.cases", metric_label="cases reported",
                       dimensions=f"region=R{i}", period_start=date(year, 1, 1), period_end=date(year, 12, 31),
                       period_type="calendar_year", value=i * 7, unit="count", qualifier="exact",
                       status="conflict" if i % 97 == 0 else "single", n_sources=1, observation_ids=oid,
                       chosen_observation=oid))
    (v / "observations.csv").write_text(to_csv(obs, OBSERVATION_COLUMNS))
    (v / "facts.csv").write_text(to_csv(fs, FACT_COLUMNS))
    (v / "conflicts.csv").write_text("conflict_id,kind,fact_id,observation_id,source,page,quote,surface,value,unit,"
                                     "qualifier,period_end,detail,status,resolution\n")
    (v / "datapackage.json").write_text(datapackage("v0001", {"observations": "observations.csv"}))
    docs = [{"source": f"doc{k}.txt", "sha256": "0" * 64, "status": "processed", "observations": n // 40}
            for k in range(40)]
    (v / "run.json").write_text(json.dumps({"version": "v0001", "created": "2026-11-25T00:00:00+00:00",
                                            "code_version": "test", "rules_hash": "0" * 64, "documents": docs,
                                            "counts": {"documents": 40, "observations": n, "facts": n,
                                                       "facts_by_status": {"single": n}}}))
    return v


def test_ten_thousand_facts_render_and_filter(tmp_path, browser):
    from pipeline.report import render_version

    v = _big_version(tmp_path, 10_000)
    t0 = time.perf_counter()
    html = render_version(v)
    render_s = time.perf_counter() - t0
    report = v / "report.html"
    report.write_text(html)
    _open(browser, report)
    paint = browser.execute_script(
        "var e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : null")
    _by(browser, "[data-tab=facts]")[0].click()
    t1 = time.perf_counter()
    _by(browser, "#f-dims")[0].send_keys("R9999")
    rows = _by(browser, "tr.fact-row")
    filter_s = time.perf_counter() - t1
    assert len(rows) == 1 and "R9999" in rows[0].text
    assert "1 of 10000 facts" in _by(browser, "#f-count")[0].text
    perf = {"facts": 10_000, "report_bytes": len(html.encode()), "render_seconds": round(render_s, 3),
            "first_contentful_paint_ms": paint, "filter_seconds_incl_webdriver": round(filter_s, 3)}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report-10k-perf.json").write_text(json.dumps(perf, indent=2) + "\n")
    print("report with 10,000 facts:", perf)
