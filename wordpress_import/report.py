"""The import's report: counts by type and outcome, and everything that needs a human's eye."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

# Outcomes per item, in the order the report shows them.
OUTCOMES = ["created", "updated", "unchanged", "skipped", "failed"]


@dataclass
class Report:
    dry_run: bool = False
    source: str = ""
    file: str = ""
    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    issues: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    plan: list = field(default_factory=list)
    comments: int = 0
    redirects: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0

    def count(self, kind, outcome):
        self.counts[kind][outcome] += 1

    def add_plan(self, outcome, kind, item, target=""):
        self.plan.append(
            {"action": outcome, "type": kind, "wp_id": item.post_id, "title": item.title, "target": str(target)}
        )

    def skip(self, kind, item, reason):
        self.count(kind, "skipped")
        self.skipped.append({"type": kind, "wp_id": item.post_id, "title": item.title, "reason": reason})
        self.add_plan("skip", kind, item, reason)

    def fail(self, kind, item, error):
        self.count(kind, "failed")
        self.failed.append({"type": kind, "wp_id": item.post_id, "title": item.title, "error": str(error)})

    def issue(self, kind, item, detail, where="", conversion=False):
        entry = {
            "kind": kind,
            "wp_id": getattr(item, "post_id", None),
            "title": getattr(item, "title", ""),
            "where": where,
            "detail": detail,
        }
        if conversion:
            entry["conversion"] = True
        self.issues.append(entry)

    def replace_issues(self, item, issues, where=""):
        """Conversion issues of an item converted again (its links now resolve): the new list wins."""
        self.issues = [e for e in self.issues if e["wp_id"] != item.post_id or not e.get("conversion")]
        for issue in issues:
            self.issue(issue.kind, item, issue.detail, where, conversion=True)

    def issues_of(self, *kinds):
        return [entry for entry in self.issues if entry["kind"] in kinds]

    def as_dict(self):
        return {
            "dry_run": self.dry_run,
            "source": self.source,
            "file": self.file,
            "seconds": round(self.seconds, 2),
            "counts": {
                kind: {o: counter.get(o, 0) for o in OUTCOMES} for kind, counter in sorted(self.counts.items())
            },
            "comments_ignored": self.comments,
            "redirects": dict(self.redirects),
            "unresolved_shortcodes": self.issues_of("shortcode"),
            "missing_media": self.issues_of("media", "missing_media"),
            "unconvertible_form_tags": self.issues_of("cf7_tag", "cf7_mail", "cf7_setting", "cf7_text"),
            "issues": self.issues,
            "skipped": self.skipped,
            "failed": self.failed,
            "plan": self.plan,
        }

    def write_json(self, path):
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(self.as_dict(), handle, ensure_ascii=False, indent=2, default=str)

    def render(self, plan=False):
        """The report as the terminal shows it."""
        lines = []
        title = "WordPress import — DRY RUN, nothing was written" if self.dry_run else "WordPress import"
        lines += [title, "=" * len(title), f"From {self.source or '?'} ({self.file}), {self.seconds:.1f} s", ""]
        if plan and self.plan:
            lines.append("Plan:")
            for step in self.plan:
                target = f" → {step['target']}" if step["target"] else ""
                lines.append(f"  {step['action']:<9} {step['type']:<10} #{step['wp_id']:<6} {step['title']}{target}")
            lines.append("")
        header = f"{'type':<14}" + "".join(f"{o:>10}" for o in OUTCOMES)
        lines += [header, "-" * len(header)]
        for kind, counter in sorted(self.counts.items()):
            lines.append(f"{kind:<14}" + "".join(f"{counter.get(o, 0):>10}" for o in OUTCOMES))
        lines.append("")
        lines.append(f"Comments ignored: {self.comments}")
        lines.append(
            "Redirects: " + (", ".join(f"{n} {what}" for what, n in sorted(self.redirects.items())) or "none")
        )
        groups = [
            ("Unresolved shortcodes (dropped)", ("shortcode",)),
            ("Missing media", ("media", "missing_media")),
            ("Form tags and settings not carried over", ("cf7_tag", "cf7_mail", "cf7_setting", "cf7_text")),
            (
                "Other things to check",
                tuple(
                    {entry["kind"] for entry in self.issues}
                    - {"shortcode", "media", "missing_media", "cf7_tag", "cf7_mail", "cf7_setting", "cf7_text"}
                ),
            ),
        ]
        for heading, kinds in groups:
            entries = self.issues_of(*kinds)
            if entries:
                lines += ["", f"{heading} ({len(entries)}):"]
                lines += [f"  #{e['wp_id']} {e['title']}: {e['detail']}" for e in entries]
        if self.skipped:
            lines += ["", f"Skipped ({len(self.skipped)}):"]
            lines += [f"  {e['type']} #{e['wp_id']} {e['title']}: {e['reason']}" for e in self.skipped]
        if self.failed:
            lines += ["", f"FAILED — nothing of these items was written ({len(self.failed)}):"]
            lines += [f"  {e['type']} #{e['wp_id']} {e['title']}: {e['error']}" for e in self.failed]
        return "\n".join(lines) + "\n"


class Progress:
    """A one-line progress bar on a terminal; a line every 10 % elsewhere; nothing when quiet."""

    def __init__(self, stream=None, enabled=True, width=30):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.width = width
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.last_decile = {}

    def update(self, label, done, total, unit=""):
        if not self.enabled or not total:
            return
        fraction = min(done / total, 1.0)
        if self.tty:
            filled = int(self.width * fraction)
            bar = "#" * filled + "." * (self.width - filled)
            self.stream.write(f"\r{label:<12} [{bar}] {fraction:6.1%} {done:,}/{total:,}{unit}")
            if done >= total:
                self.stream.write("\n")
            self.stream.flush()
            return
        decile = int(fraction * 10)
        if self.last_decile.get(label) != decile:
            self.last_decile[label] = decile
            self.stream.write(f"{label}: {fraction:.0%} ({done:,}/{total:,}{unit})\n")
