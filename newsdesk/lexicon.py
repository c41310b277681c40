"""The shared word lists of the text rules, loaded once from ``newsdesk/data/lexicon.toml``: honorifics and
titles, name particles, byline words, organisation heads, and the quote rules' cue verbs, role nouns and
function words. This module owns loading them and the few tables derived from them (cue form -> stored cue);
what each list means and who uses it is written next to it in the TOML file. Every set is a frozenset of
lower-case words.
"""
from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

__all__ = ["LEXICON_PATH", "load", "words"]

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "lexicon.toml"


def load(path: Path | str = LEXICON_PATH) -> dict:
    """The lexicon file as a dict (lists of words, and the [pronouns], [cue_verbs], [foreign_cues] tables)."""
    with open(path, "rb") as f:
        return tomllib.load(f)


_DATA = load()


def words(name: str) -> frozenset[str]:
    """One named word set of the lexicon (KeyError for an unknown name)."""
    value = _DATA[name]
    if not isinstance(value, list):
        raise TypeError(f"lexicon entry {name!r} is a table, not a word list")
    return frozenset(value)


# ----------------------------------------------------------------------------------------------- names
HONORIFICS = words("honorifics")
PERSON_TITLES = words("person_titles")
NAME_TITLES = words("name_titles")
TITLE_LINKS = words("title_links")
FEMALE_HONORIFICS = words("female_honorifics")
MALE_HONORIFICS = words("male_honorifics")
#: Particles accepted inside a byline's author name.
PARTICLES_IN_BYLINES = words("particles") | words("byline_particles_extra")
#: Particles a PERSON mention is extended over in article text ("Ursula von der" + "Leyen").
PARTICLES_IN_TEXT = words("particles") | words("text_particles_extra")

# --------------------------------------------------------------------------------------------- bylines
BYLINE_NOT_NAMES = words("byline_not_names")
BYLINE_AGENCIES = words("byline_agencies")

# ---------------------------------------------------------------------------------------- organisations
ORG_HEADS = words("org_heads")
PORTFOLIOS = words("portfolios")
ACRONYM_SKIP = words("acronym_skip")
LEGAL_SUFFIXES = words("legal_suffixes")
ORG_SUFFIXES = words("org_suffixes")
ROLE_WORDS = words("role_words")
HYPHEN_SUFFIXES = words("hyphen_suffixes")
GOVERNMENT_BODIES = words("government_bodies")
TEAM_ROLES = words("team_roles")
RESULT_VERBS = words("result_verbs")
NEWSPAPER_WORDS = words("newspaper_words")
STAFF_ROLES = words("staff_roles")
NOT_PLACE_WORDS = words("not_place_words")

# ---------------------------------------------------------------------------------------------- quotes
ROLE_NOUNS = words("role_nouns")
ORG_ROLE_NOUNS = words("org_role_nouns")
PERSON_ROLE_NOUNS = ROLE_NOUNS - ORG_ROLE_NOUNS
AGENT_NOUNS = words("agent_nouns")
NAMING_CUES = words("naming_cues")
POST_ONLY_CUES = words("post_only_cues")
SKIP_BEFORE_CUE = words("skip_before_cue")
BE_FORMS = words("be_forms")
INTRO_WORDS = words("intro_words")
WORK_NOUNS = words("work_nouns")
WORK_ROLES = words("work_roles")
TITLE_CONTEXT = words("title_context") | WORK_NOUNS
MENTION_NOUNS = words("mention_nouns")
SO_CALLED = words("so_called")
FUNCTION_CAPS = words("function_caps")
ABBREVIATIONS = words("abbreviations")
NP_GLUE = words("np_glue")
PREPOSITIONS = words("prepositions")
CLUSTER_STOP_WORDS = words("cluster_stop_words")

#: pronoun -> what it refers to: 'm' / 'f' (a man / a woman), 'p' / 'n' (an organisation), 'x' (never resolved)
PRONOUNS: Mapping[str, str] = MappingProxyType(dict(_DATA["pronouns"]))
#: stored cue (e.g. "said") -> its surface forms
CUE_VERBS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {canon: tuple(forms) for canon, forms in _DATA["cue_verbs"].items()})
#: verbs of saying read as cues only where the parse attaches them to a quote (stored as written)
SPEECH_VERBS = words("speech_verbs")
#: nouns of things said: a quote hanging from one belongs to its possessor
SPEECH_NOUNS = words("speech_nouns")
#: surface forms that are mostly nouns ("remarks"): not read as cues
CUE_NOUNISH = words("cue_nounish")
#: surface form read as a cue verb -> the cue stored in the quotes table ("says" is read although nounish)
CUES: Mapping[str, str] = MappingProxyType(
    {f: canon for canon, forms in CUE_VERBS.items() for f in forms if f not in CUE_NOUNISH} | {"says": "said"})
#: language -> cue words of that language (they only help keep partial quotes; no speaker is attributed)
FOREIGN_CUES: Mapping[str, frozenset[str]] = MappingProxyType(
    {lang: frozenset(ws) for lang, ws in _DATA["foreign_cues"].items()})
