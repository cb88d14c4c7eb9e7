"""Rules on sources: official or scholarly hosts, no search pages, no internal notes, recent
work."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import parse_qs, urlsplit

from referral_app.content.errors import Problem
from referral_app.content.rules.policy import POLICY_FILE, SourcesPolicy, site_domain, url_host
from referral_app.domain.center import Center
from referral_app.domain.entities import Citation, Condition, Link, Release
from referral_app.domain.provenance import NO_SOURCE

RECENT_YEARS = 10
SEARCH_HOSTS = ("google.", "bing.com", "duckduckgo.com", "search.yahoo.com", "scholar.google.")
SEARCH_PARAMS = frozenset({"term", "q", "query", "search", "searchterm", "s", "keyword"})
SEARCH_PATHS = re.compile(r"/(search|results|find)(/|$|\.)", re.IGNORECASE)
INTERNAL_KEY = re.compile(r"(?i)internal|^guide|review\d{4}$|^ourreview|^teamnote")
INTERNAL_TEXT = re.compile(r"(?i)^massage referral guide\b|\binternal (review|note)\b")


def is_search_url(url: str) -> bool:
    """A page of search results (PubMed ?term=, Google, any site's /search?q=...)."""
    parts = urlsplit(url.strip())
    host = url_host(url)
    if any(host.startswith(h) or ("." + h) in ("." + host) for h in SEARCH_HOSTS):
        return True
    params = {k.lower() for k in parse_qs(parts.query, keep_blank_values=True)}
    return bool(params & SEARCH_PARAMS) or bool(SEARCH_PATHS.search(parts.path))


def identifier_url(citation: Citation) -> str:
    if citation.doi:
        return f"https://doi.org/{citation.doi}"
    if citation.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{citation.pmid}/"
    return ""


def check_citations(
    citations: dict[str, Citation], policy: SourcesPolicy, uses: dict[str, int]
) -> Iterator[Problem]:
    for key, cit in citations.items():
        yield from _check_url("citations.toml", key, "url", cit.url, policy, identifier_url(cit))
        if (
            cit.status == "internal"
            or INTERNAL_KEY.search(key)
            or INTERNAL_TEXT.search(cit.citation)
        ):
            used = f" (cited {uses.get(key, 0)} times)" if uses.get(key) else ""
            yield Problem(
                "citations.toml",
                key,
                "status",
                f"names an internal note, not a published source{used}: cite the published "
                "work, or move a rule of method into docs/METHOD.md",
            )


def _check_url(
    file: str,
    record: str,
    field: str,
    url: str,
    policy: SourcesPolicy,
    better: str = "",
    own_domain: str = "",
) -> Iterator[Problem]:
    if not url:
        return
    if is_search_url(url):
        hint = (
            f"; link the work itself: {better}"
            if better
            else ("; link the work itself (DOI or PMID) or its official page")
        )
        yield Problem(file, record, field, f"'{url[:80]}' is a search page{hint}")
    elif not policy.allows(url, own_domain):
        yield Problem(
            file,
            record,
            field,
            f"'{url_host(url)}' is not an official or scholarly source (see data/{POLICY_FILE}): "
            "link the publisher's, agency's or guideline body's own page",
        )


def check_links(links: Iterable[Link], policy: SourcesPolicy) -> Iterator[Problem]:
    for i, link in enumerate(links):
        yield from _check_url("guidance.toml", f"read_more.links[{i}]", "url", link.url, policy)


def check_centers(centers: Iterable[Center], policy: SourcesPolicy) -> Iterator[Problem]:
    """``source_url`` and every per-field source (``address_source``...): the same host rule."""
    for center in centers:
        own = site_domain(center.website) if center.website else ""
        for url in (u.strip() for u in center.source_url.split(";")):
            yield from _check_url("centers.csv", center.id, "source_url", url, policy, "", own)
        for source in center.provenance:
            field = f"{source.field}_source"
            if source.source.startswith(("https://", "http://")):
                yield from _check_url(
                    "centers.csv", center.id, field, source.source, policy, "", own
                )
            elif source.source != NO_SOURCE:
                yield Problem(
                    "centers.csv",
                    center.id,
                    field,
                    f"'{source.source[:60]}' is not a page a person can open: link the page that "
                    f"gives the value, or blank the value and write '{NO_SOURCE}'",
                )


def check_center_changes(
    releases: Iterable[Release], centers: Iterable[Center], policy: SourcesPolicy
) -> Iterator[Problem]:
    """The pages a recorded change to a bundled center rests on: the same host rule."""
    own = {c.id: site_domain(c.website) if c.website else "" for c in centers}
    for release in releases:
        for j, change in enumerate(release.changes):
            if change.kind != "center":
                continue
            record = f"{release.version} change[{j}]"
            for url in change.sources:
                domain = own.get(change.target, "")
                yield from _check_url("changes.toml", record, "sources", url, policy, "", domain)


def check_recent_sources(
    conditions: Iterable[Condition], citations: dict[str, Citation]
) -> Iterator[Problem]:
    """At least one source published within RECENT_YEARS of the review date, or a stated reason."""
    for cond in conditions:
        if cond.recent_source_waiver:
            continue
        since = cond.last_reviewed.year - RECENT_YEARS
        years = [
            citations[k].year
            for k in cond.source_keys()
            if k in citations and citations[k].status != "internal"
        ]
        if not any(y is not None and y >= since for y in years):
            newest = max((y for y in years if y is not None), default=None)
            yield Problem(
                f"conditions/{cond.id}.toml",
                cond.id,
                "sources",
                f"no source published in {since} or later (newest: {newest or 'none'}): cite "
                "current work, or say why none exists in recent_source_waiver",
            )


def citation_uses(conditions: Iterable[Condition], *others: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for cond in conditions:
        for statement in cond.statements():
            for key in statement.sources:
                counts[key] = counts.get(key, 0) + 1
    for keys in others:
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return counts
