"""The HTML report (``--format html``): structure and escaping checked on the rendered
text, behaviour and layout checked in real headless Chromium.

The browser tests need Debian's ``chromium`` (``scripts/install-chromium.sh``, which
``make test`` runs first); without it they skip, saying so.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html as lxml_html

from dedup import analyze, render, to_dict
from dedup.html_report import render_html, segments
from dedup.load import Article
from dedup.pipeline import Analysis
from tests.helpers import NEW_ARAB, ROOT, SEEDS, SOLVE_ISRAEL

CHROMIUM = shutil.which("chromium")
browser = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium not found on PATH (scripts/install-chromium.sh installs it; "
    "it needs apt-get and root)",
)
# Without the background-networking flags Chromium hangs on a closed network.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
CHROMIUM_TIMEOUT = 60  # a page normally loads in about a second

COMMENTARY_001 = (
    "though the regime and its allies",
    "In reality, however, ",
    "despite the fact that he himself",
)
PWNED_SCRIPT = "<script>document.title='pwned'</script>"
PWNED_IMG = "<img src=x onerror=\"document.title='pwned'\">"
HOSTILE_OUTLET = '"><img src=x onerror=alert(1)> Daily'
HOSTILE_ID = "wire<b>1</b>"
WIRE_BODY = (
    "The central bank raised its benchmark interest rate by half a percentage point on "
    "Tuesday, its third increase this year, as policymakers sought to cool inflation that "
    "has run well above target.\n\n"
    "Governor Maria Lindqvist told reporters in the capital that the decision was unanimous "
    "and that further increases could follow if price pressures did not ease over the coming "
    "months.\n\n"
    "Consumer prices rose 6.8 percent in the twelve months to September, driven by energy, "
    "food and housing costs, according to figures published last week by the national "
    "statistics office.\n\n"
    "Analysts had widely expected the move, and the currency strengthened slightly against "
    "the euro after the announcement while government bond yields edged higher across the "
    "curve.\n\n"
    "The bank also cut its growth forecast for next year to 0.9 percent from 1.4 percent, "
    "citing weaker exports to its main trading partners and a slowdown in household "
    "spending.\n"
)


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def markup_analysis() -> Analysis:
    """Two articles sharing wire copy, with hostile markup in text, title, outlet and id."""
    wire = Article(
        id=HOSTILE_ID, title=f"Rates rise {PWNED_SCRIPT}", outlet=HOSTILE_OUTLET,
        date="2024-10-01",
        text=f"Rates rise {PWNED_SCRIPT}\n\n{WIRE_BODY}\n"
        f"Readers said so on our forum: {PWNED_SCRIPT} and also more.\n",
    )
    copy = Article(
        id='copy"2', title="Bank lifts rates", outlet="Gazette & <i>Co</i>", date="2024-10-02",
        text="Bank lifts rates\n\n" + WIRE_BODY.replace("Analysts had", f"{PWNED_IMG} Analysts had")
        + "\nIn reality, however, this is a foolish policy that will hurt families.\n",
    )
    analysis = analyze([wire, copy])
    assert len(analysis.clusters) == 1, "the markup articles must share copy to be rendered"
    return analysis


@pytest.fixture(scope="session")
def seeds_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds report written by the CLI, as a user would make it."""
    path = tmp_path_factory.mktemp("html") / "report.html"
    subprocess.run(
        [sys.executable, "-m", "dedup", "cluster", str(SEEDS), "--format", "html",
         "-o", str(path), "-q"],
        check=True, cwd=ROOT, timeout=300,
    )
    return path


@pytest.fixture(scope="session")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("chromium-profile")


def run_chromium(profile: Path, *args: str) -> str:
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dump_dom(profile: Path, url: str, *flags: str) -> lxml_html.HtmlElement:
    out = run_chromium(profile, "--window-size=1280,2000", *flags, "--dump-dom", url)
    assert "<body" in out, f"no DOM dumped for {url}"
    return lxml_html.fromstring(out)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def member_text(page: lxml_html.HtmlElement, article_id: str) -> lxml_html.HtmlElement:
    (view,) = page.xpath('//article[@data-article=$id]/div[@class="text"]', id=article_id)
    return view


# --- the page as text ------------------------------------------------------------------


def test_cli_writes_one_self_contained_page(seeds_page: Path) -> None:
    text = seeds_page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    page = lxml_html.fromstring(text)
    assert not page.xpath("//link | //iframe | //*[@src]"), "nothing may be loaded from elsewhere"
    for href in page.xpath("//a/@href"):
        assert href.startswith("#"), href
    assert len(page.xpath("//script")) == 1 and len(page.xpath("//style")) == 1


def test_render_dispatches_html(seed_analysis: Analysis) -> None:
    assert render(seed_analysis, "html") == render_html(seed_analysis)


def test_output_is_deterministic(seed_articles: list[Article], seed_analysis: Analysis) -> None:
    first = render_html(seed_analysis)
    assert render_html(seed_analysis) == first
    assert render_html(analyze(seed_articles)) == first


def test_every_added_span_appears_once_with_its_label(seed_analysis: Analysis) -> None:
    page = lxml_html.fromstring(render_html(seed_analysis))
    texts = {a.id: a.text for a in seed_analysis.articles}
    for cluster in to_dict(seed_analysis)["clusters"]:
        for member in cluster["members"]:
            view = member_text(page, member["id"])
            pieces = list(view)
            # The walk covers the whole text: every piece is labelled or the headline.
            assert "".join(p.text_content() for p in pieces) == texts[member["id"]]
            assert all(p.get("data-label") or p.get("class") == "headline" for p in pieces)
            added = [(p.get("data-label"), p.text_content()) for p in pieces
                     if p.get("data-label") not in (None, "shared")]
            assert added == [(s["label"], s["text"]) for s in member["added"]]


def test_cut_passages_are_listed_under_their_member(seed_analysis: Analysis) -> None:
    page = lxml_html.fromstring(render_html(seed_analysis))
    for cluster in to_dict(seed_analysis)["clusters"]:
        for member in cluster["members"]:
            cuts = page.xpath('//article[@data-article=$id]//*[@data-label="cut"]',
                              id=member["id"])
            assert [c.text_content() for c in cuts] == [c["text"].strip() for c in member["cut"]]


def test_commentary_filter_attributes(seed_analysis: Analysis) -> None:
    page = lxml_html.fromstring(render_html(seed_analysis))
    cards = page.xpath('//li[@class="card"]')
    assert [(c.get("data-cluster"), c.get("data-commentary")) for c in cards] == [
        ("C1", "true"), ("C2", "false")]


def test_related_coverage_is_linked_from_the_cluster(seed_analysis: Analysis) -> None:
    page = lxml_html.fromstring(render_html(seed_analysis))
    (related,) = page.xpath('//section[@id="C1"]/p[@class="related"]')
    (href,) = related.xpath(".//a/@href")
    (target,) = page.xpath("//*[@id=$id]", id=href[1:])
    assert "000_f75c96cb487ccd06" in target.text_content()
    assert not page.xpath('//section[@id="C2"]/p[@class="related"]')


def test_hostile_metadata_and_text_are_escaped(markup_analysis: Analysis) -> None:
    out = render_html(markup_analysis)
    assert PWNED_SCRIPT not in out and "<img" not in out and "<b>1" not in out
    assert "<i>Co" not in out
    page = lxml_html.fromstring(out)
    assert len(page.xpath("//script")) == 1
    assert not page.xpath("//img | //b | //i | //*[@onerror]")
    body = page.xpath("//body")[0].text_content()
    for shown in (PWNED_SCRIPT, PWNED_IMG, HOSTILE_OUTLET, HOSTILE_ID, "Gazette & <i>Co</i>"):
        assert shown in body
    # The ids reach attributes too (data-article), intact after unescaping.
    assert page.xpath("//article[@data-article=$id]", id=HOSTILE_ID)
    assert page.xpath("//article[@data-article=$id]", id='copy"2')


def test_page_without_clusters() -> None:
    page = lxml_html.fromstring(render_html(analyze([Article(id="a", text="One lone article.")])))
    assert not page.xpath('//section[@class="cluster"]')
    assert page.xpath('//article[@class="doc"]//div[@class="text plain"]/text()') == [
        "One lone article."]


def test_segments_cover_overlaps_once() -> None:
    text = "Head\n\none two three four five six"
    added = [{"start": 6, "end": 13, "label": "other"}, {"start": 10, "end": 17, "label": "other"}]
    segs = segments(text, "Head", added)
    assert [(s.start, s.end, s.label) for s in segs] == [
        (0, 4, None), (4, 6, "shared"), (6, 13, "other"), (13, 17, "other"),
        (17, len(text), "shared")]


def test_headline_after_copy_is_not_singled_out() -> None:
    text = "copy comes first\nHead"
    assert [s.label for s in segments(text, "Head", [])] == ["shared"]


# --- in Chromium -----------------------------------------------------------------------


@browser
def test_install_script_is_a_quiet_no_op_when_chromium_is_there() -> None:
    done = subprocess.run(["bash", str(ROOT / "scripts/install-chromium.sh")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


@browser
def test_seeds_report_renders_every_cluster_and_member(
    seeds_page: Path, seed_analysis: Analysis, profile: Path
) -> None:
    dom = dump_dom(profile, seeds_page.as_uri())
    report = to_dict(seed_analysis)
    assert dom.xpath("//body/@data-visible-clusters") == ["C1 C2"], "the script did not run"
    for cluster in report["clusters"]:
        (section,) = dom.xpath('//section[@id=$id]', id=cluster["id"])
        assert section.get("hidden") is None
        for member in cluster["members"]:
            assert section.xpath(".//article[@data-article=$id]", id=member["id"])


@browser
def test_commentary_is_marked_in_the_browser(seeds_page: Path, profile: Path) -> None:
    dom = dump_dom(profile, seeds_page.as_uri())
    marked = [e.text_content() for e in
              member_text(dom, SOLVE_ISRAEL).xpath('.//*[@data-label="commentary"]')]
    for passage in COMMENTARY_001:
        assert any(passage in m for m in marked), passage
    assert not member_text(dom, NEW_ARAB).xpath('.//*[@data-label="commentary"]')


@browser
def test_markup_in_articles_stays_text(
    markup_analysis: Analysis, tmp_path: Path, profile: Path
) -> None:
    page = tmp_path / "markup.html"
    page.write_text(render_html(markup_analysis), encoding="utf-8")
    dom = dump_dom(profile, page.as_uri())
    assert dom.xpath("string(//title)") == "dedup: 1 copy cluster"
    assert len(dom.xpath("//script")) == 1
    assert not dom.xpath("//img | //b | //i | //*[@onerror]")
    body = dom.xpath("//body")[0].text_content()
    assert PWNED_SCRIPT in body and PWNED_IMG in body


@browser
@pytest.mark.parametrize(("fragment", "visible", "order"), [
    ("#filter=commentary", "C1", ["C1", "C2"]),
    ("#q=indiavision", "C2", ["C1", "C2"]),
    ("#sort=headline", "C2 C1", ["C2", "C1"]),
    ("#sort=date&filter=commentary", "C1", ["C2", "C1"]),
    # The README's view-state link: the search covers credits (both clusters credit AFP).
    ("#filter=commentary&sort=date&q=afp", "C1", ["C2", "C1"]),
    ("#q=afp", "C1 C2", ["C1", "C2"]),
])
def test_filter_and_sort_from_the_fragment(
    seeds_page: Path, profile: Path, fragment: str, visible: str, order: list[str]
) -> None:
    dom = dump_dom(profile, seeds_page.as_uri() + fragment)
    sections = dom.xpath('//div[@id="clusters"]/section')
    assert [s.get("id") for s in sections] == order
    assert [s.get("id") for s in sections if s.get("hidden") is None] == visible.split()
    cards = dom.xpath('//ol[@id="overview"]/li')
    assert [c.get("data-cluster") for c in cards if c.get("hidden") is None] == visible.split()
    assert dom.xpath("//body/@data-visible-clusters") == [visible]


@browser
def test_screenshot(seeds_page: Path, tmp_path: Path, profile: Path) -> None:
    shot = tmp_path / "seeds-report.png"
    run_chromium(profile, "--window-size=1280,2000", f"--screenshot={shot}", seeds_page.as_uri())
    assert png_size(shot) == (1280, 2000)
    assert shot.stat().st_size > 50_000, "a blank page compresses to almost nothing"


@browser
def test_no_horizontal_scroll_at_400px(seeds_page: Path, profile: Path) -> None:
    # Headless Chromium will not make a window narrower than 500px (a 400px screenshot is
    # a crop of a 500px layout), so the page is measured inside a 400px iframe.
    frame = seeds_page.with_name("narrow.html")
    frame.write_text(
        '<!DOCTYPE html><body style="margin:0">'
        '<iframe id="f" style="border:0;width:400px;height:2000px" '
        f'src="{seeds_page.name}#selftest"></iframe><script>'
        "f.onload = function () { var b = f.contentDocument.body;"
        ' ["scroll-width", "client-width", "inner-width", "overflowing"].forEach(function (k) {'
        ' document.body.setAttribute("data-" + k, b.getAttribute("data-" + k)); }); };'
        "</script></body>",
        encoding="utf-8",
    )
    dom = dump_dom(profile, frame.as_uri(), "--allow-file-access-from-files")
    body = dom.xpath("//body")[0]
    assert body.get("data-inner-width") == "400", "the iframe did not load or measure"
    scroll, client = int(body.get("data-scroll-width")), int(body.get("data-client-width"))
    assert scroll <= client, f"overflowing at 400px: {body.get('data-overflowing')}"
