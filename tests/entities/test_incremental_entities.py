"""Corpus entities grown over several runs = one run over everything (issue 11 item 7), in memory.

Articles are built from article keys directly (what the enrich worker hands the driver), so each case controls
exactly which spellings, types and votes arrive in which run. :class:`MemoryStore` appends what the pipeline
appends (registry, entity_names, entity_redirects, mentions) and reads back what the catalog views give.
"""
from __future__ import annotations

import random

import pytest

from newsdesk.entities import ArticleMention
from newsdesk.entities.corpus import MemoryStore
from newsdesk.fingerprint import short_hash


def A(aid: str, *ments) -> tuple[str, list[ArticleMention]]:
    """An article of mentions ``(surface, key name, key type[, votes])``; votes default to one for the type."""
    out, pos = [], 0
    for sfc, name, typ, *v in ments:
        votes = tuple(sorted(v[0])) if v else ((typ, 1.0),)
        out.append(ArticleMention(pos, pos + len(sfc), sfc, typ, (name, typ), votes))
        pos += len(sfc) + 1
    return aid, out


def grown(*runs, store_cls=MemoryStore) -> MemoryStore:
    store = store_cls()
    for arts in runs:
        store.add(arts)
    return store


def one_run(*runs) -> MemoryStore:
    return grown([a for arts in runs for a in arts])


def same(*runs) -> tuple[MemoryStore, MemoryStore]:
    inc, one = grown(*runs), one_run(*runs)
    assert inc.entities() == one.entities()
    assert inc.mentions() == one.mentions()
    return inc, one


def entity(store: MemoryStore, name: str) -> dict:
    (e,) = [e for e in store.entities() if e["name"] == name]
    return e


class EverythingStore(MemoryStore):
    """A lookup that answers every query with every row: resolution must not depend on reading more."""

    def names_by_key(self, name_keys):
        return list(self.name_rows)

    def names_by_join_keys(self, parent_keys, child_keys):
        return list(self.name_rows)

    def names_of_entities(self, entity_ids):
        return list(self.name_rows)


# ---------------------------------------------------------------------------------------------- types
def test_type_follows_the_totals_not_the_first_run():
    run1 = [A("a1", ("Yukos", "Yukos", "PERSON")), A("a2", ("Yukos", "Yukos", "PERSON"))]
    run2 = [A(f"b{i}", ("Yukos", "Yukos", "ORG", (("ORG", 1.0), ("ORG", 2.0)))) for i in range(3)]
    inc, _ = same(run1, run2)
    assert entity(inc, "Yukos")["type"] == "ORG" and entity(inc, "Yukos")["article_count"] == 5
    old, new = short_hash("PERSON", "Yukos"), short_hash("ORG", "Yukos")
    assert inc.resolve(old) == new
    assert [(r["entity_id"], r["redirect_to"], r["change"]) for r in inc.redirect_rows] == [(old, new, "retyped")]
    # committed rows keep their id, the view resolves them
    assert {m["entity_id"] for m in inc.mention_rows if m["article_id"].startswith("a")} == {old}


def test_a_type_that_flips_back_restores_its_id_in_one_hop():
    p = lambda i: A(f"p{i}", ("Absa", "Absa", "PERSON"))  # noqa: E731
    o = lambda i: A(f"o{i}", ("Absa", "Absa", "ORG"))  # noqa: E731
    runs = [[p(0)], [o(0), o(1)], [p(1), p(2)]]
    inc, _ = same(*runs)
    person, org = short_hash("PERSON", "Absa"), short_hash("ORG", "Absa")
    assert entity(inc, "Absa")["entity_id"] == person
    assert inc.resolve(org) == person and inc.resolve(person) == person
    assert [(r["entity_id"], r["redirect_to"], r["change"]) for r in inc.redirect_rows] == [
        (person, org, "retyped"), (org, person, "retyped"), (person, person, "restored")]


def test_redirects_are_flattened():
    runs = [[A("a", ("Air Sahara", "Air Sahara", "PERSON"))],
            [A("b", ("air sahara", "air sahara", "ORG")), A("c", ("air sahara", "air sahara", "ORG"))],
            [A(f"d{i}", ("Air Sahara", "Air Sahara", "ORG")) for i in range(3)]]
    inc, _ = same(*runs)
    final = entity(inc, "Air Sahara")["entity_id"]
    for e in inc.registry_rows:  # every id ever given resolves to a current entity in one hop
        assert inc.resolve(e) == final
        assert inc.resolve(inc.resolve(e)) == inc.resolve(e)


# ---------------------------------------------------------------------------------------------- names
def test_name_case_follows_the_totals():
    run1 = [A("a", ("supreme court", "supreme court", "ORG"))]
    run2 = [A("b", ("Supreme Court", "Supreme Court", "ORG")), A("c", ("Supreme Court", "Supreme Court", "ORG"))]
    inc, _ = same(run1, run2)
    assert [e["name"] for e in inc.entities()] == ["Supreme Court"]
    assert inc.redirect_rows[0]["change"] == "renamed"


# ---------------------------------------------------------------------------------------------- joins
def test_a_committed_short_name_merges_into_the_full_name_a_later_run_brings():
    run1 = [A("a", ("Blair", "Blair", "PERSON")), A("b", ("Blair", "Blair", "PERSON"))]
    run2 = [A("c", ("Tony Blair", "Tony Blair", "PERSON"))]
    inc, _ = same(run1, run2)
    e = entity(inc, "Tony Blair")
    assert e["article_count"] == 3 and e["aliases"] == ["Blair", "Tony Blair"]
    assert inc.redirect_rows[0]["change"] == "merged"


def test_a_later_short_name_joins_the_committed_full_name():
    run1 = [A("a", ("Vladimir Putin", "Vladimir Putin", "PERSON"))]
    run2 = [A("b", ("Putin", "Putin", "PERSON"))]
    inc, _ = same(run1, run2)
    assert entity(inc, "Vladimir Putin")["article_count"] == 2 and not inc.redirect_rows


def test_acronym_and_its_expansion_in_either_order():
    fda = A("x", ("Food and Drug Administration", "Food and Drug Administration", "ORG"),
            ("FDA", "Food and Drug Administration", "ORG"))
    alone = [A("y", ("FDA", "FDA", "ORG")), A("z", ("FDA", "FDA", "ORG"))]
    for runs in ([alone, [fda]], [[fda], alone]):
        inc, _ = same(*runs)
        assert entity(inc, "Food and Drug Administration")["article_count"] == 3


def test_middle_name_variant_and_school_in_either_order():
    a = [A("a", ("Martin E. Dempsey", "Martin E. Dempsey", "PERSON")), A("h", ("Harvard", "Harvard", "ORG"))]
    b = [A("b", ("Martin Dempsey", "Martin Dempsey", "PERSON")),
         A("u", ("Harvard University", "Harvard University", "ORG"))]
    for runs in ([a, b], [b, a]):
        inc, _ = same(*runs)
        assert entity(inc, "Martin Dempsey")["article_count"] == 2
        assert entity(inc, "Harvard University")["article_count"] == 2


def test_a_short_name_made_ambiguous_later_keeps_its_committed_join_and_new_mentions_stay_apart():
    run1 = [A("a", ("Tony Blair", "Tony Blair", "PERSON")), A("b", ("Blair", "Blair", "PERSON"))]
    run2 = [A("c", ("Cherie Blair", "Cherie Blair", "PERSON")), A("d", ("Blair", "Blair", "PERSON"))]
    inc, one = grown(run1, run2), one_run(run1, run2)
    # one run: "Blair" is ambiguous, all its mentions stand apart
    assert entity(one, "Blair")["article_count"] == 2 and entity(one, "Tony Blair")["article_count"] == 1
    # grown: the committed join stays (article b), the new mention (article d) stands apart
    assert entity(inc, "Tony Blair")["aliases"] == ["Blair", "Tony Blair"]
    assert entity(inc, "Blair")["article_count"] == 1
    assert {e["name"]: e["type"] for e in inc.entities()} == {e["name"]: e["type"] for e in one.entities()}
    assert not inc.redirect_rows  # no committed id changed


# ---------------------------------------------------------------------------------------------- at random
NAMES = [  # (surface, key name, types the model may give)
    ("Yukos", "Yukos", ("PERSON", "ORG")), ("Absa", "Absa", ("PERSON", "ORG", "GPE")),
    ("Kim Jong-un", "Kim Jong-un", ("PERSON",)), ("Kim Jong Un", "Kim Jong Un", ("PERSON",)),
    ("Putin", "Putin", ("PERSON", "ORG")), ("Vladimir Putin", "Vladimir Putin", ("PERSON",)),
    ("Harvard", "Harvard", ("ORG", "PERSON")), ("Harvard University", "Harvard University", ("ORG",)),
    ("NASA", "NASA", ("ORG",)), ("National Aeronautics and Space Administration",
                                  "National Aeronautics and Space Administration", ("ORG",)),
    ("Lutuli", "Lutuli", ("GPE", "PERSON")), ("Albert Lutuli", "Albert Lutuli", ("PERSON",)),
    ("supreme court", "supreme court", ("ORG",)), ("Supreme Court", "Supreme Court", ("ORG", "LOC")),
    ("Martin E. Dempsey", "Martin E. Dempsey", ("PERSON",)), ("Martin Dempsey", "Martin Dempsey", ("PERSON",)),
    ("Glasgow", "Glasgow", ("GPE", "PERSON")), ("University of Glasgow", "University of Glasgow", ("ORG",)),
    ("Roddick", "Roddick", ("PERSON", "GPE")), ("Andy Roddick", "Andy Roddick", ("PERSON",)),
]


def _pool(seed: int, n: int) -> list:
    rng = random.Random(seed)
    arts = []
    for i in range(n):
        ms = []
        for sfc, name, types in rng.sample(NAMES, rng.randint(1, 4)):
            t = rng.choice(types)
            ms.append((sfc, name, t, ((t, 1.0),) if rng.random() < 0.7 else ((t, 1.0), (rng.choice(types), 1.5))))
        arts.append(A(f"{seed}-{i:03d}", *ms))
    return arts


@pytest.mark.parametrize("seed", range(12))
def test_random_histories_equal_one_run(seed):
    rng = random.Random(seed)
    arts = _pool(seed, 40)
    cuts = sorted(rng.sample(range(1, len(arts)), rng.randint(1, 4)))
    runs = [arts[a:b] for a, b in zip([0, *cuts], [*cuts, len(arts)])]
    inc, one = same(*runs)
    assert len(inc.entities()) == len(one.entities())
    # reading every committed row instead of those the run's names can meet changes nothing
    every = grown(*runs, store_cls=EverythingStore)
    assert every.entities() == inc.entities() and every.redirect_rows == inc.redirect_rows
    assert every.name_rows == inc.name_rows
    # every id ever committed resolves, in one hop, to a current entity
    current = {e["entity_id"] for e in inc.entities()}
    assert {inc.resolve(e) for e in inc.registry_rows} <= current
