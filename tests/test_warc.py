"""WARC input: the seeds as crawled pages, in WARC files written here with FastWARC."""

from __future__ import annotations

import gzip
import json
import random
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup import warc
from dedup.cli import main
from dedup.load import InputError, load_articles
from tests.helpers import (
    BUSINESS_STANDARD,
    INDIAVISION,
    NEW_ARAB,
    REWRITE_2016,
    SEEDS,
    SOLVE_ISRAEL,
)
from tests.warc_pages import Rec, seed_page, seed_records, seed_url, write_warc

pytest.importorskip("fastwarc")

WHEN = "2016-07-04T08:00:00Z"


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def _cluster_json(*inputs: str) -> dict:
    result = _run("cluster", *inputs, "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _words(text: str) -> str:
    return " ".join(text.split())


def _commentary(report: dict, member_id: str) -> list[tuple[int, int, str]]:
    return [(span["start"], span["end"], span["text"])
            for cluster in report["clusters"] for member in cluster["members"]
            if member["id"] == member_id
            for span in member["added"] if span["label"] == "commentary"]


@pytest.fixture(scope="module")
def seeds_warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crawl") / "seeds.warc.gz"
    write_warc(path, seed_records(), gzip_each=True)
    return path


def test_cluster_on_a_warc_finds_the_seed_clusters_and_001s_commentary(seeds_warc: Path
                                                                       ) -> None:
    report = _cluster_json(str(seeds_warc))
    clusters = sorted(sorted(m["id"] for m in c["members"]) for c in report["clusters"])
    assert clusters == [sorted([seed_url(SOLVE_ISRAEL), seed_url(NEW_ARAB)]),
                        sorted([seed_url(INDIAVISION), seed_url(BUSINESS_STANDARD)])]
    # The same commentary as from the seeds' plain text (trafilatura turns no-break spaces
    # into spaces), at offsets into the extracted text.
    spans = _commentary(report, seed_url(SOLVE_ISRAEL))
    expected = _commentary(_cluster_json(str(SEEDS)), SOLVE_ISRAEL)
    assert [_words(text) for _, _, text in spans] == [_words(text) for _, _, text in expected]
    articles, _ = load_articles([str(seeds_warc)])
    text = next(a.text for a in articles if a.id == seed_url(SOLVE_ISRAEL))
    assert [text[start:end] for start, end, _ in spans] == [t for _, _, t in spans]


def test_articles_carry_url_title_date_and_outlet(seeds_warc: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the loader went to the network")

    monkeypatch.setattr(socket, "socket", no_network)  # registered domains come offline
    articles, report = load_articles([str(seeds_warc)])
    by_id = {a.id: a for a in articles}
    assert list(by_id) == [seed_url(s) for s in (REWRITE_2016, SOLVE_ISRAEL, NEW_ARAB,
                                                 INDIAVISION, BUSINESS_STANDARD)]
    solve = by_id[seed_url(SOLVE_ISRAEL)]
    assert (solve.url, solve.outlet, solve.date) == (seed_url(SOLVE_ISRAEL),
                                                     "Solve Israel's Problems", "2016-07-03")
    assert solve.title == "Khamenei: Iran won’t coordinate with US on Syria"
    # No site name on the page: its registered domain (a two-part public suffix here).
    assert by_id[seed_url(NEW_ARAB)].outlet == "alaraby.co.uk"
    # No date on the page: the capture's day.
    assert by_id[seed_url(REWRITE_2016)].date == "2016-07-04"
    # Navigation, share bar, related links and comments are not article text.
    for article in articles:
        for chrome in ("Tweet", "Related stories", "Other headline number", "reader42",
                       "Privacy"):
            assert chrome not in article.text
    assert report.skipped == [(str(seeds_warc), "5 request records")]
    assert report.warnings == []


def _mixed_crawl() -> list[Rec]:
    page = seed_page(SOLVE_ISRAEL)
    url = seed_url(SOLVE_ISRAEL)
    return [
        Rec("warcinfo", "", WHEN),
        Rec("request", url, WHEN),
        Rec("response", url, "2016-07-03T08:00:00Z", body=seed_page(SOLVE_ISRAEL, " (old)")),
        Rec("metadata", url, WHEN),
        Rec("revisit", url, "2016-07-05T08:00:00Z"),
        Rec("response", "https://example.com/moved", WHEN, status=301),
        Rec("response", "https://example.com/gone", WHEN, status=404, body=b"<p>gone</p>"),
        Rec("response", "https://example.com/logo.png", WHEN, content_type="image/png",
            body=b"\x89PNG\r\n\x1a\n"),
        Rec("response", url, WHEN, body=page),  # the latest capture of url
        Rec("response", seed_url(NEW_ARAB), WHEN, body=seed_page(NEW_ARAB)),
        Rec("response", seed_url(INDIAVISION), WHEN, body=seed_page(INDIAVISION), cut=500),
    ]


@pytest.mark.parametrize("gzip_each", [True, False])
def test_only_intact_200_html_responses_become_articles(tmp_path: Path, gzip_each: bool
                                                        ) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip_each else "crawl.warc")
    offsets = write_warc(path, _mixed_crawl(), gzip_each)
    articles, report = load_articles([str(path)])
    assert [a.id for a in articles] == [seed_url(SOLVE_ISRAEL), seed_url(NEW_ARAB)]
    assert "(old)" not in articles[0].text and "Khamenei" in articles[0].text
    assert sorted(report.skipped) == sorted((str(path), reason) for reason in (
        "1 earlier captures of a URL captured again (the latest is kept)",
        "1 metadata records", "1 request records", "1 revisit records",
        "1 redirects with status 301", "1 responses with status 404",
        "1 non-HTML responses (image/png)", "1 warcinfo records"))
    assert report.warnings == [f"{path}: record at offset {offsets[-1]}: cut short or damaged "
                               "(block digest does not match); skipped"]


def test_a_damaged_gzip_member_is_a_warning_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    records = seed_records()
    offsets = write_warc(path, records, gzip_each=True)
    data = bytearray(path.read_bytes())
    damaged = offsets[3]  # 001's response: its compressed bytes overwritten midway
    middle = (offsets[3] + offsets[4]) // 2
    data[middle : middle + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    articles, report = load_articles([str(path)])
    assert [a.id for a in articles] == [seed_url(s) for s in (REWRITE_2016, NEW_ARAB,
                                                              INDIAVISION, BUSINESS_STANDARD)]
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith(f"{path}: record at offset {damaged}: unreadable (")
    assert report.warnings[0].endswith(f"; reading on from offset {offsets[4]}")


def test_a_whole_file_gzip_reads_but_cannot_resume_after_damage(tmp_path: Path) -> None:
    # 40 pages that do not compress away, so that the damage is blocks away from the start.
    page = seed_page(SOLVE_ISRAEL)
    records = [Rec("response", f"{seed_url(SOLVE_ISRAEL)}?copy={n}", WHEN,
                   body=page + f"<!-- {random.Random(n).randbytes(3000).hex()} -->".encode())
               for n in range(40)]
    plain = tmp_path / "plain.warc"
    write_warc(plain, records, gzip_each=False)
    path = tmp_path / "crawl.warc.gz"
    whole = gzip.compress(plain.read_bytes(), mtime=0)
    path.write_bytes(whole)
    articles, report = load_articles([str(path)])  # records share offsets in one stream
    assert len(articles) == 40 and report.warnings == []
    middle = len(whole) // 2
    path.write_bytes(whole[:middle] + b"\xff" * 64 + whole[middle + 64 :])
    articles, report = load_articles([str(path)])
    assert 0 < len(articles) < 20
    # The damaged record may be named first (its digest fails), then the loss of the rest.
    assert 1 <= len(report.warnings) <= 2
    assert report.warnings[-1].endswith("no record boundary after it: the rest of the file is lost")


def test_the_latest_capture_wins_across_files(tmp_path: Path) -> None:
    url = seed_url(SOLVE_ISRAEL)
    newer, older = tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"
    write_warc(newer, [Rec("response", url, "2016-07-05T00:00:00Z",
                           body=seed_page(SOLVE_ISRAEL, " (new)"))], gzip_each=True)
    write_warc(older, [Rec("response", url, "2016-07-03T00:00:00Z",
                           body=seed_page(SOLVE_ISRAEL, " (old)"))], gzip_each=True)
    for inputs in ([str(newer), str(older)], [str(tmp_path)]):
        articles, report = load_articles(inputs)
        assert len(articles) == 1 and articles[0].origin == str(newer)
        assert report.skipped == [
            (str(older), "1 earlier captures of a URL captured again (the latest is kept)")]


def test_without_fastwarc_the_error_names_the_extra(seeds_warc: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warc, "_iterator_class", lambda: None)
    with pytest.raises(InputError, match=r"pip install 'news-dedup\[warc\]'"):
        load_articles([str(seeds_warc)])
    result = _run("cluster", str(seeds_warc), "-q")
    assert result.exit_code == 2
    assert result.stderr == (f"dedup: error: {seeds_warc}: reading WARC files needs FastWARC: "
                             "pip install 'news-dedup[warc]'\n")


def test_check_against_an_index_built_from_a_warc(tmp_path: Path) -> None:
    records = seed_records()
    indexed, new = tmp_path / "indexed.warc.gz", tmp_path / "new.warc"
    sources = {seed_url(NEW_ARAB), seed_url(BUSINESS_STANDARD)}
    write_warc(indexed, [r for r in records if r.uri in sources], gzip_each=True)
    write_warc(new, [r for r in records if r.uri not in sources], gzip_each=False)
    index = str(tmp_path / "index.sqlite")
    added = _run("index", "add", str(indexed), "--index", index, "-q")
    assert added.exit_code == 0, added.output
    assert "2 added" in added.stdout
    checked = _run("check", str(new), "--index", index, "--format", "json", "-q")
    assert checked.exit_code == 1, checked.output
    findings = {f["id"]: f for f in json.loads(checked.stdout)["findings"]}
    assert set(findings) == {seed_url(SOLVE_ISRAEL), seed_url(INDIAVISION)}
    assert findings[seed_url(SOLVE_ISRAEL)]["adds_commentary"] is True


def test_the_benchmark_crawl_reads_the_same_through_both_libraries(tmp_path: Path) -> None:
    pytest.importorskip("warcio")
    from benchmarks import warc_bench

    rows = [{"id": f"s{n}", "title": f"Story {n}", "text": f"Paragraph {n}.\n\nMore {n}."}
            for n in range(30)]
    path = tmp_path / "crawl.warc.gz"
    warc_bench.write_crawl(rows, path, gzip_each=True)
    pages = {name: list(reader(path)) for name, reader in warc_bench.READERS.items()}
    assert len(pages["fastwarc"]) == 30 and pages["warcio"] == pages["fastwarc"]
    articles, report = load_articles([str(path)])
    assert len(articles) == 30
    assert sorted(report.skipped) == sorted((str(path), reason) for reason in (
        "30 metadata records", "30 request records", "2 redirects with status 301",
        "1 responses with status 404", "2 non-HTML responses (image/jpeg)"))


def test_arc_files_are_refused_with_the_conversion_to_run(tmp_path: Path) -> None:
    path = tmp_path / "old.arc.gz"
    path.write_bytes(gzip.compress(b"filedesc://old.arc 0.0.0.0 20240501000000 text/plain 0\n"))
    with pytest.raises(InputError, match=r"unsupported file type '\.arc\.gz' .*warcio recompress"):
        load_articles([str(path)])


def test_content_encoding_is_undone_and_a_bad_one_counted(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    page = seed_page(NEW_ARAB)
    write_warc(path, [
        Rec("response", seed_url(NEW_ARAB), WHEN, body=gzip.compress(page), encoding="gzip"),
        Rec("response", seed_url(SOLVE_ISRAEL), WHEN, body=seed_page(SOLVE_ISRAEL),
            encoding="gzip"),  # says gzip, is not
    ], gzip_each=True)
    plain = tmp_path / "plain.warc"
    write_warc(plain, [Rec("response", seed_url(NEW_ARAB), WHEN, body=page)], gzip_each=False)
    articles, report = load_articles([str(path)])
    assert [a.id for a in articles] == [seed_url(NEW_ARAB)]
    assert articles[0].text == load_articles([str(plain)])[0][0].text
    assert report.skipped == [
        (str(path), "1 responses whose HTTP header or content encoding cannot be read")]
