"""The run summary: built by the pipeline, printed by the CLI, returned by the flow, published as a Prefect
artifact, and the source of the run's row in the ``runs`` table."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from newsdesk import schema

if TYPE_CHECKING:
    from newsdesk.enrich import EnrichResult
    from newsdesk.plan import Plan

MAX_LISTED_ERRORS = 20


@dataclass
class RunSummary:
    raw: str
    out: str
    run_id: str
    files_seen: int
    files_new: int
    files_known: int
    files_unread: int
    articles: int
    duplicates: int
    duplicates_near: int
    rejects: int
    reject_reasons: dict[str, int] = field(default_factory=dict)
    quality_rules: dict[str, int] = field(default_factory=dict)  # not_article rejects by the rule that fired
    languages: dict[str, int] = field(default_factory=dict)
    ner_skipped: int = 0
    enrich_errors: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # article_id -> error (the first few)
    quotes: int = 0
    entity_mentions: int = 0
    entities: int = 0
    seconds: float = 0.0
    step_seconds: dict[str, float] = field(default_factory=dict)
    version: int = 0
    committed: bool = False
    note: str = ""
    last_run_id: str | None = None  # a run that commits nothing: the store's newest run

    @classmethod
    def from_plan(cls, plan: Plan, *, raw: str, out: str) -> RunSummary:
        return cls(raw=raw, out=out, run_id=plan.run_id, files_seen=plan.files_seen,
                   files_new=plan.files_new, files_known=plan.known, files_unread=plan.unread,
                   articles=plan.articles,
                   duplicates=plan.duplicates.num_rows, duplicates_near=plan.duplicates_near,
                   rejects=len(plan.rejects),
                   reject_reasons=dict(sorted(Counter(r.reason for r in plan.rejects).items())),
                   quality_rules=dict(sorted(Counter(r.detail.split(":", 1)[0] for r in plan.rejects
                                                     if r.reason == "not_article").items())),
                   languages=dict(plan.languages))

    def add_enriched(self, enriched: EnrichResult) -> None:
        self.ner_skipped = enriched.ner_skipped
        self.enrich_errors = len(enriched.errors)
        self.errors = dict(sorted(enriched.errors.items())[:MAX_LISTED_ERRORS])
        self.quotes = enriched.quotes
        self.entity_mentions = enriched.mentions

    def runs_row(self, *, started: datetime, finished: datetime, flow_run_id: str | None,
                 code_version: str) -> dict:
        """The run's row of the ``runs`` table (every other column is the summary's field of that name)."""
        return schema.table("runs").row(self, started_at=started, finished_at=finished, status="committed",
                                        seconds=round(self.seconds, 3), flow_run_id=flow_run_id,
                                        code_version=code_version,
                                        step_seconds=json.dumps(self.step_seconds, separators=(",", ":")))

    def as_dict(self) -> dict:
        return asdict(self)

    def one_line(self) -> str:
        reasons = ", ".join(f"{k} {v}" for k, v in self.reject_reasons.items())
        errors = f", {self.enrich_errors} articles with extraction errors" if self.enrich_errors else ""
        outcome = (f"committed snapshot {self.version}" if self.committed
                   else f"nothing new, store at snapshot {self.version}")
        return (f"{self.files_seen} files seen ({self.files_new} new, {self.files_known} already curated): "
                f"{self.articles} articles, {self.duplicates} duplicates ({self.duplicates_near} near), "
                f"{self.rejects} rejects{f' ({reasons})' if reasons else ''}; {self.quotes} quotes, "
                f"{self.entity_mentions} entity mentions{errors}; {outcome}; {self.seconds:.1f} s in the flow")

    def title(self) -> str:
        if self.committed:
            return f"newsdesk run `{self.run_id}`: committed snapshot {self.version}"
        last = f", last run `{self.last_run_id}`" if self.last_run_id else ""
        return f"newsdesk run: nothing new (store at snapshot {self.version}{last})"

    def markdown(self) -> str:
        rows = [("files seen", self.files_seen), ("new files", self.files_new),
                ("already curated", self.files_known), ("of which not read (unchanged)", self.files_unread),
                ("articles", self.articles),
                ("duplicates (near)", f"{self.duplicates} ({self.duplicates_near})"),
                ("rejects", self.rejects), ("quotes", self.quotes),
                ("entity mentions", self.entity_mentions), ("entities in store", self.entities),
                ("articles without NER (not English)", self.ner_skipped),
                ("articles with extraction errors", self.enrich_errors),
                ("seconds in the flow", f"{self.seconds:.1f}"), ("snapshot", self.version)]
        lines = [f"# {self.title()}", "", f"`{self.raw}` → `{self.out}`"
                 + (f" — {self.note}" if self.note else ""), "", "| | |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in rows]
        for title, table in (("reject reason", self.reject_reasons), ("not an article: rule", self.quality_rules),
                             ("language", self.languages)):
            if table:
                lines += ["", f"| {title} | count |", "|---|---|"]
                lines += [f"| {k} | {v} |" for k, v in table.items()]
        if self.errors:
            lines += ["", "| article with an extraction error | error |", "|---|---|"]
            lines += [f"| `{k}` | {v.replace('|', '/')} |" for k, v in self.errors.items()]
        return "\n".join(lines) + "\n"
