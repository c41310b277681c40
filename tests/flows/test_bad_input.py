"""Bad input end to end: every file in a hostile raw folder is accounted for exactly once, with the
expected outcome and reason, and the run still commits."""
from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from newsdesk.prepare import prepare_batch, read_staged
from newsdesk.store import Store
from tests.flows.opshelp import article_text

pytestmark = [pytest.mark.prefect]

MAX_BYTES = 20_000
SPANISH = """El Gobierno aprueba un nuevo plan de vivienda

Por Lucía Fernández

MADRID — El Consejo de Ministros aprobó este martes un plan de vivienda que prevé la construcción de cien mil pisos de alquiler asequible en los próximos cinco años, según anunció la ministra en una rueda de prensa.

“Es el mayor esfuerzo público en vivienda de las últimas décadas”, dijo la ministra, que defendió que el plan se financiará con fondos europeos y con la colaboración de las comunidades autónomas.

Las asociaciones de inquilinos recibieron el anuncio con cautela y recordaron que los precios del alquiler han subido más de un veinte por ciento en las grandes ciudades desde el final de la pandemia.

Los constructores, por su parte, advirtieron de la falta de suelo disponible y de mano de obra cualificada, y pidieron al Gobierno que agilice los trámites urbanísticos para que las obras puedan empezar cuanto antes.
"""
LATIN1 = """Café owners in Québec protest new licence fees

By René Dubois

MONTRÉAL, Owners of more than forty cafés in the old town said on Monday that a new municipal licence fee would force some of them to close before the winter, and asked the council to delay it by a year.

"We are not against paying our share, but this fee arrives at the worst possible moment," said Hélène Côté, who runs a café near the harbour and chairs the local merchants' association.

The council said the fee would pay for street cleaning and extra lighting in the pedestrian zone, and that small businesses could apply for a reduced rate until the end of the year.
"""


def build_raw(raw: Path, outside: Path) -> dict[str, tuple[str, str | None]]:
    """Write the hostile folder; return {relative path: (outcome, reject reason or None)}."""
    raw.mkdir(parents=True)
    expect: dict[str, tuple[str, str | None]] = {}

    def put(rel: str, data: bytes, outcome: str, reason: str | None = None) -> None:
        p = raw / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        expect[rel] = (outcome, reason)

    put("empty.txt", b"", "reject", "empty")
    put("blank.txt", b"  \n\t\n   \r\n  \n", "reject", "whitespace_only")
    put("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "reject", "binary")
    put("nul.txt", b"some text\x00\x01\x02 with \x00 NUL bytes \xff\xfe" * 40, "reject", "binary")
    put("latin1.txt", LATIN1.encode("latin-1"), "article")
    put("same_text_utf8.txt", LATIN1.encode("utf-8"), "duplicate")  # same article, other encoding
    put("utf16.txt", article_text(9001).encode("utf-16"), "article")  # with BOM
    put("crlf.txt", article_text(9002).replace("\n", "\r\n").encode(), "article")
    put("nested/deeper/still/article.txt", article_text(9003).encode(), "article")
    put("odd name 'single' \"double\" café ünïcode 记者.txt", article_text(9004).encode(), "article")
    put("spanish.txt", SPANISH.encode("utf-8"), "article")
    big = article_text(9005) + "\n\n".join(article_text(9005 + k) for k in range(1, 60))
    assert len(big.encode()) > MAX_BYTES
    put("big.txt", big.encode(), "reject", "too_large")
    put("good.txt.gz", gzip.compress(article_text(9006).encode()), "article")
    put("cut.txt.gz", gzip.compress(article_text(9007).encode())[:-40], "reject", "truncated_gzip")
    # pages that decode fine but are not news articles: the quality gate turns them away
    put("junk/404.txt", b"Page not found\n\nError 404\n\nSorry, the page you are looking for does not exist "
        b"or has been moved.\n\nGo to the homepage\n", "reject", "not_article")
    put("junk/breaking.txt", b"Breaking\n\nMore to follow.\n", "reject", "not_article")

    outside.mkdir(parents=True, exist_ok=True)
    secret = outside / "secret.txt"
    secret.write_text(article_text(9008), encoding="utf-8")
    os.symlink(secret, raw / "link_outside.txt")
    expect["link_outside.txt"] = ("reject", "symlink_outside")
    os.symlink("crlf.txt", raw / "link_inside.txt")  # inside the root: followed, an exact duplicate
    expect["link_inside.txt"] = ("duplicate", None)

    (raw / ".hidden.txt.swp").write_bytes(b"editor swap file")  # hidden: never listed, by design
    (raw / ".partial").mkdir()
    (raw / ".partial" / "x.txt").write_text(article_text(9009), encoding="utf-8")
    return expect


@pytest.fixture(scope="module")
def bad_run(prefect_harness, tmp_path_factory):
    from newsdesk.flows.curate import curate

    base = tmp_path_factory.mktemp("bad")
    raw, out = base / "raw", base / "out"
    expect = build_raw(raw, base / "outside")
    summary = curate(raw=str(raw), out=str(out), max_bytes=MAX_BYTES)
    again = curate(raw=str(raw), out=str(out), max_bytes=MAX_BYTES)
    return dict(raw=raw, out=out, expect=expect, summary=summary, again=again)


def test_pages_that_are_not_articles_are_rejected_and_counted_by_rule(bad_run):
    s = bad_run["summary"]
    assert s["reject_reasons"]["not_article"] == 2
    assert sum(s["quality_rules"].values()) == 2 and all("." in r for r in s["quality_rules"])
    details = {r["source_path"]: r["detail"] for r in Store(bad_run["out"]).read("rejects").to_pylist()
               if r["reason"] == "not_article"}
    assert set(details) == {"junk/404.txt", "junk/breaking.txt"}
    assert all(d.split(":", 1)[0] in s["quality_rules"] for d in details.values())


def test_keep_low_quality_keeps_them(prefect_harness, tmp_path):
    from newsdesk.flows.curate import curate

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "404.txt").write_bytes(b"Page not found\n\nError 404\n\nSorry, the page you are looking for "
                                  b"does not exist or has been moved.\n\nGo to the homepage\n")
    s = curate(raw=str(raw), out=str(tmp_path / "out"), keep_low_quality=True)
    assert (s["articles"], s["rejects"]) == (1, 0)


def test_run_commits_despite_bad_input(bad_run):
    s = bad_run["summary"]
    assert s["committed"]
    assert s["files_seen"] == len(bad_run["expect"])
    assert s["rejects"] == sum(1 for o, _ in bad_run["expect"].values() if o == "reject")


def test_every_file_accounted_once(bad_run):
    store = Store(bad_run["out"])
    files = store.read("files").to_pylist()
    paths = [f["source_path"] for f in files]
    assert sorted(paths) == sorted(bad_run["expect"])  # each exactly once, hidden entries never listed
    outcome = {f["source_path"]: f["outcome"] for f in files}
    assert outcome == {p: o for p, (o, _) in bad_run["expect"].items()}

    articles = {a["source_path"] for a in store.read("articles").to_pylist()}
    dups = {d["source_path"] for d in store.read("duplicates").to_pylist()}
    rejects = {r["source_path"]: r for r in store.read("rejects").to_pylist()}
    assert not (articles & dups) and not (articles & set(rejects)) and not (dups & set(rejects))
    assert articles | dups | set(rejects) == set(bad_run["expect"])
    for path, (o, reason) in bad_run["expect"].items():
        if o == "reject":
            assert rejects[path]["reason"] == reason, (path, rejects[path])
            assert rejects[path]["detail"]


def test_outside_symlink_never_read(bad_run):
    r = next(r for r in Store(bad_run["out"]).read("rejects").to_pylist() if r["source_path"] == "link_outside.txt")
    assert r["source_sha256"] is None and r["size_bytes"] is None  # no byte of it was read


def test_decoded_articles(bad_run):
    arts = {a["source_path"]: a for a in Store(bad_run["out"]).read("articles").to_pylist()}
    assert "Hélène Côté" in arts["latin1.txt"]["body"]
    assert "\r" not in arts["crlf.txt"]["body"]
    assert arts["nested/deeper/still/article.txt"]["outlet"] == "nested"
    es = arts["spanish.txt"]
    assert es["language"] == "es" and es["language_prob"] > 0.5  # kept and tagged
    assert all(a["language"] == "en" for p, a in arts.items() if p != "spanish.txt")
    dup = {d["source_path"]: d for d in Store(bad_run["out"]).read("duplicates").to_pylist()}
    assert dup["same_text_utf8.txt"]["duplicate_of"] == arts["latin1.txt"]["article_id"]
    assert dup["link_inside.txt"]["duplicate_of"] == arts["crlf.txt"]["article_id"]


def test_rerun_records_nothing_twice(bad_run):
    again = bad_run["again"]
    assert not again["committed"] and again["files_new"] == 0


def test_file_vanishing_mid_run(tmp_path):
    """Listed at discovery, gone when its batch reads it: a 'vanished' reject, not an exception."""
    (tmp_path / "here.txt").write_text(article_text(1), encoding="utf-8")
    (tmp_path / "gone.txt").write_text(article_text(2), encoding="utf-8")
    (tmp_path / "gone.txt").unlink()
    result = prepare_batch(tmp_path, ["here.txt", "gone.txt"], {}, MAX_BYTES, tmp_path / "stage", "0")
    assert [p.source_path for p in read_staged(tmp_path / "stage", "0")] == ["here.txt"]
    assert [(r.path, r.reason) for r in result.rejects] == [("gone.txt", "vanished")]


def test_file_changed_mid_run(tmp_path):
    """Replaced between discovery and reading: the bytes actually read are what is hashed and curated."""
    p = tmp_path / "a.txt"
    p.write_text(article_text(3), encoding="utf-8")
    p.write_text(article_text(4), encoding="utf-8")  # the batch reads whatever is there now
    import hashlib
    prepare_batch(tmp_path, ["a.txt"], {}, MAX_BYTES, tmp_path / "stage", "0")
    assert read_staged(tmp_path / "stage", "0")[0].source_sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
