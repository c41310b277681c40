"""newsdesk.lexicon: the word lists of newsdesk/data/lexicon.toml load, are clean, and keep their documented splits."""
from __future__ import annotations

from newsdesk import lexicon
from newsdesk.lexicon import (
    CUE_NOUNISH, CUE_VERBS, CUES, FOREIGN_CUES, HONORIFICS, NAME_TITLES, PARTICLES_IN_BYLINES, PARTICLES_IN_TEXT,
    PERSON_TITLES, PRONOUNS,
)


def test_every_list_is_a_clean_set_of_lower_case_words():
    data = lexicon.load()
    lists = {k: v for k, v in data.items() if isinstance(v, list)}
    assert len(lists) >= 30
    for name, words in lists.items():
        assert words, name
        assert len(words) == len(set(words)), f"{name}: duplicates"
        assert all(isinstance(w, str) and w == w.strip().lower() and w for w in words), name
        assert lexicon.words(name) == frozenset(words)


def test_tables():
    assert dict(PRONOUNS) == {"he": "m", "she": "f", "they": "p", "it": "n", "we": "x", "i": "x"}
    assert set(FOREIGN_CUES) == {"de", "fr"} and "sagte" in FOREIGN_CUES["de"]
    for canon, forms in CUE_VERBS.items():
        assert canon in forms
    assert CUES["says"] == "said" and CUES["told"] == "told" and CUES["labelled"] == "labeled"
    assert "remarks" not in CUES and "remarks" in CUE_NOUNISH  # nouns are not read as cues
    assert set(CUES.values()) == set(CUE_VERBS)


def test_lists_that_disagree_stay_apart():
    # bylines and article text each accept two particles the other does not (kept so: no output change)
    assert PARTICLES_IN_BYLINES - PARTICLES_IN_TEXT == {"ten", "st."}
    assert PARTICLES_IN_TEXT - PARTICLES_IN_BYLINES == {"bint", "zu"}
    # three title lists with three uses: honorifics (quotes), personal titles (quotes), name titles (entities)
    assert "spokesman" in PERSON_TITLES and "spokesman" in NAME_TITLES and "spokesman" not in HONORIFICS
    assert "monsieur" in HONORIFICS and "monsieur" not in NAME_TITLES
    assert "mp" in PERSON_TITLES and "mp" not in NAME_TITLES
