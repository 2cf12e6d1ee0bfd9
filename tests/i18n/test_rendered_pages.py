"""Every page as each role sees it, rendered by the live server in a real browser, in both languages.

The test data is ASCII only, so on an English page any Japanese character is the interface's own text that
escaped translation; on a Japanese page any English word that is not user data or an allowed name
(QR, PDF, English ...) is an untranslated interface string. Text drawn by scripts counts too.
"""
import re

import pytest

from ops.centres.models import Role
from ops.welfare.models import SEED_CATEGORIES
from tests.e2e.conftest import DESKTOP, USER_DATA, display_name, login, switch_to_english

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

JAPANESE = re.compile(r"[\u3040-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uff9f]+")
# Japanese punctuation: full-width brackets, the middle dot, the ideographic comma and full stop, 〜 ...
JAPANESE_PUNCTUATION = re.compile(r"[\u3000-\u303f\u30fb\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# Names and abbreviations a Japanese page may show as they are.
ALLOWED_LATIN = {"QR", "PDF", "XLSX", "Excel", "CSV", "English", "Leaflet", "Web", "SMS", "ID", "URL",
                 "km", "kg", "mm", "am", "pm", "AM", "PM", "Google", "OpenStreetMap", "OSM", "LINE",
                 "JSON", "API", "NPO", "NGO", "cm"}  # NGO: 協力団体の種別 (issue 23)
URL = re.compile(r"(https?://|\b[\w.-]+(:\d+)?/)\S*")
# Visible text gathered as a user reads it: body text, plus what fields say inside them. Leaflet's
# attribution names the tile provider (a setting, not our interface).
COLLECT = """() => {
  const hidden = el => !el.offsetParent && getComputedStyle(el).position !== 'fixed';
  const parts = [document.body.innerText];
  document.querySelectorAll('input[placeholder], textarea[placeholder]').forEach(el => {
    if (!hidden(el)) parts.push(el.placeholder); });
  document.querySelectorAll('input[type=submit], input[type=button]').forEach(el => {
    if (!hidden(el)) parts.push(el.value); });
  document.querySelectorAll('select').forEach(el => {
    if (!hidden(el)) for (const o of el.options) parts.push(o.text); });
  let text = parts.join('\\n');
  // Leaflet's attribution names the tile provider (a setting); an element marked with another language
  // (the switch offering 日本語 on an English page) is meant to be in that language.
  const lang = document.documentElement.lang;
  const other = Array.from(document.querySelectorAll('.leaflet-control-attribution, body [lang]'))
    .filter(el => el.classList.contains('leaflet-control-attribution') || el.lang !== lang);
  for (const el of other) text = text.split(el.innerText).join(' ');
  return text;
}"""


def welfare_case(data):
    """The waiting need's household's case, with a line of its log, a consent and a referral (ASCII data)."""
    from django.contrib.auth import get_user_model

    from ops.welfare import services
    from ops.welfare.models import Agency

    worker = get_user_model().objects.get(username="welfare")
    case, _new = services.open_case(need=data["waiting"], source="staff", by=worker, summary="Lives alone")
    if _new:
        services.add_contact(case, by=worker, method="visit", with_whom=["person"], found="Eating well")
        agency = Agency.objects.create(centre=data["centre"], kind="houkatsu", name="Riverside Care Centre")
        services.give_consent(case, by=worker, purpose="share", how="written", agency=agency)
        services.refer(case, by=worker, agency=agency, reason="Care insurance")
    return case


def pages_for(data) -> dict[str, list[str]]:
    c = data["centre"].slug
    need, waiting, volunteer, record = data["need"], data["waiting"], data["volunteer"], data["dispatch"]
    board = [f"/c/{c}/board/"]
    needs = [f"/c/{c}/needs/", f"/c/{c}/needs/{need.pk}/"]
    reports = [f"/c/{c}/reports/", f"/c/{c}/reports/archive/"]
    # Each role's own pages; a page every role shares is read once, by the role that sees the least.
    return {
        "admin": [f"/c/{c}/?menu", f"/c/{c}/board/recruitment/", f"/c/{c}/audit/", f"/c/{c}/reports/recipients/",
                  f"/c/{c}/partners/organisations/new/"],  # 三者連携 (issue 23, desk)
        "coordinator": [f"/c/{c}/map/", f"/c/{c}/dispatch/teams/", f"/c/{c}/dispatch/{record.pk}/report/",
                        f"/c/{c}/needs/{waiting.pk}/edit/", f"/c/{c}/needs/{waiting.pk}/survey/",
                        f"/c/{c}/needs/import/", *reports],
        "intake": [*needs, f"/c/{c}/needs/new/"],
        "reception": [f"/c/{c}/volunteers/reception/", f"/c/{c}/volunteers/walk-in/", f"/c/{c}/volunteers/roster/",
                      f"/c/{c}/volunteers/poster/", f"/c/{c}/volunteers/groups/", f"/c/{c}/volunteers/bookings/",
                      f"/c/{c}/volunteers/{volunteer.pk}/"],
        "welfare": [f"/c/{c}/welfare/", f"/c/{c}/welfare/{welfare_case(data).pk}/", f"/c/{c}/welfare/directory/"],
        "viewer": [*board, f"/c/{c}/needs/{need.pk}/",
                   f"/c/{c}/partners/", f"/c/{c}/partners/organisations/"],  # 三者連携 (issue 23, desk)
        # No account: the public, a volunteer's phone, a team leader's slip.
        None: ["/", "/accounts/login/", f"/p/{c}/", f"/p/{c}/request/", f"/p/{c}/volunteers/register/",
               f"/p/{c}/volunteers/signin/", f"/p/{c}/volunteers/group/",
               f"/p/{c}/checkin/{data['checkin_code']}/", f"/v/{volunteer.token}/",  # signed in from here on
               f"/p/{c}/checkin/{data['checkin_code']}/", f"/p/{c}/volunteers/book/",
               f"/s/{record.slip_token}/", f"/s/{record.slip_token}/print/"],
    }


def strip_user_data(text: str, extra=()) -> str:
    for value in sorted([*USER_DATA, *extra], key=len, reverse=True):
        text = text.replace(value, " ")
    return URL.sub(" ", text)  # links shown for copying are addresses, not words


def in_context(text: str, words) -> list[str]:
    """Each offending piece with the text around it, to find it in the templates."""
    out = []
    for word in words[:4]:
        i = text.find(word)
        out.append(text[max(0, i - 25):i + len(word) + 25].replace("\n", " | "))
    return out + ([f"... and {len(words) - 4} more"] if len(words) > 4 else [])


def crawl(new_page, data, language):
    """{(role, url): the visible text without user data} for every page of every role."""
    from ops.volunteers import codes

    data["checkin_code"] = codes.daily_code(data["centre"], data["centre"].today())
    labels = [data["need"].label, data["waiting"].label, data["team"].label, *map(display_name, Role.values),
              # the directory's seeded data: the council's own desk (a name as stored) and the category codes
              "総合相談", *(code for code, _name in SEED_CATEGORIES),
              "Lives alone", "Eating well", "Riverside Care Centre", "Care insurance", "W-0001"]
    found = {}
    for role, urls in pages_for(data).items():
        page = new_page(DESKTOP)
        if role:
            login(page, role)
        if language == "en":
            page.goto(urls[0])
            switch_to_english(page)
        for url in urls:
            response = page.goto(url)
            assert response.status < 400, (role, url, response.status)
            if page.locator("#live-state").count():  # boards draw their figures from the live snapshot
                page.wait_for_selector('#live-state:not([data-state="static"])')
            if page.locator("#board[data-feed-url]").count():  # the map board: its panel and feed count
                page.wait_for_selector("#feed-count:not(:empty)")
            key = (role or "public", url + (" (again)" if (role or "public", url) in found else ""))
            found[key] = strip_user_data(page.evaluate(COLLECT), labels)
        assert page.console_errors == [], (role, page.console_errors)
    return found


def offences(texts: dict, pattern) -> dict:
    found = {}
    for key, text in texts.items():
        bad = sorted({w for w in pattern.findall(text) if w not in ALLOWED_LATIN})
        if bad:
            found[key] = in_context(text, bad)
    return found


def report(found: dict) -> str:
    return "\n".join(f"{k}: {v}" for k, v in found.items())


def test_english_pages_show_no_japanese(new_page, busy_centre):
    texts = crawl(new_page, busy_centre, "en")
    words = offences(texts, JAPANESE)
    # （...）, ・ and 、 around translated words read as stray symbols in English.
    punctuation = offences(texts, JAPANESE_PUNCTUATION)
    assert (words, punctuation) == ({}, {}), f"Japanese text:\n{report(words)}\nJapanese punctuation:\n{report(punctuation)}"


def test_japanese_pages_show_no_english_interface_words(new_page, busy_centre):
    found = offences(crawl(new_page, busy_centre, "ja"), ENGLISH_WORD)
    assert found == {}, report(found)
