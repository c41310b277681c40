"""The run summary: printed by the CLI, returned by the flow, published as a Prefect artifact."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.assemble import Plan
    from newsdesk.enrich import Enriched


@dataclass
class RunSummary:
    raw: str
    out: str
    run_id: str
    files_seen: int
    files_new: int
    files_known: int
    articles: int
    duplicates: int
    duplicates_near: int
    rejects: int
    reject_reasons: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    ner_skipped: int = 0
    quotes: int = 0
    entity_mentions: int = 0
    entities: int = 0
    seconds: float = 0.0
    version: int = 0
    committed: bool = False
    note: str = ""

    @classmethod
    def from_plan(cls, plan: Plan, enriched: Enriched, *, raw: str, out: str) -> RunSummary:
        return cls(raw=raw, out=out, run_id=plan.run_id, files_seen=plan.files_seen,
                   files_new=plan.files_new, files_known=plan.known, articles=len(plan.kept),
                   duplicates=len(plan.duplicates),
                   duplicates_near=sum(d["method"] == "near" for d in plan.duplicates),
                   rejects=len(plan.rejects),
                   reject_reasons=dict(sorted(Counter(r.reason for r in plan.rejects).items())),
                   languages=dict(sorted(Counter(p.language for p in plan.kept).items())),
                   ner_skipped=enriched.ner_skipped)

    def runs_row(self, *, started: datetime, finished: datetime, flow_run_id: str | None,
                 code_version: str) -> dict:
        """The run's row of the ``runs`` table."""
        return {"run_id": self.run_id, "started_at": started, "finished_at": finished, "status": "committed",
                "files_seen": self.files_seen, "files_new": self.files_new, "articles": self.articles,
                "duplicates": self.duplicates, "rejects": self.rejects, "quotes": self.quotes,
                "entity_mentions": self.entity_mentions, "seconds": round(self.seconds, 3),
                "flow_run_id": flow_run_id, "code_version": code_version}

    def as_dict(self) -> dict:
        return asdict(self)

    def one_line(self) -> str:
        reasons = ", ".join(f"{k} {v}" for k, v in self.reject_reasons.items())
        return (f"{self.files_seen} files seen ({self.files_new} new, {self.files_known} already curated): "
                f"{self.articles} articles, {self.duplicates} duplicates ({self.duplicates_near} near), "
                f"{self.rejects} rejects{f' ({reasons})' if reasons else ''}; {self.quotes} quotes, "
                f"{self.entity_mentions} entity mentions; {self.seconds:.1f} s")

    def markdown(self) -> str:
        rows = [("files seen", self.files_seen), ("new files", self.files_new),
                ("already curated", self.files_known), ("articles", self.articles),
                ("duplicates (near)", f"{self.duplicates} ({self.duplicates_near})"),
                ("rejects", self.rejects), ("quotes", self.quotes),
                ("entity mentions", self.entity_mentions), ("entities in store", self.entities),
                ("articles without NER (not English)", self.ner_skipped),
                ("seconds", f"{self.seconds:.1f}"), ("snapshot", self.version)]
        lines = [f"# newsdesk run `{self.run_id}`", "", f"`{self.raw}` → `{self.out}`"
                 + (f" — {self.note}" if self.note else ""), "", "| | |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in rows]
        if self.reject_reasons:
            lines += ["", "| reject reason | files |", "|---|---|"]
            lines += [f"| {k} | {v} |" for k, v in self.reject_reasons.items()]
        if self.languages:
            lines += ["", "| language | articles |", "|---|---|"]
            lines += [f"| {k} | {v} |" for k, v in self.languages.items()]
        return "\n".join(lines) + "\n"
