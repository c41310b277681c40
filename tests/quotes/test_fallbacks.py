"""newsdesk.quotes.fallbacks: a speaker named outside the quote's own clause (a clause ending in a colon, the
sentence before the quote)."""
from __future__ import annotations

from tests.quotes.helpers import one


def test_speaker_in_the_sentence_or_paragraph_before(run):
    body = ("Mayor Ann Lee addressed the crowd for an hour. Lee continued:\n\n"
            "“We built this town together, and we will rebuild it together.”\n\n"
            "Governor Tom Hart announced the lawsuit on Monday. “We are asking the court to stop this rule.”")
    rows = run(body)
    assert one(rows, "We built this town together, and we will rebuild it together.")["speaker"] == "Ann Lee"
    assert one(rows, "We are asking the court to stop this rule.")["speaker"] == "Tom Hart"
