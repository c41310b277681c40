"""Tests for newsdesk.quotes: seeds gold, the attribution patterns, offsets, robustness, clustering."""
from __future__ import annotations

import importlib.util
import random
import time
from pathlib import Path

import pytest

from newsdesk.quotes import cluster_quotes, extract_quotes
from newsdesk.spans import EntitySpan

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("eval_quotes", ROOT / "bench" / "eval_quotes.py")
E = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(E)


@pytest.fixture(scope="session")
def nlp():
    """The spaCy model, loaded once per test session (shared with the bench helpers)."""
    return E.nlp()


@pytest.fixture(scope="session")
def run(nlp):
    """extract_quotes with NER entities computed the way the entity step does (per paragraph)."""
    cache = {}

    def _run(body: str, language: str = "en"):
        key = (body, language)
        if key not in cache:
            cache[key] = extract_quotes(body, language, E.ner_ents(body, language))
        return cache[key]

    return _run


def _by_text(rows):
    return {E.norm_text(r["text"]): r for r in rows}


def _one(rows, text):
    found = _by_text(rows).get(E.norm_text(text))
    assert found is not None, f"quote {text!r} not found in {[r['text'] for r in rows]}"
    return found


# ---------------------------------------------------------------------------------------------
# Seeds gold
# ---------------------------------------------------------------------------------------------

SEEDS = E.load_seeds()


@pytest.mark.parametrize("fname,body,gold", SEEDS, ids=[s[0][:3] for s in SEEDS])
def test_seed_gold_quotes_with_speaker(run, fname, body, gold):
    rows = run(body, gold["language"])
    found = _by_text(rows)
    for q in gold["quotes"]:
        r = found.get(E.norm_text(q["text"]))
        assert r is not None, f"{fname}: missing {q['text']!r}"
        assert E.norm_speaker(r["speaker"]) == E.norm_speaker(q["speaker"]), (fname, q, r)
    for q in gold["optional_quotes"]:
        r = found.get(E.norm_text(q["text"]))
        if r is not None and r["speaker"] is not None:
            assert E.norm_speaker(r["speaker"]) == E.norm_speaker(q["speaker"]), (fname, q, r)


def test_seed_precision(run):
    tp = fp = 0
    for _f, body, gold in SEEDS:
        ok = {E.norm_text(q["text"]) for q in gold["quotes"] + gold["optional_quotes"]}
        for r in run(body, gold["language"]):
            if E.norm_text(r["text"]) in ok:
                tp += 1
            else:
                fp += 1
    assert tp / max(1, tp + fp) >= 0.9, (tp, fp)


def test_seed_rows_shape(run):
    for _f, body, gold in SEEDS:
        rows = run(body, gold["language"])
        assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
        for r in rows:
            assert set(r) == {"text", "start", "end", "kind", "speaker", "cue", "attribution"}
            assert r["kind"] in ("full", "partial")
            assert r["attribution"] in ("explicit", "pronoun", "role", "continuation",
                                        "according_to", "none")
            assert (r["speaker"] is None) == (r["attribution"] == "none")


def test_seed_scare_quotes_left_out(run):
    body = next(b for f, b, _g in SEEDS if f.startswith("000"))
    texts = {E.norm_text(r["text"]) for r in run(body)}
    assert "aggression" not in texts  # 'interpret the war in Ukraine as “aggression”'
    assert "mutual assistance" not in texts


# ---------------------------------------------------------------------------------------------
# Dev set (regression guard) and offsets
# ---------------------------------------------------------------------------------------------

DEV = E.load_dev()


def test_dev_set_has_enough_articles():
    assert len(DEV) >= 25
    langs = {a["language"] for _f, _b, a in DEV}
    assert {"en", "de", "fr"} <= langs


def test_dev_set_scores(run):
    tot = dict(tp=0, fp=0, fn=0, spk_ok=0, spk_n=0, spk_wrong_opt=0)
    for _f, body, ann in DEV:
        c, _errs = E.score_article(run(body, ann["language"]), ann["quotes"],
                                   ann.get("optional_quotes", []))
        for k in tot:
            tot[k] += c[k]
    p = tot["tp"] / max(1, tot["tp"] + tot["fp"])
    r = tot["tp"] / max(1, tot["tp"] + tot["fn"])
    f1 = 2 * p * r / (p + r)
    assert f1 >= 0.95, tot
    assert tot["spk_ok"] / max(1, tot["spk_n"]) >= 0.9, tot
    assert tot["spk_wrong_opt"] == 0, tot


def test_offsets_invariant_everywhere(run):
    for _f, body, ann in DEV:
        for r in run(body, ann["language"]):
            assert body[r["start"]:r["end"]] == r["text"]
            assert r["text"] == r["text"].strip()
            assert r["text"][:1] not in "“”\"„«»" and r["text"][-1:] not in "“”\"„«»"


# ---------------------------------------------------------------------------------------------
# Patterns (each a small article)
# ---------------------------------------------------------------------------------------------

def test_quote_then_said_x(run):
    rows = run("“We will not give up,” Zelensky said. Kyiv was quiet on Monday.\n\n"
               "“The talks are over,” said Dmitry Peskov, the Kremlin spokesman.")
    r = _one(rows, "We will not give up,")
    assert (r["speaker"], r["cue"], r["attribution"], r["kind"]) == ("Zelensky", "said", "explicit", "full")
    assert _one(rows, "The talks are over,")["speaker"] == "Dmitry Peskov"


def test_x_said_colon_and_said_that(run):
    body = ("German Chancellor Olaf Scholz spoke in Berlin. Scholz said: “Germany will not waver.”\n\n"
            "Opposition leader Friedrich Merz said that the plan was “far too timid.”")
    rows = run(body)
    assert _one(rows, "Germany will not waver.")["speaker"] == "Olaf Scholz"
    r = _one(rows, "far too timid.")
    assert (r["speaker"], r["kind"]) == ("Friedrich Merz", "partial")


def test_according_to_before_and_after(run):
    body = ("According to the Russian state news agency TASS, the leaders “signed several important documents.”\n\n"
            "The deal includes “mutual assistance in case of aggression,” according to Mr. Putin. "
            "Russian President Vladimir Putin arrived on Tuesday.")
    rows = run(body)
    r = _one(rows, "signed several important documents.")
    assert (r["speaker"], r["cue"], r["attribution"]) == ("TASS", "according to", "according_to")
    assert _one(rows, "mutual assistance in case of aggression,")["speaker"] == "Vladimir Putin"


def test_described_labeled_called_partial(run):
    body = ("Senate Majority Leader Chuck Schumer labeled the budget “a giveaway to billionaires.” "
            "Senator John Thune called the remarks “partisan theater” and described the budget as "
            "“a responsible path.”")
    rows = run(body)
    r = _one(rows, "a giveaway to billionaires.")
    assert (r["speaker"], r["cue"], r["kind"]) == ("Chuck Schumer", "labeled", "partial")
    assert _one(rows, "partisan theater")["speaker"] == "John Thune"
    r = _one(rows, "a responsible path.")
    assert (r["speaker"], r["cue"]) == ("John Thune", "described")


def test_wrote_told_and_appositive(run):
    body = ("Mary Lovely, a senior fellow at the Peterson Institute, said the tariffs were “a tax on households.”\n\n"
            "U.S. envoy Steve Witkoff told Fox News that Washington was ready for “direct talks.”\n\n"
            "“Putin will stop only when he is stopped,” Boris Johnson wrote.")
    rows = run(body)
    assert _one(rows, "a tax on households.")["speaker"] == "Mary Lovely"
    r = _one(rows, "direct talks.")
    assert (r["speaker"], r["cue"]) == ("Steve Witkoff", "told")
    r = _one(rows, "Putin will stop only when he is stopped,")
    assert (r["speaker"], r["cue"]) == ("Boris Johnson", "wrote")


def test_spokesperson_and_organisations(run):
    body = ("The Kremlin rejected the proposal. Putin’s spokesman said the plan was “premature.”\n\n"
            "TASS reported new gains. The agency said the advance was “proceeding according to plan.”\n\n"
            "Japan has expressed “grave concerns” about the deal.")
    rows = run(body)
    assert _one(rows, "premature.")["speaker"] == "Putin"
    r = _one(rows, "proceeding according to plan.")
    assert (r["speaker"], r["attribution"]) == ("TASS", "role")
    assert _one(rows, "grave concerns")["speaker"] == "Japan"


def test_continuation_sentence_and_paragraph(run):
    body = ("Ahead of his trip, Russian President Vladimir Putin published an article.\n\n"
            "“We are ready for close cooperation,” he wrote. “We will develop alternative mechanisms of trade.”\n\n"
            "“We have lifted millions out of poverty in the last decade.”\n\n"
            "The visit ends on Wednesday.")
    rows = run(body)
    r = _one(rows, "We are ready for close cooperation,")
    assert (r["speaker"], r["attribution"], r["cue"]) == ("Vladimir Putin", "pronoun", "wrote")
    r = _one(rows, "We will develop alternative mechanisms of trade.")
    assert (r["speaker"], r["attribution"]) == ("Vladimir Putin", "continuation")
    assert _one(rows, "We have lifted millions out of poverty in the last decade.")["speaker"] == "Vladimir Putin"


def test_pronouns_respect_gender(run):
    body = ("Italian Prime Minister Giorgia Meloni met German Chancellor Friedrich Merz in Rome.\n\n"
            "Meloni said the two shared “a common vision.” She added that Italy would continue.\n\n"
            "Merz, for his part, said Germany would tighten controls. He described the talks as “very constructive.”\n\n"
            "“We agree on much more than people think,” she said.")
    rows = run(body)
    assert _one(rows, "very constructive.")["speaker"] == "Friedrich Merz"
    r = _one(rows, "We agree on much more than people think,")
    assert (r["speaker"], r["attribution"]) == ("Giorgia Meloni", "pronoun")


def test_role_nouns_resolve_to_named_person(run):
    body = ("French President Emmanuel Macron hosted Chinese leader Xi Jinping in Paris.\n\n"
            "The French president said Europe needed “fair trade” with China. "
            "The Chinese leader insisted that China was “a force for peace.”")
    rows = run(body)
    r = _one(rows, "fair trade")
    assert (r["speaker"], r["attribution"]) == ("Emmanuel Macron", "role")
    assert _one(rows, "a force for peace.")["speaker"] == "Xi Jinping"


def test_fullest_name_for_short_mentions(run):
    body = ("Vladimir Putin and Kim Jong Un signed a treaty. Mr. Kim characterized it as “a new, high level.”\n\n"
            "“It is a breakthrough,” Mr. Putin said.")
    rows = run(body)
    assert _one(rows, "a new, high level.")["speaker"] == "Kim Jong Un"
    assert _one(rows, "It is a breakthrough,")["speaker"] == "Vladimir Putin"


def test_multi_paragraph_quote(run):
    body = ("President Joe Biden addressed the nation on Sunday.\n\n"
            "“There is no place in America for this kind of violence.\n\n"
            "“Politics must never be a killing field,” Biden said.\n\n"
            "“Thank you,” Johnson said.")
    rows = run(body)
    a = _one(rows, "There is no place in America for this kind of violence.")
    b = _one(rows, "Politics must never be a killing field,")
    assert a["speaker"] == b["speaker"] == "Joe Biden"
    assert a["attribution"] == "continuation"
    assert _one(rows, "Thank you,")["speaker"] == "Johnson"


def test_nested_single_quotes_stay_inside(run):
    body = ("British Prime Minister Keir Starmer spoke on Thursday.\n\n"
            "“When people tell me ‘you have no mandate,’ I say we were elected to fix things,” Starmer said.")
    rows = run(body)
    assert len(rows) == 1
    assert rows[0]["text"] == "When people tell me ‘you have no mandate,’ I say we were elected to fix things,"
    assert rows[0]["speaker"] == "Keir Starmer"


def test_straight_quotes(run):
    body = ('South African President Cyril Ramaphosa said the group was "not anti-Western" but wanted change.\n\n'
            '"We are not seeking confrontation with anyone," Ramaphosa told delegates. "We are seeking a seat at the table."')
    rows = run(body)
    assert _one(rows, "not anti-Western")["speaker"] == "Cyril Ramaphosa"
    assert _one(rows, "We are not seeking confrontation with anyone,")["speaker"] == "Cyril Ramaphosa"
    assert _one(rows, "We are seeking a seat at the table.")["attribution"] == "continuation"


def test_british_single_quotes(run):
    body = ("The home secretary, Yvette Cooper, announced new powers on Monday.\n\n"
            "‘We will not stand by while gangs put lives at risk,’ Cooper said. The plan’s critics disagreed.")
    rows = run(body)
    assert [r["text"] for r in rows] == ["We will not stand by while gangs put lives at risk,"]
    assert rows[0]["speaker"] == "Yvette Cooper"


def test_unbalanced_marks_keep_other_quotes(run):
    body = ("Turkish President Recep Tayyip Erdogan said Sweden’s bid would wait “as long as burnings continue.\n\n"
            "Erdogan spoke in Ankara. “We have told our Swedish friends what we expect,” Erdogan said.\n\n"
            "NATO chief Jens Stoltenberg said he remained confident” that Sweden would join.\n\n"
            "“We have done what we promised,” said Swedish Prime Minister Ulf Kristersson.")
    rows = run(body)
    assert _one(rows, "We have told our Swedish friends what we expect,")["speaker"] == "Recep Tayyip Erdogan"
    assert _one(rows, "We have done what we promised,")["speaker"] == "Ulf Kristersson"
    for r in rows:
        assert body[r["start"]:r["end"]] == r["text"]


def test_scare_quotes_titles_nicknames_left_out(run):
    body = ("Russia calls its invasion a “special military operation.” The so-called “peace plan” failed.\n\n"
            "It is unclear if Pyongyang will interpret the war as “aggression” under the pact.\n\n"
            "John Bolton published a memoir, “The Room Where It Happened,” last year. "
            "Israel named its campaign “Operation Iron Swords.”\n\n"
            "Yevgeny Prigozhin, once known as “Putin’s chef,” led a mutiny. "
            "Joaquín “El Chapo” Guzmán was sentenced.\n\n"
            "Bolton said Trump had “no philosophy” at all.")
    rows = run(body)
    assert [r["text"] for r in rows] == ["no philosophy"]
    assert rows[0]["speaker"] == "John Bolton"


def test_unnamed_speaker_is_none(run):
    body = ("EU leaders met on Thursday.\n\n"
            "“There is simply no consensus yet,” one senior EU diplomat said after the summit. "
            "Several officials said the legal risks were “too great to ignore.”")
    rows = run(body)
    assert _one(rows, "There is simply no consensus yet,")["speaker"] is None
    r = _one(rows, "too great to ignore.")
    assert (r["speaker"], r["attribution"], r["kind"]) == (None, "none", "partial")


def test_german_and_french_marks(run):
    de = ("Bundeskanzler Friedrich Merz sprach am Mittwoch im Bundestag.\n\n"
          "„Wir werden die Ukraine so lange unterstützen, wie es nötig ist“, sagte Merz. "
          "Die AfD warf der Regierung eine „Kriegstreiberei“ vor.\n\n"
          "»Wir müssen bis 2029 kriegstüchtig sein«, sagte Pistorius.")
    rows = run(de, "de")
    assert [r["text"] for r in rows] == ["Wir werden die Ukraine so lange unterstützen, wie es nötig ist",
                                         "Wir müssen bis 2029 kriegstüchtig sein"]
    assert all(r["speaker"] is None and r["attribution"] == "none" for r in rows)
    fr = ("Le président a défendu sa réforme.\n\n"
          "« Cette réforme est nécessaire pour sauver notre système », a déclaré le chef de l’État.")
    rows = run(fr, "fr")
    assert [r["text"] for r in rows] == ["Cette réforme est nécessaire pour sauver notre système"]
    assert rows[0]["speaker"] is None


# ---------------------------------------------------------------------------------------------
# Robustness
# ---------------------------------------------------------------------------------------------

def test_empty_and_trivial_inputs():
    assert extract_quotes("", "en", []) == []
    assert extract_quotes("No quotes here.", "en") == []
    assert extract_quotes("“", "en") == []
    assert extract_quotes("”“", "en", []) == []
    assert extract_quotes(None, None, None) == []  # type: ignore[arg-type]


def test_never_raises_on_random_marks():
    rng = random.Random(20240619)
    pieces = list("abc XYZ,.;:!?'\n“”\"„«»‘’—-()") + [
        "Putin said", " he said", "“", "”", "\"", "Mr. ", "according to ", "\n\n“", "«", "»", "„"]
    for _ in range(1500):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 100)))
        ents = []
        for _ in range(rng.randint(0, 4)):
            a = rng.randint(-3, len(body) + 3)
            b = a + rng.randint(-2, 12)
            ents.append(EntitySpan(a, b, rng.choice(["PERSON", "ORG", "GPE", "DATE", "NORP"]),
                                   body[max(0, a):max(0, b)]))
        for lang in ("en", "de", "fr", ""):
            for r in extract_quotes(body, lang, ents):
                assert body[r["start"]:r["end"]] == r["text"]
                assert r["kind"] in ("full", "partial")


# ---------------------------------------------------------------------------------------------
# Clustering
# ---------------------------------------------------------------------------------------------

def _seed_rows(run):
    rows = []
    for fname, body, gold in SEEDS:
        for i, r in enumerate(run(body, gold["language"])):
            rows.append({"article_id": fname[:3], "quote_id": f"{fname[:3]}-{i:02d}",
                         "text": r["text"], "speaker": r["speaker"]})
    return rows


def test_cluster_three_outlet_putin_statement(run):
    rows = _seed_rows(run)
    ids = cluster_quotes(rows)
    cid = {r["quote_id"]: c for r, c in zip(rows, ids)}

    def qid(article, needle):
        return next(r["quote_id"] for r in rows if r["article_id"] == article and needle in r["text"])

    members = [qid("000", "provision of mutual assistance"),
               qid("001", "comprehensive partnership agreement signed today"),
               qid("004", "comprehensive partnership agreement signed today")]
    assert len({cid[m] for m in members}) == 1
    assert cid[members[0]] == min(r["quote_id"] for r in rows if cid[r["quote_id"]] == cid[members[0]])
    # a partial quote contained in a fuller one joins it
    assert cid[qid("003", "mutual assistance in case of aggression")] == cid[members[0]]
    # other statements stay apart
    assert cid[qid("000", "We are also ready")] != cid[members[0]]
    assert cid[qid("001", "fiery friendship")] != cid[members[0]]
    # deterministic and order-independent
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    cid2 = {r["quote_id"]: c for r, c in zip(shuffled, cluster_quotes(shuffled))}
    assert cid == cid2


def test_cluster_needs_same_speaker():
    text = "The comprehensive partnership agreement signed today provides for mutual assistance"
    rows = [{"article_id": "a", "quote_id": "q1", "text": text, "speaker": "Vladimir Putin"},
            {"article_id": "b", "quote_id": "q2", "text": text, "speaker": "Kim Jong Un"},
            {"article_id": "c", "quote_id": "q3", "text": text, "speaker": None},
            {"article_id": "d", "quote_id": "q4", "text": text, "speaker": None},
            {"article_id": "e", "quote_id": "q0", "text": text + ".", "speaker": "vladimir putin"}]
    assert cluster_quotes(rows) == ["q0", "q2", "q3", "q4", "q0"]
    assert cluster_quotes([]) == []


def test_cluster_scales():
    rng = random.Random(0)
    vocab = [f"w{i}" for i in range(5000)]
    rows = [{"article_id": str(i // 5), "quote_id": f"q{i:06d}",
             "speaker": "Speaker 0" if i % 10 == 0 else f"Speaker {rng.randrange(2000)}",
             "text": " ".join(rng.choice(vocab) for _ in range(rng.randint(3, 30)))}
            for i in range(30_000)]
    t0 = time.perf_counter()
    ids = cluster_quotes(rows)
    assert len(ids) == len(rows)
    assert time.perf_counter() - t0 < 30


def test_shared_surname_prefers_first_mentioned_person(run):
    body = ("President Joe Biden spoke on Monday. His son Hunter Biden was not present.\n\n"
            "“We will get it done,” Biden said.")
    assert _one(run(body), "We will get it done,")["speaker"] == "Joe Biden"


def test_organisation_pronoun_and_possessive_org(run):
    body = ("The speeches came after Russia’s Foreign Ministry warned against what it called "
            "“provocative militarisation” of the Arctic.\n\n"
            "China’s embassy in Washington said it “firmly opposes” the sanctions.")
    rows = run(body)
    assert _one(rows, "provocative militarisation")["speaker"] == "Foreign Ministry"
    assert _one(rows, "firmly opposes")["speaker"] == "China’s embassy"


def test_entities_as_dicts_are_accepted():
    body = "“We are ready,” Putin said."
    rows = extract_quotes(body, "en", [{"start": 16, "end": 21, "label": "PERSON", "text": "Putin"}])
    assert rows[0]["speaker"] == "Putin"


def test_long_article_is_fast(nlp):
    body = "\n\n".join(b for _f, b, a in DEV if a["language"] == "en")
    ents = E.ner_ents(body)
    t0 = time.perf_counter()
    rows = extract_quotes(body, "en", ents)
    assert time.perf_counter() - t0 < 3.0  # ~7k words, ~200 quotes: tens of ms normally
    assert len(rows) >= 150
    for r in rows:
        assert body[r["start"]:r["end"]] == r["text"]


@pytest.mark.parametrize("variant", ["single_newlines", "raw_file_with_title"])
def test_seeds_do_not_depend_on_preprocessing(run, variant):
    for fname, body, gold in SEEDS:
        if variant == "single_newlines":
            b = body.replace("\n\n", "\n")
        else:
            b = (E.SEED_DIR / fname).read_text(encoding="utf-8")
        c, errs = E.score_article(run(b), gold["quotes"], gold["optional_quotes"])
        assert c["fn"] == 0 and c["fp"] == 0, (fname, errs)
        assert c["spk_ok"] == c["spk_n"] and c["spk_wrong_opt"] == 0, (fname, errs)
