"""data/sources_policy.toml: the hosts a URL in data/ may point at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from referral_app.content.errors import Problem
from referral_app.content.toml_file import read_toml

POLICY_FILE = "sources_policy.toml"


@dataclass(frozen=True)
class SourcesPolicy:
    """Allowed domains (a host matches a domain or any subdomain of it)."""

    domains: frozenset[str]

    def allows(self, url: str, own_domain: str = "") -> bool:
        host = url_host(url)
        allowed = self.domains | ({own_domain} if own_domain else set())
        return any(host == d or host.endswith("." + d) for d in allowed)


def url_host(url: str) -> str:
    host = (urlsplit(url.strip()).hostname or "").lower()
    return host.removeprefix("www.")


def site_domain(url: str) -> str:
    """The registrable part of a URL's host: osher.ucsf.edu -> ucsf.edu, a.b.co.uk -> b.co.uk."""
    labels = url_host(url).split(".")
    if (
        len(labels) >= 3
        and len(labels[-1]) == 2
        and labels[-2] in {"co", "ac", "gov", "org", "nhs"}
    ):
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def load_policy(data_dir: Path, problems: list[Problem]) -> SourcesPolicy:
    data = read_toml(data_dir / POLICY_FILE, problems)
    hosts = data.get("hosts")
    domains: set[str] = set()
    if not isinstance(hosts, dict) or not hosts:
        if data:
            problems.append(Problem(POLICY_FILE, "hosts", "", "is missing (lists of domains)"))
        return SourcesPolicy(frozenset())
    for group, values in hosts.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            problems.append(Problem(POLICY_FILE, "hosts", group, "must be a list of domains"))
            continue
        domains.update(v.strip().lower() for v in values if v.strip())
    return SourcesPolicy(frozenset(domains))
