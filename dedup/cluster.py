"""Stage 7: copy clusters from verified pairs, and the likely source of each.

Connected components of the copy graph, with one guard against chaining: an article
that copies from two different stories (a round-up) links their clusters only through
itself, and the parts of it that match each side do not overlap. Such an article is
kept in the cluster it shares most with, and the other side becomes its own cluster.

Finding those articles removes each member in turn and checks what stays connected: n^2
in a component of n, so past ``MAX_SPLIT_COMPONENT`` members a cheaper local form of the
same rule runs first (``cut_bridging_links``): each article groups its links by the part
of it they match and keeps only the group that matches most. In a large corpus a stock
passage (an outlet's standing paragraph of opinion, a disclaimer) recurs in hundreds of
unrelated stories; every article carrying it is such a bridge, and without the cut the
1M-article scale-up had one component of 227,550 articles.

The stage is ``build_clusters``, the one implementation: Spark finds the connected
components itself and runs ``build_clusters`` on each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .arrays import held_by_several, in_sorted
from .verify import Fingerprints, PairEvidence

__all__ = [
    "MAX_SPLIT_COMPONENT",
    "ROUNDUP_OVERLAP",
    "Cluster",
    "UnionFind",
    "build_clusters",
    "choose_source",
    "components",
    "cut_bridging_links",
]

MAX_SPLIT_COMPONENT = 500  # past this, links are cut locally first: splitting is quadratic
ROUNDUP_OVERLAP = 0.2  # two matched parts this much alike are the same copy, not two


@dataclass
class Cluster:
    members: list[int]  # article indices, sorted
    source: int


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller index becomes the root: results do not depend on pair order.
            lo, hi = min(ra, rb), max(ra, rb)
            self.parent[hi] = lo


def components(n: int, edges: Sequence[tuple[int, int]]) -> list[list[int]]:
    uf = UnionFind(n)
    for a, b in edges:
        uf.union(a, b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[uf.find(i)].append(i)
    return [g for g in groups.values() if len(g) > 1]


def _split_roundups(
    members: list[int], adjacency: dict[int, set[int]], fp: Fingerprints
) -> list[list[int]]:
    """Cut articles that bridge two groups with disjoint parts of themselves."""
    if len(members) < 3 or len(members) > MAX_SPLIT_COMPONENT:
        return [members]
    member_set = set(members)
    for v in members:
        if len(adjacency[v] & member_set) < 2:
            continue
        rest = member_set - {v}
        groups = _groups_without(rest, adjacency)
        if len(groups) < 2:
            continue
        matched = [_matched_with(v, g, fp) for g in groups]
        sizes = [len(m) for m in matched]
        best = int(np.argmax(sizes))
        overlapping = all(
            len(np.intersect1d(matched[best], m, assume_unique=True))
            >= ROUNDUP_OVERLAP * max(1, len(m))
            for k, m in enumerate(matched)
            if k != best
        )
        if overlapping:
            continue  # v carries the same copy to both sides: one story
        kept = sorted([v, *groups[best]])
        others = [sorted(g) for k, g in enumerate(groups) if k != best]
        result: list[list[int]] = []
        for part in [kept, *others]:
            if len(part) > 1:
                result.extend(_split_roundups(part, adjacency, fp))
        return result
    return [members]


def _groups_without(nodes: set[int], adjacency: dict[int, set[int]]) -> list[set[int]]:
    groups: list[set[int]] = []
    seen: set[int] = set()
    for start in sorted(nodes):
        if start in seen:
            continue
        group = {start}
        stack = [start]
        while stack:
            x = stack.pop()
            for y in adjacency[x]:
                if y in nodes and y not in group:
                    group.add(y)
                    stack.append(y)
        seen |= group
        groups.append(group)
    return groups


def _matched_with(v: int, group: set[int], fp: Fingerprints) -> np.ndarray:
    """Shingles of article ``v`` shared with any article of ``group``."""
    others = np.unique(np.concatenate([fp.distinct[g] for g in sorted(group)]))
    return np.intersect1d(fp.distinct[v], others, assume_unique=True)


def cut_bridging_links(members: list[int], adjacency: dict[int, set[int]],
                       fp: Fingerprints) -> set[tuple[int, int]]:
    """Links (a, b), a < b, that one of their articles matches with a part of itself
    other than the part its main group of links matches.

    Per article: its links, largest matched part first, join the first group whose
    matched shingles cover ``ROUNDUP_OVERLAP`` of theirs, or start a group; the group
    matching the most shingles is kept, the others' links are cut. A story copied by
    hundreds of outlets is one group at its source (every link matches the story); a
    stock paragraph is a second group at every article that carries one.
    """
    cut: set[tuple[int, int]] = set()
    # Each link's matched shingles are the same seen from either end: computed at the
    # first end, kept until the second takes them (or the cut is done).
    pending: dict[tuple[int, int], np.ndarray] = {}
    for v in members:
        if len(adjacency[v]) < 2:
            continue
        matched = {u: _shared_part(v, u, fp, pending) for u in sorted(adjacency[v])}
        groups: list[tuple[np.ndarray, list[int]]] = []
        for u in sorted(matched, key=lambda u: (-len(matched[u]), u)):
            part = matched[u]
            for k, (pool, links) in enumerate(groups):
                if in_sorted(part, pool).sum() >= ROUNDUP_OVERLAP * max(1, len(part)):
                    groups[k] = (np.union1d(pool, part), [*links, u])
                    break
            else:
                groups.append((part, [u]))
        if len(groups) < 2:
            continue
        keep = max(range(len(groups)), key=lambda k: (len(groups[k][0]), -k))
        for k, (_, links) in enumerate(groups):
            if k != keep:
                cut.update((min(v, u), max(v, u)) for u in links)
    return cut


def _shared_part(v: int, u: int, fp: Fingerprints,
                 pending: dict[tuple[int, int], np.ndarray]) -> np.ndarray:
    key = (min(v, u), max(v, u))
    part = pending.pop(key, None)
    if part is None:
        part = np.intersect1d(fp.distinct[v], fp.distinct[u], assume_unique=True)
        pending[key] = part
    return part


def _parts(component: list[int], adjacency: dict[int, set[int]],
           fp: Fingerprints) -> list[list[int]]:
    """A component split into clusters: round-ups cut (see the module docstring)."""
    if len(component) <= MAX_SPLIT_COMPONENT:
        return _split_roundups(component, adjacency, fp)
    cut = cut_bridging_links(component, adjacency, fp)
    kept = [(a, b) for a in component for b in sorted(adjacency[a])
            if a < b and (a, b) not in cut]
    local = {v: k for k, v in enumerate(component)}
    parts: list[list[int]] = []
    for group in components(len(component), [(local[a], local[b]) for a, b in kept]):
        part = [component[k] for k in group]
        # The parts see only their own links: a cut link no longer joins anything.
        sub = {v: {u for u in adjacency[v] if (min(u, v), max(u, v)) not in cut}
               for v in part}
        parts.extend(_split_roundups(part, sub, fp) if len(part) <= MAX_SPLIT_COMPONENT
                     else [part])
    return parts


def choose_source(members: Sequence[int], dates: Sequence[str | None], fp: Fingerprints,
                  sizes: Sequence[int]) -> int:
    """Earliest dated member; among equals, the one carrying most of the shared copy."""
    shared = held_by_several([fp.distinct[j] for j in members])

    def key(i: int) -> tuple[int, str, int, int, int]:
        date = dates[i]
        completeness = int(in_sorted(fp.distinct[i], shared).sum())  # copy it shares
        return (date is None, date or "", -completeness, -sizes[i], i)

    return min(members, key=key)


def build_clusters(
    n: int,
    copies: Sequence[PairEvidence],
    fp: Fingerprints,
    dates: Sequence[str | None],
    sizes: Sequence[int],
) -> list[Cluster]:
    edges = [(e.a, e.b) for e in copies]
    adjacency: dict[int, set[int]] = defaultdict(set)
    for a, b in edges:
        adjacency[a].add(b)
        adjacency[b].add(a)
    clusters: list[Cluster] = []
    for component in components(n, edges):
        for part in _parts(sorted(component), adjacency, fp):
            clusters.append(Cluster(part, choose_source(part, dates, fp, sizes)))
    # Biggest clusters first, then by first member: a stable, meaningful order.
    clusters.sort(key=lambda c: (-len(c.members), c.members[0]))
    return clusters
